package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sp404agent/sp404agent/internal/library"
)

type listKitsInput struct {
	Page  int `query:"page" minimum:"1" maximum:"1000000" default:"1"`
	Limit int `query:"limit" minimum:"1" maximum:"500" default:"100"`
}

type kitPageOutput struct {
	Body library.Page[library.Kit]
}

type kitOutput struct {
	Body *library.Kit
}

type createKitInput struct {
	Body library.KitInput
}

type kitIDInput struct {
	ID int64 `path:"id" minimum:"1"`
}

type patchKitInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body library.KitPatch
}

type padPath struct {
	ID   int64  `path:"id" minimum:"1"`
	Bank string `path:"bank" pattern:"^[A-Ja-j]$" doc:"A–J"`
	Pad  int    `path:"pad" minimum:"1" maximum:"16"`
}

type setPadInput struct {
	ID   int64  `path:"id" minimum:"1"`
	Bank string `path:"bank" pattern:"^[A-Ja-j]$" doc:"A–J"`
	Pad  int    `path:"pad" minimum:"1" maximum:"16"`
	Body library.PadInput
}

type movePadInput struct {
	ID   int64  `path:"id" minimum:"1"`
	Bank string `path:"bank" pattern:"^[A-Ja-j]$" doc:"A–J"`
	Pad  int    `path:"pad" minimum:"1" maximum:"16"`
	Body struct {
		ToBank string `json:"to_bank" pattern:"^[A-Ja-j]$"`
		ToPad  int    `json:"to_pad" minimum:"1" maximum:"16"`
		Swap   bool   `json:"swap,omitempty" doc:"Swap with a filled target instead of refusing"`
	}
}

type sampleUsesOutput struct {
	Body struct {
		Items []library.PadUse `json:"items"`
	}
}

type deleteSampleInput struct {
	ID    int64 `path:"id" minimum:"1"`
	Force bool  `query:"force" doc:"Delete even when kits use the sample (their pads are cleared) or slices play its file (they are deleted too)"`
}

func (s *Server) registerKits() {
	tags := []string{"kits"}
	register(s.api, s.log, huma.Operation{
		OperationID: "list-kits", Method: http.MethodGet, Path: "/api/v1/kits", Tags: tags, Summary: "List kits",
	}, func(ctx context.Context, in *listKitsInput) (*kitPageOutput, error) {
		page, err := s.lib.Kits(ctx, in.Page, in.Limit)
		if err != nil {
			return nil, err
		}
		return &kitPageOutput{Body: page}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "create-kit", Method: http.MethodPost, Path: "/api/v1/kits", Tags: tags,
		Summary: "Create an empty kit for the MKII (16 pads a bank) or the SX/A (12)", DefaultStatus: http.StatusCreated,
	}, func(ctx context.Context, in *createKitInput) (*kitOutput, error) {
		k, err := s.lib.CreateKit(ctx, in.Body)
		if err != nil {
			return nil, err
		}
		return &kitOutput{Body: k}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "get-kit", Method: http.MethodGet, Path: "/api/v1/kits/{id}", Tags: tags, Summary: "A kit with its pads",
	}, func(ctx context.Context, in *kitIDInput) (*kitOutput, error) {
		k, err := s.lib.Kit(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &kitOutput{Body: k}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "update-kit", Method: http.MethodPatch, Path: "/api/v1/kits/{id}", Tags: tags,
		Summary: "Rename, retarget, or change tempos and bank volumes",
	}, func(ctx context.Context, in *patchKitInput) (*kitOutput, error) {
		k, err := s.lib.UpdateKit(ctx, in.ID, in.Body)
		if err != nil {
			return nil, err
		}
		return &kitOutput{Body: k}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "delete-kit", Method: http.MethodDelete, Path: "/api/v1/kits/{id}", Tags: tags,
		Summary: "Delete a kit (its samples stay)", DefaultStatus: http.StatusNoContent,
	}, func(ctx context.Context, in *kitIDInput) (*struct{}, error) {
		return nil, s.lib.DeleteKit(ctx, in.ID)
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "set-pad", Method: http.MethodPut, Path: "/api/v1/kits/{id}/pads/{bank}/{pad}", Tags: tags,
		Summary: "Put a sample on a pad with its settings (omitted settings keep the pad's, or the device defaults)",
	}, func(ctx context.Context, in *setPadInput) (*kitOutput, error) {
		k, err := s.lib.SetPad(ctx, in.ID, in.Bank, in.Pad, in.Body)
		if err != nil {
			return nil, err
		}
		return &kitOutput{Body: k}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "clear-pad", Method: http.MethodDelete, Path: "/api/v1/kits/{id}/pads/{bank}/{pad}", Tags: tags,
		Summary: "Empty a pad",
	}, func(ctx context.Context, in *padPath) (*kitOutput, error) {
		k, err := s.lib.ClearPad(ctx, in.ID, in.Bank, in.Pad)
		if err != nil {
			return nil, err
		}
		return &kitOutput{Body: k}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "move-pad", Method: http.MethodPost, Path: "/api/v1/kits/{id}/pads/{bank}/{pad}/move", Tags: tags,
		Summary: "Move a pad to another (409 onto a filled pad unless swap)",
	}, func(ctx context.Context, in *movePadInput) (*kitOutput, error) {
		k, err := s.lib.MovePad(ctx, in.ID, in.Bank, in.Pad, in.Body.ToBank, in.Body.ToPad, in.Body.Swap)
		if err != nil {
			return nil, err
		}
		return &kitOutput{Body: k}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "get-sample-kits", Method: http.MethodGet, Path: "/api/v1/samples/{id}/kits", Tags: []string{"samples"},
		Summary: "The kit pads that use a sample",
	}, func(ctx context.Context, in *sampleIDInput) (*sampleUsesOutput, error) {
		uses, err := s.lib.SampleUses(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		out := &sampleUsesOutput{}
		out.Body.Items = uses
		return out, nil
	})
}
