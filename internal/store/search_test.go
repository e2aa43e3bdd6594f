package store_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/sp404agent/sp404agent/internal/library"
	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// matches is the meaning of a filter, written plainly in Go: what the SQL of both databases must
// agree with.
func matches(smp *library.Sample, f library.SampleFilter, extra ...library.Rules) bool {
	if f.State != "" && smp.AnalysisState != f.State {
		return false
	}
	for _, r := range append([]library.Rules{f.Rules}, extra...) {
		if !matchesRules(smp, r) {
			return false
		}
	}
	return true
}

func matchesRules(smp *library.Sample, r library.Rules) bool {
	terms := library.SearchTerms(smp)
	for _, qt := range library.ParseQuery(r.Text) {
		found := slices.ContainsFunc(terms, func(t string) bool {
			return t == qt.Term || (qt.Prefix && strings.HasPrefix(t, qt.Term))
		})
		if found == qt.Exclude {
			return false
		}
	}
	if ranges := r.BPMRanges(); ranges != nil {
		if smp.BPM == nil || !slices.ContainsFunc(ranges, func(rg [2]*float64) bool {
			return (rg[0] == nil || *smp.BPM >= *rg[0]) && (rg[1] == nil || *smp.BPM <= *rg[1])
		}) {
			return false
		}
	}
	if keys := r.KeyMatches(); keys != nil {
		if smp.Key == nil || !slices.ContainsFunc(keys, func(k library.KeyScale) bool {
			return *smp.Key == k.Key && (k.Scale == "" || (smp.Scale != nil && *smp.Scale == k.Scale))
		}) {
			return false
		}
	} else if r.Scale != "" && (smp.Scale == nil || *smp.Scale != r.Scale) {
		return false
	}
	if len(r.Types) > 0 && (smp.Type == nil || !slices.Contains(r.Types, *smp.Type)) {
		return false
	}
	if len(r.Categories) > 0 && (smp.Category == nil || !slices.Contains(r.Categories, *smp.Category)) {
		return false
	}
	for _, t := range r.TagsAll {
		if !slices.Contains(smp.Tags, t) {
			return false
		}
	}
	if len(r.TagsAny) > 0 && !slices.ContainsFunc(r.TagsAny, func(t string) bool { return slices.Contains(smp.Tags, t) }) {
		return false
	}
	if (r.DurationMin != nil && smp.DurationS < *r.DurationMin) || (r.DurationMax != nil && smp.DurationS > *r.DurationMax) {
		return false
	}
	if (r.LoudnessMin != nil || r.LoudnessMax != nil) && smp.LoudnessLUFS == nil {
		return false
	}
	if (r.LoudnessMin != nil && *smp.LoudnessLUFS < *r.LoudnessMin) || (r.LoudnessMax != nil && *smp.LoudnessLUFS > *r.LoudnessMax) {
		return false
	}
	if r.Favorite != nil && smp.Favorite != *r.Favorite {
		return false
	}
	if smp.Rating < r.RatingMin {
		return false
	}
	return r.AddedSince == nil || !smp.CreatedAt.Before(*r.AddedSince)
}

