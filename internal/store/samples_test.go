package store_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sp404agent/sp404agent/internal/analysis"
	"github.com/sp404agent/sp404agent/internal/library"
	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

func newSample(i int, name string, tags ...string) *library.Sample {
	now := time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC)
	hash := fmt.Sprintf("%064x", i+1)
	return &library.Sample{
		FileName: name, ContentHash: hash, BlobKey: hash[:2] + "/" + hash[2:4] + "/" + hash,
		Format: "wav", SizeBytes: int64(1000 + i), AnalysisState: library.StatePending, BPMSource: "none",
		Tags: tags, CreatedAt: now, UpdatedAt: now,
	}
}

func ptr[T any](v T) *T { return &v }

func features(typ, cat string, bpm *float64, key, scale *string, lufs float64) *library.Analysis {
	return &library.Analysis{
		Format: "wav", SampleRate: 44100, Channels: 2, BitDepth: 16, Frames: 44100, DurationS: 1,
		Features: &analysis.Features{
			Type: typ, Category: cat, CategoryConfidence: 0.9, BPM: bpm, BPMConfidence: 0.8,
			BPMAlternates: []float64{}, BPMSource: "audio", Key: key, Scale: scale, KeyConfidence: 0.7,
			LoudnessLUFS: lufs, TruePeakDBTP: -1, PeakDBFS: -1.2,
			Spectral:        analysis.Spectral{CentroidHz: 500, RolloffHz: 2000, Flatness: 0.1, Brightness: 0.2},
			AnalysisVersion: "1", Peaks: analysis.Peaks{Coarse: []int8{-5, 5}, Fine: []int8{-1, 1}},
			Similarity: []float32{1, 2, 3},
		},
	}
}

func TestInsertSampleStoresOnceByContentHash(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, _ storetest.Target, db *store.DB) {
		ctx := context.Background()
		s := store.New(db)
		a := newSample(1, "Kick 01.wav", "drums", "boom bap")
		existing, err := s.InsertSample(ctx, a, nil)
		if err != nil || existing {
			t.Fatalf("first insert: existing=%v err=%v", existing, err)
		}
		if a.ID == 0 || !slices.Equal(a.Tags, []string{"boom bap", "drums"}) {
			t.Fatalf("inserted sample = %+v", a)
		}
		// The sample read back from the INSERT is the one a later read gives.
		if got, err := s.Sample(ctx, a.ID); err != nil || !reflect.DeepEqual(got, a) {
			t.Fatalf("Sample(%d) = %+v, %v; want %+v", a.ID, got, err, a)
		}
		// Its search words were written with it.
		if text, err := store.StoredSearchText(db, a.ID); err != nil || text != strings.Join(library.SearchTerms(a), " ") || text == "" {
			t.Fatalf("search words after insert: %q, %v", text, err)
		}
		src, err := s.StartAnalysis(ctx, a.ID)
		if err != nil || src != (library.AnalysisSource{Name: "Kick 01.wav", BlobKey: a.BlobKey}) {
			t.Fatalf("StartAnalysis = %+v, %v", src, err)
		}
		// The state change reached the terms: a text search filtered by state finds it.
		found, _, err := s.Samples(ctx, library.SampleFilter{Rules: library.Rules{Text: "boom"}, State: library.StateAnalyzing, Sort: "created", Page: 1, Limit: 10})
		if err != nil || len(found) != 1 || found[0].ID != a.ID {
			t.Fatalf("search for an analysing \"boom\" = %v, %v", names(found), err)
		}
		// Without tags the list is empty, not nil (JSON [] in the API), as a later read gives.
		bare := newSample(2, "Snare.wav")
		if _, err := s.InsertSample(ctx, bare, nil); err != nil || bare.Tags == nil || len(bare.Tags) != 0 {
			t.Fatalf("untagged insert: tags %#v, %v", bare.Tags, err)
		}
		dup := newSample(1, "other name.wav")
		existing, err = s.InsertSample(ctx, dup, nil)
		if err != nil || !existing {
			t.Fatalf("duplicate insert: existing=%v err=%v", existing, err)
		}
		if dup.ID != a.ID || dup.FileName != "Kick 01.wav" {
			t.Fatalf("duplicate returned %d %q, want the existing %d", dup.ID, dup.FileName, a.ID)
		}
		_, total, err := s.Samples(ctx, library.SampleFilter{Sort: "created", Page: 1, Limit: 10})
		if err != nil || total != 2 {
			t.Fatalf("total after duplicate = %d, %v; want 2", total, err)
		}
	})
}

