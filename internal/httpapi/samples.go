package httpapi

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sp404agent/sp404agent/internal/analysis"
	"github.com/sp404agent/sp404agent/internal/library"
)

// SampleQuery holds the sample list's filters; embedded (hence exported) where other lists reuse them.
type SampleQuery struct {
	Q              string   `query:"q" maxLength:"200" doc:"Words matched against names, tags and categories; -word excludes"`
	BPMMin         float64  `query:"bpm_min" minimum:"0" maximum:"1000" doc:"Lowest tempo (0 = no bound)"`
	BPMMax         float64  `query:"bpm_max" minimum:"0" maximum:"1000" doc:"Highest tempo (0 = no bound)"`
	Key            string   `query:"key" maxLength:"3" doc:"Pitch class: C, C#, D … B (flats accepted)"`
	Scale          string   `query:"scale" enum:"major,minor"`
	HalfDouble     bool     `query:"bpm_half_double" doc:"Also match half and double the tempo range"`
	CompatibleKeys bool     `query:"compatible_keys" doc:"Also match relative and neighbouring keys (needs key and scale)"`
	Type           []string `query:"type" maxItems:"2" doc:"one-shot, loop (comma-separated)"`
	Category       []string `query:"category" maxItems:"13" doc:"Categories (comma-separated)"`
	Tag            []string `query:"tag" maxItems:"16" doc:"Tags; a sample must have all of them"`
	CollectionID   int64    `query:"collection_id" minimum:"0"`
	Favorite       string   `query:"favorite" enum:"true,false"`
	State          string   `query:"analysis_state" enum:"pending,analyzing,done,failed"`
	Sort           string   `query:"sort" maxLength:"16" doc:"name, created, bpm, key, duration or loudness; prefix - for descending (default -created)"`
	Page           int      `query:"page" minimum:"1" maximum:"1000000" default:"1"`
	Limit          int      `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

type samplePageOutput struct {
	Body library.Page[library.Sample]
}

type sampleIDInput struct {
	ID int64 `path:"id" minimum:"1"`
}

type sampleOutput struct {
	Body *library.Sample
}

type patchSampleInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body library.SamplePatch
}

type waveformOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         *analysis.Peaks
}

type waveformsInput struct {
	IDs []int64 `query:"ids" required:"true" minItems:"1" maxItems:"200" doc:"Sample ids, comma-separated"`
}

type waveformsOutput struct {
	CacheControl string `header:"Cache-Control"`
	Body         struct {
		Items []library.CoarseWaveform `json:"items"`
	}
}

type storageOutput struct {
	Body library.StorageStats
}

// peaksCache lets the browser keep waveforms briefly: they change only when a sample is
// re-analysed.
const peaksCache = "private, max-age=300"

func (s *Server) registerSamples() {
	tags := []string{"samples"}
	register(s.api, s.log, huma.Operation{
		OperationID: "list-samples", Method: http.MethodGet, Path: "/api/v1/samples", Tags: tags,
		Summary: "List samples with filters, sorting and paging",
	}, func(ctx context.Context, in *SampleQuery) (*samplePageOutput, error) {
		f, err := in.filter()
		if err != nil {
			return nil, err
		}
		page, err := s.lib.Samples(ctx, f)
		if err != nil {
			return nil, err
		}
		return &samplePageOutput{Body: page}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "get-storage", Method: http.MethodGet, Path: "/api/v1/storage", Tags: tags,
		Summary: "How many samples and stored files the library holds, and their bytes",
	}, func(ctx context.Context, _ *struct{}) (*storageOutput, error) {
		st, err := s.lib.Storage(ctx)
		if err != nil {
			return nil, err
		}
		return &storageOutput{Body: st}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "get-sample", Method: http.MethodGet, Path: "/api/v1/samples/{id}", Tags: tags,
		Summary: "One sample with its analysis",
	}, func(ctx context.Context, in *sampleIDInput) (*sampleOutput, error) {
		smp, err := s.lib.Sample(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &sampleOutput{Body: smp}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "update-sample", Method: http.MethodPatch, Path: "/api/v1/samples/{id}", Tags: tags,
		Summary: "Edit tags, favourite, rating, notes, name, or correct the analysis",
	}, func(ctx context.Context, in *patchSampleInput) (*sampleOutput, error) {
		smp, err := s.lib.UpdateSample(ctx, in.ID, in.Body)
		if err != nil {
			return nil, err
		}
		return &sampleOutput{Body: smp}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "delete-sample", Method: http.MethodDelete, Path: "/api/v1/samples/{id}", Tags: tags,
		Summary:       "Remove a sample and its file (409 while a kit uses it or slices play its file, unless force=true)",
		Description:   "Forced, the sample's pads go too, and an original's slices with their pads. The stored file is deleted once no sample reads it.",
		DefaultStatus: http.StatusNoContent,
	}, func(ctx context.Context, in *deleteSampleInput) (*struct{}, error) {
		return nil, s.lib.DeleteSample(ctx, in.ID, in.Force)
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "get-sample-waveform", Method: http.MethodGet, Path: "/api/v1/samples/{id}/waveform", Tags: tags,
		Summary: "Waveform peaks (min/max pairs at a coarse and a fine resolution)",
	}, func(ctx context.Context, in *sampleIDInput) (*waveformOutput, error) {
		p, err := s.lib.Peaks(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &waveformOutput{CacheControl: peaksCache, Body: p}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "list-waveforms", Method: http.MethodGet, Path: "/api/v1/waveforms", Tags: tags,
		Summary: "Coarse waveforms of many samples in one request (for list rows); unanalysed ones are left out",
	}, func(ctx context.Context, in *waveformsInput) (*waveformsOutput, error) {
		items, err := s.lib.CoarseWaveforms(ctx, in.IDs)
		if err != nil {
			return nil, err
		}
		out := &waveformsOutput{CacheControl: peaksCache}
		out.Body.Items = items
		return out, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "reanalyze-sample", Method: http.MethodPost, Path: "/api/v1/samples/{id}/analyze", Tags: tags,
		Summary: "Queue a fresh analysis", DefaultStatus: http.StatusAccepted,
	}, func(ctx context.Context, in *sampleIDInput) (*sampleOutput, error) {
		smp, err := s.lib.ReanalyzeSample(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &sampleOutput{Body: smp}, nil
	})
}

func (in *SampleQuery) filter() (library.SampleFilter, error) {
	field, desc, err := library.ParseSort(in.Sort)
	if err != nil {
		return library.SampleFilter{}, err
	}
	f := library.SampleFilter{
		Rules: library.Rules{
			Text: in.Q, Scale: in.Scale, Types: in.Type, Categories: in.Category, TagsAll: in.Tag,
			BPMHalfDouble: in.HalfDouble, CompatibleKeys: in.CompatibleKeys,
		},
		State: library.AnalysisState(in.State), Sort: field, Desc: desc, Page: in.Page, Limit: in.Limit,
	}
	if in.Key != "" {
		f.Keys = []string{in.Key}
	}
	if in.BPMMin > 0 {
		f.BPMMin = &in.BPMMin
	}
	if in.BPMMax > 0 {
		f.BPMMax = &in.BPMMax
	}
	if in.CollectionID > 0 {
		f.CollectionID = &in.CollectionID
	}
	if in.Favorite != "" {
		fav := in.Favorite == "true"
		f.Rules.Favorite = &fav
	}
	return f, nil
}

type bulkEditInput struct {
	Body library.BulkEdit
}

type bulkEditOutput struct {
	Body struct {
		Updated int `json:"updated"`
	}
}

type searchInput struct {
	Q     string `query:"q" required:"true" minLength:"1" maxLength:"200" doc:"Words over names, tags, categories and types, with synonyms (bd→kick, hh→hat, vox→vocal…); -word excludes; a word also matches longer words"`
	Page  int    `query:"page" minimum:"1" maximum:"1000000" default:"1"`
	Limit int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

func (s *Server) registerSampleExtras() {
	register(s.api, s.log, huma.Operation{
		OperationID: "bulk-edit-samples", Method: http.MethodPost, Path: "/api/v1/samples/bulk", Tags: []string{"samples"},
		Summary: "Add or remove tags, favourite or rate many samples at once (all or nothing)",
	}, func(ctx context.Context, in *bulkEditInput) (*bulkEditOutput, error) {
		n, err := s.lib.BulkEdit(ctx, in.Body)
		if err != nil {
			return nil, err
		}
		out := &bulkEditOutput{}
		out.Body.Updated = n
		return out, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "search", Method: http.MethodGet, Path: "/api/v1/search", Tags: []string{"search"},
		Summary: "Text search over the library (names, tags, categories, types, synonyms), by name",
	}, func(ctx context.Context, in *searchInput) (*samplePageOutput, error) {
		page, err := s.lib.Samples(ctx, library.SampleFilter{Rules: library.Rules{Text: in.Q}, Sort: "name", Page: in.Page, Limit: in.Limit})
		if err != nil {
			return nil, err
		}
		return &samplePageOutput{Body: page}, nil
	})
}

type similarInput struct {
	ID     int64  `path:"id" minimum:"1"`
	Aspect string `query:"aspect" enum:"overall,timbre,pitch,envelope,rhythm" default:"overall"`
	Limit  int    `query:"limit" minimum:"1" maximum:"100" default:"20"`
}

type similarOutput struct {
	Body struct {
		Items []library.SimilarResult `json:"items"`
	}
}

func (s *Server) registerSimilar() {
	register(s.api, s.log, huma.Operation{
		OperationID: "similar-samples", Method: http.MethodGet, Path: "/api/v1/samples/{id}/similar", Tags: []string{"samples"},
		Summary: "Samples that sound most like this one, overall or in one aspect (timbre, pitch, envelope, rhythm)",
	}, func(ctx context.Context, in *similarInput) (*similarOutput, error) {
		items, err := s.lib.Similar(ctx, in.ID, in.Aspect, in.Limit)
		if err != nil {
			return nil, err
		}
		out := &similarOutput{}
		out.Body.Items = items
		return out, nil
	})
}
