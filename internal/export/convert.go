package export

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"

	"github.com/sp404agent/sp404agent/internal/audio"
	"github.com/sp404agent/sp404agent/internal/dsp"
)

// Target names an export layout.
type Target string

// Export targets (design §8).
const (
	TargetMK2        Target = "mk2"         // IMPORT/<KIT>/ loose 48 kHz WAVs + kit.txt
	TargetMK2Project Target = "mk2-project" // EXPORT/PROJECT/PROJECT_NN/ PADCONF.BIN + SMPL/*.SMP + PTN/
	TargetSX         Target = "sx"          // ROLAND/SP-404SX/SMPL/ PAD_INFO.BIN + RLND WAVs
)

// Normalize selects the level normalisation applied to every sample.
type Normalize string

// Normalisation modes.
const (
	NormalizeNone Normalize = "none"
	NormalizePeak Normalize = "peak" // sample peak to NormalizeTarget dBFS (default −1)
	NormalizeLUFS Normalize = "lufs" // integrated loudness to NormalizeTarget LUFS (default −14)
)

// Defaults of Options.
const (
	DefaultPeakTarget    = -1.0  // dBFS
	DefaultLUFSTarget    = -14.0 // LUFS
	DefaultTrimThreshold = -60.0 // dBFS
	// lufsCeiling is the sample-peak limit of loudness normalisation, so that
	// raising a quiet sample to the target never clips the 16-bit output.
	lufsCeiling = -1.0
)

// Options configures Plan and Export.
type Options struct {
	Target Target
	// Out is a folder that does not exist yet or is empty, or a path ending
	// in .zip that does not exist yet. The card layout is written inside it,
	// so its content is copied to the root of the SD card.
	Out string
	// ProjectName is the MKII project name (mk2-project), at most 31 ASCII
	// characters; empty uses the kit name.
	ProjectName string
	// Slot is the MKII project slot 1–16 (mk2-project); 0 means 1.
	Slot int
	// Normalize is none (or empty), peak or lufs.
	Normalize Normalize
	// NormalizeTarget is the peak level in dBFS or the loudness in LUFS;
	// 0 uses DefaultPeakTarget or DefaultLUFSTarget.
	NormalizeTarget float64
	// TrimSilence cuts leading and trailing silence below TrimThresholdDB
	// (0 uses DefaultTrimThreshold), keeping 5 ms before and 20 ms after
	// the sound with 5 ms fades (audio.DefaultTrimOptions).
	TrimSilence     bool
	TrimThresholdDB float64
	// Workers is the number of samples converted at once; 0 means
	// runtime.NumCPU(). Memory is bounded by Workers decoded samples.
	Workers int
}

// deviceSpec is what a target needs from the audio.
type deviceSpec struct {
	rate      int
	maxFrames int64 // at rate
	perBank   int
}

func specFor(t Target) (deviceSpec, error) {
	switch t {
	case TargetMK2, TargetMK2Project:
		// 16 minutes at 48 kHz, the manual's limit (spec §1.1).
		return deviceSpec{rate: 48000, maxFrames: 16 * 60 * 48000, perBank: 16}, nil
	case TargetSX:
		// The SX's limit is its card; the hard one is the 32-bit RIFF size,
		// (2^32 − 1 − 512) / 4 stereo frames. 4 hours keeps well inside it.
		return deviceSpec{rate: 44100, maxFrames: 4 * 3600 * 44100, perBank: 12}, nil
	}
	return deviceSpec{}, fmt.Errorf("target %q: want mk2, mk2-project or sx", t)
}

// maxSourceFrames bounds decoding: a 16-minute sample at 192 kHz. Longer
// sources are refused before they can use gigabytes of memory.
const maxSourceFrames = 16 * 60 * 192000

// shaped is a decoded sample after channel, trim and length decisions, the
// part of the conversion Plan needs to know the output size.
type shaped struct {
	buf       *audio.Buffer
	md        audio.Metadata
	srcRate   int
	srcFrames int64
	trimStart int64 // first kept source frame
	outFrames int64
	outRate   int
	channels  int
	warnings  []string
}

// converter converts samples for one export run. Resamplers are shared
// between workers: their filter banks are read-only once designed.
type converter struct {
	spec deviceSpec
	opts Options

	mu         sync.Mutex
	resamplers map[int]*audio.Resampler
}

func newConverter(spec deviceSpec, opts Options) *converter {
	return &converter{spec: spec, opts: opts, resamplers: make(map[int]*audio.Resampler)}
}

func (c *converter) resampler(inRate int) (*audio.Resampler, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r, ok := c.resamplers[inRate]; ok {
		return r, nil
	}
	r, err := audio.NewResampler(inRate, c.spec.rate, audio.QualityHigh)
	if err != nil {
		return nil, fmt.Errorf("resample %d Hz to %d Hz: %w", inRate, c.spec.rate, err)
	}
	c.resamplers[inRate] = r
	return r, nil
}

