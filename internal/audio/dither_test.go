package audio

import (
	"math"
	"math/cmplx"
	"slices"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"
)

// powerSpectrum returns |X[k]|² of the real FFT of x (rectangular window; the test tones sit exactly
// on bins, so there is no leakage to hide).
func powerSpectrum(x []float64) []float64 {
	c := fourier.NewFFT(len(x)).Coefficients(nil, x)
	p := make([]float64, len(c))
	for k, v := range c {
		p[k] = real(v * cmplx.Conj(v))
	}
	return p
}

// quantError returns q[i] − x[i]·32768 in LSB.
func quantError(q []int16, x []float32) []float64 {
	e := make([]float64, len(x))
	for i := range x {
		e[i] = float64(q[i]) - float64(x[i])*pcm16Scale
	}
	return e
}

func TestQuantize16IsReproducible(t *testing.T) {
	src := toneF32(440, 0.3, 0, 48000, 4096)
	a := Quantize16(nil, src, NewDither(42))
	b := Quantize16(nil, src, NewDither(42))
	c := Quantize16(nil, src, NewDither(43))
	if !slices.Equal(a, b) {
		t.Error("same seed gave different output")
	}
	if slices.Equal(a, c) {
		t.Error("different seeds gave identical output")
	}
}

func TestQuantize16Clips(t *testing.T) {
	src := []float32{1.5, 1, -1, -1.5, 0, 0.5, float32(math.NaN()), float32(math.Inf(-1))}
	want := []int16{32767, 32767, -32768, -32768, 0, 16384, 0, -32768}
	if got := Quantize16(nil, src, nil); !slices.Equal(got, want) {
		t.Errorf("without dither: got %v, want %v", got, want)
	}
	// With dither the extremes must still clip rather than wrap around.
	got := Quantize16(nil, []float32{1, 1, 1, -1, -1, -1}, NewDither(1))
	for i, v := range got {
		if (i < 3 && v < 32765) || (i >= 3 && v > -32767) {
			t.Errorf("sample %d: %d wrapped or strayed past ±1 LSB of full scale", i, v)
		}
	}
}

func TestQuantize16NoDitherKeeps16BitAudioExact(t *testing.T) {
	src := make([]float32, 200)
	for i := range src {
		src[i] = float32(i*327-32768) / pcm16Scale
	}
	got := Quantize16(nil, src, nil)
	for i, v := range got {
		if int(v) != i*327-32768 {
			t.Fatalf("sample %d: %d, want %d", i, v, i*327-32768)
		}
	}
}

func TestDitherErrorIsWhiteWithZeroMean(t *testing.T) {
	// With TPDF dither the total error has mean 0 and variance 1/4 LSB² independent of
	// the signal (Wannamaker et al. 2000). For n = 65536 the sample mean has σ = 0.5/√n ≈
	// 0.002 LSB (tolerance 0.01 = 5σ) and the variance estimate σ ≈ 0.25·√(2/n)·1.2 ≈ 0.0017
	// (tolerance 0.01). The spectrum's 16 bands each average 2048 bins, so each band's
	// power is within ±0.4 dB of the mean at ≈ 6σ.
	const n = 1 << 16
	src := toneF32(1000, 0.5, 0, 48000, n)
	e := quantError(Quantize16(nil, src, NewDither(7)), src)
	var mean, vari float64
	for _, v := range e {
		mean += v
	}
	mean /= n
	for _, v := range e {
		vari += (v - mean) * (v - mean)
	}
	vari /= n
	if math.Abs(mean) > 0.01 {
		t.Errorf("error mean %.4f LSB, want |mean| ≤ 0.01", mean)
	}
	if math.Abs(vari-0.25) > 0.01 {
		t.Errorf("error variance %.4f LSB², want 0.25 ± 0.01", vari)
	}
	p := powerSpectrum(e)[1:] // drop DC
	const bands = 16
	w := len(p) / bands
	var avg [bands]float64
	var total float64
	for b := range bands {
		for _, v := range p[b*w : (b+1)*w] {
			avg[b] += v / float64(w)
		}
		total += avg[b] / bands
	}
	for b, v := range avg {
		if db := 10 * math.Log10(v/total); math.Abs(db) > 0.4 {
			t.Errorf("band %d of %d is %.2f dB from the mean: error not white", b, bands, db)
		}
	}
}

