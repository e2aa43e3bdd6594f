package dsp

import "math"

// Hann writes the periodic Hann window w[n] = 0.5 − 0.5·cos(2πn/N), n = 0…N−1, into dst
// (N = len(dst) when dst is non-nil, else n). The periodic form (denominator N, not N−1)
// sums to a constant under 75 % overlap and is the usual choice for spectral analysis
// (Harris 1978, "On the use of windows for harmonic analysis with the DFT", Proc. IEEE 66(1)).
func Hann(dst []float64, n int) []float64 {
	dst = resize64(dst, n)
	for i := range dst {
		dst[i] = 0.5 - 0.5*math.Cos(2*math.Pi*float64(i)/float64(n))
	}
	return dst
}

// Hamming writes the periodic Hamming window w[n] = 0.54 − 0.46·cos(2πn/N) into dst
// (Harris 1978).
func Hamming(dst []float64, n int) []float64 {
	dst = resize64(dst, n)
	for i := range dst {
		dst[i] = 0.54 - 0.46*math.Cos(2*math.Pi*float64(i)/float64(n))
	}
	return dst
}

// BlackmanHarris writes the periodic 4-term Blackman–Harris window (−92 dB side lobes,
// Harris 1978, table 1) into dst.
func BlackmanHarris(dst []float64, n int) []float64 {
	dst = resize64(dst, n)
	const a0, a1, a2, a3 = 0.35875, 0.48829, 0.14128, 0.01168
	for i := range dst {
		x := 2 * math.Pi * float64(i) / float64(n)
		dst[i] = a0 - a1*math.Cos(x) + a2*math.Cos(2*x) - a3*math.Cos(3*x)
	}
	return dst
}

// Kaiser returns the Kaiser window value at x ∈ [−1, 1] (normalised position from the
// centre) with shape β: I0(β·√(1−x²))/I0(β) (Kaiser & Schafer 1980). Outside [−1, 1] it is 0.
func Kaiser(x, beta float64) float64 {
	if x < -1 || x > 1 {
		return 0
	}
	return besselI0(beta*math.Sqrt(1-x*x)) / besselI0(beta)
}

// besselI0 is the modified Bessel function of the first kind, order 0, by its power series.
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	q := x * x / 4
	for k := 1; k < 200; k++ {
		term *= q / float64(k*k)
		sum += term
		if term < sum*1e-17 {
			break
		}
	}
	return sum
}

func resize64(dst []float64, n int) []float64 {
	if cap(dst) < n {
		return make([]float64, n)
	}
	return dst[:n]
}

func resize32(dst []float32, n int) []float32 {
	if cap(dst) < n {
		return make([]float32, n)
	}
	return dst[:n]
}
