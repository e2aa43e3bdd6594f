package vibe

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

func TestClientSendsStructuredOutputRequestAndReadsUsage(t *testing.T) {
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		completion(w, "meta-llama/llama-3.1-8b-instruct-served", `{"ok":true}`, 120, 30, 0.00042)
	})
	clock := []time.Time{testNow, testNow.Add(1500 * time.Millisecond)}
	var ticks int
	c, _ := newTestClient(f, Options{APIKey: "sk-test", Now: func() time.Time {
		tm := clock[min(ticks, len(clock)-1)]
		ticks++
		return tm
	}})
	schema := json.RawMessage(`{"type":"object","properties":{"ok":{"type":"boolean"}},"required":["ok"],"additionalProperties":false}`)
	resp, err := c.Complete(context.Background(), Request{
		Model:      "meta-llama/llama-3.1-8b-instruct",
		Messages:   []Message{{Role: "user", Content: "hi"}},
		JSONSchema: &JSONSchema{Name: "probe", Schema: schema},
		MaxTokens:  50,
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Content != `{"ok":true}` || resp.InputTokens != 120 || resp.OutputTokens != 30 ||
		!resp.CostReported || resp.CostUSD != 0.00042 || resp.Model != "meta-llama/llama-3.1-8b-instruct-served" ||
		resp.Attempts != 1 || resp.Latency != 1500*time.Millisecond {
		t.Errorf("response = %+v", resp)
	}
	b := f.body(0)
	if b.Model != "meta-llama/llama-3.1-8b-instruct" || b.MaxTokens != 50 || len(b.Messages) != 1 {
		t.Errorf("body = %+v", b)
	}
	if b.ResponseFormat == nil || b.ResponseFormat.Type != "json_schema" || !b.ResponseFormat.JSONSchema.Strict ||
		b.ResponseFormat.JSONSchema.Name != "probe" || string(b.ResponseFormat.JSONSchema.Schema) != string(schema) {
		t.Errorf("response_format = %+v", b.ResponseFormat)
	}
	if !b.Usage.Include || b.Provider == nil || !b.Provider.RequireParameters {
		t.Errorf("usage/provider = %+v %+v", b.Usage, b.Provider)
	}
	if got := f.header(0).Get("Authorization"); got != "Bearer sk-test" {
		t.Errorf("Authorization = %q", got)
	}
}

func TestClientHonoursRetryAfterThroughA429Storm(t *testing.T) {
	date := testNow.Add(5 * time.Second).Format(http.TimeFormat)
	retryAfter := []string{"1", "3", date}
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		if n < len(retryAfter) {
			apiError(w, http.StatusTooManyRequests, retryAfter[n])
			return
		}
		completion(w, body.Model, "{}", 10, 2, -1)
	})
	c, sr := newTestClient(f, Options{Now: fixedNow, MaxRetries: 3})
	resp, err := c.Complete(context.Background(), Request{Model: "m", Messages: []Message{{Role: "user", Content: "x"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{time.Second, 3 * time.Second, 5 * time.Second}
	if got := sr.all(); !slices.Equal(got, want) {
		t.Errorf("waits = %v, want %v", got, want)
	}
	if resp.Attempts != 4 || f.requests() != 4 {
		t.Errorf("attempts = %d, requests = %d, want 4", resp.Attempts, f.requests())
	}
}

func TestClientGivesUpAfterMaxAttempts(t *testing.T) {
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		apiError(w, http.StatusTooManyRequests, "2")
	})
	c, sr := newTestClient(f, Options{MaxRetries: 2})
	_, err := c.Complete(context.Background(), Request{Model: "m"})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Status != 429 || apiErr.RetryAfter != 2*time.Second {
		t.Errorf("err = %#v", err)
	}
	if f.requests() != 3 || len(sr.all()) != 2 {
		t.Errorf("requests = %d, waits = %v; want 3 requests and 2 waits", f.requests(), sr.all())
	}
}

func TestClientStopsWhenRetryAfterIsTooLong(t *testing.T) {
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		apiError(w, http.StatusTooManyRequests, "3600")
	})
	c, sr := newTestClient(f, Options{MaxRetryAfter: time.Minute})
	_, err := c.Complete(context.Background(), Request{Model: "m"})
	if !errors.Is(err, ErrUnavailable) || f.requests() != 1 || len(sr.all()) != 0 {
		t.Errorf("err = %v, requests = %d, waits = %v", err, f.requests(), sr.all())
	}
}

func TestClientRetries5xxWithExponentialBackoff(t *testing.T) {
	statuses := []int{http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusInternalServerError}
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		if n < len(statuses) {
			apiError(w, statuses[n], "")
			return
		}
		completion(w, body.Model, "{}", 1, 1, -1)
	})
	// Jitter returning its ceiling exposes the exponential schedule: 100, 200, 400 ms.
	c, sr := newTestClient(f, Options{BaseDelay: 100 * time.Millisecond, MaxDelay: time.Second, MaxRetries: 3,
		Jitter: func(d time.Duration) time.Duration { return d }})
	resp, err := c.Complete(context.Background(), Request{Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond}
	if got := sr.all(); !slices.Equal(got, want) || resp.Attempts != 4 {
		t.Errorf("waits = %v (want %v), attempts = %d", got, want, resp.Attempts)
	}
}

