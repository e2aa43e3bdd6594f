package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sp404agent/sp404agent/internal/library"
)

type duplicatesOutput struct {
	Body struct {
		Items []library.DuplicateGroup `json:"items"`
	}
}

type resolveDuplicatesInput struct {
	Body struct {
		KeepID    int64   `json:"keep_id" minimum:"1"`
		RemoveIDs []int64 `json:"remove_ids" minItems:"1" maxItems:"1000"`
		Confirm   bool    `json:"confirm" doc:"Must be true: the other samples leave the library"`
	}
}

type resolveDuplicatesOutput struct {
	Body struct {
		Removed []int64 `json:"removed"`
	}
}

func (s *Server) registerDuplicates() {
	tags := []string{"duplicates"}
	register(s.api, s.log, huma.Operation{
		OperationID: "list-duplicates", Method: http.MethodGet, Path: "/api/v1/duplicates", Tags: tags,
		Summary: "Groups of exact duplicates (same decoded audio) and near duplicates (same sound after gain, trim or re-encoding)",
	}, func(ctx context.Context, _ *struct{}) (*duplicatesOutput, error) {
		groups, err := s.lib.Duplicates(ctx)
		if err != nil {
			return nil, err
		}
		out := &duplicatesOutput{}
		out.Body.Items = groups
		return out, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "resolve-duplicates", Method: http.MethodPost, Path: "/api/v1/duplicates/resolve", Tags: tags,
		Summary: "Keep one sample of a group; the others leave the library and their kit pads and collection places move to the kept one",
	}, func(ctx context.Context, in *resolveDuplicatesInput) (*resolveDuplicatesOutput, error) {
		removed, err := s.lib.ResolveDuplicates(ctx, in.Body.KeepID, in.Body.RemoveIDs, in.Body.Confirm)
		if err != nil {
			return nil, err
		}
		out := &resolveDuplicatesOutput{}
		out.Body.Removed = removed
		return out, nil
	})
}
