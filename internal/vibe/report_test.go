package vibe

import (
	"bytes"
	"context"
	"encoding/csv"
	"testing"
	"time"
)

func reportCalls() []Call {
	id := int64(5)
	return []Call{
		{Time: testNow.AddDate(0, -1, 0), Model: "a", Operation: OpVibe, InputTokens: 999, CostUSD: 9, Outcome: OutcomeOK},
		{Time: testNow.Add(-26 * time.Hour), Model: "a", Operation: OpVibe, SampleID: &id, InputTokens: 100, OutputTokens: 20, CostUSD: 0.001, Outcome: OutcomeOK, Latency: 800 * time.Millisecond},
		{Time: testNow.Add(-time.Hour), Model: "b", Operation: OpSearch, InputTokens: 50, OutputTokens: 10, CostUSD: 0.0005, Outcome: OutcomeBadOutput},
		{Time: testNow, Model: "a", Operation: OpVibe, Outcome: OutcomeRefused, Error: "=monthly AI budget reached"},
	}
}

func TestSummarizeTotalsTheMonthByModelAndOperation(t *testing.T) {
	s := Summarize(reportCalls(), MonthStart(testNow), MonthStart(testNow).AddDate(0, 1, 0))
	if s.Total.Calls != 3 || s.Total.InputTokens != 150 || s.Total.OK != 1 || s.Total.BadOutput != 1 || s.Total.Refused != 1 {
		t.Errorf("total = %+v", s.Total)
	}
	if a := s.ByModel["a"]; a.Calls != 2 || a.CostUSD != 0.001 {
		t.Errorf("by model a = %+v", a)
	}
	if o := s.ByOperation[OpSearch]; o.Calls != 1 || o.OutputTokens != 10 {
		t.Errorf("by operation search = %+v", o)
	}
}

func TestDailyHasEveryDayInTheRange(t *testing.T) {
	days := Daily(reportCalls(), DayStart(testNow).AddDate(0, 0, -2), DayStart(testNow).AddDate(0, 0, 1))
	if len(days) != 3 || days[0].Date != "2026-11-24" || days[0].Calls != 0 ||
		days[1].Date != "2026-11-25" || days[1].Calls != 1 || days[2].Calls != 2 {
		t.Errorf("days = %+v", days)
	}
}

func TestWriteCSVDefusesFormulas(t *testing.T) {
	var b bytes.Buffer
	if err := WriteCSV(&b, reportCalls()[1:]); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 || rows[0][0] != "time" || rows[1][3] != "5" || rows[1][8] != "800" || rows[3][10] != "'=monthly AI budget reached" {
		t.Errorf("rows = %q", rows)
	}
}

func TestMemoryUsageListsCalls(t *testing.T) {
	m := &MemoryUsage{}
	for _, c := range reportCalls() {
		_ = m.RecordCall(context.Background(), c)
	}
	between, _ := m.CallsBetween(context.Background(), DayStart(testNow), DayStart(testNow).AddDate(0, 0, 1))
	recent, _ := m.RecentCalls(context.Background(), 2)
	if len(between) != 2 || !between[0].Time.Before(between[1].Time) {
		t.Errorf("between = %+v", between)
	}
	if len(recent) != 2 || !recent[0].Time.Equal(testNow) || recent[1].Model != "b" {
		t.Errorf("recent = %+v", recent)
	}
}
