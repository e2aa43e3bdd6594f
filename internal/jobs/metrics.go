package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/sp404agent/sp404agent/internal/library"
)

// Metrics counts and times background work by kind (analysis, import, export, vibe).
type Metrics struct {
	duration *prometheus.HistogramVec
}

// NewMetrics registers the job metrics.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "sp404_job_duration_seconds",
		Help:    "Background job durations by kind (analysis, import, export, vibe) and outcome.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 120},
	}, []string{"kind", "outcome"})}
	reg.MustRegister(m.duration)
	return m
}

func (m *Metrics) observe(kind string, start time.Time, err error) {
	if m == nil {
		return
	}
	outcome := "ok"
	if err != nil && !errors.Is(err, library.ErrMoreToImport) { // a yielded slice is not a failure
		outcome = "error"
	}
	m.duration.WithLabelValues(kind, outcome).Observe(time.Since(start).Seconds())
}

// Handlers wraps the handlers so each run is timed; nil handlers stay nil.
func (m *Metrics) Handlers(h Handlers) Handlers {
	out := Handlers{Failer: h.Failer}
	if h.Analyzer != nil {
		out.Analyzer = timed{m, "analysis", h.Analyzer.AnalyzeSample}
	}
	if h.Importer != nil {
		out.Importer = timed{m, "import", h.Importer.RunBatch}
	}
	if h.Exporter != nil {
		out.Exporter = timed{m, "export", h.Exporter.RunExport}
	}
	if h.Vibe != nil {
		out.Vibe = timed{m, "vibe", h.Vibe.RunVibe}
	}
	return out
}

// timed is any one handler with its run timed; it has every handler method, each calling run.
type timed struct {
	m    *Metrics
	kind string
	run  func(ctx context.Context, id int64) error
}

func (t timed) call(ctx context.Context, id int64) error {
	start := time.Now()
	err := t.run(ctx, id)
	t.m.observe(t.kind, start, err)
	return err
}

func (t timed) AnalyzeSample(ctx context.Context, id int64) error { return t.call(ctx, id) }
func (t timed) RunBatch(ctx context.Context, id int64) error      { return t.call(ctx, id) }
func (t timed) RunExport(ctx context.Context, id int64) error     { return t.call(ctx, id) }
func (t timed) RunVibe(ctx context.Context, id int64) error       { return t.call(ctx, id) }
