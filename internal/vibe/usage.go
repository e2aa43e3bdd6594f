package vibe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"
)

// Operations accounted separately in the usage reports.
const (
	OpVibe   = "vibe"
	OpSearch = "search"
)

// Outcomes of a call.
const (
	OutcomeOK        = "ok"
	OutcomeError     = "error"      // the provider failed or the call was cancelled
	OutcomeRefused   = "refused"    // the Guard refused it before anything was sent
	OutcomeBadOutput = "bad_output" // the model answered with something unusable
)

// Cost sources.
const (
	CostProvider   = "provider"    // usage.cost from the response
	CostPriceTable = "price_table" // tokens × PriceTable (an estimate)
)

// Call is one logical model call as recorded for usage accounting. A call that needed several
// HTTP attempts (retries after 429/5xx/timeouts) is ONE Call with the final outcome.
type Call struct {
	Time         time.Time     `json:"time"` // when the call started (UTC)
	Model        string        `json:"model"`
	Operation    string        `json:"operation"` // OpVibe | OpSearch
	SampleID     *int64        `json:"sample_id"`
	InputTokens  int64         `json:"input_tokens"`
	OutputTokens int64         `json:"output_tokens"`
	CostUSD      float64       `json:"cost_usd"`
	CostSource   string        `json:"cost_source"` // CostProvider | CostPriceTable | "" when nothing was spent
	Latency      time.Duration `json:"-"`
	Outcome      string        `json:"outcome"`
	Error        string        `json:"error,omitempty"`
}

// MarshalJSON adds latency_ms, the unit the API and the CSV export use.
func (c Call) MarshalJSON() ([]byte, error) {
	type plain Call
	return json.Marshal(struct {
		plain
		LatencyMS int64 `json:"latency_ms"`
	}{plain(c), c.Latency.Milliseconds()})
}

// UsageStore keeps the call records. Periods are calendar UTC: SpentThisMonth sums cost_usd of
// calls with MonthStart(now) ≤ time < the next month's start, TokensToday sums input+output
// tokens of calls with DayStart(now) ≤ time < the next day. Calls of every outcome count (a
// bad_output answer was still paid for).
type UsageStore interface {
	RecordCall(ctx context.Context, c Call) error
	SpentThisMonth(ctx context.Context, now time.Time) (usd float64, err error)
	TokensToday(ctx context.Context, now time.Time) (int64, error)
}

