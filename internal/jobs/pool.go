// Package jobs runs background work. Pool is the in-process analysis worker pool: bounded, with a
// per-file timeout, and a panic in one file's analysis fails that file, never the worker.
package jobs

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/sp404agent/sp404agent/internal/library"
)

// Analyzer analyses one sample.
type Analyzer interface {
	AnalyzeSample(ctx context.Context, id int64) error
}

// Exporter writes one queued kit export.
type Exporter interface {
	RunExport(ctx context.Context, id int64) error
}

// Batcher runs one folder import.
type Batcher interface {
	RunBatch(ctx context.Context, id int64) error
}

// Viber describes one sample's vibe.
type Viber interface {
	RunVibe(ctx context.Context, id int64) error
}

// Tasks is everything the pool runs (library.Service).
type Tasks interface {
	Analyzer
	Exporter
	Batcher
	Viber
}

// PendingLister finds work left over from an earlier run.
type PendingLister interface {
	SampleIDsInState(ctx context.Context, states ...library.AnalysisState) ([]int64, error)
	ExportIDsInState(ctx context.Context, states ...string) ([]int64, error)
	BatchIDsInState(ctx context.Context, states ...string) ([]int64, error)
}

// Pool analyses samples with a fixed number of workers.
type Pool struct {
	work    Tasks
	pending PendingLister
	log     *slog.Logger
	workers int
	timeout time.Duration
	kinds   Kinds
	metrics *Metrics // nil: not measured
	queue   chan int64
	exports chan int64 // one export at a time: each already uses every core
	batches chan int64 // one folder import at a time; its files' analyses use the workers
	vibes   chan int64 // one vibe at a time: the model calls have their own concurrency limit

	mu       sync.Mutex
	inFlight map[int64]bool // queued or running, so a sample is never analysed twice at once
}

// Kinds says which background work besides analysis a pool takes on. A command-line import runs
// its own batch and wants analysis only; the server takes everything.
type Kinds struct {
	Exports bool
	Batches bool
}

// NewPool builds a pool; Run starts it.
func NewPool(work Tasks, pending PendingLister, log *slog.Logger, workers int, perFile time.Duration, kinds Kinds) *Pool {
	return &Pool{
		work: work, pending: pending, log: log, workers: workers, timeout: perFile, kinds: kinds,
		queue: make(chan int64, 4096), exports: make(chan int64, 256), batches: make(chan int64, 256), vibes: make(chan int64, 1024),
		inFlight: map[int64]bool{},
	}
}

// EnqueueAnalysis queues a sample. When the queue is full the sample stays pending in the
// database and the next start-up sweep finds it.
func (p *Pool) EnqueueAnalysis(ctx context.Context, id int64) error {
	p.mu.Lock()
	if p.inFlight[id] {
		p.mu.Unlock()
		return nil
	}
	p.inFlight[id] = true
	p.mu.Unlock()
	select {
	case p.queue <- id:
		return nil
	case <-ctx.Done():
		p.done(id)
		return ctx.Err()
	default:
		p.done(id)
		return fmt.Errorf("analysis queue is full; sample %d stays pending", id)
	}
}

// EnqueueExport queues a kit export; when the queue is full it stays queued in the database for
// the next start.
func (p *Pool) EnqueueExport(ctx context.Context, id int64) error {
	select {
	case p.exports <- id:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	default:
		return fmt.Errorf("export queue is full; export %d stays queued", id)
	}
}

// EnqueueVibe queues a vibe analysis; when the queue is full the sample simply keeps no vibe
// until asked again.
func (p *Pool) EnqueueVibe(ctx context.Context, id int64) error {
	select {
	case p.vibes <- id:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	default:
		return fmt.Errorf("vibe queue is full; sample %d was not queued", id)
	}
}

// EnqueueBatch queues a folder import; when the queue is full it stays queued in the database.
func (p *Pool) EnqueueBatch(ctx context.Context, id int64) error {
	select {
	case p.batches <- id:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	default:
		return fmt.Errorf("import queue is full; batch %d stays queued", id)
	}
}

func (p *Pool) done(id int64) {
	p.mu.Lock()
	delete(p.inFlight, id)
	p.mu.Unlock()
}

// Run works until ctx is cancelled. It first re-queues samples an earlier run left pending or
// half analysed.
func (p *Pool) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	consume := func(ch chan int64, run func(ctx context.Context, id int64)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case id := <-ch:
					run(ctx, id)
				}
			}
		}()
	}
	for range p.workers {
		consume(p.queue, func(ctx context.Context, id int64) {
			p.analyze(ctx, id)
			p.done(id)
		})
	}
	consume(p.exports, func(ctx context.Context, id int64) { p.guard(ctx, "export", id, p.work.RunExport) })
	consume(p.batches, func(ctx context.Context, id int64) { p.guard(ctx, "import", id, p.work.RunBatch) })
	consume(p.vibes, func(ctx context.Context, id int64) { p.guard(ctx, "vibe", id, p.work.RunVibe) })

	requeue := func(what string, list func(context.Context, ...string) ([]int64, error), enqueue func(context.Context, int64) error, states ...string) {
		ids, err := list(ctx, states...)
		if err != nil {
			p.log.Error("find pending work", "kind", what, "err", err)
			return
		}
		for _, id := range ids {
			_ = enqueue(ctx, id)
		}
	}
	if p.kinds.Batches {
		requeue("import", p.pending.BatchIDsInState, p.EnqueueBatch, library.BatchQueued, library.BatchScanning, library.BatchRunning)
	}
	if p.kinds.Exports {
		requeue("export", p.pending.ExportIDsInState, p.EnqueueExport, library.ExportQueued, library.ExportRunning)
	}
	p.sweep(ctx, library.StatePending, library.StateAnalyzing)
	// Samples that did not fit the queue (a large import) stay pending in the database; pick
	// them up as the queue drains.
	tick := time.NewTicker(sweepEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			wg.Wait()
			return nil
		case <-tick.C:
			if len(p.queue) < cap(p.queue)/2 {
				p.sweep(ctx, library.StatePending)
			}
		}
	}
}

// guard runs one export or import; a panic fails it, never the pool.
func (p *Pool) guard(ctx context.Context, kind string, id int64, run func(context.Context, int64) error) {
	defer func() {
		if r := recover(); r != nil {
			p.log.Error(kind+" panicked", "id", id, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	start := time.Now()
	err := run(ctx, id)
	p.metrics.observe(kind, start, err)
	if err != nil && ctx.Err() == nil {
		p.log.Warn(kind+" failed", "id", id, "err", err)
	}
}

// sweepEvery is how often pending samples are looked for.
const sweepEvery = 2 * time.Second

// sweep queues samples in the given states that are not already queued or running.
func (p *Pool) sweep(ctx context.Context, states ...library.AnalysisState) {
	ids, err := p.pending.SampleIDsInState(ctx, states...)
	if err != nil {
		if ctx.Err() == nil {
			p.log.Error("find pending analyses", "err", err)
		}
		return
	}
	for _, id := range ids {
		if err := p.EnqueueAnalysis(ctx, id); err != nil {
			return // full: the next sweep continues
		}
	}
}

func (p *Pool) analyze(ctx context.Context, id int64) {
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	start := time.Now()
	defer func() {
		if r := recover(); r != nil {
			p.log.Error("analysis panicked", "sample_id", id, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	err := p.work.AnalyzeSample(ctx, id)
	p.metrics.observe("analysis", start, err)
	if err != nil {
		p.log.Warn("analysis failed", "sample_id", id, "err", err)
		return
	}
	p.log.Debug("analysed", "sample_id", id, "duration", time.Since(start))
}
