package app_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"

	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// fakeOpenRouter answers chat completions with a fixed vibe and counts the calls. release, when
// set, holds each answer until it is closed (to keep a run in progress).
type fakeOpenRouter struct {
	calls   atomic.Int64
	release chan struct{}
}

const modelVibe = `{"mood_primary":"nostalgic","mood_secondary":"calm","energy":0.35,"danceability":0.55,
"texture":["dusty","warm"],"era":"1970s","genres":["soul","jazz"],"descriptors":["rhodes","late night"],
"best_use":["chop for a lo-fi loop"],"confidence":0.8}`

func (f *fakeOpenRouter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/chat/completions" || r.Header.Get("Authorization") != "Bearer test-key" {
		http.Error(w, "unexpected request", http.StatusBadRequest)
		return
	}
	f.calls.Add(1)
	if f.release != nil {
		<-f.release
	}
	var body struct{ Model string }
	_ = json.NewDecoder(r.Body).Decode(&body)
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": "gen-1", "model": body.Model,
		"choices": []any{map[string]any{"index": 0, "finish_reason": "stop", "message": map[string]any{"role": "assistant", "content": modelVibe}}},
		"usage":   map[string]any{"prompt_tokens": 700, "completion_tokens": 90, "total_tokens": 790, "cost": 0.0002},
	})
}

type wsMsg struct {
	Type     string          `json:"type"`
	Status   string          `json:"status"`
	Step     string          `json:"step"`
	Progress *int            `json:"progress"`
	Data     json.RawMessage `json:"data"`
	Message  string          `json:"message"`
}

// readVibeSocket collects a socket's messages until it closes.
func readVibeSocket(t *testing.T, base string, id int64) ([]wsMsg, websocket.StatusCode) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	url := "ws" + strings.TrimPrefix(base, "http") + fmt.Sprintf("/ws/vibe/%d", id)
	c, _, err := websocket.Dial(ctx, url, nil)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.CloseNow()
	var msgs []wsMsg
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			return msgs, websocket.CloseStatus(err)
		}
		var m wsMsg
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("message %s: %v", b, err)
		}
		msgs = append(msgs, m)
	}
}

func TestVibeOverWebSocketWithAFakeOpenRouter(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		fake := &fakeOpenRouter{release: make(chan struct{})}
		or := httptest.NewServer(fake)
		defer or.Close()
		s := startApp(t, target, func(c *config.Config) {
			c.OpenRouterKey, c.OpenRouterURL = "test-key", or.URL
		})
		id := s.uploadIDs(t, "keys", 1)[0]
		s.waitAnalysed(id)

		// Two sockets on the same sample see one run: the model is called once.
		var wg sync.WaitGroup
		results := make([][]wsMsg, 2)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], _ = readVibeSocket(t, s.base, id)
			}()
		}
		deadline := time.Now().Add(10 * time.Second)
		for fake.calls.Load() == 0 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
		time.Sleep(100 * time.Millisecond) // let the second socket join the run in progress
		close(fake.release)
		wg.Wait()
		if n := fake.calls.Load(); n != 1 {
			t.Fatalf("model called %d times for one run, want 1", n)
		}
		for i, msgs := range results {
			if len(msgs) < 4 || msgs[0].Type != "status" || msgs[0].Status != "analyzing" || msgs[len(msgs)-1].Type != "complete" {
				t.Fatalf("socket %d: %+v", i, msgs)
			}
			var steps []string
			last := -1
			for _, m := range msgs {
				if m.Type == "progress" {
					steps = append(steps, m.Step)
					if *m.Progress < last {
						t.Errorf("socket %d: progress went back: %+v", i, msgs)
					}
					last = *m.Progress
				}
			}
			if strings.Join(steps, ",") != "features loaded,offline vibe,llm request,saved" || last != 100 {
				t.Errorf("socket %d steps = %v (last %d)", i, steps, last)
			}
			var v struct {
				MoodPrimary string            `json:"mood_primary"`
				Sources     map[string]string `json:"sources"`
			}
			json.Unmarshal(msgs[len(msgs)-1].Data, &v)
			if v.MoodPrimary != "nostalgic" || v.Sources["mood_primary"] != "llm" {
				t.Errorf("socket %d vibe = %+v", i, v)
			}
		}
		var stored struct {
			Vibe struct {
				MoodPrimary string `json:"mood_primary"`
			}
		}
		if st := s.getJSON(fmt.Sprintf("/api/v1/samples/%d/vibe", id), &stored); st != 200 || stored.Vibe.MoodPrimary != "nostalgic" {
			t.Fatalf("stored vibe = %d %+v", st, stored)
		}

		// The call was recorded once, with the provider's cost.
		var sum struct {
			Totals struct {
				Calls        int64   `json:"calls"`
				CostUSD      float64 `json:"cost_usd"`
				InputTokens  int64   `json:"input_tokens"`
				OutputTokens int64   `json:"output_tokens"`
			} `json:"total"`
			Budget struct {
				SpentUSD   float64 `json:"spent_usd"`
				UsedTokens int64   `json:"used_tokens"`
			} `json:"budget"`
		}
		if st := s.getJSON("/api/v1/usage/summary", &sum); st != 200 {
			t.Fatalf("summary = %d", st)
		}
		if sum.Totals.Calls != 1 || sum.Totals.CostUSD != 0.0002 || sum.Budget.UsedTokens != 790 {
			t.Fatalf("summary = %+v", sum)
		}
		r := s.do("GET", "/api/v1/usage/export", nil, nil)
		if r.status != 200 || !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") || strings.Count(string(r.body), "\n") != 2 {
			t.Fatalf("csv = %d %q", r.status, r.body)
		}
		var recent struct{ Items []struct{ Outcome string } }
		s.getJSON("/api/v1/usage/recent?limit=5", &recent)
		if len(recent.Items) != 1 || recent.Items[0].Outcome != "ok" {
			t.Fatalf("recent = %+v", recent)
		}

		// A budget that cannot fit a call: refused before the request, offline vibe kept.
		if r := s.sendJSON("PATCH", "/api/v1/preferences", `{"budget_daily_tokens":100}`); r.status != 200 {
			t.Fatalf("preferences = %d %s", r.status, r.body)
		}
		if r := s.sendJSON("POST", fmt.Sprintf("/api/v1/samples/%d/vibe", id), ``); r.status != http.StatusAccepted {
			t.Fatalf("start vibe = %d %s", r.status, r.body)
		}
		deadline = time.Now().Add(10 * time.Second)
		var after struct {
			Vibe     struct{ Sources map[string]string } `json:"vibe"`
			Fallback string                              `json:"fallback"`
		}
		for time.Now().Before(deadline) {
			s.getJSON(fmt.Sprintf("/api/v1/samples/%d/vibe", id), &after)
			if after.Fallback != "" {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		if !strings.Contains(after.Fallback, "budget") || after.Vibe.Sources["mood_primary"] != "audio" || fake.calls.Load() != 1 {
			t.Fatalf("over budget: %+v, model calls %d", after, fake.calls.Load())
		}

		// Unknown sample: close code 4404.
		if _, code := readVibeSocket(t, s.base, 999999); code != 4404 {
			t.Fatalf("unknown sample close = %d, want 4404", code)
		}
	})
}

