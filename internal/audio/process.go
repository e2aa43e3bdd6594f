package audio

import (
	"math"
	"time"
)

// Level conversions used throughout: a linear amplitude a is 20·log10(a) dB relative to full
// scale (1.0), so 0 dBFS is full scale and −6.02 dBFS is half of it.

// DBToGain converts a level change in dB to a linear amplitude factor, 10^(db/20).
func DBToGain(db float64) float64 { return math.Pow(10, db/20) }

// GainToDB converts a linear amplitude factor to dB, 20·log10(g); 0 gives −Inf.
func GainToDB(g float64) float64 { return 20 * math.Log10(g) }

// Peak returns the largest absolute sample value over all channels, as a linear amplitude
// (1.0 is full scale). Silence gives 0.
func Peak(buf *Buffer) float64 {
	var p float32
	for _, ch := range buf.Data {
		for _, v := range ch {
			p = max(p, abs32(v))
		}
	}
	return float64(p)
}

// PeakDBFS is Peak in dBFS (sample peak, not true peak); silence gives −Inf.
func PeakDBFS(buf *Buffer) float64 { return GainToDB(Peak(buf)) }

// Gain returns a new buffer with every sample of buf multiplied by 10^(db/20).
func Gain(buf *Buffer, db float64) *Buffer {
	g := float32(DBToGain(db))
	out := &Buffer{SampleRate: buf.SampleRate, Data: make([][]float32, len(buf.Data))}
	for c, ch := range buf.Data {
		o := make([]float32, len(ch))
		for i, v := range ch {
			o[i] = v * g
		}
		out.Data[c] = o
	}
	return out
}

// NormalizePeak returns a new buffer scaled so its sample peak is targetDBFS (for example
// −1 for −1 dBFS), and the gain applied in dB. The same gain goes to every channel, so the
// stereo image is kept. A silent buffer is returned as an unscaled copy with gain 0.
func NormalizePeak(buf *Buffer, targetDBFS float64) (*Buffer, float64) {
	p := Peak(buf)
	if p == 0 {
		return Gain(buf, 0), 0
	}
	db := targetDBFS - GainToDB(p)
	return Gain(buf, db), db
}

// NormalizeLoudness returns a new buffer whose integrated loudness moves from measuredLUFS
// to targetLUFS, and the gain applied in dB. Loudness (ITU-R BS.1770 / EBU R 128) scales
// exactly with gain, so the gain is targetLUFS − measuredLUFS dB; the measurement itself
// comes from the loudness meter. If that gain would push the sample peak above
// ceilingDBFS (0 for full scale), the gain is lowered to put the peak at the ceiling instead
// and the result is quieter than the target: a 16-bit export would otherwise clip. A
// measured loudness of −Inf (silence) leaves the buffer unscaled.
func NormalizeLoudness(buf *Buffer, measuredLUFS, targetLUFS, ceilingDBFS float64) (*Buffer, float64) {
	if math.IsInf(measuredLUFS, 0) || math.IsNaN(measuredLUFS) {
		return Gain(buf, 0), 0
	}
	db := targetLUFS - measuredLUFS
	if p := Peak(buf); p > 0 {
		db = min(db, ceilingDBFS-GainToDB(p))
	}
	return Gain(buf, db), db
}

// TrimOptions configures TrimSilence. Durations are converted to frames at the buffer's
// sample rate, rounding to the nearest frame.
type TrimOptions struct {
	// ThresholdDBFS is the level below which a frame counts as silence; a frame's level
	// is the largest absolute sample over its channels.
	ThresholdDBFS float64
	// PreRoll is how much audio to keep before the first frame above the threshold, so
	// a soft onset that starts below it is not cut.
	PreRoll time.Duration
	// PostRoll is how much audio to keep after the last frame above the threshold, for
	// the release tail.
	PostRoll time.Duration
	// Fade is the length of the raised-cosine fade applied at an end that was cut, so
	// the cut does not click. It is applied inside the kept pre-roll or post-roll only,
	// never over audio above the threshold, so it is shortened to fit them.
	Fade time.Duration
}

