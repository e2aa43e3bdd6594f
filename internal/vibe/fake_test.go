package vibe

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeOpenRouter is an OpenRouter stand-in on loopback: real HTTP through httptest.Server. The
// handler decides each answer; the fake records every request and the peak number in flight.
type fakeOpenRouter struct {
	srv      *httptest.Server
	handle   func(n int, w http.ResponseWriter, r *http.Request, body wireRequest)
	mu       sync.Mutex
	bodies   []wireRequest
	headers  []http.Header
	inFlight atomic.Int64
	peak     atomic.Int64
}

func newFake(t *testing.T, handle func(n int, w http.ResponseWriter, r *http.Request, body wireRequest)) *fakeOpenRouter {
	t.Helper()
	f := &fakeOpenRouter{handle: handle}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cur := f.inFlight.Add(1)
		defer f.inFlight.Add(-1)
		for {
			p := f.peak.Load()
			if cur <= p || f.peak.CompareAndSwap(p, cur) {
				break
			}
		}
		if r.Method != http.MethodPost || r.URL.Path != "/api/v1/chat/completions" {
			http.Error(w, "unexpected "+r.Method+" "+r.URL.Path, http.StatusNotFound)
			return
		}
		raw, _ := io.ReadAll(r.Body)
		var body wireRequest
		if err := json.Unmarshal(raw, &body); err != nil {
			http.Error(w, "bad json", http.StatusBadRequest)
			return
		}
		f.mu.Lock()
		n := len(f.bodies)
		f.bodies = append(f.bodies, body)
		f.headers = append(f.headers, r.Header.Clone())
		f.mu.Unlock()
		f.handle(n, w, r, body)
	}))
	t.Cleanup(f.srv.Close)
	return f
}

// baseURL mirrors OpenRouter's layout (…/api/v1) so the client's path joining is exercised.
func (f *fakeOpenRouter) baseURL() string { return f.srv.URL + "/api/v1" }

func (f *fakeOpenRouter) header(i int) http.Header {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.headers[i]
}

func (f *fakeOpenRouter) requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.bodies)
}

func (f *fakeOpenRouter) body(i int) wireRequest {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.bodies[i]
}

// completion writes a chat completion answer. cost < 0 leaves usage.cost out.
func completion(w http.ResponseWriter, model, content string, in, out int64, cost float64) {
	usage := map[string]any{"prompt_tokens": in, "completion_tokens": out, "total_tokens": in + out}
	if cost >= 0 {
		usage["cost"] = cost
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": "gen-1", "object": "chat.completion", "model": model,
		"choices": []any{map[string]any{
			"index": 0, "finish_reason": "stop",
			"message": map[string]any{"role": "assistant", "content": content},
		}},
		"usage": usage,
	})
}

func apiError(w http.ResponseWriter, status int, retryAfter string) {
	if retryAfter != "" {
		w.Header().Set("Retry-After", retryAfter)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"error":{"code":%d,"message":"fake %d"}}`, status, status)
}

// sleepRecorder is an injected Sleep: it records the waits asked for and returns at once.
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleepRecorder) all() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// testNow is the fixed clock of the accounting tests.
var testNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func fixedNow() time.Time { return testNow }

// newTestClient returns a client for f with fast, recorded waits.
func newTestClient(f *fakeOpenRouter, opt Options) (*Client, *sleepRecorder) {
	sr := &sleepRecorder{}
	opt.BaseURL = f.baseURL()
	if opt.APIKey == "" {
		opt.APIKey = "test-key"
	}
	if opt.Sleep == nil {
		opt.Sleep = sr.sleep
	}
	return NewClient(opt), sr
}

// validVibeJSON is a well-formed model answer.
const validVibeJSON = `{"mood_primary":"nostalgic","mood_secondary":"calm","energy":0.35,"danceability":0.55,
"texture":["dusty","warm"],"era":"1970s","genres":["soul","jazz"],"descriptors":["rhodes","late night"],
"best_use":["chop for a lo-fi loop"],"confidence":0.8}`