func TestUnknownSampleIsNotFound(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, _ storetest.Target, db *store.DB) {
		ctx := context.Background()
		s := store.New(db)
		if _, err := s.Sample(ctx, 42); library.ErrorCode(err) != library.CodeNotFound {
			t.Errorf("Sample: %v, want not found", err)
		}
		if _, err := s.UpdateSample(ctx, 42, library.SamplePatch{Favorite: ptr(true)}); library.ErrorCode(err) != library.CodeNotFound {
			t.Errorf("UpdateSample: %v, want not found", err)
		}
		if _, err := s.DeleteSample(ctx, 42, false); library.ErrorCode(err) != library.CodeNotFound {
			t.Errorf("DeleteSample: %v, want not found", err)
		}
		if err := s.SetAnalysisState(ctx, 42, library.StateDone, ""); library.ErrorCode(err) != library.CodeNotFound {
			t.Errorf("SetAnalysisState: %v, want not found", err)
		}
		if _, err := s.StartAnalysis(ctx, 42); library.ErrorCode(err) != library.CodeNotFound {
			t.Errorf("StartAnalysis: %v, want not found", err)
		}
	})
}

func TestSaveAnalysisFillsFieldsAndKeepsUserTempo(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, _ storetest.Target, db *store.DB) {
		ctx := context.Background()
		s := store.New(db)
		smp := newSample(1, "loop.wav")
		if _, err := s.InsertSample(ctx, smp, nil); err != nil {
			t.Fatal(err)
		}
		if p, err := s.SamplePeaks(ctx, smp.ID); err != nil || p != nil {
			t.Fatalf("peaks before analysis = %v, %v; want nil", p, err)
		}
		if err := s.SaveAnalysis(ctx, smp.ID, features("loop", "drums", ptr(92.0), ptr("A"), ptr("minor"), math.Inf(-1)), nil); err != nil {
			t.Fatal(err)
		}
		got, err := s.Sample(ctx, smp.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.AnalysisState != library.StateDone || *got.Type != "loop" || *got.BPM != 92 || *got.Key != "A" ||
			got.SampleRate != 44100 || got.Spectral == nil || got.Spectral.CentroidHz != 500 || got.AnalyzedAt == nil {
			t.Fatalf("after analysis: %+v", got)
		}
		if got.LoudnessLUFS != nil {
			t.Errorf("-Inf loudness stored as %v, want NULL", *got.LoudnessLUFS)
		}
		// The search words were replaced with the analysed ones, which include the category,
		// then the type and category facets.
		want := strings.Join(append(library.SearchTerms(got), "_type_loop", "_cat_"+*got.Category), " ")
		if text, err := store.StoredSearchText(db, smp.ID); err != nil || text != want || !slices.Contains(strings.Fields(text), *got.Category) {
			t.Fatalf("search words after analysis: %q, %v; want %q", text, err, want)
		}
		p, err := s.SamplePeaks(ctx, smp.ID)
		if err != nil || p == nil || !slices.Equal(p.Coarse, []int8{-5, 5}) {
			t.Fatalf("peaks = %+v, %v", p, err)
		}
		if _, err := s.UpdateSample(ctx, smp.ID, library.SamplePatch{BPM: ptr(184.0)}); err != nil {
			t.Fatal(err)
		}
		if err := s.SaveAnalysis(ctx, smp.ID, features("loop", "drums", ptr(92.0), nil, nil, -12), nil); err != nil {
			t.Fatal(err)
		}
		got, _ = s.Sample(ctx, smp.ID)
		if *got.BPM != 184 || got.BPMSource != "user" {
			t.Errorf("re-analysis overwrote the user's tempo: bpm %v source %s", *got.BPM, got.BPMSource)
		}
		if got.Key != nil {
			t.Errorf("key = %v, want null after re-analysis found none", *got.Key)
		}
	})
}

