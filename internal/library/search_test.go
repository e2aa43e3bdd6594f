package library

import (
	"slices"
	"testing"
)

func TestTokenizeSplitsLikeProducersName(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"KickHard01", []string{"kick", "hard", "01"}},
		{"Dusty Loop 92bpm", []string{"dusty", "loop", "92", "bpm"}},
		{"snare_100%-tight", []string{"snare", "100", "tight"}},
		{"ÉTÉ Chord", []string{"été", "chord"}},
		{"'; DROP TABLE --", []string{"drop", "table"}},
		{"", nil},
	} {
		if got := Tokenize(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSearchTermsIncludeSynonymsCategoryAndType(t *testing.T) {
	cat, typ := "hat_closed", "one-shot"
	terms := SearchTerms(&Sample{FileName: "HH Tight 01.wav", Tags: []string{"Hi Hat"}, Category: &cat, Type: &typ})
	for _, want := range []string{"hh", "hat", "tight", "01", "hi", "hat_closed", "closed", "oneshot"} {
		if !slices.Contains(terms, want) {
			t.Errorf("terms %q lack %q", terms, want)
		}
	}
	if slices.Contains(terms, "wav") {
		t.Errorf("the extension is not a search term: %q", terms)
	}
}

func TestParseQueryMapsSynonymsAndExclusions(t *testing.T) {
	got := ParseQuery("BD -vox kic")
	want := []QueryTerm{{Term: "kick"}, {Term: "vocal", Exclude: true}, {Term: "kic", Prefix: true}}
	if !slices.Equal(got, want) {
		t.Errorf("ParseQuery = %+v, want %+v", got, want)
	}
}
