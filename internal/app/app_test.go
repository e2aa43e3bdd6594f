package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"mime/multipart"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sp404agent/sp404agent/internal/app"
	"github.com/sp404agent/sp404agent/internal/audio"
	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// server is a running App on a free port.
type server struct {
	t    testing.TB
	base string
	app  *app.App
}

// startApp boots the real App (database, blobs, workers, HTTP) against target on :0.
func startApp(t testing.TB, target storetest.Target, tweak func(*config.Config)) *server {
	t.Helper()
	env := map[string]string{"DATA_DIR": t.TempDir(), "DATABASE_URL": target.URL, "WORKERS": "2", "MAX_UPLOAD_MB": "2"}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if tweak != nil {
		tweak(&cfg)
	}
	cfg.Finish()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.New(ctx, cfg, app.Build{Version: "test"}, log)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("Run: %v", err)
			}
		case <-time.After(app.ShutdownTimeout + 5*time.Second):
			t.Error("shutdown took longer than the limit")
		}
		a.Close()
	})
	return &server{t: t, base: "http://" + ln.Addr().String(), app: a}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %s: %v", r.body, err)
	}
}

func (s *server) do(method, path string, body io.Reader, header map[string]string) response {
	s.t.Helper()
	req, err := http.NewRequest(method, s.base+path, body)
	if err != nil {
		s.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		s.t.Fatal(err)
	}
	return response{status: res.StatusCode, header: res.Header, body: b}
}

func (s *server) getJSON(path string, v any) int {
	s.t.Helper()
	r := s.do(http.MethodGet, path, nil, nil)
	if v != nil && r.status < 300 {
		r.json(s.t, v)
	}
	return r.status
}

// part is one multipart part.
type part struct {
	field, filename string
	data            []byte
}

func multipartBody(t testing.TB, parts ...part) (io.Reader, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for _, p := range parts {
		var w io.Writer
		var err error
		if p.filename != "" {
			w, err = mw.CreateFormFile(p.field, p.filename)
		} else {
			w, err = mw.CreateFormField(p.field)
		}
		if err != nil {
			t.Fatal(err)
		}
		w.Write(p.data)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

func (s *server) upload(parts ...part) response {
	s.t.Helper()
	body, ct := multipartBody(s.t, parts...)
	return s.do(http.MethodPost, "/api/v1/samples", body, map[string]string{"Content-Type": ct})
}

// toneWAV renders a test tone: a 110 Hz sine pulsing on quarter notes at bpm, as 16-bit WAV.
func toneWAV(t testing.TB, seconds float64, freq float64, channels int) []byte {
	t.Helper()
	const rate = 44100
	buf := audio.NewBuffer(rate, channels, int(seconds*rate))
	for c := range buf.Data {
		for i := range buf.Data[c] {
			tt := float64(i) / rate
			env := 1.0
			if int(tt*4)%2 == 1 {
				env = 0.3
			}
			buf.Data[c][i] = float32(0.4 * env * math.Sin(2*3.141592653589793*freq*tt))
		}
	}
	var out bytes.Buffer
	if err := audio.EncodeWAV(&out, buf, audio.PCM16); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

type sampleJSON struct {
	ID            int64    `json:"id"`
	FileName      string   `json:"file_name"`
	Format        string   `json:"format"`
	Tags          []string `json:"tags"`
	Favorite      bool     `json:"favorite"`
	AnalysisState string   `json:"analysis_state"`
	Duplicate     bool     `json:"duplicate"`
	SampleRate    int      `json:"sample_rate"`
	DurationS     float64  `json:"duration_s"`
	Type          *string  `json:"type"`
	LoudnessLUFS  *float64 `json:"loudness_lufs"`
	ContentHash   string   `json:"content_hash"`
	Frames        int64    `json:"frames"`
	// A slice's original and region of its file.
	SourceID    *int64 `json:"source_id"`
	RegionStart *int64 `json:"region_start_frame"`
	RegionEnd   *int64 `json:"region_end_frame"`
}

type pageJSON struct {
	Items []sampleJSON `json:"items"`
	Total int          `json:"total"`
	Page  int          `json:"page"`
	Limit int          `json:"limit"`
}

func (s *server) waitAnalysed(id int64) sampleJSON {
	s.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		var smp sampleJSON
		if st := s.getJSON(fmt.Sprintf("/api/v1/samples/%d", id), &smp); st != http.StatusOK {
			s.t.Fatalf("get sample %d: %d", id, st)
		}
		if smp.AnalysisState == "done" || smp.AnalysisState == "failed" {
			return smp
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("sample %d still %s after 30 s", id, smp.AnalysisState)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestHealthAndDocs(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		s := startApp(t, target, nil)
		var h struct{ Status, Database, Version string }
		if st := s.getJSON("/health", &h); st != 200 || h.Status != "ok" || h.Database != "ok" || h.Version != "test" {
			t.Fatalf("health = %d %+v", st, h)
		}
		if r := s.do("GET", "/api/v1/docs", nil, nil); r.status != 200 || !strings.Contains(string(r.body), "<html") {
			t.Fatalf("docs = %d", r.status)
		}
		var doc struct {
			OpenAPI string                    `json:"openapi"`
			Paths   map[string]map[string]any `json:"paths"`
		}
		if st := s.getJSON("/api/v1/openapi.json", &doc); st != 200 || !strings.HasPrefix(doc.OpenAPI, "3.1") {
			t.Fatalf("openapi = %d %q", st, doc.OpenAPI)
		}
		for path, method := range map[string]string{
			"/api/v1/samples": "post", "/api/v1/samples/{id}/audio": "get", "/api/v1/samples/analyze": "post",
			"/api/v1/samples/{id}": "patch", "/health": "get",
		} {
			if _, ok := doc.Paths[path][method]; !ok {
				t.Errorf("OpenAPI lacks %s %s", method, path)
			}
		}
		r := s.do("GET", "/api/v1/samples", nil, nil)
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Request-Id"} {
			if r.header.Get(h) == "" {
				t.Errorf("response lacks %s", h)
			}
		}
		if !strings.Contains(r.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("CSP = %q", r.header.Get("Content-Security-Policy"))
		}
	})
}