// DefaultTrimOptions returns the export defaults: −60 dBFS threshold, 5 ms pre-roll,
// 20 ms post-roll and a 5 ms fade. A 5 ms pre-roll is short enough not to delay a pad's hit
// noticeably, and a 5 ms fade (240 frames at 48 kHz) is the usual de-click length of sample
// editors: long enough to remove the step of a hard cut, short enough not to soften an
// attack.
func DefaultTrimOptions() TrimOptions {
	return TrimOptions{
		ThresholdDBFS: -60,
		PreRoll:       5 * time.Millisecond,
		PostRoll:      20 * time.Millisecond,
		Fade:          5 * time.Millisecond,
	}
}

// TrimSilence returns a new buffer without the leading and trailing frames below
// o.ThresholdDBFS, keeping o.PreRoll before the first loud frame and o.PostRoll after the
// last, and fading a cut end over up to o.Fade (see TrimOptions). All channels are cut at
// the same frames, so mono stays mono and stereo stays aligned. It also returns the index of
// the first kept frame in buf. A buffer that is silent throughout gives zero frames.
func TrimSilence(buf *Buffer, o TrimOptions) (*Buffer, int) {
	n := buf.Frames()
	thr := float32(DBToGain(o.ThresholdDBFS))
	loud := func(i int) bool {
		for _, ch := range buf.Data {
			if abs32(ch[i]) >= thr {
				return true
			}
		}
		return false
	}
	first, last := -1, -1
	for i := 0; i < n; i++ {
		if loud(i) {
			first = i
			break
		}
	}
	if first < 0 {
		return NewBuffer(buf.SampleRate, buf.Channels(), 0), 0
	}
	for i := n - 1; i >= first; i-- {
		if loud(i) {
			last = i
			break
		}
	}
	frames := func(d time.Duration) int {
		return int(math.Round(d.Seconds() * float64(buf.SampleRate)))
	}
	start := max(0, first-frames(o.PreRoll))
	end := min(n, last+1+frames(o.PostRoll))
	out := &Buffer{SampleRate: buf.SampleRate, Data: make([][]float32, len(buf.Data))}
	for c, ch := range buf.Data {
		out.Data[c] = append([]float32(nil), ch[start:end]...)
	}
	fade := frames(o.Fade)
	var in, outLen int
	if start > 0 {
		in = min(fade, first-start)
	}
	if end < n {
		outLen = min(fade, end-(last+1))
	}
	FadeInPlace(out, in, outLen)
	return out, start
}

// Fade returns a new buffer with a fade-in over the first in frames and a fade-out over the
// last out frames (see FadeInPlace for the curve).
func Fade(buf *Buffer, in, out int) *Buffer {
	g := Gain(buf, 0)
	FadeInPlace(g, in, out)
	return g
}

// FadeInPlace multiplies the first in frames of buf by a rising raised-cosine (Hann) half
// window and the last out frames by a falling one, modifying buf. Frame i of a fade-in
// of n frames gets gain sin²(π/2 · i/n): 0 at the first frame, rising smoothly towards 1 at
// frame n. The fade-out mirrors it, so the last frame gets 0. The raised cosine has a
// continuous slope at both ends, which keeps its spectral splatter lower than a linear
// ramp's (Harris, "On the use of windows for harmonic analysis with the discrete Fourier
// transform", Proc. IEEE 66(1), 1978). Lengths are clamped to the buffer.
func FadeInPlace(buf *Buffer, in, out int) {
	n := buf.Frames()
	in, out = min(max(in, 0), n), min(max(out, 0), n)
	for i := range in {
		s := math.Sin(0.5 * math.Pi * float64(i) / float64(in))
		g := float32(s * s)
		for _, ch := range buf.Data {
			ch[i] *= g
		}
	}
	for i := range out {
		s := math.Sin(0.5 * math.Pi * float64(i) / float64(out))
		g := float32(s * s)
		for _, ch := range buf.Data {
			ch[n-1-i] *= g
		}
	}
}

func abs32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }
