package vibe

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/sp404agent/sp404agent/internal/analysis"
)

func f64(v float64) *float64 { return &v }

// rhodesInput is a dusty minor-key keys loop.
func rhodesInput() Input {
	return Input{
		Name: "dusty_rhodes_85bpm_Am.wav", Folder: "Crates/Soul Keys", Tags: []string{"keys"},
		Type: analysis.TypeLoop, Category: analysis.CategoryMelodic, BPM: f64(85), Key: "A", Scale: "minor",
		LoudnessLUFS: f64(-16), TruePeakDBTP: f64(-3),
		Spectral:  &analysis.Spectral{CentroidHz: 900, RolloffHz: 4200, Flatness: 0.12, Brightness: 0.15},
		DurationS: 11.3, OnsetRate: f64(2.5),
	}
}

type step struct {
	name     string
	progress int
	partial  Vibe
}

func recordSteps() (*[]step, ProgressFunc) {
	var steps []step
	return &steps, func(s string, p int, v Vibe) { steps = append(steps, step{s, p, v}) }
}

func stepNames(steps []step) []string {
	var out []string
	for _, s := range steps {
		out = append(out, s.name)
	}
	return out
}

func TestAnalyzeOfflineWithoutAClient(t *testing.T) {
	a := NewAnalyzer(nil, AnalyzerOptions{Model: "m"})
	steps, progress := recordSteps()
	res, err := a.Analyze(context.Background(), AnalyzeRequest{SampleID: 1, Input: rhodesInput()}, progress)
	if err != nil || res.Fallback != nil {
		t.Fatalf("err = %v, fallback = %v", err, res.Fallback)
	}
	if want := Offline(rhodesInput()); !reflect.DeepEqual(res.Vibe, want) {
		t.Errorf("vibe = %+v, want the offline one %+v", res.Vibe, want)
	}
	if got := stepNames(*steps); !slices.Equal(got, []string{StepFeaturesLoaded, StepOfflineVibe}) {
		t.Errorf("steps = %v", got)
	}
	if a.Online() {
		t.Error("Online() = true without a guard")
	}
}

func TestAnalyzeMergesTheModelsAnswer(t *testing.T) {
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		completion(w, "served/model", validVibeJSON, 700, 90, 0.0002)
	})
	c, _ := newTestClient(f, Options{})
	store := &MemoryUsage{}
	a := NewAnalyzer(NewGuard(c, store, roomyBudget, GuardOptions{Now: fixedNow}), AnalyzerOptions{Model: "default/model"})
	steps, progress := recordSteps()
	res, err := a.Analyze(context.Background(), AnalyzeRequest{SampleID: 9, Input: rhodesInput(), Model: "pref/model"}, progress)
	if err != nil || res.Fallback != nil {
		t.Fatalf("err = %v, fallback = %v", err, res.Fallback)
	}
	v := res.Vibe
	if v.MoodPrimary != "nostalgic" || v.Era != "1970s" || !slices.Equal(v.Genres, []string{"soul", "jazz"}) ||
		v.Confidence != 0.8 || v.Model != "served/model" {
		t.Errorf("vibe = %+v", v)
	}
	for _, field := range Fields {
		if v.Sources[field] != SourceLLM {
			t.Errorf("source of %s = %q, want llm", field, v.Sources[field])
		}
	}
	if err := v.Validate(); err != nil {
		t.Error(err)
	}
	wantSteps := []string{StepFeaturesLoaded, StepOfflineVibe, StepLLMRequest}
	if got := stepNames(*steps); !slices.Equal(got, wantSteps) {
		t.Errorf("steps = %v, want %v", got, wantSteps)
	}
	if last := (*steps)[2]; last.progress != ProgressLLMRequest || !reflect.DeepEqual(last.partial, v) {
		t.Errorf("last step = %+v", last)
	}

	// The request: the preferred model, the schema, and the sample as JSON data.
	b := f.body(0)
	if b.Model != "pref/model" || b.ResponseFormat == nil || b.ResponseFormat.JSONSchema.Name != "sample_vibe" {
		t.Errorf("request = %+v", b)
	}
	var schema struct {
		Required             []string `json:"required"`
		AdditionalProperties bool     `json:"additionalProperties"`
	}
	if err := json.Unmarshal(b.ResponseFormat.JSONSchema.Schema, &schema); err != nil || !slices.Equal(schema.Required, Fields) || schema.AdditionalProperties {
		t.Errorf("schema = %+v, %v", schema, err)
	}
	var user vibePrompt
	if err := json.Unmarshal([]byte(b.Messages[1].Content), &user); err != nil || user.FileName != "dusty_rhodes_85bpm_Am.wav" || *user.BPM != 85 {
		t.Errorf("user message = %s (%v)", b.Messages[1].Content, err)
	}
	calls := store.Calls()
	if len(calls) != 1 || calls[0].Outcome != OutcomeOK || *calls[0].SampleID != 9 || calls[0].Operation != OpVibe {
		t.Errorf("records = %+v", calls)
	}
}

