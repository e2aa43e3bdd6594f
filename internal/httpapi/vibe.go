package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/coder/websocket"
	"github.com/danielgtaylor/huma/v2"

	"github.com/sp404agent/sp404agent/internal/library"
	"github.com/sp404agent/sp404agent/internal/vibe"
)

type sampleVibeOutput struct {
	Body *library.SampleVibe
}

type startVibeOutput struct {
	Body struct {
		Status string `json:"status" enum:"started,running"`
	}
}

type searchVibeInput struct {
	Q     string `query:"q" required:"true" minLength:"1" maxLength:"300" doc:"A description, e.g. \"dusty jazzy chords around 85 bpm in a minor key, no vocals\""`
	Page  int    `query:"page" minimum:"1" maximum:"100000" default:"1"`
	Limit int    `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

type searchVibeOutput struct {
	Body *library.VibeSearch
}

func (s *Server) registerVibe() {
	register(s.api, s.log, huma.Operation{
		OperationID: "get-sample-vibe", Method: http.MethodGet, Path: "/api/v1/samples/{id}/vibe", Tags: []string{"vibe"},
		Summary: "A sample's stored vibe (404 when it has none yet)",
	}, func(ctx context.Context, in *sampleIDInput) (*sampleVibeOutput, error) {
		v, err := s.lib.SampleVibe(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		if v == nil {
			return nil, library.Errorf(library.CodeNotFound, "sample %d has no vibe yet", in.ID)
		}
		return &sampleVibeOutput{Body: v}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "start-sample-vibe", Method: http.MethodPost, Path: "/api/v1/samples/{id}/vibe", Tags: []string{"vibe"},
		Summary:       "Start a vibe analysis in the background (watch it on WS /ws/vibe/{id})",
		DefaultStatus: http.StatusAccepted,
	}, func(ctx context.Context, in *sampleIDInput) (*startVibeOutput, error) {
		smp, err := s.lib.Sample(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		if smp.AnalysisState != library.StateDone {
			return nil, library.Errorf(library.CodeConflict, "sample %d is %s: its vibe needs the audio analysis first", in.ID, smp.AnalysisState)
		}
		_, started := s.vibeRuns.join(s, in.ID)
		out := &startVibeOutput{}
		out.Body.Status = "running"
		if started {
			out.Body.Status = "started"
		}
		return out, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "search-vibe", Method: http.MethodGet, Path: "/api/v1/search/vibe", Tags: []string{"search", "vibe"},
		Summary: "Turn a vibe description into filters, terms and moods, rank the library and say why each sample matched",
	}, func(ctx context.Context, in *searchVibeInput) (*searchVibeOutput, error) {
		res, err := s.lib.SearchVibe(ctx, in.Q, in.Page, in.Limit)
		if err != nil {
			return nil, err
		}
		return &searchVibeOutput{Body: res}, nil
	})
}

// wsMessage is one message of the vibe socket (design.md §6).
type wsMessage struct {
	Type     string `json:"type"`
	Status   string `json:"status,omitempty"`
	Step     string `json:"step,omitempty"`
	Progress *int   `json:"progress,omitempty"`
	Data     any    `json:"data,omitempty"`
	Message  string `json:"message,omitempty"`
	Fallback string `json:"fallback,omitempty"`
}

// vibeRun is one vibe analysis of a sample. Every socket on the sample sees the same run: a late
// one first gets the messages sent so far.
type vibeRun struct {
	mu   sync.Mutex
	msgs []wsMessage
	subs map[chan wsMessage]bool
	done bool
}

func (r *vibeRun) send(m wsMessage) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
	for ch := range r.subs {
		select {
		case ch <- m:
		default: // a slow client is dropped, never waited on
			close(ch)
			delete(r.subs, ch)
		}
	}
}

func (r *vibeRun) finish() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done = true
	for ch := range r.subs {
		close(ch)
	}
	r.subs = nil
}

// subscribe returns the messages so far and a channel for the rest (nil when the run is over).
func (r *vibeRun) subscribe() ([]wsMessage, chan wsMessage) {
	r.mu.Lock()
	defer r.mu.Unlock()
	past := append([]wsMessage(nil), r.msgs...)
	if r.done {
		return past, nil
	}
	ch := make(chan wsMessage, 64)
	r.subs[ch] = true
	return past, ch
}

func (r *vibeRun) unsubscribe(ch chan wsMessage) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.subs[ch] {
		delete(r.subs, ch)
		close(ch)
	}
}

// vibeRuns holds the runs in progress, one per sample.
type vibeRuns struct {
	mu   sync.Mutex
	runs map[int64]*vibeRun
	base context.Context // the server's life: runs outlive the request that started them
}

// join returns the sample's run, starting one when none is going.
func (v *vibeRuns) join(s *Server, id int64) (*vibeRun, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if r, ok := v.runs[id]; ok {
		return r, false
	}
	r := &vibeRun{subs: map[chan wsMessage]bool{}}
	v.runs[id] = r
	go func() {
		defer func() {
			v.mu.Lock()
			delete(v.runs, id)
			v.mu.Unlock()
			r.finish()
		}()
		r.send(wsMessage{Type: "status", Status: "analyzing"})
		res, err := s.lib.VibeSample(v.base, id, func(step string, progress int, partial vibe.Vibe) {
			p := progress
			r.send(wsMessage{Type: "progress", Step: step, Progress: &p})
			if step != vibe.StepFeaturesLoaded {
				r.send(wsMessage{Type: "partial", Data: partial})
			}
		})
		if err != nil {
			_, msg := problemFor(v.base, s.log, err)
			r.send(wsMessage{Type: "error", Message: msg})
			return
		}
		r.send(wsMessage{Type: "complete", Data: res.Vibe, Fallback: res.Fallback})
	}()
	return r, true
}

// Close codes of the vibe socket.
const (
	closeUnknownSample = 4404
	closeBadRequest    = 4400
)

// vibeSocket streams a sample's vibe analysis (design.md §6): it joins the run in progress or
// starts one.
func (s *Server) vibeSocket(w http.ResponseWriter, r *http.Request) {
	c, err := websocket.Accept(w, r, nil) // same-origin only (the library checks Origin against Host)
	if err != nil {
		return // Accept has answered the client
	}
	defer c.CloseNow()
	ctx := c.CloseRead(r.Context()) // we only send; reading handles pings and the client's close
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		c.Close(closeBadRequest, "sample id must be a positive whole number")
		return
	}
	smp, err := s.lib.Sample(ctx, id)
	if err != nil {
		if library.ErrorCode(err) == library.CodeNotFound {
			c.Close(closeUnknownSample, "sample not found")
			return
		}
		c.Close(websocket.StatusInternalError, "internal error")
		return
	}
	if smp.AnalysisState != library.StateDone {
		writeWS(ctx, c, wsMessage{Type: "error", Message: "the sample's audio analysis is " + string(smp.AnalysisState) + "; its vibe needs it first"})
		c.Close(websocket.StatusNormalClosure, "")
		return
	}
	run, _ := s.vibeRuns.join(s, id)
	past, ch := run.subscribe()
	for _, m := range past {
		if err := writeWS(ctx, c, m); err != nil {
			return
		}
	}
	if ch != nil {
		defer run.unsubscribe(ch)
		ping := time.NewTicker(20 * time.Second)
		defer ping.Stop()
	loop:
		for {
			select {
			case m, ok := <-ch:
				if !ok {
					break loop
				}
				if err := writeWS(ctx, c, m); err != nil {
					return
				}
			case <-ping.C:
				if err := c.Ping(ctx); err != nil {
					return
				}
			case <-ctx.Done():
				return
			}
		}
	}
	c.Close(websocket.StatusNormalClosure, "")
}

func writeWS(ctx context.Context, c *websocket.Conn, m wsMessage) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := c.Write(ctx, websocket.MessageText, b); err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	return nil
}