func TestClientFullJitterStaysUnderTheCap(t *testing.T) {
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		apiError(w, http.StatusInternalServerError, "")
	})
	c, sr := newTestClient(f, Options{BaseDelay: 100 * time.Millisecond, MaxDelay: 300 * time.Millisecond, MaxRetries: 6})
	if _, err := c.Complete(context.Background(), Request{Model: "m"}); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v", err)
	}
	ceilings := []time.Duration{100, 200, 300, 300, 300, 300}
	waits := sr.all()
	if len(waits) != len(ceilings) {
		t.Fatalf("waits = %v", waits)
	}
	for i, w := range waits {
		if w < 0 || w >= ceilings[i]*time.Millisecond {
			t.Errorf("wait %d = %v, want in [0, %v)", i, w, ceilings[i]*time.Millisecond)
		}
	}
}

func TestClientRetriesAnAttemptThatTimesOut(t *testing.T) {
	release := make(chan struct{})
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		if n == 0 {
			select { // hang until the client gives up on this attempt
			case <-r.Context().Done():
			case <-release:
			}
			return
		}
		completion(w, body.Model, "{}", 1, 1, -1)
	})
	t.Cleanup(func() { close(release) }) // runs before the server's Close (cleanups are LIFO)
	c, sr := newTestClient(f, Options{Timeout: 50 * time.Millisecond, MaxRetries: 1})
	resp, err := c.Complete(context.Background(), Request{Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Attempts != 2 || len(sr.all()) != 1 {
		t.Errorf("attempts = %d, waits = %v", resp.Attempts, sr.all())
	}
}

func TestClientTimeoutsExhaustRetries(t *testing.T) {
	release := make(chan struct{})
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	t.Cleanup(func() { close(release) })
	c, _ := newTestClient(f, Options{Timeout: 30 * time.Millisecond, MaxRetries: 2})
	_, err := c.Complete(context.Background(), Request{Model: "m"})
	if !errors.Is(err, ErrUnavailable) || f.requests() != 3 {
		t.Errorf("err = %v, requests = %d; want ErrUnavailable after 3", err, f.requests())
	}
}

func TestClientDoesNotRetryRejectedRequests(t *testing.T) {
	for _, status := range []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusPaymentRequired} {
		f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
			apiError(w, status, "")
		})
		c, sr := newTestClient(f, Options{})
		_, err := c.Complete(context.Background(), Request{Model: "m"})
		if !errors.Is(err, ErrRejected) || errors.Is(err, ErrUnavailable) || f.requests() != 1 || len(sr.all()) != 0 {
			t.Errorf("status %d: err = %v, requests = %d", status, err, f.requests())
		}
	}
}

func TestClientRetriesAnErrorInsideA200(t *testing.T) {
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		if n == 0 {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"error":{"code":502,"message":"upstream died mid-answer"}}`))
			return
		}
		completion(w, body.Model, "{}", 1, 1, -1)
	})
	c, _ := newTestClient(f, Options{})
	resp, err := c.Complete(context.Background(), Request{Model: "m"})
	if err != nil || resp.Attempts != 2 {
		t.Errorf("err = %v, attempts = %d", err, resp.Attempts)
	}
}

func TestClientReportsBadOutputWithItsUsage(t *testing.T) {
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"model":"m","choices":[],"usage":{"prompt_tokens":40,"completion_tokens":0,"cost":0.0001}}`))
	})
	c, _ := newTestClient(f, Options{})
	resp, err := c.Complete(context.Background(), Request{Model: "m"})
	if !errors.Is(err, ErrBadOutput) || resp.InputTokens != 40 || !resp.CostReported || f.requests() != 1 {
		t.Errorf("err = %v, resp = %+v, requests = %d", err, resp, f.requests())
	}
}

func TestClientStopsRetryingWhenTheContextEnds(t *testing.T) {
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		apiError(w, http.StatusServiceUnavailable, "")
	})
	ctx, cancel := context.WithCancel(context.Background())
	c, _ := newTestClient(f, Options{MaxRetries: 5, Sleep: func(ctx context.Context, d time.Duration) error {
		cancel()
		return ctx.Err()
	}})
	_, err := c.Complete(ctx, Request{Model: "m"})
	if !errors.Is(err, context.Canceled) || f.requests() != 1 {
		t.Errorf("err = %v, requests = %d", err, f.requests())
	}
}

func TestClientLimitsRequestsInFlight(t *testing.T) {
	const limit, calls = 3, 12
	gate := make(chan struct{})
	f := newFake(t, func(n int, w http.ResponseWriter, r *http.Request, body wireRequest) {
		<-gate
		completion(w, body.Model, "{}", 1, 1, -1)
	})
	c, _ := newTestClient(f, Options{MaxConcurrent: limit})
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for range calls {
		wg.Go(func() {
			_, err := c.Complete(context.Background(), Request{Model: "m"})
			errs <- err
		})
	}
	// Wait until the limit is reached, give the others time to (wrongly) get through, then
	// let everything finish.
	deadline := time.Now().Add(5 * time.Second)
	for f.inFlight.Load() < limit && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	close(gate)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if p := f.peak.Load(); p != limit {
		t.Errorf("peak in flight = %d, want %d", p, limit)
	}
	if f.requests() != calls {
		t.Errorf("requests = %d, want %d", f.requests(), calls)
	}
}

func TestParseRetryAfter(t *testing.T) {
	tests := []struct {
		name, h string
		want    time.Duration
	}{
		{"absent", "", 0},
		{"seconds", "7", 7 * time.Second},
		{"fractional seconds", "1.5", 1500 * time.Millisecond},
		{"negative is ignored", "-3", 0},
		{"garbage is ignored", "soon", 0},
		{"HTTP date in the future", testNow.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{"HTTP date in the past is ignored", testNow.Add(-time.Hour).Format(http.TimeFormat), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := parseRetryAfter(tt.h, testNow); got != tt.want {
				t.Errorf("parseRetryAfter(%q) = %v, want %v", tt.h, got, tt.want)
			}
		})
	}
}
