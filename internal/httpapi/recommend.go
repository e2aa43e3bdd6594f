package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sp404agent/sp404agent/internal/library"
)

type recommendInput struct {
	ID    int64  `path:"id" minimum:"1"`
	Bank  string `query:"bank" required:"true" pattern:"^[A-Ja-j]$"`
	Pad   int    `query:"pad" required:"true" minimum:"1" maximum:"16"`
	Role  string `query:"role" doc:"A category; default: the pad's role in the device-style layout (kick on 1, snare on 2 …)"`
	Limit int    `query:"limit" minimum:"1" maximum:"50" default:"10"`
}

type recommendOutput struct {
	Body struct {
		Items []library.Recommendation `json:"items"`
	}
}

type completeInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body struct {
		Bank string `json:"bank" pattern:"^[A-Ja-j]$"`
	}
}

type completeOutput struct {
	Body *library.CompleteResult
}

type buildKitInput struct {
	Body library.BuildKitInput
}

type buildKitOutput struct {
	Body *library.BuildKitResult
}

type chopInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body library.ChopInput
}

type chopPointsInput struct {
	ID     int64  `path:"id" minimum:"1"`
	Mode   string `query:"mode" required:"true" enum:"onsets,equal" doc:"Cut at detected onsets or into equal parts"`
	Slices int    `query:"slices" required:"true" minimum:"2" maximum:"16"`
}

type chopPointsOutput struct {
	Body *library.ChopPreview
}

func (s *Server) registerRecommendations() {
	tags := []string{"kits"}
	register(s.api, s.log, huma.Operation{
		OperationID: "recommend-pad", Method: http.MethodGet, Path: "/api/v1/kits/{id}/recommendations", Tags: tags,
		Summary: "Samples for a pad: its role, the kit's tempo and key, timbre like its bank; each with reasons",
	}, func(ctx context.Context, in *recommendInput) (*recommendOutput, error) {
		recs, err := s.lib.Recommend(ctx, in.ID, in.Bank, in.Pad, in.Role, in.Limit)
		if err != nil {
			return nil, err
		}
		out := &recommendOutput{}
		out.Body.Items = recs
		return out, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "complete-bank", Method: http.MethodPost, Path: "/api/v1/kits/{id}/complete", Tags: tags,
		Summary: "Fill the empty pads of a bank from the library",
	}, func(ctx context.Context, in *completeInput) (*completeOutput, error) {
		res, err := s.lib.CompleteBank(ctx, in.ID, in.Body.Bank)
		if err != nil {
			return nil, err
		}
		return &completeOutput{Body: res}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "build-kit", Method: http.MethodPost, Path: "/api/v1/kits/build", Tags: tags,
		Summary: "Make a kit from a collection or a selection: drums on their conventional pads, the rest after them", DefaultStatus: http.StatusCreated,
	}, func(ctx context.Context, in *buildKitInput) (*buildKitOutput, error) {
		res, err := s.lib.BuildKit(ctx, in.Body)
		if err != nil {
			return nil, err
		}
		return &buildKitOutput{Body: res}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "chop-sample", Method: http.MethodPost, Path: "/api/v1/samples/{id}/chop", Tags: []string{"samples", "kits"},
		Summary:     "Chop a loop at onsets or equal parts: one slice sample per pad (no audio copied) or one pad's chop table",
		Description: "In pads mode each slice becomes a sample of its own (source_id, region_start_frame, region_end_frame) that plays a region of the original's file, is analysed like a new upload and fills one pad; chopping the same region again reuses its slice. Chopping a slice cuts its region of the same original. The kit changes all at once or not at all.",
	}, func(ctx context.Context, in *chopInput) (*kitOutput, error) {
		k, err := s.lib.Chop(ctx, in.ID, in.Body)
		if err != nil {
			return nil, err
		}
		return &kitOutput{Body: k}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "chop-points", Method: http.MethodGet, Path: "/api/v1/samples/{id}/chop", Tags: []string{"samples", "kits"},
		Summary: "Where a chop would cut (slice starts in frames), without changing any kit",
	}, func(ctx context.Context, in *chopPointsInput) (*chopPointsOutput, error) {
		p, err := s.lib.ChopPoints(ctx, in.ID, in.Mode, in.Slices)
		if err != nil {
			return nil, err
		}
		return &chopPointsOutput{Body: p}, nil
	})
}
