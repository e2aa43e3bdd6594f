package audio

import "math"

// Dither is a seeded source of triangular-PDF (TPDF) dither for requantising float audio to
// 16-bit PCM. The same seed gives the same noise on every platform, so an export of the same
// input is byte-for-byte reproducible. A Dither is not safe for concurrent use; give each
// goroutine its own.
//
// Each dither value is the difference of two independent uniform variables on [0, 1) LSB,
// so it is triangular on (−1, 1) LSB with mean 0 and variance 1/6 LSB². Added before
// rounding, it makes the mean of the quantisation error zero and its variance 1/4 LSB²
// whatever the signal, so the error is white noise instead of distortion correlated with
// the signal (Vanderkooy & Lipshitz, "Dither in digital audio", JAES 35(12), 1987;
// Wannamaker, Lipshitz & Vanderkooy, "A theory of nonsubtractive dither", IEEE Trans. Signal
// Processing 48(2), 2000). The generator is SplitMix64 (Steele, Lea & Flood, "Fast
// splittable pseudorandom number generators", OOPSLA 2014); one 64-bit draw supplies both
// 32-bit uniforms.
type Dither struct {
	state uint64
}

// NewDither returns a Dither whose sequence is fixed by seed.
func NewDither(seed uint64) *Dither { return &Dither{state: seed} }

// next is one SplitMix64 step.
func (d *Dither) next() uint64 {
	d.state += 0x9e3779b97f4a7c15
	z := d.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// tpdf returns the next dither value in LSB, triangular on (−1, 1).
func (d *Dither) tpdf() float64 {
	z := d.next()
	const scale = 1.0 / (1 << 32)
	return (float64(uint32(z)) - float64(uint32(z>>32))) * scale
}

// Full-scale mapping for 16-bit PCM: a float sample x becomes round(x·32768), clipped to
// [−32768, 32767], the convention of the WAV and AIFF integer formats where −1.0 is the most
// negative code.
const (
	pcm16Scale = 32768
	pcm16Max   = 32767
	pcm16Min   = -32768
)

// Quantize16 converts src (full scale ±1.0) to 16-bit PCM in dst and returns
// dst[:len(src)]; dst is grown when too small (nil allocates). Each sample becomes
// round(x·32768 + t), with t the next TPDF value from d in LSB, clipped to
// [−32768, 32767]. A nil d rounds without dither, which is exact for audio that already
// sits on the 16-bit grid (such as a decoded 16-bit file) and otherwise leaves
// signal-correlated distortion. NaN samples become 0.
func Quantize16(dst []int16, src []float32, d *Dither) []int16 {
	if cap(dst) < len(src) {
		dst = make([]int16, len(src))
	}
	dst = dst[:len(src)]
	for i, x := range src {
		v := float64(x) * pcm16Scale
		if d != nil {
			v += d.tpdf()
		}
		v = math.Floor(v + 0.5)
		switch {
		case v >= pcm16Max:
			dst[i] = pcm16Max
		case v <= pcm16Min:
			dst[i] = pcm16Min
		case v == v:
			dst[i] = int16(v)
		default:
			dst[i] = 0
		}
	}
	return dst
}
