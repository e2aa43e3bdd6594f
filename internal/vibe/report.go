package vibe

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"
)

// UsageReader lists recorded calls for the usage pages. The month of one installation holds at
// most a few thousand calls, so reports are computed in Go from the rows (Summarize, Daily,
// WriteCSV) and the store only needs these two queries.
type UsageReader interface {
	// CallsBetween returns calls with from ≤ time < to, oldest first.
	CallsBetween(ctx context.Context, from, to time.Time) ([]Call, error)
	// RecentCalls returns the newest calls first, at most limit.
	RecentCalls(ctx context.Context, limit int) ([]Call, error)
}

// Totals adds up calls.
type Totals struct {
	Calls        int     `json:"calls"`
	InputTokens  int64   `json:"input_tokens"`
	OutputTokens int64   `json:"output_tokens"`
	CostUSD      float64 `json:"cost_usd"`
	OK           int     `json:"ok"`
	Errors       int     `json:"errors"`
	Refused      int     `json:"refused"`
	BadOutput    int     `json:"bad_output"`
}

func (t *Totals) add(c Call) {
	t.Calls++
	t.InputTokens += c.InputTokens
	t.OutputTokens += c.OutputTokens
	t.CostUSD += c.CostUSD
	switch c.Outcome {
	case OutcomeOK:
		t.OK++
	case OutcomeRefused:
		t.Refused++
	case OutcomeBadOutput:
		t.BadOutput++
	default:
		t.Errors++
	}
}

// Summary is the body of GET /api/v1/usage/summary (with the budget state added by the caller).
type Summary struct {
	From        time.Time         `json:"from"`
	To          time.Time         `json:"to"`
	Total       Totals            `json:"total"`
	ByModel     map[string]Totals `json:"by_model"`
	ByOperation map[string]Totals `json:"by_operation"`
}

// Summarize totals calls with from ≤ time < to, overall, by model and by operation.
func Summarize(calls []Call, from, to time.Time) Summary {
	s := Summary{From: from, To: to, ByModel: map[string]Totals{}, ByOperation: map[string]Totals{}}
	for _, c := range calls {
		if c.Time.Before(from) || !c.Time.Before(to) {
			continue
		}
		s.Total.add(c)
		m := s.ByModel[c.Model]
		m.add(c)
		s.ByModel[c.Model] = m
		o := s.ByOperation[c.Operation]
		o.add(c)
		s.ByOperation[c.Operation] = o
	}
	return s
}

// Day is one row of GET /api/v1/usage/daily.
type Day struct {
	Date string `json:"date"` // YYYY-MM-DD, UTC
	Totals
}

// Daily totals calls per UTC day from from's day up to (excluding) to, including days without
// calls so charts have no gaps.
func Daily(calls []Call, from, to time.Time) []Day {
	byDate := map[string]*Day{}
	var out []Day
	for d := DayStart(from); d.Before(to); d = d.AddDate(0, 0, 1) {
		out = append(out, Day{Date: d.Format(time.DateOnly)})
	}
	for i := range out {
		byDate[out[i].Date] = &out[i]
	}
	for _, c := range calls {
		if d, ok := byDate[c.Time.UTC().Format(time.DateOnly)]; ok && !c.Time.Before(from) && c.Time.Before(to) {
			d.add(c)
		}
	}
	return out
}

// csvHeader is the column order of the usage CSV export.
var csvHeader = []string{"time", "model", "operation", "sample_id", "input_tokens", "output_tokens",
	"cost_usd", "cost_source", "latency_ms", "outcome", "error"}

// WriteCSV writes calls as CSV with a header row (GET /api/v1/usage/export). Text fields
// starting with = + - @ are prefixed with ' so spreadsheets do not run them as formulas.
func WriteCSV(w io.Writer, calls []Call) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(csvHeader); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	for _, c := range calls {
		id := ""
		if c.SampleID != nil {
			id = strconv.FormatInt(*c.SampleID, 10)
		}
		row := []string{
			c.Time.UTC().Format(time.RFC3339), c.Model, c.Operation, id,
			strconv.FormatInt(c.InputTokens, 10), strconv.FormatInt(c.OutputTokens, 10),
			strconv.FormatFloat(c.CostUSD, 'f', -1, 64), c.CostSource,
			strconv.FormatInt(c.Latency.Milliseconds(), 10), c.Outcome, c.Error,
		}
		for _, i := range []int{1, 2, 7, 9, 10} { // the free-text columns
			if f := row[i]; f != "" && (f[0] == '=' || f[0] == '+' || f[0] == '-' || f[0] == '@') {
				row[i] = "'" + f
			}
		}
		if err := cw.Write(row); err != nil {
			return fmt.Errorf("write csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv: %w", err)
	}
	return nil
}

// CallsBetween returns the calls with from ≤ time < to, oldest first.
func (m *MemoryUsage) CallsBetween(_ context.Context, from, to time.Time) ([]Call, error) {
	var out []Call
	for _, c := range m.Calls() {
		if !c.Time.Before(from) && c.Time.Before(to) {
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(a, b Call) int { return a.Time.Compare(b.Time) })
	return out, nil
}

// RecentCalls returns the newest calls first, at most limit.
func (m *MemoryUsage) RecentCalls(_ context.Context, limit int) ([]Call, error) {
	out := m.Calls()
	slices.SortStableFunc(out, func(a, b Call) int { return b.Time.Compare(a.Time) })
	if limit >= 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}
