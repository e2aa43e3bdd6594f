package vibe

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

var roomyBudget = Budget{MonthlyUSD: 100, DailyTokens: 1_000_000}

func probeRequest(model string) Request {
	return Request{Model: model, Messages: []Message{{Role: "user", Content: "describe a kick"}}, MaxTokens: 100}
}

func TestGuardRecordsOneCallPerLogicalRequestThroughRetries(t *testing.T) {
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		if n < 2 {
			apiError(w, http.StatusTooManyRequests, "1")
			return
		}
		completion(w, body.Model, "{}", 200, 50, 0.0003)
	})
	c, _ := newTestClient(f, Options{})
	store := &MemoryUsage{}
	g := NewGuard(c, store, roomyBudget, GuardOptions{Now: fixedNow})
	id := int64(42)
	if _, err := g.Do(context.Background(), CallInfo{Operation: OpVibe, SampleID: &id}, probeRequest("m"), nil); err != nil {
		t.Fatal(err)
	}
	calls := store.Calls()
	if f.requests() != 3 || len(calls) != 1 {
		t.Fatalf("requests = %d, records = %d; want 3 HTTP requests and 1 record", f.requests(), len(calls))
	}
	got := calls[0]
	if got.Outcome != OutcomeOK || got.Operation != OpVibe || got.SampleID == nil || *got.SampleID != 42 ||
		got.InputTokens != 200 || got.OutputTokens != 50 || got.CostUSD != 0.0003 || got.CostSource != CostProvider ||
		!got.Time.Equal(testNow) || got.Model != "m" {
		t.Errorf("record = %+v", got)
	}
}

func TestGuardRecordsAFailedCallOnceWithOutcomeError(t *testing.T) {
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		apiError(w, http.StatusServiceUnavailable, "")
	})
	c, _ := newTestClient(f, Options{MaxRetries: 2})
	store := &MemoryUsage{}
	g := NewGuard(c, store, roomyBudget, GuardOptions{Now: fixedNow})
	_, err := g.Do(context.Background(), CallInfo{Operation: OpSearch}, probeRequest("m"), nil)
	calls := store.Calls()
	if !errors.Is(err, ErrUnavailable) || len(calls) != 1 || calls[0].Outcome != OutcomeError ||
		!strings.Contains(calls[0].Error, "503") || f.requests() != 3 {
		t.Errorf("err = %v, records = %+v, requests = %d", err, calls, f.requests())
	}
}

func TestGuardCostsFromProviderOrPriceTable(t *testing.T) {
	tests := []struct {
		name       string
		model      string
		cost       float64 // < 0: the provider does not report it
		wantCost   float64
		wantSource string
	}{
		{"provider cost wins", "openai/gpt-4o-mini", 0.0123, 0.0123, CostProvider},
		{"price table when the provider is silent", "openai/gpt-4o-mini", -1, (1000*0.15 + 500*0.60) / 1e6, CostPriceTable},
		{"fallback price for an unknown model", "acme/unknown-model", -1, (1000*1.00 + 500*3.00) / 1e6, CostPriceTable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
				completion(w, body.Model, "{}", 1000, 500, tt.cost)
			})
			c, _ := newTestClient(f, Options{})
			store := &MemoryUsage{}
			g := NewGuard(c, store, roomyBudget, GuardOptions{Now: fixedNow})
			if _, err := g.Do(context.Background(), CallInfo{Operation: OpVibe}, probeRequest(tt.model), nil); err != nil {
				t.Fatal(err)
			}
			got := store.Calls()[0]
			if math.Abs(got.CostUSD-tt.wantCost) > 1e-12 || got.CostSource != tt.wantSource {
				t.Errorf("cost = %v (%s), want %v (%s)", got.CostUSD, got.CostSource, tt.wantCost, tt.wantSource)
			}
		})
	}
}

