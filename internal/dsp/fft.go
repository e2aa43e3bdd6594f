package dsp

import (
	"math"
	"math/bits"
)

// realFFT32 is a float32 windowed real-input power spectrum of power-of-two size N for the STFT
// hot path. It packs the even and odd samples into one complex sequence of M = N/2 points, runs
// an in-place decimation-in-time FFT on it (Cooley & Tukey 1965) and separates the two halves
// with the standard split (Brigham 1988, "The Fast Fourier Transform and its Applications",
// §9-3): X[k] = ½(Z[k] + Z*[M−k]) − ½i·W_N^k·(Z[k] − Z*[M−k]), W_N = e^{−2πi/N}.
//
// The work array is split (real and imaginary parts in separate arrays) so that the stages run
// eight or sixteen butterflies per vector instruction in the amd64 kernels (fft_amd64.s); the
// pure-Go kernels below compute the same thing and serve other architectures, CPUs without
// AVX2/FMA and sizes below 128. The stages are: the bit-reversed load with the window; the
// radix-2 stages for L = 1, 2, 4 (L = half the butterfly span) as one eight-point DFT per
// block, which the vector load does across registers for eight blocks at once instead of
// gathering; radix-4 stages (two radix-2 stages fused, three twiddle products per four points)
// from L = 8 while 4L ≤ M; a last radix-2 stage when one level is left; and the real split
// with the power in one pass.
//
// gonum's fourier.FFT (float64 FFTPACK) remains the reference the tests compare against; its
// rounding error (~1e-6 relative) is far below anything the analysis measures.
type realFFT32 struct {
	n, m   int
	re, im []float32 // work array, M points
	rev    []int32   // rev[j]: bit reversal of j, the complex input point loaded at j
	win    []float32 // the window, N samples (all 1 for none)
	small  []float32 // radix-2 twiddles W_2L^j for L = 1, 2, 4: re[L], im[L] per stage
	tw     []float32 // radix-4 stages from L = 8 (re, im of W_4L^{2j}, W_4L^j, W_4L^{3j}: six
	//                  rows of L each), then the last radix-2 stage's W_2L^j (two rows)
	sre   []float32 // re and im of i·W_N^k, k < M: the real split (as 2X[k])
	sim   []float32
	width int // widest vector kernels to use, in floats: 1 (pure Go), 8 or 16 (fft_amd64.go)
}

// newRealFFT32 returns a plan for size n (a power of two ≥ 4) that multiplies its input by win
// (len n; nil for none).
func newRealFFT32(n int, win []float32) *realFFT32 {
	m := n / 2
	// Few allocations: plans are made per file (and per call for the long pitch frame).
	buf := make([]float32, 6*m)
	part := func(i, k int) []float32 { return buf[i*m : (i+k)*m : (i+k)*m] }
	f := &realFFT32{n: n, m: m, re: part(0, 1), im: part(1, 1), win: part(2, 2),
		sre: part(4, 1), sim: part(5, 1), rev: make([]int32, m)}
	shift := 64 - bits.Len(uint(m-1))
	for j := range f.rev {
		f.rev[j] = int32(bits.Reverse64(uint64(j)) >> shift)
	}
	for i := range f.win {
		f.win[i] = 1
		if win != nil {
			f.win[i] = win[i]
		}
	}
	// w appends the parts of W_size^{mul·j}, j < l, as two rows.
	w := func(t []float32, l, mul, size int) []float32 {
		t = append(t, make([]float32, 2*l)...)
		re, im := t[len(t)-2*l:len(t)-l], t[len(t)-l:]
		for j := range l {
			sin, cos := math.Sincos(-2 * math.Pi * float64(mul*j) / float64(size))
			re[j], im[j] = float32(cos), float32(sin)
		}
		return t
	}
	size := 0
	for l := 8; 2*l <= m; l *= 4 {
		size += 6 * l
		if 4*l > m {
			size -= 4 * l // the last radix-2 stage
		}
	}
	f.small, f.tw = make([]float32, 0, 14), make([]float32, 0, size)
	l := 1
	for ; l < 8 && 2*l <= m; l *= 2 {
		f.small = w(f.small, l, 1, 2*l)
	}
	for ; 4*l <= m; l *= 4 {
		f.tw = w(w(w(f.tw, l, 2, 4*l), l, 1, 4*l), l, 3, 4*l)
	}
	if 2*l <= m {
		f.tw = w(f.tw, l, 1, 2*l)
	}
	for k := range m {
		sin, cos := math.Sincos(-2 * math.Pi * float64(k) / float64(n))
		f.sre[k], f.sim[k] = float32(-sin), float32(cos) // i·W_N^k
	}
	f.width = 1
	if m >= 64 {
		f.width = fftWidth
	}
	return f
}

// isPow2 reports whether n is a power of two ≥ 4.
func isPow2(n int) bool { return n >= 4 && n&(n-1) == 0 }

// power writes |X[k]|²·scale for k = 0…N/2 of the windowed real sequence x (len N) into dst;
// values below floor are written as 0.
func (f *realFFT32) power(dst []float32, x []float32, scale, floor float32) {
	m := f.m
	re, im := f.re, f.im
	x = x[:f.n]
	dst = dst[:m+1]
	l := 1
	if f.width > 1 {
		loadVec(re, im, x, f.win, f.rev)
		l = 8
	} else {
		loadGeneric(re, im, x, f.win, f.rev)
		if m >= 8 {
			first8Generic(re, im)
			l = 8
		}
		for off := 0; l < 8 && 2*l <= m; l *= 2 {
			radix2Generic(re, im, f.small[off:off+2*l], l)
			off += 2 * l
		}
	}
	off := 0
	for ; 4*l <= m; l *= 4 {
		radix4(re, im, f.tw[off:off+6*l], l, f.width)
		off += 6 * l
	}
	if 2*l <= m {
		radix2(re, im, f.tw[off:off+2*l], l, f.width)
	}
	// 2X[k] is computed, so the power takes a quarter of the scale.
	dc, ny := re[0]+im[0], re[0]-im[0]
	dst[0] = clampPower(dc*dc*scale, floor)
	dst[m] = clampPower(ny*ny*scale, floor)
	k := 1
	if f.width > 1 {
		k = splitVec(dst, re, im, f.sre, f.sim, scale/4, floor, f.width)
	}
	splitGeneric(dst, re, im, f.sre, f.sim, scale/4, floor, k)
}

func clampPower(p, floor float32) float32 {
	if p < floor {
		return 0
	}
	return p
}

// loadGeneric sets z[j] = (x[2r]·win[2r], x[2r+1]·win[2r+1]), r = rev[j].
func loadGeneric(re, im, x, win []float32, rev []int32) {
	im, rev = im[:len(re)], rev[:len(re)]
	x, win = x[:2*len(re)], win[:2*len(re)]
	for j, r := range rev {
		re[j] = x[2*r] * win[2*r]
		im[j] = x[2*r+1] * win[2*r+1]
	}
}

// first8Generic runs the radix-2 stages L = 1, 2, 4 on each block of eight points (an
// eight-point DFT), with the twiddles 1, −i and W_8 = √½(1 − i) written out: per-stage loops
// over blocks this short cost more in slicing than in arithmetic.
func first8Generic(re, im []float32) {
	const c = math.Sqrt2 / 2
	im = im[:len(re)]
	for s := 0; s+8 <= len(re); s += 8 {
		r, i := re[s:s+8:s+8], im[s:s+8:s+8]
		// L = 1
		r0, i0, r1, i1 := r[0]+r[1], i[0]+i[1], r[0]-r[1], i[0]-i[1]
		r2, i2, r3, i3 := r[2]+r[3], i[2]+i[3], r[2]-r[3], i[2]-i[3]
		r4, i4, r5, i5 := r[4]+r[5], i[4]+i[5], r[4]-r[5], i[4]-i[5]
		r6, i6, r7, i7 := r[6]+r[7], i[6]+i[7], r[6]-r[7], i[6]-i[7]
		// L = 2: W_4^1 = −i, so −i·(x, y) = (y, −x)
		r0, i0, r2, i2 = r0+r2, i0+i2, r0-r2, i0-i2
		r1, i1, r3, i3 = r1+i3, i1-r3, r1-i3, i1+r3
		r4, i4, r6, i6 = r4+r6, i4+i6, r4-r6, i4-i6
		r5, i5, r7, i7 = r5+i7, i5-r7, r5-i7, i5+r7
		// L = 4: W_8^1·(x, y) = c(x + y, y − x), W_8^3·(x, y) = c(y − x, −x − y)
		t5r, t5i := c*(r5+i5), c*(i5-r5)
		t7r, t7i := c*(i7-r7), -c*(r7+i7)
		r[0], i[0], r[4], i[4] = r0+r4, i0+i4, r0-r4, i0-i4
		r[1], i[1], r[5], i[5] = r1+t5r, i1+t5i, r1-t5r, i1-t5i
		r[2], i[2], r[6], i[6] = r2+i6, i2-r6, r2-i6, i2+r6
		r[3], i[3], r[7], i[7] = r3+t7r, i3+t7i, r3-t7r, i3-t7i
	}
}