func TestDitherKeepsQuietToneAndRemovesDistortion(t *testing.T) {
	const n = 1 << 16
	const bin = 1001 // f = bin·fs/n sits exactly on a bin; 3·bin and 5·bin are distinct bins
	fs := 48000
	f := float64(bin) * float64(fs) / n
	noiseFloor := func(p []float64) float64 {
		s := slices.Clone(p[1:])
		slices.Sort(s)
		return s[len(s)/2] / math.Ln2 // median of an exponential variable is mean·ln 2
	}
	t.Run("a -100 dBFS tone survives with dither and vanishes without", func(t *testing.T) {
		// 10^(−100/20)·32768 = 0.33 LSB: rounding alone maps every sample to 0. With
		// dither the quantiser is linear in the mean, so the tone's bin holds
		// (A·n/2)² ≈ 1.2e8 against a noise bin mean of n/4 ≈ 1.6e4: 39 dB above it. 20 dB
		// is the floor, and the amplitude must come back within 10% (σ of the estimate
		// ≈ 0.004 LSB against 0.33).
		amp := math.Pow(10, -100.0/20)
		src := toneF32(f, amp, 0, fs, n)
		dry := Quantize16(nil, src, nil)
		if slices.ContainsFunc(dry, func(v int16) bool { return v != 0 }) {
			t.Fatal("undithered −100 dBFS tone should round to silence")
		}
		p := powerSpectrum(int16sToFloat64(Quantize16(nil, src, NewDither(3))))
		snr := 10 * math.Log10(p[bin]/noiseFloor(p))
		got := 2 * math.Sqrt(p[bin]) / n / pcm16Scale
		t.Logf("tone bin %.1f dB above the noise floor, amplitude %.3g (want %.3g)", snr, got, amp)
		if snr < 20 {
			t.Errorf("tone bin only %.1f dB above the noise floor, want ≥ 20 dB", snr)
		}
		if math.Abs(got/amp-1) > 0.1 {
			t.Errorf("tone amplitude %.3g, want %.3g ± 10%%", got, amp)
		}
	})
	t.Run("harmonics of a quiet tone sink into the noise with dither", func(t *testing.T) {
		// A 2.3 LSB tone quantised without dither has a periodic error: strong odd
		// harmonics. With TPDF dither the error is independent of the signal, so the 3rd
		// and 5th harmonic bins are ordinary noise bins: exponentially distributed, above
		// 10× the mean with probability e⁻¹⁰ ≈ 5e-5.
		src := toneF32(f, 2.3/pcm16Scale, 0.4, fs, n)
		for _, tc := range []struct {
			name     string
			d        *Dither
			distorts bool
		}{{"undithered", nil, true}, {"dithered", NewDither(9), false}} {
			p := powerSpectrum(int16sToFloat64(Quantize16(nil, src, tc.d)))
			floor := noiseFloor(p)
			for _, h := range []int{3, 5} {
				db := 10 * math.Log10(p[h*bin]/floor+1e-30)
				t.Logf("%s: harmonic %d at %.1f dB over the noise floor", tc.name, h, db)
				if tc.distorts && db < 20 {
					t.Errorf("%s: harmonic %d only %.1f dB over the floor; the test cannot see distortion", tc.name, h, db)
				}
				if !tc.distorts && db > 10 {
					t.Errorf("%s: harmonic %d at %.1f dB over the floor, want ≤ 10 dB", tc.name, h, db)
				}
			}
		}
	})
}

func int16sToFloat64(q []int16) []float64 {
	x := make([]float64, len(q))
	for i, v := range q {
		x[i] = float64(v)
	}
	return x
}

func BenchmarkQuantize16(b *testing.B) {
	src := toneF32(440, 0.5, 0, 48000, 48000)
	dst := make([]int16, len(src))
	d := NewDither(1)
	b.SetBytes(int64(4 * len(src)))
	for b.Loop() {
		dst = Quantize16(dst, src, d)
	}
}
