package vibe

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/sp404agent/sp404agent/internal/analysis"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		q    string
		want Query // Text and Source are filled in by the test
	}{
		{
			q: "dusty jazzy chords around 85 bpm in a minor key, no vocals",
			want: Query{BPMTarget: f64(85), BPMMin: f64(80.8), BPMMax: f64(89.3), Scale: "minor",
				Categories: []string{"melodic"}, Exclude: []string{"vocal"}, Textures: []string{"dusty"},
				Genres: []string{"jazz"}},
		},
		{q: "85bpm", want: Query{BPMTarget: f64(85), BPMMin: f64(82.5), BPMMax: f64(87.6)}},
		{q: "85 bpm", want: Query{BPMTarget: f64(85), BPMMin: f64(82.5), BPMMax: f64(87.6)}},
		{q: "85-95 bpm loop", want: Query{BPMTarget: f64(90), BPMMin: f64(85), BPMMax: f64(95), Types: []string{"loop"}}},
		{q: "between 80 and 90", want: Query{BPMTarget: f64(85), BPMMin: f64(80), BPMMax: f64(90)}},
		{q: "fast hats", want: Query{BPMMin: f64(120), Categories: []string{"hat_closed"}}},
		{q: "slow sad piano", want: Query{BPMMax: f64(90), Categories: []string{"melodic"}, Moods: []string{"melancholic"}}},
		{q: "Am", want: Query{Key: "A", Scale: "minor"}},
		{q: "F#m 140bpm trap", want: Query{Key: "F#", Scale: "minor", BPMTarget: f64(140), BPMMin: f64(135.8), BPMMax: f64(144.2), Genres: []string{"trap"}}},
		{q: "Bb major keys", want: Query{Key: "A#", Scale: "major", Categories: []string{"melodic"}}},
		{q: "c sharp minor", want: Query{Key: "C#", Scale: "minor"}},
		{q: "in a minor", want: Query{Key: "A", Scale: "minor"}},
		{q: "I am tired", want: Query{Terms: []string{"tired"}}},
		{q: "ebmin 5cm", want: Query{Key: "D#", Scale: "minor", Terms: []string{"5cm"}}},
		{q: "nothing no", want: Query{Terms: []string{"nothing"}}},
		{q: "bd sn hh oh", want: Query{Categories: []string{"kick", "snare", "hat_closed", "hat_open"}}},
		{q: "open hat one shot", want: Query{Categories: []string{"hat_open"}, Types: []string{"one-shot"}}},
		{q: "808 vox", want: Query{Categories: []string{"bass", "vocal"}}},
		{q: "bass drum", want: Query{Categories: []string{"kick"}}},
		{q: "warm keys -vocal", want: Query{Categories: []string{"melodic"}, Textures: []string{"warm"}, Exclude: []string{"vocal"}}},
		{q: "ambient pad without drums", want: Query{Categories: []string{"melodic"}, Genres: []string{"ambient"},
			Exclude: []string{"drums", "kick", "snare", "clap", "hat_closed", "hat_open", "tom", "cymbal", "perc"}}},
		{q: "gritty punchy break", want: Query{Categories: []string{"drums"}, Types: []string{"loop"}, Textures: []string{"gritty", "punchy"}}},
		{q: "boom bap no crackle", want: Query{Genres: []string{"boom bap"}, Exclude: []string{"crackle"}}},
		{q: "", want: Query{}},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			want := tt.want
			want.Text, want.Source = tt.q, QueryOffline
			if got := ParseQuery(tt.q); !reflect.DeepEqual(got, want) {
				t.Errorf("ParseQuery(%q)\n got %s\nwant %s", tt.q, dumpQuery(got), dumpQuery(want))
			}
		})
	}
}

func dumpQuery(q Query) string {
	p := func(f *float64) any {
		if f == nil {
			return nil
		}
		return *f
	}
	return strings.Join([]string{
		"bpm", fmtAny(p(q.BPMTarget)), fmtAny(p(q.BPMMin)), fmtAny(p(q.BPMMax)), "key", q.Key, q.Scale,
		"types", fmtAny(q.Types), "cats", fmtAny(q.Categories), "excl", fmtAny(q.Exclude),
		"moods", fmtAny(q.Moods), "tex", fmtAny(q.Textures), "genres", fmtAny(q.Genres), "terms", fmtAny(q.Terms),
	}, " ")
}

