package export

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"sync"
)

// Export writes kit to opts.Out in the layout of opts.Target and returns the
// plan it followed. It plans first (see Plan), so every problem is reported
// before anything is written. Samples are converted by opts.Workers
// goroutines (runtime.NumCPU() by default) while the caller's goroutine
// writes them in pad order; at most Workers converted samples are held at
// once. progress, when not nil, is called from the caller's goroutine after
// each file with the number of files written and the total.
//
// The sources are only read. The destination must be a new or empty folder
// or a new ZIP file; nothing existing is overwritten, and on failure or
// cancellation everything this call created is removed again. The same kit
// and options give byte-identical output: dither is seeded per pad and ZIP
// entries carry a fixed time.
func Export(ctx context.Context, kit *Kit, opts Options, progress func(done, total int)) (*PlanResult, error) {
	plan, err := Plan(ctx, kit, opts)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	if err := plan.write(ctx, progress); err != nil {
		return nil, fmt.Errorf("export %s to %s: %w", opts.Target, opts.Out, err)
	}
	return plan, nil
}

// result carries one converted sample from a worker to the writer.
type result struct {
	conv *converted
	err  error
}

func (p *PlanResult) write(ctx context.Context, progress func(done, total int)) (err error) {
	ctx, cancel := context.WithCancel(ctx)

	var audioFiles []int
	for i, f := range p.Files {
		if f.job != nil {
			audioFiles = append(audioFiles, i)
		}
	}
	workers := p.opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	conv := newConverter(p.spec, p.opts)
	// One slot per audio file, filled by a worker and drained in order by
	// the writer. A token is taken before a conversion starts and given
	// back once its file is written, so no more than workers samples are in
	// memory, and since tokens are taken in file order the writer never
	// waits on a conversion that cannot start.
	slots := make([]chan result, len(audioFiles))
	for i := range slots {
		slots[i] = make(chan result, 1)
	}
	tokens := make(chan struct{}, workers)
	var wg sync.WaitGroup
	defer func() {
		// Cancel first, so a dispatcher waiting for a token and workers
		// still converting stop at their next check, then wait for them.
		cancel()
		wg.Wait()
	}()
	wg.Go(func() {
		for i, fi := range audioFiles {
			select {
			case tokens <- struct{}{}:
			case <-ctx.Done():
				return
			}
			j := p.Files[fi].job
			wg.Go(func() {
				c, err := p.convertJob(ctx, conv, j)
				slots[i] <- result{c, err}
			})
		}
	})

	out, err := newSink(p.Out)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			out.abort()
		}
	}()
	done, next := 0, 0
	for _, f := range p.Files {
		if err := ctx.Err(); err != nil {
			return err
		}
		switch {
		case strings.HasSuffix(f.Path, "/"):
			if err := out.mkdir(f.Path); err != nil {
				return err
			}
		case f.job != nil:
			var r result
			select {
			case r = <-slots[next]:
			case <-ctx.Done():
				return ctx.Err()
			}
			next++
			if r.err != nil {
				return fmt.Errorf("pad %s (%s): %w", f.job.pad.Label(), sampleDesc(f.job.pad), r.err)
			}
			w, err := out.create(f.Path, false)
			if err != nil {
				return err
			}
			if err := writeAudio(w, p.Target, f.job, r.conv); err != nil {
				return fmt.Errorf("%s: %w", f.Path, err)
			}
			<-tokens
		default:
			w, err := out.create(f.Path, true)
			if err != nil {
				return err
			}
			if _, err := w.Write(f.data); err != nil {
				return fmt.Errorf("%s: %w", f.Path, err)
			}
		}
		done++
		if progress != nil {
			progress(done, len(p.Files))
		}
	}
	return out.finish()
}

// convertJob decodes and converts one pad's sample and checks that it still
// matches the plan (the source could have changed in between).
func (p *PlanResult) convertJob(ctx context.Context, conv *converter, j *job) (*converted, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s, err := conv.shape(j.pad)
	if err != nil {
		return nil, err
	}
	if s.outFrames != j.probe.outFrames || s.channels != j.probe.channels {
		return nil, fmt.Errorf("sample changed since planning: %d frames × %d channels, planned %d × %d",
			s.outFrames, s.channels, j.probe.outFrames, j.probe.channels)
	}
	return conv.convert(ctx, s, padSeed(j.pad.Bank, j.pad.Pad))
}
