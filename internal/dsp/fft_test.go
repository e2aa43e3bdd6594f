package dsp

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"
)

// fftPlans returns plans for size n and window win on every path this CPU runs: the pure-Go
// kernels always, and each vector width up to the one the plan picks.
func fftPlans(n int, win []float32) map[string]*realFFT32 {
	plans := map[string]*realFFT32{}
	top := newRealFFT32(n, win).width
	for _, w := range []int{1, 8, 16} {
		if w <= top {
			f := newRealFFT32(n, win)
			f.width = w
			plans[map[int]string{1: "generic", 8: "avx2", 16: "avx512"}[w]] = f
		}
	}
	return plans
}

// fftInputs are the test signals for size n: random, impulses (flat spectrum), DC, Nyquist.
func fftInputs(n int, r *rand.Rand) map[string][]float32 {
	in := map[string][]float32{}
	noise := make([]float32, n)
	for i := range noise {
		noise[i] = float32(r.NormFloat64())
	}
	in["noise"] = noise
	for _, at := range []int{0, 1, n/2 + 1, n - 1} {
		x := make([]float32, n)
		x[at] = 1
		in["impulse"+itoaB(at)] = x
	}
	dc, ny := make([]float32, n), make([]float32, n)
	for i := range dc {
		dc[i] = 0.5
		ny[i] = float32(1 - 2*(i&1))
	}
	in["dc"], in["nyquist"] = dc, ny
	return in
}

// powerRef is |X[k]|², k ≤ n/2, of x·win in float64 by gonum's FFTPACK.
func powerRef(x, win []float32) []float64 {
	x64 := make([]float64, len(x))
	for i, v := range x {
		x64[i] = float64(v)
		if win != nil {
			x64[i] *= float64(win[i])
		}
	}
	ref := fourier.NewFFT(len(x)).Coefficients(nil, x64)
	p := make([]float64, len(ref))
	for k, c := range ref {
		p[k] = real(c)*real(c) + imag(c)*imag(c)
	}
	return p
}

// The float32 FFT must agree with gonum's float64 FFTPACK (the reference) to float32 precision
// on every path, at every size from 4 up to the largest the analysis asks for (16384), with and
// without a window. Errors are relative to the largest bin: float32 rounding of the sum of n
// terms, under 1e-6 here; bins within 40 dB of the peak also agree to 1e-4 of their own value.
func TestRealFFT32MatchesGonum(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	for n := 4; n <= 16384; n *= 2 {
		hann := make([]float32, n)
		for i, w := range Hann(nil, n) {
			hann[i] = float32(w)
		}
		for _, win := range [][]float32{nil, hann} {
			for name, x := range fftInputs(n, r) {
				want := powerRef(x, win)
				var peak float64
				for _, v := range want {
					peak = max(peak, v)
				}
				for path, f := range fftPlans(n, win) {
					got := make([]float32, n/2+1)
					f.power(got, x, 1, 0)
					for k, w := range want {
						d := math.Abs(float64(got[k]) - w)
						if d > 2e-6*peak || (w > 1e-4*peak && d > 1e-4*w) {
							t.Fatalf("n %d %s %s window %v bin %d: %v want %v (peak %v)",
								n, path, name, win != nil, k, got[k], w, peak)
						}
					}
				}
			}
		}
	}
}

// The vector and pure-Go kernels compute the same transform to float32 rounding, and each is
// deterministic: the same input gives the same bits.
func TestRealFFT32PathsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	if fftWidth == 1 {
		t.Skip("no vector FFT kernels on this CPU")
	}
	for n := 128; n <= 16384; n *= 2 {
		plans := fftPlans(n, nil)
		x := benchSignal(n)
		for i := range x {
			x[i] += float32(r.Float64() - 0.5)
		}
		want := make([]float32, n/2+1)
		plans["generic"].power(want, x, 1, 0)
		var peak float32
		for _, p := range want {
			peak = max(peak, p)
		}
		for path, f := range plans {
			got, again := make([]float32, n/2+1), make([]float32, n/2+1)
			f.power(got, x, 1, 0)
			f.power(again, x, 1, 0)
			for k := range got {
				if math.Abs(float64(got[k]-want[k])) > 2e-6*float64(peak) {
					t.Fatalf("n %d bin %d: %s %v generic %v", n, k, path, got[k], want[k])
				}
				if math.Float32bits(again[k]) != math.Float32bits(got[k]) {
					t.Fatalf("n %d %s bin %d: %v then %v", n, path, k, got[k], again[k])
				}
			}
		}
	}
}

// Scale and floor: dst = |X|²·scale, and values under the floor are exactly 0.
func TestRealFFT32ScaleAndFloor(t *testing.T) {
	for n := 4; n <= 4096; n *= 4 {
		x := benchSignal(n)
		for path, f := range fftPlans(n, nil) {
			raw := make([]float32, n/2+1)
			f.power(raw, x, 1, 0)
			lo := raw[0]
			for _, p := range raw {
				lo = min(lo, p)
			}
			got := make([]float32, n/2+1)
			f.power(got, x, 0.25, lo*0.25*1.0001)
			for k, p := range raw {
				want := p * 0.25
				if p == lo {
					want = 0
				}
				if math.Abs(float64(got[k]-want)) > 1e-6*float64(want) {
					t.Fatalf("n %d %s bin %d: %v want %v", n, path, k, got[k], want)
				}
			}
		}
	}
}

// Edge frames (zero-padded before the window) and interior frames match the windowed reference.
func TestSTFTPowerFrameMatchesReference(t *testing.T) {
	const n = 2048
	x := benchSignal(5*n + 100)
	s, _ := NewSTFT(n, n/4)
	win := make([]float32, n)
	for i, w := range s.win {
		win[i] = float32(w)
	}
	for _, i := range []int{0, 1, 5, s.Frames(len(x)) - 1} {
		frame := make([]float32, n)
		for j := range frame {
			if k := i*s.hop - n/2 + j; k >= 0 && k < len(x) {
				frame[j] = x[k]
			}
		}
		want := powerRef(frame, win)
		got := s.PowerFrame(nil, x, i)
		var peak float64
		for _, w := range want {
			peak = max(peak, w*s.norm)
		}
		for k, w := range want {
			if d := math.Abs(float64(got[k]) - w*s.norm); d > 1e-5*peak {
				t.Fatalf("frame %d bin %d: %v want %v", i, k, got[k], w*s.norm)
			}
		}
	}
}

// The vector load (gather-free: loads, DFTs across registers, transposes) leaves the same
// array as the pure-Go load and first three stages, for every size it runs at.
func TestLoadVecMatchesGeneric(t *testing.T) {
	if fftWidth == 1 {
		t.Skip("no vector FFT kernels on this CPU")
	}
	r := rand.New(rand.NewPCG(7, 8))
	for n := 128; n <= 16384; n *= 2 {
		win := make([]float32, n)
		x := make([]float32, n)
		for i := range x {
			x[i], win[i] = float32(r.NormFloat64()), float32(r.Float64())
		}
		f := newRealFFT32(n, win)
		gr, gi := make([]float32, n/2), make([]float32, n/2)
		loadGeneric(gr, gi, x, f.win, f.rev)
		first8Generic(gr, gi)
		loadVec(f.re, f.im, x, f.win, f.rev)
		for j := range gr {
			if math.Abs(float64(f.re[j]-gr[j])) > 1e-6 || math.Abs(float64(f.im[j]-gi[j])) > 1e-6 {
				t.Fatalf("n %d point %d: (%v, %v) want (%v, %v)", n, j, f.re[j], f.im[j], gr[j], gi[j])
			}
		}
	}
}
