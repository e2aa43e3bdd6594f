package dsp

import (
	"fmt"
	"math"
)

// OnsetDetector computes onset strength as log-compressed spectral flux per group of
// frequency bands (Böck, Krebs & Schedl 2012, "Evaluating the online capabilities of onset
// detection methods", ISMIR, who filter the magnitude spectrum into log-spaced bands before
// taking the flux; Klapuri 1999 for reading onsets per band). The input of each frame is a
// vector of band energies E[j] ≥ 0 (a mel filterbank output, or a power spectrum where every
// bin is its own band). With Y[j] = ln(1 + γ·√E[j]), γ = OnsetGamma, group g's strength is
// the half-wave rectified flux Σ_{j∈g} max(0, Y_t[j] − Y_{t−1}[j]) divided by the number of
// bands in the group, so groups of different widths are comparable.
//
// Summing bins into bands before the logarithm matters for tonal material: two partials
// inside one Hann main lobe beat, which makes single bins flicker and fakes onsets.
type OnsetDetector struct {
	edges []int // group g covers inputs [edges[g], edges[g+1])
	prev  []float32
	cur   []float32
	first bool
}

// OnsetGamma is the log-compression constant γ.
const OnsetGamma = 1000

// NewOnsetDetector returns a detector whose groups are the input index ranges
// [edges[g], edges[g+1]); edges must be ascending and non-empty ranges.
func NewOnsetDetector(edges ...int) (*OnsetDetector, error) {
	if len(edges) < 2 || edges[0] < 0 {
		return nil, fmt.Errorf("dsp: onset detector needs at least two edges, got %v", edges)
	}
	for g := 1; g < len(edges); g++ {
		if edges[g] <= edges[g-1] {
			return nil, fmt.Errorf("dsp: onset band edges not ascending: %v", edges)
		}
	}
	n := edges[len(edges)-1]
	return &OnsetDetector{edges: append([]int(nil), edges...), prev: make([]float32, n), cur: make([]float32, n), first: true}, nil
}

// Bands is the number of groups.
func (o *OnsetDetector) Bands() int { return len(o.edges) - 1 }

// Reset forgets the previous frame.
func (o *OnsetDetector) Reset() { o.first = true }

// Next consumes the next frame's band energies and writes the per-group onset strength into
// dst. The first frame after a reset is compared with silence.
func (o *OnsetDetector) Next(dst, energy []float32) []float32 {
	dst = resize32(dst, o.Bands())
	lo, hi := o.edges[0], o.edges[len(o.edges)-1]
	if o.first {
		for k := range o.prev {
			o.prev[k] = 0
		}
		o.first = false
	}
	for k := lo; k < hi; k++ {
		o.cur[k] = Log1p32(OnsetGamma * Sqrt32(energy[k]))
	}
	for b := 0; b < o.Bands(); b++ {
		var acc float32
		for k := o.edges[b]; k < o.edges[b+1]; k++ {
			if d := o.cur[k] - o.prev[k]; d > 0 {
				acc += d
			}
		}
		dst[b] = acc / float32(o.edges[b+1]-o.edges[b])
	}
	o.prev, o.cur = o.cur, o.prev
	return dst
}

// Sqrt32 is the float32 square root.
func Sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

// Log1p32 approximates ln(1+x) for x ≥ 0 to about 1e-5 absolute: the float32 exponent
// gives the integer part of log2 and the mantissa m ∈ [1, 2) is handled by the series
// ln m = 2·atanh(s) = 2(s + s³/3 + s⁵/5 + s⁷/7 + s⁹/9), s = (m−1)/(m+1) ≤ 1/3. Onset
// detection needs the shape, not the last digit, and this is several times faster than
// math.Log1p.
func Log1p32(x float32) float32 {
	y := 1 + x
	bits := math.Float32bits(y)
	e := float32(int32(bits>>23)&0xff - 127)
	m := math.Float32frombits(bits&0x007fffff | 0x3f800000)
	s := (m - 1) / (m + 1)
	s2 := s * s
	ln := 2 * s * (1 + s2*(1.0/3+s2*(1.0/5+s2*(1.0/7+s2*(1.0/9)))))
	return e*0.6931472 + ln
}

// Autocorrelation writes r[τ] = Σ_n x[n]·x[n+τ] for τ = 0…maxLag (inclusive) into dst.
func Autocorrelation(dst, x []float32, maxLag int) []float32 {
	if maxLag >= len(x) {
		maxLag = len(x) - 1
	}
	if maxLag < 0 {
		return dst[:0]
	}
	dst = resize32(dst, maxLag+1)
	for tau := 0; tau <= maxLag; tau++ {
		var acc float32
		a := x[tau:]
		b := x[:len(a)]
		for i, v := range a {
			acc += v * b[i]
		}
		dst[tau] = acc
	}
	return dst
}

// Ln32 approximates the natural logarithm of x > 0 to about 1e-5 absolute with the same
// exponent/mantissa series as Log1p32; x ≤ 1e-30 (including 0 and negatives) is treated as
// 1e-30.
func Ln32(x float32) float32 {
	if x < 1e-30 {
		x = 1e-30
	}
	bits := math.Float32bits(x)
	e := float32(int32(bits>>23)&0xff - 127)
	m := math.Float32frombits(bits&0x007fffff | 0x3f800000)
	s := (m - 1) / (m + 1)
	s2 := s * s
	ln := 2 * s * (1 + s2*(1.0/3+s2*(1.0/5+s2*(1.0/7+s2*(1.0/9)))))
	return e*0.6931472 + ln
}