// shape decodes the pad's sample and decides its output length.
func (c *converter) shape(p *Pad) (*shaped, error) {
	if p.Source.Open == nil {
		return nil, errors.New("no audio source")
	}
	rc, err := p.Source.Open()
	if err != nil {
		return nil, fmt.Errorf("open sample: %w", err)
	}
	defer rc.Close()
	buf, md, err := audio.Decoder{MaxFrames: maxSourceFrames}.Decode(rc)
	if errors.Is(err, audio.ErrTooLarge) {
		return nil, fmt.Errorf("sample is too long for the device: %w", err)
	}
	if err != nil {
		return nil, fmt.Errorf("decode sample: %w", err)
	}
	if err := buf.Validate(); err != nil {
		return nil, fmt.Errorf("decode sample: %w", err)
	}
	if src := p.Source; src.RegionEnd != 0 {
		if buf, err = buf.Region(src.RegionStart, src.RegionEnd); err != nil {
			return nil, fmt.Errorf("slice of sample: %w", err)
		}
	}
	s := &shaped{buf: buf, md: md, srcRate: buf.SampleRate, srcFrames: int64(buf.Frames())}
	if buf.Channels() > 2 {
		// The devices hold mono or stereo; keep the front pair rather than
		// fold surround channels in at a guessed balance.
		s.warnings = append(s.warnings, fmt.Sprintf("%d channels: only the first two are exported", buf.Channels()))
		buf.Data = buf.Data[:2]
	}
	s.channels = buf.Channels()
	if s.srcFrames == 0 {
		return nil, errors.New("sample holds no audio")
	}
	if c.opts.TrimSilence {
		o := audio.DefaultTrimOptions()
		if c.opts.TrimThresholdDB != 0 {
			o.ThresholdDBFS = c.opts.TrimThresholdDB
		}
		trimmed, start := audio.TrimSilence(buf, o)
		if trimmed.Frames() == 0 {
			return nil, fmt.Errorf("sample is silent below %g dBFS: nothing left after trimming", o.ThresholdDBFS)
		}
		if trimmed.Frames() != buf.Frames() {
			s.buf, s.trimStart = trimmed, int64(start)
		}
	}
	r, err := c.resampler(s.srcRate)
	if err != nil {
		return nil, err
	}
	s.outFrames, s.outRate = int64(r.OutLen(s.buf.Frames())), c.spec.rate
	if s.outFrames > c.spec.maxFrames {
		return nil, fmt.Errorf("sample is %.1f s long: the device takes at most %.0f s",
			float64(s.outFrames)/float64(c.spec.rate), float64(c.spec.maxFrames)/float64(c.spec.rate))
	}
	if s.outFrames < 1000 {
		s.warnings = append(s.warnings, fmt.Sprintf("only %d frames long: the device may refuse very short samples", s.outFrames))
	}
	return s, nil
}

// converted is a sample ready to write: interleaved 16-bit PCM at the
// device rate.
type converted struct {
	pcm      []int16
	channels int
	frames   int64
}

// convert finishes a shaped sample: normalisation, resampling and
// quantisation to 16 bits, with TPDF dither seeded from seed whenever the
// samples do not already sit on the 16-bit grid.
func (c *converter) convert(ctx context.Context, s *shaped, seed uint64) (*converted, error) {
	buf := s.buf
	changed := s.trimStart != 0 || int64(buf.Frames()) != s.srcFrames
	switch c.opts.Normalize {
	case NormalizePeak:
		target := c.opts.NormalizeTarget
		if target == 0 {
			target = DefaultPeakTarget
		}
		var db float64
		buf, db = audio.NormalizePeak(buf, target)
		changed = changed || db != 0
	case NormalizeLUFS:
		target := c.opts.NormalizeTarget
		if target == 0 {
			target = DefaultLUFSTarget
		}
		l := dsp.MeasureLoudness(buf.Data, buf.SampleRate)
		measured := l.Integrated
		if l.Blocks == 0 {
			// Under 400 ms there is no integrated loudness; the momentary
			// reading is what a listener hears (design §7).
			measured = l.MaxMomentary
		}
		if measured > dsp.LoudnessFloor {
			var db float64
			buf, db = audio.NormalizeLoudness(buf, measured, target, lufsCeiling)
			changed = changed || db != 0
		}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r, err := c.resampler(buf.SampleRate)
	if err != nil {
		return nil, err
	}
	if buf.SampleRate != c.spec.rate {
		buf = r.ResampleBuffer(buf)
		changed = true
	}
	if int64(buf.Frames()) != s.outFrames {
		return nil, fmt.Errorf("converted to %d frames, planned %d", buf.Frames(), s.outFrames)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	exact := !changed && !s.md.Float && s.md.BitDepth > 0 && s.md.BitDepth <= 16
	ch := len(buf.Data)
	out := &converted{pcm: make([]int16, len(buf.Data[0])*ch), channels: ch, frames: s.outFrames}
	tmp := make([]int16, 0, min(len(buf.Data[0]), 1<<16))
	for ci, data := range buf.Data {
		var d *audio.Dither
		if !exact {
			d = audio.NewDither(seed ^ uint64(ci+1)*0xD1B54A32D192ED03)
		}
		// Quantise in blocks so the int16 scratch stays small.
		for off := 0; off < len(data); off += cap(tmp) {
			end := min(off+cap(tmp), len(data))
			tmp = audio.Quantize16(tmp[:0], data[off:end], d)
			for i, v := range tmp {
				out.pcm[(off+i)*ch+ci] = v
			}
		}
	}
	return out, nil
}

// mapFrame converts a source frame to a frame of the exported audio: the
// trimmed start removed, scaled by the rate ratio, clamped to the length.
func (s *shaped) mapFrame(f int64) int64 {
	f -= s.trimStart
	if f <= 0 {
		return 0
	}
	v := int64(math.Round(float64(f) * float64(s.outRate) / float64(s.srcRate)))
	return min(v, s.outFrames)
}

// padSeed is the dither seed of a pad: fixed per pad position, so exports
// are reproducible and neighbouring pads get unrelated noise.
func padSeed(bank, pad int) uint64 {
	return (uint64(bank)<<8 | uint64(pad) + 1) * 0x9E3779B97F4A7C15
}
