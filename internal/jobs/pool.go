// Package jobs runs background work: the River queue (river*.go) in the server and workers, and
// Pool, the in-process analysis pool of `sp404agent import`, which analyses what it imports
// without needing a server.
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

// PendingLister finds samples waiting for analysis.
type PendingLister interface {
	SampleIDsInState(ctx context.Context, states ...library.AnalysisState) ([]int64, error)
}

// Pool analyses samples with a fixed number of workers, a per-file timeout, and panics confined
// to the file that caused them.
type Pool struct {
	work    Analyzer
	pending PendingLister
	log     *slog.Logger
	workers int
	timeout time.Duration
	queue   chan int64

	mu       sync.Mutex
	inFlight map[int64]bool // queued or running, so a sample is never analysed twice at once
}

// NewPool builds a pool; Run starts it.
func NewPool(work Analyzer, pending PendingLister, log *slog.Logger, workers int, perFile time.Duration) *Pool {
	return &Pool{
		work: work, pending: pending, log: log, workers: workers, timeout: perFile,
		queue: make(chan int64, 4096), inFlight: map[int64]bool{},
	}
}

// EnqueueAnalysis queues a sample. When the queue is full the sample stays pending in the
// database and the next sweep finds it.
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

func (p *Pool) done(id int64) {
	p.mu.Lock()
	delete(p.inFlight, id)
	p.mu.Unlock()
}

// sweepEvery is how often pending samples are looked for.
const sweepEvery = 2 * time.Second

// Run works until ctx is cancelled. Samples that did not fit the queue stay pending in the
// database; a periodic sweep picks them up as the queue drains.
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
	p.sweep(ctx, library.StatePending, library.StateAnalyzing)
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
	defer func() {
		if r := recover(); r != nil {
			p.log.Error("analysis panicked", "sample_id", id, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
		}
	}()
	if err := p.work.AnalyzeSample(ctx, id); err != nil {
		p.log.Warn("analysis failed", "sample_id", id, "err", err)
	}
}