func TestVibeOfflineAndVibeSearch(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		s := startApp(t, target, nil) // no key: everything from the audio analysis
		ids := s.uploadIDs(t, "dusty,keys", 2)
		for _, id := range ids {
			s.waitAnalysed(id)
		}
		msgs, code := readVibeSocket(t, s.base, ids[0])
		if code != websocket.StatusNormalClosure || len(msgs) == 0 || msgs[len(msgs)-1].Type != "complete" {
			t.Fatalf("offline socket: %d %+v", code, msgs)
		}
		for _, m := range msgs {
			if m.Step == "llm request" {
				t.Fatal("offline run made a model request")
			}
		}
		var sum struct {
			Totals struct{ Calls int64 } `json:"total"`
		}
		if st := s.getJSON("/api/v1/usage/summary", &sum); st != 200 || sum.Totals.Calls != 0 {
			t.Fatalf("offline summary = %d %+v", st, sum)
		}
		var res struct {
			Items []struct {
				Reasons []string
				Sample  sampleJSON
			}
			Parsed struct{ Textures []string }
		}
		if st := s.getJSON("/api/v1/search/vibe?q=dusty+keys", &res); st != 200 || len(res.Items) == 0 || len(res.Items[0].Reasons) == 0 {
			t.Fatalf("vibe search = %d %+v", st, res)
		}
		var prefs struct {
			VibeModel string `json:"vibe_model"`
			AutoVibe  bool   `json:"auto_vibe"`
		}
		if st := s.getJSON("/api/v1/preferences", &prefs); st != 200 || prefs.VibeModel == "" || prefs.AutoVibe {
			t.Fatalf("preferences = %d %+v", st, prefs)
		}
		for _, bad := range []string{`{"export_target":"mpc"}`, `{"budget_monthly_usd":-1}`, `{"vibe_model":"a b"}`} {
			if r := s.sendJSON("PATCH", "/api/v1/preferences", bad); r.status != 422 {
				t.Errorf("%s = %d, want 422", bad, r.status)
			}
		}
	})
}

func TestAutoVibeDescribesNewSamples(t *testing.T) {
	s := startApp(t, storetest.NewTarget(t, config.SQLite), nil)
	if r := s.sendJSON("PATCH", "/api/v1/preferences", `{"auto_vibe":true}`); r.status != 200 {
		t.Fatalf("preferences = %d", r.status)
	}
	id := s.uploadIDs(t, "keys", 1)[0]
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if st := s.getJSON(fmt.Sprintf("/api/v1/samples/%d/vibe", id), nil); st == 200 {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("no vibe after analysis with auto_vibe on")
}