func TestUpdateAndDeleteSample(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, _ storetest.Target, db *store.DB) {
		ctx := context.Background()
		s := store.New(db)
		smp := newSample(1, "snare.wav", "old")
		if _, err := s.InsertSample(ctx, smp, nil); err != nil {
			t.Fatal(err)
		}
		got, err := s.UpdateSample(ctx, smp.ID, library.SamplePatch{
			FileName: ptr("Snare Tight.wav"), Tags: &[]string{"crisp", "snare"}, Favorite: ptr(true),
			Rating: ptr(4), Notes: ptr("use on 2 and 4"), Category: ptr("snare"),
		})
		if err != nil {
			t.Fatal(err)
		}
		if got.FileName != "Snare Tight.wav" || !slices.Equal(got.Tags, []string{"crisp", "snare"}) || !got.Favorite ||
			got.Rating != 4 || got.Notes != "use on 2 and 4" || *got.Category != "snare" || !got.UpdatedAt.After(smp.UpdatedAt) {
			t.Fatalf("after update: %+v", got)
		}
		if _, err := s.DeleteSample(ctx, smp.ID, false); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Sample(ctx, smp.ID); library.ErrorCode(err) != library.CodeNotFound {
			t.Fatalf("after delete: %v", err)
		}
		// Tags went with the sample (foreign key cascade): re-inserting the same hash starts clean.
		again := newSample(1, "snare.wav")
		if _, err := s.InsertSample(ctx, again, nil); err != nil || len(again.Tags) != 0 {
			t.Fatalf("re-insert: tags %v err %v", again.Tags, err)
		}
	})
}