func TestGuardRefusesBeforeCalling(t *testing.T) {
	tests := []struct {
		name       string
		budget     Budget
		prior      []Call
		wantBudget string
		wantInMsg  string
	}{
		{
			name:       "daily tokens used up",
			budget:     Budget{MonthlyUSD: 100, DailyTokens: 1000},
			prior:      []Call{{Time: testNow.Add(-time.Hour), InputTokens: 800, OutputTokens: 150, Outcome: OutcomeOK}},
			wantBudget: BudgetDailyTokens, wantInMsg: "950 of 1000 tokens used today, 50 left",
		},
		{
			name:       "monthly dollars used up",
			budget:     Budget{MonthlyUSD: 1, DailyTokens: 1_000_000},
			prior:      []Call{{Time: testNow.AddDate(0, 0, -20), CostUSD: 0.99999, Outcome: OutcomeOK}},
			wantBudget: BudgetMonthlyUSD, wantInMsg: "$0.0000 left",
		},
		{
			name:       "a zero budget allows nothing",
			budget:     Budget{MonthlyUSD: 0, DailyTokens: 1_000_000},
			wantBudget: BudgetMonthlyUSD, wantInMsg: "monthly AI budget reached",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
				completion(w, body.Model, "{}", 1, 1, 0)
			})
			c, _ := newTestClient(f, Options{})
			store := &MemoryUsage{}
			for _, p := range tt.prior {
				_ = store.RecordCall(context.Background(), p)
			}
			g := NewGuard(c, store, tt.budget, GuardOptions{Now: fixedNow})
			_, err := g.Do(context.Background(), CallInfo{Operation: OpVibe}, probeRequest("openai/gpt-4o-mini"), nil)
			var be *BudgetError
			if !errors.Is(err, ErrBudget) || !errors.As(err, &be) || be.Budget != tt.wantBudget {
				t.Fatalf("err = %v, want a %s BudgetError", err, tt.wantBudget)
			}
			if !strings.Contains(err.Error(), tt.wantInMsg) {
				t.Errorf("message %q does not say %q", err, tt.wantInMsg)
			}
			if f.requests() != 0 {
				t.Errorf("the fake saw %d requests, want none", f.requests())
			}
			calls := store.Calls()
			last := calls[len(calls)-1]
			if len(calls) != len(tt.prior)+1 || last.Outcome != OutcomeRefused || last.Error != err.Error() || last.InputTokens != 0 {
				t.Errorf("records = %+v", calls)
			}
		})
	}
}

func TestGuardCountsOnlyThisMonthAndToday(t *testing.T) {
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		completion(w, body.Model, "{}", 1, 1, 0)
	})
	c, _ := newTestClient(f, Options{})
	store := &MemoryUsage{}
	// Last month's dollars and yesterday's tokens are spent budgets of other periods.
	_ = store.RecordCall(context.Background(), Call{Time: MonthStart(testNow).Add(-time.Second), CostUSD: 1000})
	_ = store.RecordCall(context.Background(), Call{Time: DayStart(testNow).Add(-time.Second), InputTokens: 1_000_000})
	g := NewGuard(c, store, Budget{MonthlyUSD: 1, DailyTokens: 10_000}, GuardOptions{Now: fixedNow})
	if _, err := g.Do(context.Background(), CallInfo{Operation: OpVibe}, probeRequest("m"), nil); err != nil {
		t.Fatalf("err = %v, want the call allowed", err)
	}
	st, err := g.State(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.UsedTokens != 2 || st.SpentUSD != 0 || st.InFlightTokens != 0 || st.Exhausted ||
		!st.MonthStart.Equal(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("state = %+v", st)
	}
}

