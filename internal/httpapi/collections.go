package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sp404agent/sp404agent/internal/library"
)

type listCollectionsInput struct {
	ParentID int64 `query:"parent_id" minimum:"-1" default:"-1" doc:"Only children of this collection; 0 = top level; -1 (default) = all"`
	Page     int   `query:"page" minimum:"1" maximum:"1000000" default:"1"`
	Limit    int   `query:"limit" minimum:"1" maximum:"500" default:"100"`
}

type collectionPageOutput struct {
	Body library.Page[library.Collection]
}

type collectionOutput struct {
	Body *library.Collection
}

type createCollectionInput struct {
	Body library.CollectionInput
}

type collectionIDInput struct {
	ID int64 `path:"id" minimum:"1"`
}

type patchCollectionInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body library.CollectionPatch
}

type collectionSamplesInput struct {
	ID int64 `path:"id" minimum:"1"`
	SampleQuery
}

type sampleIDsBody struct {
	SampleIDs []int64 `json:"sample_ids" minItems:"1" maxItems:"1000"`
}

type addToCollectionInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body sampleIDsBody
}

type removeFromCollectionInput struct {
	ID        int64   `path:"id" minimum:"1"`
	SampleIDs []int64 `query:"sample_id" minItems:"1" maxItems:"1000" doc:"Samples to take out (comma-separated)"`
}

type countRulesInput struct {
	Body library.Rules
}

type countOutput struct {
	Body struct {
		Total int `json:"total"`
	}
}

func (s *Server) registerCollections() {
	tags := []string{"collections"}
	register(s.api, s.log, huma.Operation{
		OperationID: "list-collections", Method: http.MethodGet, Path: "/api/v1/collections", Tags: tags,
		Summary: "List collections with their sample counts",
	}, func(ctx context.Context, in *listCollectionsInput) (*collectionPageOutput, error) {
		var parent *int64
		if in.ParentID >= 0 {
			parent = &in.ParentID
		}
		page, err := s.lib.Collections(ctx, parent, in.Page, in.Limit)
		if err != nil {
			return nil, err
		}
		return &collectionPageOutput{Body: page}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "create-collection", Method: http.MethodPost, Path: "/api/v1/collections", Tags: tags,
		Summary: "Create a manual collection, or a smart one from rules", DefaultStatus: http.StatusCreated,
	}, func(ctx context.Context, in *createCollectionInput) (*collectionOutput, error) {
		c, err := s.lib.CreateCollection(ctx, in.Body)
		if err != nil {
			return nil, err
		}
		return &collectionOutput{Body: c}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "count-rules", Method: http.MethodPost, Path: "/api/v1/collections/count", Tags: tags,
		Summary: "Count the samples smart-collection rules select (for a live count while editing)",
	}, func(ctx context.Context, in *countRulesInput) (*countOutput, error) {
		n, err := s.lib.CountRules(ctx, in.Body)
		if err != nil {
			return nil, err
		}
		out := &countOutput{}
		out.Body.Total = n
		return out, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "get-collection", Method: http.MethodGet, Path: "/api/v1/collections/{id}", Tags: tags,
		Summary: "One collection",
	}, func(ctx context.Context, in *collectionIDInput) (*collectionOutput, error) {
		c, err := s.lib.Collection(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &collectionOutput{Body: c}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "update-collection", Method: http.MethodPatch, Path: "/api/v1/collections/{id}", Tags: tags,
		Summary: "Rename, describe, change rules or move a collection (409 on a cycle)",
	}, func(ctx context.Context, in *patchCollectionInput) (*collectionOutput, error) {
		c, err := s.lib.UpdateCollection(ctx, in.ID, in.Body)
		if err != nil {
			return nil, err
		}
		return &collectionOutput{Body: c}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "delete-collection", Method: http.MethodDelete, Path: "/api/v1/collections/{id}", Tags: tags,
		Summary: "Delete a collection (its samples stay; its children move to the top level)", DefaultStatus: http.StatusNoContent,
	}, func(ctx context.Context, in *collectionIDInput) (*struct{}, error) {
		return nil, s.lib.DeleteCollection(ctx, in.ID)
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "list-collection-samples", Method: http.MethodGet, Path: "/api/v1/collections/{id}/samples", Tags: tags,
		Summary: "The samples of a collection, with the same filters as the sample list; manual collections default to their own order",
	}, func(ctx context.Context, in *collectionSamplesInput) (*samplePageOutput, error) {
		kind, err := s.lib.CollectionKind(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		if in.Sort == "" && kind == library.KindManual {
			in.Sort = "position"
		}
		f, err := in.filter()
		if err != nil {
			return nil, err
		}
		f.CollectionID = &in.ID
		page, err := s.lib.Samples(ctx, f)
		if err != nil {
			return nil, err
		}
		return &samplePageOutput{Body: page}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "add-collection-samples", Method: http.MethodPost, Path: "/api/v1/collections/{id}/samples", Tags: tags,
		Summary: "Append samples to a manual collection (409 for a smart one)",
	}, func(ctx context.Context, in *addToCollectionInput) (*collectionOutput, error) {
		c, err := s.lib.AddToCollection(ctx, in.ID, in.Body.SampleIDs)
		if err != nil {
			return nil, err
		}
		return &collectionOutput{Body: c}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "remove-collection-samples", Method: http.MethodDelete, Path: "/api/v1/collections/{id}/samples", Tags: tags,
		Summary: "Take samples out of a manual collection (they stay in the library)",
	}, func(ctx context.Context, in *removeFromCollectionInput) (*collectionOutput, error) {
		c, err := s.lib.RemoveFromCollection(ctx, in.ID, in.SampleIDs)
		if err != nil {
			return nil, err
		}
		return &collectionOutput{Body: c}, nil
	})
}
