// Package httpapi is the HTTP API (design.md §6) and the web UI's file server. routes.go is the one
// route table; each resource has a file of its own.
package httpapi

import (
	"context"
	"io/fs"
	"log/slog"
	"net"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/time/rate"

	"github.com/sp404agent/sp404agent/internal/events"
	"github.com/sp404agent/sp404agent/internal/library"
)

// Options configure the server.
type Options struct {
	Version        string
	CORSOrigins    []string
	MaxUploadBytes int64 // per file
	MaxUploadFiles int   // per request
	UI             fs.FS // the built web UI (web/dist); may be empty
	// BaseContext is the server's life; background runs (vibe analyses) stop when it ends.
	BaseContext context.Context
	// Events carries progress (folder imports) to sockets.
	Events *events.Broker
	// Auth turns on authentication when a password or tokens are set.
	Auth AuthOptions
	// RateLimit is the steady requests per second allowed per client (0 = no limit), with
	// bursts of RateBurst.
	RateLimit float64
	RateBurst int
	// TrustedProxies are the networks whose X-Forwarded-For is believed.
	TrustedProxies []*net.IPNet
	// Metrics is where request metrics are registered and /metrics reads from; nil disables
	// /metrics.
	Metrics *prometheus.Registry
}

// Server is the HTTP API and UI.
type Server struct {
	lib      *library.Service
	log      *slog.Logger
	opts     Options
	api      huma.API
	handler  http.Handler
	vibeRuns *vibeRuns
	auth     *auth
}

// New builds the server and its routes.
func New(lib *library.Service, log *slog.Logger, opts Options) *Server {
	base := opts.BaseContext
	if base == nil {
		base = context.Background()
	}
	s := &Server{lib: lib, log: log, opts: opts, vibeRuns: &vibeRuns{runs: map[int64]*vibeRun{}, base: base}, auth: newAuth(opts.Auth)}
	mux := http.NewServeMux()

	cfg := huma.DefaultConfig("SP-404 Sample Agent API", opts.Version)
	cfg.Info.Description = "Sample library, analysis and SP-404 kit export. Errors are RFC 9457 problem documents."
	cfg.OpenAPIPath = "/api/v1/openapi"
	cfg.DocsPath = "/api/v1/docs"
	cfg.SchemasPath = "/api/v1/schemas"
	// No "$schema" links in responses: the UI and scripts read plain JSON.
	cfg.CreateHooks = nil
	s.api = humago.New(mux, cfg)

	// The route table.
	s.registerHealth()
	s.registerAuth()
	s.registerSamples()
	s.registerSampleExtras()
	s.registerSimilar()
	s.registerDuplicates()
	s.registerExports()
	s.registerUsage()
	s.registerVibe()
	s.registerBatches()
	s.registerCollections()
	s.registerKits()
	s.registerRecommendations()
	mux.HandleFunc("POST /api/v1/samples", s.uploadSamples)
	mux.HandleFunc("POST /api/v1/samples/analyze", s.analyzeUpload)
	mux.HandleFunc("GET /api/v1/samples/{id}/audio", s.sampleAudio)
	mux.HandleFunc("GET /api/v1/exports/{id}/download", s.downloadExport)
	mux.HandleFunc("POST /api/v1/kits/import", s.importKit)
	mux.HandleFunc("GET /api/v1/usage/export", s.usageCSV)
	mux.HandleFunc("GET /ws/vibe/{id}", s.vibeSocket)
	mux.HandleFunc("GET /ws/batches/{id}", s.batchSocket)
	s.documentPlainRoutes()
	if opts.Metrics != nil {
		mux.Handle("GET /metrics", metricsHandler(opts.Metrics))
	}
	mux.Handle("/api/", http.HandlerFunc(s.apiNotFound))
	mux.Handle("/", s.ui())

	var h http.Handler = mux
	if opts.Metrics != nil {
		h = newHTTPMetrics(opts.Metrics).middleware(h)
	}
	uploadLimit := opts.MaxUploadBytes*int64(max(opts.MaxUploadFiles, 1)) + 1<<20
	h = withBodyLimit(uploadLimit, h)
	h = s.auth.middleware(h)
	var lim *limiter
	if opts.RateLimit > 0 {
		lim = newLimiter(rate.Limit(opts.RateLimit), max(opts.RateBurst, 1))
	}
	h = withRateLimit(lim, opts.TrustedProxies, h)
	h = withCORS(opts.CORSOrigins, h)
	h = withSecurityHeaders(h)
	h = withAccessLog(log, h)
	h = withRequestID(h)
	s.handler = h
	return s
}

// ServeHTTP serves the API and UI.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// OpenAPI returns the API description (for generating the UI's types).
func (s *Server) OpenAPI() *huma.OpenAPI { return s.api.OpenAPI() }

func (s *Server) apiNotFound(w http.ResponseWriter, r *http.Request) {
	writeProblem(w, http.StatusNotFound, "no API route "+r.Method+" "+r.URL.Path)
}