// MonthStart is the start of now's calendar month in UTC.
func MonthStart(now time.Time) time.Time {
	now = now.UTC()
	return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// DayStart is the start of now's day in UTC.
func DayStart(now time.Time) time.Time {
	now = now.UTC()
	return time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
}

// Budget limits spending. A zero limit allows nothing (set a large value to make a limit
// irrelevant); config defaults are $10 a month and 100 000 tokens a day.
type Budget struct {
	MonthlyUSD  float64
	DailyTokens int64
}

// Budget names used in BudgetError.
const (
	BudgetMonthlyUSD  = "monthly_usd"
	BudgetDailyTokens = "daily_tokens"
)

// BudgetError is a refusal by the Guard. It matches ErrBudget.
type BudgetError struct {
	Budget string  // BudgetMonthlyUSD | BudgetDailyTokens
	Limit  float64 // USD or tokens
	Used   float64 // recorded so far in the period, plus calls in flight
	Needed float64 // the estimate for the refused call
}

// Left is what remains of the budget (never negative).
func (e *BudgetError) Left() float64 { return max(e.Limit-e.Used, 0) }

func (e *BudgetError) Error() string {
	if e.Budget == BudgetMonthlyUSD {
		return fmt.Sprintf("monthly AI budget reached: $%.4f of $%.2f used this month, $%.4f left, this call needs up to $%.4f",
			e.Used, e.Limit, e.Left(), e.Needed)
	}
	return fmt.Sprintf("daily AI token budget reached: %.0f of %.0f tokens used today, %.0f left, this call needs up to %.0f",
		e.Used, e.Limit, e.Left(), e.Needed)
}

// Is makes a BudgetError match ErrBudget.
func (e *BudgetError) Is(target error) bool { return target == ErrBudget }

// Estimate is the most a call is expected to use, computed before it is sent.
type Estimate struct {
	InputTokens  int64
	OutputTokens int64
	CostUSD      float64
}

// Tokens is input plus output.
func (e Estimate) Tokens() int64 { return e.InputTokens + e.OutputTokens }

// GuardOptions configure a Guard.
type GuardOptions struct {
	Prices PriceTable       // default DefaultPrices()
	Now    func() time.Time // default time.Now
	// DefaultMaxTokens bounds the output estimate of requests without MaxTokens; default 1024.
	DefaultMaxTokens int
}

// Guard enforces the budgets and records every call exactly once. It checks each call BEFORE
// it is sent against an estimate (prompt length and max_tokens), and holds that estimate as a
// reservation while the call is in flight, so two concurrent calls cannot both pass a budget
// that only fits one. The reservation is released once the real usage is recorded.
//
// Reservations live in this process: replicas sharing one database can each pass the check for
// their own in-flight calls, so across N replicas the budget may be overshot by at most N−1
// calls' estimates.
type Guard struct {
	client Completer
	store  UsageStore
	budget Budget
	opt    GuardOptions

	mu             sync.Mutex
	reservedUSD    float64
	reservedTokens int64
}

// NewGuard wraps client with budget enforcement and accounting in store.
func NewGuard(client Completer, store UsageStore, b Budget, opt GuardOptions) *Guard {
	if opt.Prices == nil {
		opt.Prices = DefaultPrices()
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.DefaultMaxTokens <= 0 {
		opt.DefaultMaxTokens = 1024
	}
	return &Guard{client: client, store: store, budget: b, opt: opt}
}

// SetBudget changes the budgets (from the user's preferences); calls in flight keep their
// reservations.
func (g *Guard) SetBudget(b Budget) {
	g.mu.Lock()
	g.budget = b
	g.mu.Unlock()
}

// Online reports whether the guard has a client to call.
func (g *Guard) Online() bool { return g.client != nil }

// Estimate bounds a request's usage: about one token per three bytes of prompt and schema
// (real tokenizers average nearer four for English, so this errs high), a small overhead per
// message, and MaxTokens of output (the provider cannot exceed it).
func (g *Guard) Estimate(req Request) Estimate {
	var n int64 = 16
	for _, m := range req.Messages {
		n += int64(len(m.Content)+2)/3 + 8
	}
	if req.JSONSchema != nil {
		n += int64(len(req.JSONSchema.Schema)+2) / 3
	}
	out := int64(req.MaxTokens)
	if out <= 0 {
		out = int64(g.opt.DefaultMaxTokens)
	}
	p, _ := g.opt.Prices.Lookup(req.Model)
	return Estimate{InputTokens: n, OutputTokens: out, CostUSD: p.Cost(n, out)}
}

// CallInfo says what a call is for.
type CallInfo struct {
	Operation string // OpVibe | OpSearch
	SampleID  *int64
}

// Do makes one accounted call: it checks the budgets, sends req through the client (with its
// retries), runs check on the answer, records exactly one Call with the final outcome and
// returns the response. check (optional) validates the content; its error turns the outcome
// into bad_output and is returned wrapped in ErrBadOutput. A refusal is recorded with outcome
// refused and returned as a *BudgetError; nothing is sent.
func (g *Guard) Do(ctx context.Context, info CallInfo, req Request, check func(Response) error) (Response, error) {
	now := g.opt.Now().UTC()
	est := g.Estimate(req)
	call := Call{Time: now, Model: req.Model, Operation: info.Operation, SampleID: info.SampleID}
	// Records must survive the caller's cancellation: a cancelled call may still have been
	// charged, and a missing record would let the budget drift.
	rctx := context.WithoutCancel(ctx)

	if err := g.reserve(ctx, now, est); err != nil {
		var be *BudgetError
		if !errors.As(err, &be) {
			return Response{}, err
		}
		call.Outcome, call.Error = OutcomeRefused, be.Error()
		if rerr := g.store.RecordCall(rctx, call); rerr != nil {
			return Response{}, errors.Join(err, fmt.Errorf("record usage: %w", rerr))
		}
		return Response{}, err
	}

	resp, err := g.client.Complete(ctx, req)
	if err == nil && check != nil {
		if cerr := check(resp); cerr != nil {
			err = fmt.Errorf("%w: %w", ErrBadOutput, cerr)
		}
	}
	if resp.Model != "" {
		call.Model = resp.Model
	}
	call.InputTokens, call.OutputTokens, call.Latency = resp.InputTokens, resp.OutputTokens, resp.Latency
	switch {
	case resp.CostReported:
		call.CostUSD, call.CostSource = resp.CostUSD, CostProvider
	case resp.InputTokens+resp.OutputTokens > 0:
		p, _ := g.opt.Prices.Lookup(req.Model)
		call.CostUSD, call.CostSource = p.Cost(resp.InputTokens, resp.OutputTokens), CostPriceTable
	}
	switch {
	case err == nil:
		call.Outcome = OutcomeOK
	case errors.Is(err, ErrBadOutput):
		call.Outcome, call.Error = OutcomeBadOutput, err.Error()
	default:
		call.Outcome, call.Error = OutcomeError, err.Error()
	}
	if rerr := g.store.RecordCall(rctx, call); rerr != nil {
		// Keep the reservation: the spend is real even though the record is missing, and
		// holding it keeps this process from spending it twice.
		return resp, errors.Join(err, fmt.Errorf("record usage: %w", rerr))
	}
	g.release(est)
	return resp, err
}

// reserve checks the budgets against what is recorded plus what is in flight, and reserves est.
// The store is read under the lock so that a check and its reservation are atomic with respect
// to other calls in this process; Do records before it releases, so a call is never missing
// from both the store and the reservations.
func (g *Guard) reserve(ctx context.Context, now time.Time, est Estimate) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	usd, err := g.store.SpentThisMonth(ctx, now)
	if err != nil {
		return fmt.Errorf("read monthly spend: %w", err)
	}
	tokens, err := g.store.TokensToday(ctx, now)
	if err != nil {
		return fmt.Errorf("read daily tokens: %w", err)
	}
	if used := usd + g.reservedUSD; used+est.CostUSD > g.budget.MonthlyUSD {
		return &BudgetError{Budget: BudgetMonthlyUSD, Limit: g.budget.MonthlyUSD, Used: used, Needed: est.CostUSD}
	}
	if used := tokens + g.reservedTokens; used+est.Tokens() > g.budget.DailyTokens {
		return &BudgetError{Budget: BudgetDailyTokens, Limit: float64(g.budget.DailyTokens), Used: float64(used), Needed: float64(est.Tokens())}
	}
	g.reservedUSD += est.CostUSD
	g.reservedTokens += est.Tokens()
	return nil
}

func (g *Guard) release(est Estimate) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.reservedUSD -= est.CostUSD
	g.reservedTokens -= est.Tokens()
	if g.reservedTokens == 0 {
		g.reservedUSD = 0 // drop float residue once nothing is in flight
	}
}