// seedLibrary stores a small, varied library and returns it as the store sees it.
func seedLibrary(t *testing.T, s *store.Store) []library.Sample {
	t.Helper()
	ctx := context.Background()
	type row struct {
		name  string
		tags  []string
		a     *library.Analysis
		fav   bool
		state library.AnalysisState
	}
	rows := []row{
		{"Kick Hard.wav", []string{"drums", "808"}, features("one-shot", "kick", nil, nil, nil, -8), true, ""},
		{"kick_soft.wav", []string{"drums"}, features("one-shot", "kick", nil, nil, nil, -14), false, ""},
		{"Snare 100%_tight.wav", []string{"drums"}, features("one-shot", "snare", nil, nil, nil, -10), false, ""},
		{"Jazz Chords 85bpm.wav", []string{"keys", "jazz"}, features("loop", "melodic", ptr(85.0), ptr("A"), ptr("minor"), -16), true, ""},
		{"Boom Bap Loop 92.wav", []string{"drums", "boom bap"}, features("loop", "drums", ptr(92.0), nil, nil, -9), false, ""},
		{"House Loop.wav", []string{"drums"}, features("loop", "drums", ptr(124.0), nil, nil, -7), false, ""},
		{"Bass C.wav", []string{"bass"}, features("one-shot", "bass", nil, ptr("C"), ptr("major"), -12), false, ""},
		{"Vocal Chop.wav", []string{"vocal"}, features("one-shot", "vocal", ptr(90.0), ptr("A"), ptr("minor"), -11), false, ""},
		{"pending.wav", nil, nil, false, library.StatePending},
		{"broken.wav", []string{"drums"}, nil, false, library.StateFailed},
	}
	for i, r := range rows {
		smp := newSample(i, r.name, r.tags...)
		if _, err := s.InsertSample(ctx, smp, nil); err != nil {
			t.Fatal(err)
		}
		if r.a != nil {
			if err := s.SaveAnalysis(ctx, smp.ID, r.a, nil); err != nil {
				t.Fatal(err)
			}
		}
		if r.state == library.StateFailed {
			if err := s.SetAnalysisState(ctx, smp.ID, r.state, "cannot decode"); err != nil {
				t.Fatal(err)
			}
		}
		if r.fav {
			if _, err := s.UpdateSample(ctx, smp.ID, library.SamplePatch{Favorite: ptr(true)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	all, total, err := s.Samples(ctx, library.SampleFilter{Sort: "created", Page: 1, Limit: 100})
	if err != nil || total != len(rows) {
		t.Fatalf("seeded %d, listed %d: %v", len(rows), total, err)
	}
	return all
}

func names(ss []library.Sample) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.FileName
	}
	return out
}

func TestSamplesFilters(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, _ storetest.Target, db *store.DB) {
		s := store.New(db)
		seedLibrary(t, s)
		tests := []struct {
			name string
			f    library.SampleFilter
			want []string // sorted by name
		}{
			{"text matches names case-insensitively", library.SampleFilter{Rules: library.Rules{Text: "KICK"}}, []string{"Kick Hard.wav", "kick_soft.wav"}},
			{"text matches tags", library.SampleFilter{Rules: library.Rules{Text: "jazz"}}, []string{"Jazz Chords 85bpm.wav"}},
			{"text words must all match", library.SampleFilter{Rules: library.Rules{Text: "loop drums"}}, []string{"Boom Bap Loop 92.wav", "House Loop.wav"}},
			{"text matches the type; minus excludes", library.SampleFilter{Rules: library.Rules{Text: "loop -house"}}, []string{"Boom Bap Loop 92.wav", "Jazz Chords 85bpm.wav"}},
			{"LIKE wildcards are literal", library.SampleFilter{Rules: library.Rules{Text: "100%"}}, []string{"Snare 100%_tight.wav"}},
			{"underscore is literal", library.SampleFilter{Rules: library.Rules{Text: "_soft"}}, []string{"kick_soft.wav"}},
			{"sql in text is just text", library.SampleFilter{Rules: library.Rules{Text: "'; DROP TABLE samples; --"}}, nil},
			{"bpm range", library.SampleFilter{Rules: library.Rules{BPMMin: ptr(86.0), BPMMax: ptr(125.0)}}, []string{"Boom Bap Loop 92.wav", "House Loop.wav", "Vocal Chop.wav"}},
			{"key and scale", library.SampleFilter{Rules: library.Rules{Keys: []string{"A"}, Scale: "minor"}}, []string{"Jazz Chords 85bpm.wav", "Vocal Chop.wav"}},
			{"type", library.SampleFilter{Rules: library.Rules{Types: []string{"loop"}}}, []string{"Boom Bap Loop 92.wav", "House Loop.wav", "Jazz Chords 85bpm.wav"}},
			{"categories any of", library.SampleFilter{Rules: library.Rules{Categories: []string{"kick", "bass"}}}, []string{"Bass C.wav", "Kick Hard.wav", "kick_soft.wav"}},
			{"tags all of", library.SampleFilter{Rules: library.Rules{TagsAll: []string{"drums", "808"}}}, []string{"Kick Hard.wav"}},
			{"favourites", library.SampleFilter{Rules: library.Rules{Favorite: ptr(true)}}, []string{"Jazz Chords 85bpm.wav", "Kick Hard.wav"}},
			{"not favourites", library.SampleFilter{Rules: library.Rules{Favorite: ptr(false), Categories: []string{"kick"}}}, []string{"kick_soft.wav"}},
			{"analysis state", library.SampleFilter{State: library.StateFailed}, []string{"broken.wav"}},
			{"synonym bd finds kicks", library.SampleFilter{Rules: library.Rules{Text: "bd"}}, []string{"Kick Hard.wav", "kick_soft.wav"}},
			{"synonym vox finds vocals", library.SampleFilter{Rules: library.Rules{Text: "vox"}}, []string{"Vocal Chop.wav"}},
			{"synonym keys finds melodic", library.SampleFilter{Rules: library.Rules{Text: "chords -jazz"}}, nil},
			{"prefix finds longer words", library.SampleFilter{Rules: library.Rules{Text: "kic"}}, []string{"Kick Hard.wav", "kick_soft.wav"}},
			{"name split at case and digits", library.SampleFilter{Rules: library.Rules{Text: "85 bpm"}}, []string{"Jazz Chords 85bpm.wav"}},
			{"exclusion by synonym", library.SampleFilter{Rules: library.Rules{Text: "drums -bd"}}, []string{"Boom Bap Loop 92.wav", "House Loop.wav", "Snare 100%_tight.wav", "broken.wav"}},
			{"half/double time widens the tempo range", library.SampleFilter{Rules: library.Rules{BPMMin: ptr(44.0), BPMMax: ptr(46.0), BPMHalfDouble: true}}, []string{"Boom Bap Loop 92.wav", "Vocal Chop.wav"}},
			{"compatible keys add relative and fifth neighbours", library.SampleFilter{Rules: library.Rules{Keys: []string{"D"}, Scale: "minor", CompatibleKeys: true}}, []string{"Bass C.wav", "Jazz Chords 85bpm.wav", "Vocal Chop.wav"}},
			{"tags any of", library.SampleFilter{Rules: library.Rules{TagsAny: []string{"bass", "keys"}}}, []string{"Bass C.wav", "Jazz Chords 85bpm.wav"}},
			{"duration and loudness ranges", library.SampleFilter{Rules: library.Rules{DurationMin: ptr(0.5), LoudnessMin: ptr(-10.5), LoudnessMax: ptr(-7.5)}}, []string{"Boom Bap Loop 92.wav", "Kick Hard.wav", "Snare 100%_tight.wav"}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				f := tt.f
				f.Limit = 100
				if err := f.Validate(); err != nil {
					t.Fatal(err)
				}
				got, total, err := s.Samples(context.Background(), f)
				if err != nil {
					t.Fatal(err)
				}
				gotNames := names(got)
				slices.Sort(gotNames)
				if !slices.Equal(gotNames, tt.want) || total != len(tt.want) {
					t.Errorf("got %q (total %d), want %q", gotNames, total, tt.want)
				}
			})
		}
	})
}