// radix2Generic is one radix-2 DIT stage of half-span l: z[s+j], z[s+l+j] = a ± W_2l^j·b with
// tw = re[l], im[l] of W_2l^j.
func radix2Generic(re, im, tw []float32, l int) {
	wr, wi := tw[:l], tw[l:2*l]
	for s := 0; s < len(re); s += 2 * l {
		ar, ai := re[s:s+l], im[s:s+l]
		br, bi := re[s+l:s+2*l], im[s+l:s+2*l]
		for j := range ar {
			tr := wr[j]*br[j] - wi[j]*bi[j]
			ti := wr[j]*bi[j] + wi[j]*br[j]
			br[j], bi[j] = ar[j]-tr, ai[j]-ti
			ar[j], ai[j] = ar[j]+tr, ai[j]+ti
		}
	}
}

// radix4Generic is one radix-4 DIT stage of quarter span l (two radix-2 stages fused):
// with x1 = W_4l^{2j}·q1, x2 = W_4l^j·q2, x3 = W_4l^{3j}·q3, the outputs are
// x0+x1 ± (x2+x3) and x0−x1 ∓ i(x2−x3).
func radix4Generic(re, im, tw []float32, l int) {
	tw = tw[:6*l]
	w1r, w1i, w2r, w2i, w3r, w3i := tw[:l], tw[l:2*l], tw[2*l:3*l], tw[3*l:4*l], tw[4*l:5*l], tw[5*l:]
	for s := 0; s < len(re); s += 4 * l {
		r0, i0 := re[s:s+l], im[s:s+l]
		r1, i1 := re[s+l:s+2*l], im[s+l:s+2*l]
		r2, i2 := re[s+2*l:s+3*l], im[s+2*l:s+3*l]
		r3, i3 := re[s+3*l:s+4*l], im[s+3*l:s+4*l]
		for j := range r0 {
			x1r := w1r[j]*r1[j] - w1i[j]*i1[j]
			x1i := w1r[j]*i1[j] + w1i[j]*r1[j]
			x2r := w2r[j]*r2[j] - w2i[j]*i2[j]
			x2i := w2r[j]*i2[j] + w2i[j]*r2[j]
			x3r := w3r[j]*r3[j] - w3i[j]*i3[j]
			x3i := w3r[j]*i3[j] + w3i[j]*r3[j]
			pr, pi := r0[j]+x1r, i0[j]+x1i
			qr, qi := r0[j]-x1r, i0[j]-x1i
			rr, ri := x2r+x3r, x2i+x3i
			tr, ti := x2r-x3r, x2i-x3i
			r0[j], i0[j] = pr+rr, pi+ri
			r1[j], i1[j] = qr+ti, qi-tr // q − i·t
			r2[j], i2[j] = pr-rr, pi-ri
			r3[j], i3[j] = qr-ti, qi+tr // q + i·t
		}
	}
}

// splitGeneric writes the power of bins k0…M−1: with a = Z[k], b = Z[M−k] and s = i·W_N^k,
// 2X[k] = (a + b*) − s·(a − b*), and dst[k] = |2X[k]|²·scale (0 below floor).
func splitGeneric(dst, re, im, sre, sim []float32, scale, floor float32, k0 int) {
	m := len(re)
	im, sre, sim = im[:m], sre[:m], sim[:m]
	for k := k0; k < m; k++ {
		ar, ai := re[k], im[k]
		br, bi := re[m-k], im[m-k]
		dr, di := ar-br, ai+bi
		xr := ar + br - (dr*sre[k] - di*sim[k])
		xi := ai - bi - (dr*sim[k] + di*sre[k])
		dst[k] = clampPower((xr*xr+xi*xi)*scale, floor)
	}
}