// TestGuardBatchStopsExactlyWhereTheBudgetEnds runs ten concurrent analyses against budgets
// that fit three calls' estimates. The fake holds every request until all ten have been either
// sent or refused, so the three that pass hold their reservations while the others check.
func TestGuardBatchStopsExactlyWhereTheBudgetEnds(t *testing.T) {
	const batch, affordable = 10, 3
	in := rhodesInput()
	model := "openai/gpt-4o-mini"
	// The estimate of one analysis, from the same code path the analyzer uses.
	probe := NewAnalyzer(nil, AnalyzerOptions{Model: model})
	est := NewGuard(nil, &MemoryUsage{}, Budget{}, GuardOptions{}).Estimate(probe.vibeRequest(model, in, Offline(in)))

	budgets := map[string]Budget{
		"daily tokens": {MonthlyUSD: 100, DailyTokens: affordable*est.Tokens() + est.Tokens()/2},
		"monthly usd":  {MonthlyUSD: (affordable + 0.5) * est.CostUSD, DailyTokens: 1_000_000},
	}
	for name, budget := range budgets {
		t.Run(name, func(t *testing.T) {
			gate := make(chan struct{})
			f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
				<-gate
				// Real usage below the estimate, as the estimate is an upper bound.
				completion(w, body.Model, validVibeJSON, est.InputTokens/2, 60, -1)
			})
			c, _ := newTestClient(f, Options{MaxConcurrent: batch})
			store := &MemoryUsage{}
			a := NewAnalyzer(NewGuard(c, store, budget, GuardOptions{Now: fixedNow}), AnalyzerOptions{Model: model})

			results := make([]Result, batch)
			var wg sync.WaitGroup
			for i := range batch {
				wg.Go(func() {
					r, err := a.Analyze(context.Background(), AnalyzeRequest{SampleID: int64(i + 1), Input: in}, nil)
					if err != nil {
						t.Error(err)
					}
					results[i] = r
				})
			}
			deadline := time.Now().Add(5 * time.Second)
			for {
				refused := 0
				for _, c := range store.Calls() {
					if c.Outcome == OutcomeRefused {
						refused++
					}
				}
				if refused+int(f.inFlight.Load()) == batch || time.Now().After(deadline) {
					break
				}
				time.Sleep(time.Millisecond)
			}
			close(gate)
			wg.Wait()

			var ok, refused int
			for _, r := range results {
				switch {
				case r.Fallback == nil && r.Vibe.Model != "":
					ok++
				case errors.Is(r.Fallback, ErrBudget):
					refused++
				default:
					t.Errorf("unexpected result %+v", r)
				}
			}
			if ok != affordable || refused != batch-affordable || f.requests() != affordable {
				t.Errorf("ok = %d, refused = %d, requests = %d; want %d, %d, %d", ok, refused, f.requests(), affordable, batch-affordable, affordable)
			}
			calls := store.Calls()
			var tokens int64
			var usd float64
			for _, c := range calls {
				tokens += c.InputTokens + c.OutputTokens
				usd += c.CostUSD
			}
			if len(calls) != batch || tokens > budget.DailyTokens || usd > budget.MonthlyUSD {
				t.Errorf("records = %d, tokens = %d (budget %d), usd = %v (budget %v)", len(calls), tokens, budget.DailyTokens, usd, budget.MonthlyUSD)
			}
		})
	}
}

func TestGuardKeepsTheReservationWhenRecordingFails(t *testing.T) {
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		completion(w, body.Model, "{}", 10, 10, 0.001)
	})
	c, _ := newTestClient(f, Options{})
	store := &failingStore{}
	g := NewGuard(c, store, roomyBudget, GuardOptions{Now: fixedNow})
	_, err := g.Do(context.Background(), CallInfo{Operation: OpVibe}, probeRequest("m"), nil)
	if err == nil || !strings.Contains(err.Error(), "record usage") {
		t.Fatalf("err = %v, want a record usage error", err)
	}
	if st, _ := g.State(context.Background()); st.InFlightTokens == 0 {
		t.Errorf("reservation released although the spend was not recorded: %+v", st)
	}
}

type failingStore struct{ MemoryUsage }

func (s *failingStore) RecordCall(context.Context, Call) error { return errors.New("disk full") }

func TestCallJSONCarriesLatencyInMilliseconds(t *testing.T) {
	id := int64(7)
	b, err := json.Marshal(Call{Time: testNow, Model: "m", Operation: OpVibe, SampleID: &id, Latency: 1234 * time.Millisecond, Outcome: OutcomeOK})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if m["latency_ms"] != float64(1234) || m["sample_id"] != float64(7) || m["outcome"] != "ok" {
		t.Errorf("json = %s", b)
	}
}
