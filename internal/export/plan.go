package export

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/sp404agent/sp404agent/internal/sp404"
)

// PlannedFile is one file or folder an export writes.
type PlannedFile struct {
	// Path is slash-separated and relative to Options.Out (or the ZIP root).
	// Folders end in "/".
	Path string `json:"path"`
	// Size is the exact size in bytes.
	Size int64 `json:"size"`
	// Pad and Sample name the pad and the source sample of an audio file.
	Pad    string `json:"pad,omitempty"`
	Sample string `json:"sample,omitempty"`
	// Channels, Frames and SampleRate describe an audio file.
	Channels   int   `json:"channels,omitempty"`
	Frames     int64 `json:"frames,omitempty"`
	SampleRate int   `json:"sample_rate,omitempty"`

	// data holds the bytes of a metadata file (PADCONF.BIN, PAD_INFO.BIN,
	// kit.txt), built in full by Plan; job is the audio file's pad job.
	data []byte
	job  *job
}

// PlanResult is what an export would write.
type PlanResult struct {
	Target Target `json:"target"`
	Out    string `json:"out"`
	Zip    bool   `json:"zip"`
	// Root is the folder, relative to Out, that holds the kit.
	Root       string        `json:"root"`
	Files      []PlannedFile `json:"files"`
	TotalBytes int64         `json:"total_bytes"`
	// Skipped lists pads that exist in the kit but not on the target.
	Skipped  []string `json:"skipped,omitempty"`
	Warnings []string `json:"warnings,omitempty"`

	spec deviceSpec
	opts Options
}

// job is one pad to convert.
type job struct {
	pad   *Pad
	index int // device pad index: bank×16+pad−1 (MKII) or bank×12+pad−1 (SX)
	probe *shaped
	file  int // index into PlanResult.Files
}