// BudgetState is the budget picture for GET /api/v1/usage/budget.
type BudgetState struct {
	MonthlyUSD      float64   `json:"monthly_usd"`
	SpentUSD        float64   `json:"spent_usd"`
	RemainingUSD    float64   `json:"remaining_usd"`
	DailyTokens     int64     `json:"daily_tokens"`
	UsedTokens      int64     `json:"used_tokens"`
	RemainingTokens int64     `json:"remaining_tokens"`
	InFlightUSD     float64   `json:"in_flight_usd"`    // reserved by calls being made now
	InFlightTokens  int64     `json:"in_flight_tokens"` // reserved by calls being made now
	Exhausted       bool      `json:"exhausted"`        // true when either budget has nothing left
	MonthStart      time.Time `json:"month_start"`
	DayStart        time.Time `json:"day_start"`
}

// State reports spending against the budgets.
func (g *Guard) State(ctx context.Context) (BudgetState, error) {
	now := g.opt.Now()
	g.mu.Lock()
	defer g.mu.Unlock()
	usd, err := g.store.SpentThisMonth(ctx, now)
	if err != nil {
		return BudgetState{}, fmt.Errorf("read monthly spend: %w", err)
	}
	tokens, err := g.store.TokensToday(ctx, now)
	if err != nil {
		return BudgetState{}, fmt.Errorf("read daily tokens: %w", err)
	}
	s := BudgetState{
		MonthlyUSD: g.budget.MonthlyUSD, SpentUSD: usd, RemainingUSD: max(g.budget.MonthlyUSD-usd-g.reservedUSD, 0),
		DailyTokens: g.budget.DailyTokens, UsedTokens: tokens, RemainingTokens: max(g.budget.DailyTokens-tokens-g.reservedTokens, 0),
		InFlightUSD: g.reservedUSD, InFlightTokens: g.reservedTokens,
		MonthStart: MonthStart(now), DayStart: DayStart(now),
	}
	s.Exhausted = s.RemainingUSD <= 0 || s.RemainingTokens <= 0
	return s, nil
}

// MemoryUsage is an in-memory UsageStore for tests and for running without a database.
type MemoryUsage struct {
	mu    sync.Mutex
	calls []Call
}

// RecordCall appends c.
func (m *MemoryUsage) RecordCall(_ context.Context, c Call) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.calls = append(m.calls, c)
	return nil
}

// SpentThisMonth sums the cost of calls in now's UTC month.
func (m *MemoryUsage) SpentThisMonth(_ context.Context, now time.Time) (float64, error) {
	from := MonthStart(now)
	to := from.AddDate(0, 1, 0)
	var usd float64
	for _, c := range m.Calls() {
		if !c.Time.Before(from) && c.Time.Before(to) {
			usd += c.CostUSD
		}
	}
	return usd, nil
}

// TokensToday sums the tokens of calls in now's UTC day.
func (m *MemoryUsage) TokensToday(_ context.Context, now time.Time) (int64, error) {
	from := DayStart(now)
	to := from.AddDate(0, 0, 1)
	var n int64
	for _, c := range m.Calls() {
		if !c.Time.Before(from) && c.Time.Before(to) {
			n += c.InputTokens + c.OutputTokens
		}
	}
	return n, nil
}

// Calls returns a copy of the records in the order they were made.
func (m *MemoryUsage) Calls() []Call {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.calls)
}