func TestSamplesSortAndPaging(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, _ storetest.Target, db *store.DB) {
		s := store.New(db)
		all := seedLibrary(t, s)
		ctx := context.Background()
		for _, field := range library.SortFields {
			if field == "position" {
				continue // needs a manual collection: covered by the collection tests
			}
			for _, desc := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s desc=%v", field, desc), func(t *testing.T) {
					// Page through 3 at a time and check the concatenation is the full, ordered list.
					var got []library.Sample
					for page := 1; ; page++ {
						items, total, err := s.Samples(ctx, library.SampleFilter{Sort: field, Desc: desc, Page: page, Limit: 3})
						if err != nil {
							t.Fatal(err)
						}
						if total != len(all) {
							t.Fatalf("total = %d, want %d", total, len(all))
						}
						if len(items) == 0 {
							break
						}
						got = append(got, items...)
					}
					if len(got) != len(all) {
						t.Fatalf("paged through %d samples, want %d", len(got), len(all))
					}
					for i := 1; i < len(got); i++ {
						if c := compare(field, got[i-1], got[i]); (desc && c < 0) || (!desc && c > 0) {
							t.Fatalf("out of order at %d: %q then %q", i, got[i-1].FileName, got[i].FileName)
						}
						if sortValue(field, got[i-1]) == nil && sortValue(field, got[i]) != nil {
							t.Fatalf("a missing value sorted before a present one at %d", i)
						}
					}
				})
			}
		}
	})
}

// sortValue returns the sorted-on value, nil when missing.
func sortValue(field string, s library.Sample) any {
	switch field {
	case "name":
		return s.FileName
	case "created":
		return s.CreatedAt.UnixNano()
	case "bpm":
		if s.BPM == nil {
			return nil
		}
		return *s.BPM
	case "key":
		if s.Key == nil {
			return nil
		}
		return *s.Key
	case "duration":
		return s.DurationS
	case "loudness":
		if s.LoudnessLUFS == nil {
			return nil
		}
		return *s.LoudnessLUFS
	}
	panic(field)
}

func compare(field string, a, b library.Sample) int {
	va, vb := sortValue(field, a), sortValue(field, b)
	if va == nil || vb == nil {
		return 0
	}
	switch x := va.(type) {
	case string:
		return compareOrdered(lower(x), lower(vb.(string)))
	case float64:
		return compareOrdered(x, vb.(float64))
	case int64:
		return compareOrdered(x, vb.(int64))
	}
	return 0
}

func compareOrdered[T int64 | float64 | string](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 32
		}
	}
	return string(b)
}

func TestMigrationsRollBackAndReapply(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, _ storetest.Target, db *store.DB) {
		ctx := context.Background()
		st, err := db.MigrateStatus(ctx)
		if err != nil || len(st) == 0 || !st[len(st)-1].Applied {
			t.Fatalf("status = %+v, %v", st, err)
		}
		for range st {
			if _, err := db.MigrateDown(ctx); err != nil {
				t.Fatal(err)
			}
		}
		st, _ = db.MigrateStatus(ctx)
		for _, m := range st {
			if m.Applied {
				t.Fatalf("migration %d still applied after rolling back all", m.Version)
			}
		}
		applied, err := db.MigrateUp(ctx)
		if err != nil || len(applied) != len(st) {
			t.Fatalf("re-apply: %v %v", applied, err)
		}
		if err := db.CheckSchema(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestStorageCountsEachStoredFileOnce(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, _ storetest.Target, db *store.DB) {
		ctx := context.Background()
		s := store.New(db)
		if st, err := s.Storage(ctx); err != nil || st != (library.StorageStats{}) {
			t.Fatalf("empty library: %+v, %v", st, err)
		}
		a, b := newSample(1, "a.wav"), newSample(2, "b.wav")
		// A chop's slice: its own sample, the original's file.
		slice := newSample(3, "a slice 1.wav")
		slice.BlobKey, slice.SizeBytes = a.BlobKey, a.SizeBytes
		for _, smp := range []*library.Sample{a, b, slice} {
			if _, err := s.InsertSample(ctx, smp, nil); err != nil {
				t.Fatal(err)
			}
		}
		st, err := s.Storage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if want := (library.StorageStats{Samples: 3, Files: 2, Bytes: 1001 + 1002}); st != want {
			t.Errorf("Storage = %+v, want %+v", st, want)
		}
	})
}