// WriteText prints the plan for --dry-run: one line per file, then the
// total, skipped pads and warnings.
func (p *PlanResult) WriteText(w io.Writer) error {
	var b strings.Builder
	dest := "folder"
	if p.Zip {
		dest = "zip"
	}
	fmt.Fprintf(&b, "export %s to %s %s (dry run: nothing written)\n", p.Target, dest, p.Out)
	for _, f := range p.Files {
		switch {
		case strings.HasSuffix(f.Path, "/"):
			fmt.Fprintf(&b, "  %-44s %12s\n", f.Path, "folder")
		case f.Pad != "":
			ch := "stereo"
			if f.Channels == 1 {
				ch = "mono"
			}
			fmt.Fprintf(&b, "  %-44s %12d  %-3s %s, %.2f s, %s\n", f.Path, f.Size, f.Pad, ch,
				float64(f.Frames)/float64(f.SampleRate), f.Sample)
		default:
			fmt.Fprintf(&b, "  %-44s %12d\n", f.Path, f.Size)
		}
	}
	fmt.Fprintf(&b, "%d files, %d bytes\n", len(p.Files), p.TotalBytes)
	for _, s := range p.Skipped {
		fmt.Fprintf(&b, "skipped: %s\n", s)
	}
	for _, s := range p.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", s)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Plan validates kit against opts and works out every file the export would
// write, with exact sizes. It decodes every sample (in parallel) to learn
// its length, so that a missing or undecodable file, or one too long for the
// device, is found before anything is written. All problems are returned
// at once, joined, one per line.
func Plan(ctx context.Context, kit *Kit, opts Options) (*PlanResult, error) {
	var problems []error
	add := func(err error) { problems = append(problems, err) }
	spec, err := specFor(opts.Target)
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	if err := kit.Validate(); err != nil {
		add(err)
	}
	res := &PlanResult{Target: opts.Target, Out: opts.Out, Zip: isZipPath(opts.Out), spec: spec, opts: opts}
	if err := checkOut(opts.Out); err != nil {
		add(err)
	}
	switch opts.Normalize {
	case "", NormalizeNone, NormalizePeak, NormalizeLUFS:
	default:
		add(fmt.Errorf("normalize %q: want none, peak or lufs", opts.Normalize))
	}
	if opts.Slot < 0 || opts.Slot > 16 {
		add(fmt.Errorf("slot %d: want 1–16", opts.Slot))
	}

	// Pads in device order; pads the target lacks are reported, not written.
	var jobs []*job
	for i := range kit.Pads {
		p := &kit.Pads[i]
		if p.Bank < 0 || p.Bank >= sp404.Banks || p.Pad < 1 || p.Pad > sp404.PadsPerBank {
			continue // reported by Validate
		}
		if p.Pad > spec.perBank {
			res.Skipped = append(res.Skipped, fmt.Sprintf("pad %s (%s): the %s has %d pads per bank", p.Label(), p.Source.Name, opts.Target, spec.perBank))
			continue
		}
		jobs = append(jobs, &job{pad: p, index: p.Bank*spec.perBank + p.Pad - 1})
	}
	slices.SortStableFunc(jobs, func(a, b *job) int { return a.index - b.index })
	if len(res.Skipped) > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d pads not exported: the %s target has pads 1–%d only", len(res.Skipped), opts.Target, spec.perBank))
	}
	if len(jobs) == 0 {
		add(errors.New("kit: no pad to export"))
	}

	conv := newConverter(spec, opts)
	probeErrs := probeAll(ctx, conv, jobs, opts.Workers)
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	for i, j := range jobs {
		if j.pad.Source.Open == nil {
			continue // reported by Validate
		}
		if probeErrs[i] != nil {
			add(fmt.Errorf("pad %s (%s): %w", j.pad.Label(), sampleDesc(j.pad), probeErrs[i]))
			continue
		}
		for _, w := range j.probe.warnings {
			res.Warnings = append(res.Warnings, fmt.Sprintf("pad %s (%s): %s", j.pad.Label(), sampleDesc(j.pad), w))
		}
		if err := checkFrames(j); err != nil {
			add(fmt.Errorf("pad %s (%s): %w", j.pad.Label(), sampleDesc(j.pad), err))
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("plan: %w", errors.Join(problems...))
	}

	switch opts.Target {
	case TargetMK2:
		err = planMK2(res, kit, jobs)
	case TargetMK2Project:
		err = planMK2Project(res, kit, jobs)
	case TargetSX:
		err = planSX(res, kit, jobs)
	}
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	for _, f := range res.Files {
		res.TotalBytes += f.Size
	}
	return res, nil
}

// checkFrames checks the pad's frame positions against the decoded length.
func checkFrames(j *job) error {
	p, n := j.pad, j.probe.srcFrames
	var errs []error
	if p.StartFrame >= n {
		errs = append(errs, fmt.Errorf("start frame %d: the sample has %d frames", p.StartFrame, n))
	}
	if p.EndFrame > n {
		errs = append(errs, fmt.Errorf("end frame %d: the sample has %d frames", p.EndFrame, n))
	}
	for i, c := range p.Chops {
		if c >= n {
			errs = append(errs, fmt.Errorf("chop %d at frame %d: the sample has %d frames", i+1, c, n))
		}
	}
	if len(errs) == 0 {
		if s, e := regionOut(j); s >= e {
			errs = append(errs, errors.New("start and end frames fall inside the trimmed silence"))
		}
	}
	return errors.Join(errs...)
}

// regionOut maps StartFrame/EndFrame to output frames [start, end).
func regionOut(j *job) (int64, int64) {
	s, p := j.probe, j.pad
	start := s.mapFrame(p.StartFrame)
	end := s.outFrames
	if p.EndFrame != 0 {
		end = s.mapFrame(p.EndFrame)
	}
	return start, end
}

func sampleDesc(p *Pad) string {
	if p.Source.Path != "" && p.Source.Name == "" {
		return p.Source.Path
	}
	if p.Source.Path != "" {
		return p.Source.Name + ", " + p.Source.Path
	}
	return p.Source.Name
}

// probeAll shapes every job in parallel, keeping only the lengths.
func probeAll(ctx context.Context, conv *converter, jobs []*job, workers int) []error {
	errs := make([]error, len(jobs))
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, max(len(jobs), 1)) {
		wg.Go(func() {
			for i := range next {
				s, err := conv.shape(jobs[i].pad)
				if err != nil {
					errs[i] = err
					continue
				}
				s.buf = nil // only the lengths are kept; Export decodes again
				jobs[i].probe = s
			}
		})
	}
feed:
	for i := range jobs {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	return errs
}

// isZipPath reports whether out names a ZIP file.
func isZipPath(out string) bool { return strings.EqualFold(path.Ext(out), ".zip") }

// checkOut refuses a destination that would overwrite or mix with existing
// files: a ZIP that exists, or a folder that exists and is not empty.
func checkOut(out string) error {
	if out == "" {
		return errors.New("out: no destination given")
	}
	st, err := os.Stat(out)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("out: %w", err)
	case isZipPath(out):
		return fmt.Errorf("out: %s exists: choose a new zip file name", out)
	case !st.IsDir():
		return fmt.Errorf("out: %s exists and is not a folder", out)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return fmt.Errorf("out: %w", err)
	}
	if len(entries) > 0 {
		return fmt.Errorf("out: %s is not empty: choose a new or empty folder", out)
	}
	return nil
}