func TestAnalyzeKeepsOfflineListsTheModelLeftEmpty(t *testing.T) {
	answer := `{"mood_primary":"calm","mood_secondary":"dreamy","energy":0.2,"danceability":0.3,"texture":[],
"era":"unknown","genres":[],"descriptors":[],"best_use":[],"confidence":0.5}`
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		completion(w, body.Model, answer, 10, 10, -1)
	})
	c, _ := newTestClient(f, Options{})
	a := NewAnalyzer(NewGuard(c, &MemoryUsage{}, roomyBudget, GuardOptions{Now: fixedNow}), AnalyzerOptions{Model: "m"})
	res, _ := a.Analyze(context.Background(), AnalyzeRequest{Input: rhodesInput()}, nil)
	off := Offline(rhodesInput())
	if !slices.Equal(res.Vibe.BestUse, off.BestUse) || res.Vibe.Sources[FieldBestUse] != SourceAudio ||
		res.Vibe.MoodPrimary != "calm" || res.Vibe.Sources[FieldMoodPrimary] != SourceLLM {
		t.Errorf("vibe = %+v", res.Vibe)
	}
}

func TestAnalyzeFallsBackToOfflineOnBadOutput(t *testing.T) {
	replace := func(old, new string) string { return strings.Replace(validVibeJSON, old, new, 1) }
	tests := []struct{ name, content string }{
		{"not JSON", `{"mood_primary": "calm", oops`},
		{"prose around the JSON", "Here you go: " + validVibeJSON},
		{"text after the JSON", validVibeJSON + " hope this helps"},
		{"unknown field", replace(`"confidence":0.8`, `"confidence":0.8,"bpm":85`)},
		{"missing field", replace(`"era":"1970s",`, ``)},
		{"energy out of range", replace(`"energy":0.35`, `"energy":1.5`)},
		{"mood outside the vocabulary", replace(`"nostalgic"`, `"vibey"`)},
		{"texture outside the vocabulary", replace(`"dusty"`, `"sparkly"`)},
		{"era outside the enum", replace(`"1970s"`, `"the future"`)},
		{"markup in best use", replace(`"chop for a lo-fi loop"`, `"<script>alert(1)</script>"`)},
		{"too many genres", replace(`["soul","jazz"]`, `["soul","jazz","funk","disco","house"]`)},
		{"wrong type", replace(`"energy":0.35`, `"energy":"high"`)},
		{"empty answer", ``},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
				completion(w, body.Model, tt.content, 500, 80, 0.0001)
			})
			c, _ := newTestClient(f, Options{})
			store := &MemoryUsage{}
			a := NewAnalyzer(NewGuard(c, store, roomyBudget, GuardOptions{Now: fixedNow}), AnalyzerOptions{Model: "m"})
			steps, progress := recordSteps()
			res, err := a.Analyze(context.Background(), AnalyzeRequest{SampleID: 3, Input: rhodesInput()}, progress)
			if err != nil {
				t.Fatal(err)
			}
			if !errors.Is(res.Fallback, ErrBadOutput) {
				t.Errorf("fallback = %v, want ErrBadOutput", res.Fallback)
			}
			if !reflect.DeepEqual(res.Vibe, Offline(rhodesInput())) {
				t.Errorf("vibe = %+v, want the offline vibe", res.Vibe)
			}
			calls := store.Calls()
			if len(calls) != 1 || calls[0].Outcome != OutcomeBadOutput || calls[0].InputTokens != 500 || calls[0].CostUSD != 0.0001 {
				t.Errorf("records = %+v, want one bad_output call with its usage", calls)
			}
			if f.requests() != 1 {
				t.Errorf("requests = %d: bad output must not be retried", f.requests())
			}
			if got := stepNames(*steps); len(got) != 3 || got[2] != StepLLMRequest {
				t.Errorf("steps = %v", got)
			}
		})
	}
}