func fmtAny(v any) string { return strings.TrimSpace(strings.ReplaceAll(fmtV(v), "\n", " ")) }

func fmtV(v any) string {
	switch x := v.(type) {
	case nil:
		return "nil"
	case float64:
		return fmtBPM(x)
	case []string:
		return "[" + strings.Join(x, ",") + "]"
	}
	return "?"
}

func candidates() []Candidate {
	return []Candidate{
		{ID: 1, Name: "dusty_rhodes_85bpm_Am.wav", Type: analysis.TypeLoop, Category: analysis.CategoryMelodic, BPM: f64(85), Key: "A", Scale: "minor",
			Vibe: &Vibe{MoodPrimary: "nostalgic", MoodSecondary: "calm", Texture: []string{"dusty", "warm"}, Genres: []string{"jazz"}}},
		{ID: 2, Name: "piano_chords_C.wav", Type: analysis.TypeLoop, Category: analysis.CategoryMelodic, BPM: f64(170), Key: "C", Scale: "major"},
		{ID: 3, Name: "soul_vox_chop.wav", Type: analysis.TypeLoop, Category: analysis.CategoryMelodic, BPM: f64(86), Key: "A", Scale: "minor", Tags: []string{"vocal"}},
		{ID: 4, Name: "keys_loop_140.wav", Type: analysis.TypeLoop, Category: analysis.CategoryMelodic, BPM: f64(140), Key: "A", Scale: "minor"},
		{ID: 5, Name: "kick_hard.wav", Type: analysis.TypeOneShot, Category: analysis.CategoryKick},
		{ID: 6, Name: "mystery.wav", Type: analysis.TypeLoop, Category: analysis.CategoryMelodic, BPM: f64(84), Key: "A", Scale: "major", Tags: []string{"jazz"}},
	}
}

func TestRankExplainsAndOrdersMatches(t *testing.T) {
	got := Rank(ParseQuery("dusty jazzy chords around 85 bpm in A minor, no vocals"), candidates())
	ids := make([]int64, len(got))
	for i, m := range got {
		ids[i] = m.ID
	}
	// 1 fits everything; 6 is jazz by tag at the right tempo but in A major; 2 is at double time
	// (a reading worth 0.9) in the relative major with no vibe words; 3 is excluded (vocal tag);
	// 4 is too fast even at half time; 5 is not melodic.
	if !slices.Equal(ids, []int64{1, 6, 2}) {
		t.Fatalf("ids = %v, want [1 6 2]; matches %+v", ids, got)
	}
	if got[0].Score != 1 {
		t.Errorf("best score = %v, want 1", got[0].Score)
	}
	wantReasons := map[int64][]string{
		1: {"category melodic", "tempo 85 BPM near 85", "key A minor", `texture "dusty": vibe texture`, `genre "jazz": vibe genre`},
		2: {"category melodic", "tempo 170 BPM near 85 (double-time)", "key C major is the relative major of A minor"},
		6: {"category melodic", "tempo 84 BPM near 85", "key A major shares the tonic of A minor", `genre "jazz": tag`},
	}
	for _, m := range got {
		if !slices.Equal(m.Reasons, wantReasons[m.ID]) {
			t.Errorf("reasons of %d = %q, want %q", m.ID, m.Reasons, wantReasons[m.ID])
		}
	}
}

func TestRankFilters(t *testing.T) {
	tests := []struct {
		q    string
		want []int64
	}{
		{"kick", []int64{5}},
		{"one-shot", []int64{5}},
		{"140 bpm", []int64{4}},
		{"70 bpm", []int64{4}}, // 140 is double time; 170 (85 at half) is outside the range and its 10 % margin
		{"keys without vocals", []int64{1, 2, 4, 6}},
		{"vocal", []int64{3}},
		{"", nil},
		{"zzzz", nil},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			var ids []int64
			for _, m := range Rank(ParseQuery(tt.q), candidates()) {
				ids = append(ids, m.ID)
			}
			if !slices.Equal(ids, tt.want) {
				t.Errorf("Rank(%q) = %v, want %v", tt.q, ids, tt.want)
			}
		})
	}
}