// seedRandomLibrary stores n samples with names, tags and analyses drawn from small vocabularies,
// so that words, prefixes and every field overlap.
func seedRandomLibrary(t *testing.T, s *store.Store, rng *rand.Rand, n int) {
	t.Helper()
	ctx := context.Background()
	// Non-ASCII words, digits and case changes are split and folded by Go alone; both
	// full-text engines must keep each word as Go made it.
	words := []string{"dusty", "dust", "warm", "kick", "loop", "vinyl", "vox", "BD", "keys", "Crisp",
		"Café", "Bässe", "808Sub", "ドラム"}
	tagPool := []string{"boom bap", "soul", "jazz", "drums", "dusty"}
	cats := []string{"kick", "snare", "hat_closed", "bass", "melodic", "vocal", "drums"}
	keys := []string{"A", "C", "D", "E", "F", "G"}
	for i := range n {
		name := fmt.Sprintf("%s %s %03d.wav", words[rng.IntN(len(words))], words[rng.IntN(len(words))], i)
		var tags []string
		for _, tg := range tagPool {
			if rng.IntN(4) == 0 {
				tags = append(tags, tg)
			}
		}
		smp := newSample(i, name, tags...)
		if _, err := s.InsertSample(ctx, smp, nil); err != nil {
			t.Fatal(err)
		}
		if rng.IntN(8) == 0 {
			continue // left pending: no analysis fields
		}
		typ, bpm := "one-shot", (*float64)(nil)
		if rng.IntN(2) == 0 {
			typ, bpm = "loop", ptr(float64(60+rng.IntN(120)))
		}
		var key, scale *string
		if rng.IntN(2) == 0 {
			key, scale = ptr(keys[rng.IntN(len(keys))]), ptr([]string{"major", "minor"}[rng.IntN(2)])
		}
		a := features(typ, cats[rng.IntN(len(cats))], bpm, key, scale, -20+float64(rng.IntN(15)))
		a.DurationS = 0.1 + float64(rng.IntN(80))/10
		if err := s.SaveAnalysis(ctx, smp.ID, a, nil); err != nil {
			t.Fatal(err)
		}
		if rng.IntN(3) == 0 {
			if _, err := s.UpdateSample(ctx, smp.ID, library.SamplePatch{Favorite: ptr(true), Rating: ptr(rng.IntN(6))}); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// searchFilters are filters with words to find (so they are answered from the term index), each
// combined with the other fields lists filter on.
func searchFilters(since time.Time) []library.SampleFilter {
	rules := []library.Rules{
		{Text: "dusty"},
		{Text: "dust"},
		{Text: "du -dusty"},
		{Text: "kick"},
		{Text: "bd vinyl"},
		{Text: "loop warm -vocal"},
		{Text: "dusty", Types: []string{"loop"}},
		{Text: "dust", BPMMin: ptr(85.0), BPMMax: ptr(95.0), BPMHalfDouble: true},
		{Text: "keys", Keys: []string{"A"}, Scale: "minor", CompatibleKeys: true},
		{Text: "crisp", Keys: []string{"C", "G"}},
		{Text: "warm", Scale: "major"},
		{Text: "loop", Categories: []string{"drums", "melodic"}},
		{Text: "dusty", TagsAny: []string{"soul", "jazz"}},
		{Text: "d", TagsAll: []string{"boom bap", "drums"}},
		{Text: "vox", DurationMin: ptr(1.0), DurationMax: ptr(5.0)},
		{Text: "kick", LoudnessMin: ptr(-15.0), LoudnessMax: ptr(-8.0)},
		{Text: "dusty", Favorite: ptr(true)},
		{Text: "dusty", Favorite: ptr(false)},
		{Text: "d", RatingMin: 3},
		{Text: "warm", AddedSince: &since},
		{Text: "nothingmatchesthis"},
		{Text: "café"},
		{Text: "CAF"},
		{Text: "bäss -café"},
		{Text: "ドラ"},
		{Text: "808 sub"},
		{Text: "hat closed"},
		{Text: "hh -dust -vox"},
		{Text: "d w k"},
		{Text: "d", Types: []string{"one-shot"}, Categories: []string{"hat_closed", "kick"}},
		{Text: "dust -vox", Types: []string{"one-shot", "loop"}, Categories: []string{"snare"}},
		{Text: "-dusty -warm"},
		{Text: strings.Repeat("x", 70)},
		{Text: "dusty -" + strings.Repeat("x", 70)},
		// Questions without a word to find, answered from samples.
		{Types: []string{"loop"}, BPMMin: ptr(85.0), BPMMax: ptr(95.0), BPMHalfDouble: true},
		{Text: "-dusty", Keys: []string{"A"}, Scale: "minor", CompatibleKeys: true},
		{Categories: []string{"melodic", "bass"}, TagsAny: []string{"soul", "jazz"}},
		{TagsAll: []string{"dusty", "drums"}},
		{Favorite: ptr(true), RatingMin: 2},
		{DurationMin: ptr(2.0), LoudnessMax: ptr(-10.0)},
		{AddedSince: &since},
		{},
	}
	var out []library.SampleFilter
	for _, r := range rules {
		out = append(out, library.SampleFilter{Rules: r})
	}
	out = append(out,
		library.SampleFilter{Rules: library.Rules{Text: "dusty"}, State: library.StatePending},
		library.SampleFilter{Rules: library.Rules{Text: "dust"}, State: library.StateFailed},
		library.SampleFilter{State: library.StateFailed},
	)
	return out
}

// checkSearch pages through every filter in several orders and compares the pages and totals
// with matches over all samples, with the matches gathered in one statement and, where there are
// more than three, counted and paged separately (with words to find, on SQLite, along the sort's
// index).
func checkSearch(t *testing.T, s *store.Store, filters []library.SampleFilter) {
	t.Helper()
	for _, limit := range []int{1000, 3} {
		store.SetGatherLimit(s, limit)
		checkSearchPaths(t, s, filters)
	}
}

func checkSearchPaths(t *testing.T, s *store.Store, filters []library.SampleFilter) {
	t.Helper()
	ctx := context.Background()
	all, _, err := s.Samples(ctx, library.SampleFilter{Sort: "created", Page: 1, Limit: library.MaxPageLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range filters {
		var want []int64
		for i := range all {
			if matches(&all[i], f) {
				want = append(want, all[i].ID)
			}
		}
		slices.Sort(want)
		for _, sort := range []struct {
			field string
			desc  bool
		}{{"name", false}, {"created", true}, {"bpm", false}, {"loudness", true}, {"key", false}, {"duration", true}} {
			f := f
			f.Sort, f.Desc, f.Limit = sort.field, sort.desc, 7
			if err := f.Validate(); err != nil {
				t.Fatal(err)
			}
			var got []library.Sample
			for f.Page = 1; ; f.Page++ {
				items, total, err := s.Samples(ctx, f)
				if err != nil {
					t.Fatalf("%+v: %v", f, err)
				}
				if total != len(want) {
					t.Fatalf("%+v page %d: total %d, want %d", f.Rules, f.Page, total, len(want))
				}
				if len(items) == 0 {
					break
				}
				got = append(got, items...)
			}
			ids := make([]int64, len(got))
			for i, smp := range got {
				ids[i] = smp.ID
			}
			slices.Sort(ids)
			if !slices.Equal(ids, want) {
				t.Fatalf("%+v by %s: got %v, want %v", f.Rules, sort.field, ids, want)
			}
			for i := 1; i < len(got); i++ {
				c := compare(sort.field, got[i-1], got[i])
				if (sort.desc && c < 0) || (!sort.desc && c > 0) {
					t.Fatalf("%+v by %s: out of order at %d: %q then %q", f.Rules, sort.field, i, got[i-1].FileName, got[i].FileName)
				}
				if sortValue(sort.field, got[i-1]) == nil && sortValue(sort.field, got[i]) != nil {
					t.Fatalf("%+v by %s: a missing value sorted before a present one at %d", f.Rules, sort.field, i)
				}
			}
		}
	}
}

func TestSearchAgreesWithFiltersThroughChanges(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, _ storetest.Target, db *store.DB) {
		ctx := context.Background()
		s := store.New(db)
		rng := rand.New(rand.NewPCG(7, 11))
		seedRandomLibrary(t, s, rng, 120)
		since := time.Date(2026, 1, 1, 0, 1, 0, 0, time.UTC)
		filters := searchFilters(since)
		checkSearch(t, s, filters)

		// Every way a sample changes reaches the copy of its fields in the term index.
		all, _, err := s.Samples(ctx, library.SampleFilter{Sort: "created", Page: 1, Limit: library.MaxPageLimit})
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, smp := range all {
			ids = append(ids, smp.ID)
		}
		for i, id := range ids[:40] {
			p := library.SamplePatch{}
			switch i % 6 {
			case 0:
				p.FileName = ptr(fmt.Sprintf("Dusty Vinyl %03d.wav", i))
			case 1:
				p.Category = ptr("melodic")
			case 2:
				p.BPM = ptr(90.0)
			case 3:
				p.Key, p.Scale = ptr("A"), ptr("minor")
			case 4:
				p.Favorite, p.Rating = ptr(false), ptr(5)
			case 5:
				p.Tags = &[]string{"soul", "jazz"}
			}
			if _, err := s.UpdateSample(ctx, id, p); err != nil {
				t.Fatal(err)
			}
		}
		checkSearch(t, s, filters)

		if err := s.BulkEdit(ctx, library.BulkEdit{SampleIDs: ids[40:70], Favorite: ptr(true), Rating: ptr(4)}); err != nil {
			t.Fatal(err)
		}
		if err := s.BulkEdit(ctx, library.BulkEdit{SampleIDs: ids[60:80], AddTags: []string{"boom bap"}, RemoveTags: []string{"soul"}}); err != nil {
			t.Fatal(err)
		}
		for _, id := range ids[80:90] {
			if err := s.SetAnalysisState(ctx, id, library.StateFailed, "cannot decode"); err != nil {
				t.Fatal(err)
			}
		}
		for _, id := range ids[90:100] {
			a := features("loop", "drums", ptr(172.0), nil, nil, -9)
			a.DurationS = 4
			if err := s.SaveAnalysis(ctx, id, a, nil); err != nil {
				t.Fatal(err)
			}
		}
		for _, id := range ids[100:105] {
			if _, err := s.DeleteSample(ctx, id, false); err != nil {
				t.Fatal(err)
			}
		}
		checkSearch(t, s, filters)
	})
}

func TestSearchWithinCollections(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, _ storetest.Target, db *store.DB) {
		ctx := context.Background()
		s := store.New(db)
		seedRandomLibrary(t, s, rand.New(rand.NewPCG(3, 5)), 60)
		all, _, err := s.Samples(ctx, library.SampleFilter{Sort: "created", Page: 1, Limit: library.MaxPageLimit})
		if err != nil {
			t.Fatal(err)
		}

		// A smart collection's words and the list's own words and filters all apply.
		rules := library.Rules{Text: "dust -vinyl", BPMMin: ptr(80.0), BPMMax: ptr(100.0), BPMHalfDouble: true}
		smart, err := s.CreateCollection(ctx, library.CollectionInput{Name: "dusty tempo", Kind: library.KindSmart, Rules: &rules})
		if err != nil {
			t.Fatal(err)
		}
		f := library.SampleFilter{Rules: library.Rules{Text: "loop"}, CollectionID: &smart.ID, Sort: "name", Page: 1, Limit: 100}
		var want []int64
		for i := range all {
			if matches(&all[i], f, rules) {
				want = append(want, all[i].ID)
			}
		}
		if len(want) == 0 {
			t.Fatal("the seeded library has no sample for the smart collection: the test proves nothing")
		}
		got, total, err := s.Samples(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		gotIDs := make([]int64, len(got))
		for i, smp := range got {
			gotIDs[i] = smp.ID
		}
		slices.Sort(gotIDs)
		if !slices.Equal(gotIDs, want) || total != len(want) {
			t.Fatalf("smart collection and words: %v (total %d), want %v", gotIDs, total, want)
		}
		if n, err := s.CountRules(ctx, rules); err != nil || n != countMatching(all, rules) {
			t.Fatalf("CountRules = %d, %v; want %d", n, err, countMatching(all, rules))
		}

		// A manual collection searched by a word keeps its own order.
		man, err := s.CreateCollection(ctx, library.CollectionInput{Name: "picked", Kind: library.KindManual})
		if err != nil {
			t.Fatal(err)
		}
		var picked []int64
		for i := len(all) - 1; i >= 0; i-- {
			if slices.Contains(library.SearchTerms(&all[i]), "dusty") {
				picked = append(picked, all[i].ID)
			}
		}
		if len(picked) < 3 {
			t.Fatalf("only %d dusty samples seeded", len(picked))
		}
		if err := s.AddToCollection(ctx, man.ID, picked); err != nil {
			t.Fatal(err)
		}
		for _, text := range []string{"dusty", "", "-nothingmatchesthis"} {
			for _, limit := range []int{1000, 2} {
				store.SetGatherLimit(s, limit)
				var order []int64
				for page := 1; ; page++ {
					items, total, err := s.Samples(ctx, library.SampleFilter{Rules: library.Rules{Text: text}, CollectionID: &man.ID, Sort: "position", Page: page, Limit: 2})
					if err != nil {
						t.Fatal(err)
					}
					if total != len(picked) {
						t.Fatalf("%q: total %d, want %d", text, total, len(picked))
					}
					if len(items) == 0 {
						break
					}
					for _, smp := range items {
						order = append(order, smp.ID)
					}
				}
				if !slices.Equal(order, picked) {
					t.Fatalf("%q: manual order = %v, want %v", text, order, picked)
				}
			}
		}
	})
}

func countMatching(all []library.Sample, r library.Rules) int {
	n := 0
	for i := range all {
		if matchesRules(&all[i], r) {
			n++
		}
	}
	return n
}

func TestSearchSurvivesMigrations(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, _ storetest.Target, db *store.DB) {
		ctx := context.Background()
		s := store.New(db)
		seedRandomLibrary(t, s, rand.New(rand.NewPCG(5, 8)), 60)
		filters := searchFilters(time.Date(2026, 1, 1, 0, 0, 30, 0, time.UTC))
		checkSearch(t, s, filters)
		// Back to the term index without the copied fields, then forward again: 00011 fills
		// them from the samples already there, and 00012 moves every sample's words into
		// full-text search (and its down migration back into the term index).
		for {
			v, err := db.MigrateDown(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if v == 10 { // 00010_search_fields.sql, the term index before full-text search
				break
			}
		}
		if _, err := db.MigrateUp(ctx); err != nil {
			t.Fatal(err)
		}
		checkSearch(t, s, filters)
	})
}
