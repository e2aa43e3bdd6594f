package dsp

import (
	"fmt"

	"gonum.org/v1/gonum/dsp/fourier"
)

// YIN estimates the fundamental period of a frame with the YIN algorithm (de Cheveigné &
// Kawahara 2002, "YIN, a fundamental frequency estimator for speech and music", JASA 111(4)):
// the difference function d(τ) = Σ_{j<W} (x[j] − x[j+τ])², its cumulative-mean normalisation
// d'(τ) = d(τ)·τ / Σ_{u≤τ} d(u), the first dip below the absolute threshold (0.15, else the
// global minimum) and parabolic interpolation. d is computed as e₀ + e_τ − 2·r(τ) with the
// cross term r from one FFT correlation, O(N log N) instead of O(W·τmax).
type YIN struct {
	w, maxLag int
	fft       *fourier.FFT
	a, b      []float64
	ca, cb    []complex128
	r         []float64
	d         []float64
}

// YINThreshold is the absolute threshold on d'(τ) (de Cheveigné & Kawahara 2002, step 4).
const YINThreshold = 0.15

// NewYIN returns a plan for windows of w samples and lags up to maxLag (< w is not required).
func NewYIN(w, maxLag int) (*YIN, error) {
	if w < 4 || maxLag < 2 {
		return nil, fmt.Errorf("dsp: invalid YIN window %d lag %d", w, maxLag)
	}
	m := 1
	for m < 2*w+maxLag {
		m *= 2
	}
	return &YIN{w: w, maxLag: maxLag, fft: fourier.NewFFT(m), a: make([]float64, m), b: make([]float64, m),
		ca: make([]complex128, m/2+1), cb: make([]complex128, m/2+1), r: make([]float64, m), d: make([]float64, maxLag+1)}, nil
}

// FrameLen is the number of samples Estimate reads: W + maxLag.
func (y *YIN) FrameLen() int { return y.w + y.maxLag }

// Estimate returns the period in samples (fractional) of src[:FrameLen()] searched over
// lags minLag…maxLag, and the aperiodicity d'(τ) at that lag (0 = perfectly periodic,
// ≈1 = noise). A silent frame returns (0, 1).
func (y *YIN) Estimate(src []float32, minLag int) (period, aperiodicity float64) {
	if len(src) < y.FrameLen() {
		return 0, 1
	}
	if minLag < 1 {
		minLag = 1
	}
	for i := range y.a {
		y.a[i], y.b[i] = 0, 0
	}
	var e0 float64
	for j := 0; j < y.w; j++ {
		v := float64(src[j])
		y.a[j] = v
		e0 += v * v
	}
	if e0 == 0 {
		return 0, 1
	}
	for j := 0; j < y.w+y.maxLag; j++ {
		y.b[j] = float64(src[j])
	}
	y.fft.Coefficients(y.ca, y.a)
	y.fft.Coefficients(y.cb, y.b)
	for k := range y.ca {
		y.ca[k] = complex(real(y.ca[k]), -imag(y.ca[k])) * y.cb[k]
	}
	y.fft.Sequence(y.r, y.ca)
	scale := 1 / float64(len(y.r))
	// e_τ = Σ_{j<W} b[j+τ]², updated as a sliding sum.
	et := e0
	d := y.d
	d[0] = 1
	var cum float64
	for tau := 1; tau <= y.maxLag; tau++ {
		out := float64(src[tau-1])
		in := float64(src[tau-1+y.w])
		et += in*in - out*out
		diff := e0 + et - 2*y.r[tau]*scale
		if diff < 0 {
			diff = 0
		}
		cum += diff
		if cum > 0 {
			d[tau] = diff * float64(tau) / cum
		} else {
			d[tau] = 1
		}
	}
	best := -1
	for tau := minLag; tau <= y.maxLag; tau++ {
		if d[tau] < YINThreshold {
			for tau+1 <= y.maxLag && d[tau+1] < d[tau] {
				tau++
			}
			best = tau
			break
		}
	}
	if best < 0 {
		best = minLag
		for tau := minLag; tau <= y.maxLag; tau++ {
			if d[tau] < d[best] {
				best = tau
			}
		}
	}
	period = float64(best)
	if best > 1 && best < y.maxLag {
		a, b, c := d[best-1], d[best], d[best+1]
		if den := a - 2*b + c; den > 0 {
			period += 0.5 * (a - c) / den
		}
	}
	return period, min(1, d[best])
}