func TestParseQueryLLM(t *testing.T) {
	answer := `{"bpm_min":80,"bpm_max":90,"bpm_target":85,"key":"A","scale":"minor","types":["loop"],
"categories":["melodic"],"exclude":["vocal"],"moods":["nostalgic"],"textures":["dusty"],"genres":["jazz"],"terms":["rhodes"]}`
	tests := []struct {
		name        string
		content     string
		wantSource  string
		wantOutcome string
	}{
		{"valid answer is used", answer, QueryLLM, OutcomeOK},
		{"unknown category falls back", strings.Replace(answer, `"melodic"`, `"strings"`, 1), QueryOffline, OutcomeBadOutput},
		{"absurd tempo falls back", strings.Replace(answer, `"bpm_target":85`, `"bpm_target":9000`, 1), QueryOffline, OutcomeBadOutput},
		{"missing field falls back", strings.Replace(answer, `"bpm_min":80,`, ``, 1), QueryOffline, OutcomeBadOutput},
		{"not JSON falls back", `sure! here are filters`, QueryOffline, OutcomeBadOutput},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
				completion(w, body.Model, tt.content, 150, 60, -1)
			})
			c, _ := newTestClient(f, Options{})
			store := &MemoryUsage{}
			a := NewAnalyzer(NewGuard(c, store, roomyBudget, GuardOptions{Now: fixedNow}), AnalyzerOptions{Model: "m"})
			const q = "dusty jazzy rhodes around 85 in A minor, no vocals"
			res, err := a.ParseQueryLLM(context.Background(), q, "")
			if err != nil {
				t.Fatal(err)
			}
			if res.Query.Source != tt.wantSource || res.Query.Text != q {
				t.Errorf("query = %+v", res.Query)
			}
			if tt.wantSource == QueryOffline && (!errors.Is(res.Fallback, ErrBadOutput) || !reflect.DeepEqual(res.Query, ParseQuery(q))) {
				t.Errorf("fallback = %v, query = %+v", res.Fallback, res.Query)
			}
			if tt.wantSource == QueryLLM && (res.Fallback != nil || res.Query.Key != "A" || *res.Query.BPMTarget != 85 || !slices.Equal(res.Query.Terms, []string{"rhodes"})) {
				t.Errorf("fallback = %v, query = %+v", res.Fallback, res.Query)
			}
			calls := store.Calls()
			if len(calls) != 1 || calls[0].Operation != OpSearch || calls[0].Outcome != tt.wantOutcome || calls[0].InputTokens != 150 {
				t.Errorf("records = %+v", calls)
			}
			if b := f.body(0); b.ResponseFormat == nil || b.ResponseFormat.JSONSchema.Name != "vibe_search" || b.Messages[1].Content != q {
				t.Errorf("request = %+v", b)
			}
		})
	}
}

func TestParseQueryLLMOfflineWithoutAClient(t *testing.T) {
	a := NewAnalyzer(nil, AnalyzerOptions{})
	res, err := a.ParseQueryLLM(context.Background(), "punchy kick", "")
	if err != nil || res.Fallback != nil || !reflect.DeepEqual(res.Query, ParseQuery("punchy kick")) {
		t.Errorf("res = %+v, err = %v", res, err)
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"dusty jazzy chords around 85 bpm in a minor key, no vocals", "Am 85-95", "-", "no", "between 1 and", "c sharp", "a minor key"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := ParseQuery(s)
		if utf8.RuneCountInString(q.Text) > MaxQueryLen {
			t.Fatalf("text longer than %d runes", MaxQueryLen)
		}
		if q.BPMMin != nil && q.BPMMax != nil && *q.BPMMin > *q.BPMMax {
			t.Fatalf("bpm_min %v > bpm_max %v for %q", *q.BPMMin, *q.BPMMax, s)
		}
		if q.Key != "" && !slices.Contains(pitchClasses, q.Key) {
			t.Fatalf("key %q for %q", q.Key, s)
		}
		if len(q.Terms) > maxTerms {
			t.Fatalf("%d terms", len(q.Terms))
		}
		_ = Rank(q, candidates())
	})
}

func FuzzParseLLMQuery(f *testing.F) {
	f.Add(`{"bpm_min":null,"bpm_max":null,"bpm_target":85,"key":"A","scale":"minor","types":[],"categories":["melodic"],"exclude":[],"moods":[],"textures":["dusty"],"genres":["jazz"],"terms":[]}`)
	f.Add(`{}`)
	f.Fuzz(func(t *testing.T, s string) {
		q, err := parseLLMQuery(s)
		if err != nil {
			return
		}
		if err := q.validate(); err != nil {
			t.Fatalf("accepted %q but it does not validate: %v", s, err)
		}
		_ = Rank(q, candidates())
	})
}
