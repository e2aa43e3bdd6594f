package jobs

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics counts and times the pool's work.
type Metrics struct {
	duration *prometheus.HistogramVec
}

// NewMetrics registers the job metrics, and a gauge of the analysis queue's depth for pool.
func NewMetrics(reg prometheus.Registerer, pool *Pool) *Metrics {
	m := &Metrics{duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "sp404_job_duration_seconds",
		Help:    "Background job durations by kind (analysis, export, import) and outcome.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 120},
	}, []string{"kind", "outcome"})}
	reg.MustRegister(m.duration, prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "sp404_analysis_queue_depth",
		Help: "Samples waiting in this process's analysis queue.",
	}, func() float64 { return float64(len(pool.queue)) }))
	pool.metrics = m
	return m
}

func (m *Metrics) observe(kind string, start time.Time, err error) {
	if m == nil {
		return
	}
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.duration.WithLabelValues(kind, outcome).Observe(time.Since(start).Seconds())
}
