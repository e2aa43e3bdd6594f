package dsp

import "math"

// KWeighting returns the two stages of the ITU-R BS.1770-4 K-weighting filter for any sample
// rate: the "pre-filter" high shelf (+4 dB above ~1.7 kHz, modelling the acoustic effect of
// the head) and the RLB (revised low-frequency B) high-pass.
//
// BS.1770-4 publishes coefficients for 48 kHz only. The analog prototypes those coefficients
// were derived from are recovered by inverting the bilinear transform (Mansbridge, Finn &
// Reiss 2012, "Implementation and evaluation of autonomous multi-track fader control", AES
// 132; the same parameters are used by libebur128): the shelf has centre f0 = 1681.974 Hz,
// Q = 0.70718, high-frequency gain G = 3.99984 dB with the band gain Vb = Vh^0.49967; the
// high-pass has f0 = 38.1355 Hz and Q = 0.50033. Each is mapped back with the bilinear
// transform pre-warped at f0 (K = tan(π·f0/fs)), which reproduces the 48 kHz table to ~1e-8
// and gives the same analog response at 44.1, 96 or 22.05 kHz.
func KWeighting(sampleRate float64) (shelf, highpass BiquadCoeffs) {
	{
		const f0 = 1681.974450955533
		const g = 3.999843853973347
		const q = 0.7071752369554196
		k := math.Tan(math.Pi * f0 / sampleRate)
		vh := math.Pow(10, g/20)
		vb := math.Pow(vh, 0.4996667741545416)
		a0 := 1 + k/q + k*k
		shelf = BiquadCoeffs{
			B0: (vh + vb*k/q + k*k) / a0,
			B1: 2 * (k*k - vh) / a0,
			B2: (vh - vb*k/q + k*k) / a0,
			A1: 2 * (k*k - 1) / a0,
			A2: (1 - k/q + k*k) / a0,
		}
	}
	{
		const f0 = 38.13547087602444
		const q = 0.5003270373238773
		k := math.Tan(math.Pi * f0 / sampleRate)
		a0 := 1 + k/q + k*k
		// BS.1770 leaves the numerator un-normalised (1, −2, 1); keep it so the 48 kHz
		// coefficients match the standard's table.
		highpass = BiquadCoeffs{B0: 1, B1: -2, B2: 1, A1: 2 * (k*k - 1) / a0, A2: (1 - k/q + k*k) / a0}
	}
	return shelf, highpass
}
