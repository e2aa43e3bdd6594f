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

// PendingLister finds work left over from an earlier run.
type PendingLister interface {
	SampleIDsInState(ctx context.Context, states ...library.AnalysisState) ([]int64, error)
	ExportIDsInState(ctx context.Context, states ...string) ([]int64, error)
}

// Pool analyses samples with a fixed number of workers.
type Pool struct {
	work    Analyzer
	export  Exporter
	pending PendingLister
	log     *slog.Logger
	workers int
	timeout time.Duration
	queue   chan int64
	exports chan int64 // one export at a time: each already uses every core

	mu       sync.Mutex
	inFlight map[int64]bool // queued or running, so a sample is never analysed twice at once
}

// NewPool builds a pool; Run starts it.
func NewPool(work Analyzer, export Exporter, pending PendingLister, log *slog.Logger, workers int, perFile time.Duration) *Pool {
	return &Pool{
		work: work, export: export, pending: pending, log: log, workers: workers, timeout: perFile,
		queue: make(chan int64, 4096), exports: make(chan int64, 256), inFlight: map[int64]bool{},
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

func (p *Pool) done(id int64) {
	p.mu.Lock()
	delete(p.inFlight, id)
	p.mu.Unlock()
}

// Run works until ctx is cancelled. It first re-queues samples an earlier run left pending or
// half analysed.
func (p *Pool) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	for range p.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-ctx.Done():
					return
				case id := <-p.queue:
					p.analyze(ctx, id)
					p.done(id)
				}
			}
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-ctx.Done():
				return
			case id := <-p.exports:
				p.runExport(ctx, id)
			}
		}
	}()
	if ids, err := p.pending.ExportIDsInState(ctx, library.ExportQueued, library.ExportRunning); err != nil {
		p.log.Error("find pending exports", "err", err)
	} else {
		for _, id := range ids {
			_ = p.EnqueueExport(ctx, id)
		}
	}
	if ids, err := p.pending.SampleIDsInState(ctx, library.StatePending, library.StateAnalyzing); err != nil {
		p.log.Error("find pending analyses", "err", err)
	} else {
		for _, id := range ids {
			if err := p.EnqueueAnalysis(ctx, id); err != nil {
				p.log.Warn("re-queue analysis", "sample_id", id, "err", err)
				break
			}
		}
	}
	wg.Wait()
	return nil
}

func (p *Pool) runExport(ctx context.Context, id int64) {
	defer func() {
		if r := recover(); r != nil {
			p.log.Error("export panicked", "export_id", id, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	if err := p.export.RunExport(ctx, id); err != nil {
		p.log.Warn("export failed", "export_id", id, "err", err)
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
	if err := p.work.AnalyzeSample(ctx, id); err != nil {
		p.log.Warn("analysis failed", "sample_id", id, "err", err)
		return
	}
	p.log.Debug("analysed", "sample_id", id, "duration", time.Since(start))
}