func TestAnalyzeFallsBackWhenTheProviderIsDown(t *testing.T) {
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		apiError(w, http.StatusBadGateway, "")
	})
	c, _ := newTestClient(f, Options{MaxRetries: 1})
	store := &MemoryUsage{}
	a := NewAnalyzer(NewGuard(c, store, roomyBudget, GuardOptions{Now: fixedNow}), AnalyzerOptions{Model: "m"})
	res, err := a.Analyze(context.Background(), AnalyzeRequest{Input: rhodesInput()}, nil)
	if err != nil || !errors.Is(res.Fallback, ErrUnavailable) || res.Vibe.Model != "" {
		t.Errorf("err = %v, result = %+v", err, res)
	}
	if calls := store.Calls(); len(calls) != 1 || calls[0].Outcome != OutcomeError || calls[0].SampleID != nil {
		t.Errorf("records = %+v", calls)
	}
}

func TestAnalyzeOverBudgetSendsNothingAndReportsNoRequestStep(t *testing.T) {
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		completion(w, body.Model, validVibeJSON, 1, 1, 0)
	})
	c, _ := newTestClient(f, Options{})
	a := NewAnalyzer(NewGuard(c, &MemoryUsage{}, Budget{MonthlyUSD: 10, DailyTokens: 10}, GuardOptions{Now: fixedNow}), AnalyzerOptions{Model: "m"})
	steps, progress := recordSteps()
	res, err := a.Analyze(context.Background(), AnalyzeRequest{Input: rhodesInput()}, progress)
	if err != nil || !errors.Is(res.Fallback, ErrBudget) || !strings.Contains(res.Fallback.Error(), "daily AI token budget") {
		t.Errorf("err = %v, fallback = %v", err, res.Fallback)
	}
	if got := stepNames(*steps); !slices.Equal(got, []string{StepFeaturesLoaded, StepOfflineVibe}) || f.requests() != 0 {
		t.Errorf("steps = %v, requests = %d", got, f.requests())
	}
}

func TestAnalyzeReturnsTheCallersCancellation(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		cancel()
		<-r.Context().Done()
	})
	c, _ := newTestClient(f, Options{})
	store := &MemoryUsage{}
	a := NewAnalyzer(NewGuard(c, store, roomyBudget, GuardOptions{Now: fixedNow}), AnalyzerOptions{Model: "m"})
	_, err := a.Analyze(ctx, AnalyzeRequest{Input: rhodesInput()}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	// The abandoned call is still accounted, once.
	if calls := store.Calls(); len(calls) != 1 || calls[0].Outcome != OutcomeError {
		t.Errorf("records = %+v", calls)
	}
}

func FuzzParseLLMVibe(f *testing.F) {
	f.Add(validVibeJSON)
	f.Add(`{}`)
	f.Add(`{"mood_primary":null}`)
	f.Add(`[1,2,3]`)
	f.Fuzz(func(t *testing.T, s string) {
		l, err := parseLLMVibe(s)
		if err != nil {
			return
		}
		v := merge(Offline(Input{}), l, "m")
		if err := v.Validate(); err != nil {
			t.Fatalf("accepted answer %q merges into an invalid vibe: %v", s, err)
		}
	})
}
