package dsp

import "math"

// SpectralPeak is a local maximum of a power spectrum refined by parabolic interpolation:
// Freq in Hz and Mag the interpolated linear magnitude (√power).
type SpectralPeak struct {
	Freq, Mag float64
}

// Chroma computes a 12-bin harmonic pitch class profile (HPCP, Gómez 2006, "Tonal description
// of music audio signals", PhD thesis, UPF, ch. 3) from power spectra: spectral peaks between
// 25 Hz and 3.5 kHz are located, their frequencies refined by parabolic interpolation of the
// log spectrum (Smith & Serra 1987), and each peak's squared magnitude is spread over the
// pitch classes within ±2/3 semitone with a cos² weight. Bin 0 is C, bin 9 is A
// (A4 = 440 Hz shifted by the tuning offset in cents). No harmonic summation is applied.
type Chroma struct {
	binHz      float64
	kmin, kmax int
}

// The HPCP analysis range in Hz (Gómez 2006).
const (
	ChromaMinHz = 25.0
	ChromaMaxHz = 3500.0
)

// NewChroma returns a chroma plan for nfft-point spectra at sampleRate.
func NewChroma(nfft int, sampleRate float64) *Chroma {
	binHz := sampleRate / float64(nfft)
	kmin := int(math.Ceil(ChromaMinHz / binHz))
	if kmin < 1 {
		kmin = 1
	}
	kmax := int(ChromaMaxHz / binHz)
	if kmax > nfft/2-1 {
		kmax = nfft/2 - 1
	}
	return &Chroma{binHz: binHz, kmin: kmin, kmax: kmax}
}

// Peaks appends to dst the spectral peaks of power in the HPCP range that lie within 60 dB of
// the frame's strongest peak there.
func (c *Chroma) Peaks(dst []SpectralPeak, power []float32) []SpectralPeak {
	return c.peaks(dst, power, c.kmax)
}

// peaks is Peaks up to bin kmax.
func (c *Chroma) peaks(dst []SpectralPeak, power []float32, kmax int) []SpectralPeak {
	dst = dst[:0]
	var top float32
	for k := c.kmin; k <= kmax && k < len(power)-1; k++ {
		if power[k] > top {
			top = power[k]
		}
	}
	if top <= 0 {
		return dst
	}
	floor := top * 1e-6
	for k := c.kmin; k <= kmax && k < len(power)-1; k++ {
		p := power[k]
		if p < floor || p <= power[k-1] || p < power[k+1] {
			continue
		}
		dst = append(dst, c.interpolate(power, k))
	}
	return dst
}

// interpolate refines the peak at bin k by parabolic interpolation of the log power
// spectrum (Smith & Serra 1987).
func (c *Chroma) interpolate(power []float32, k int) SpectralPeak {
	a := math.Log(float64(power[k-1]) + 1e-20)
	b := math.Log(float64(power[k]) + 1e-20)
	g := math.Log(float64(power[k+1]) + 1e-20)
	den := a - 2*b + g
	d := 0.0
	if den < 0 {
		d = 0.5 * (a - g) / den
	}
	lp := b - 0.25*(a-g)*d
	return SpectralPeak{Freq: (float64(k) + d) * c.binHz, Mag: math.Exp(0.5 * lp)}
}

// TuningAccumulator estimates the tuning offset of a recording, in cents from A4 = 440 Hz
// equal temperament, as the magnitude-weighted circular mean of every peak's deviation from
// the nearest equal-tempered semitone (the phasor method, cf. Müller 2015, "Fundamentals of
// Music Processing", §3.1.2). Deviations are collected in a 1-cent histogram so the phasors
// are summed once per bin rather than once per peak. The result lies in [−50, 50).
type TuningAccumulator struct {
	hist [100]float64
}

// Add accumulates the peaks of one frame.
func (t *TuningAccumulator) Add(peaks []SpectralPeak) {
	for _, p := range peaks {
		if p.Freq <= 0 {
			continue
		}
		cents := 1200 * math.Log2(p.Freq/440)
		b := int(math.Round(cents)) % 100
		if b < 0 {
			b += 100
		}
		t.hist[b] += p.Mag
	}
}

// Cents is the estimated tuning offset in cents; it returns 0 when nothing was added.
func (t *TuningAccumulator) Cents() float64 {
	var re, im float64
	for b, w := range t.hist {
		ang := 2 * math.Pi * float64(b) / 100
		re += w * math.Cos(ang)
		im += w * math.Sin(ang)
	}
	if re == 0 && im == 0 {
		return 0
	}
	c := 100 * math.Atan2(im, re) / (2 * math.Pi)
	if c >= 50 {
		c -= 100
	}
	return c
}

// Tonal-peak selection (TonalPeaks): a peak must exceed the median power of the
// 2·TonalFloorBins+1 bins around it by TonalProminence (10 dB). TonalPeaks reads bins up to
// TonalFloorBins above maxHz.
const (
	TonalFloorBins  = 8
	TonalProminence = 10.0
)

// TonalPeaks appends to dst the spectral peaks of power between ChromaMinHz and maxHz that
// stand out of their neighbourhood: the peak bin's power must exceed TonalProminence times the
// median of the bins around it, and the peak is reported with that median subtracted from its
// interpolated power (Mag = √(P − median)). The local median is the noise floor under the
// peak, the percussive estimate of Fitzgerald 2010 ("Harmonic/percussive separation using
// median filtering", DAFx-10) taken along frequency: peaks in noise (snares, breath, hiss)
// rarely clear it, partials of a note do. Like Peaks, it ignores peaks 60 dB under the
// strongest.
func (c *Chroma) TonalPeaks(dst []SpectralPeak, power []float32, maxHz float64) []SpectralPeak {
	dst = dst[:0]
	kmax := min(c.kmax, int(maxHz/c.binHz), len(power)-2)
	edge := min(c.kmax+1, len(power)-1)
	var top float32
	for k := c.kmin; k <= kmax; k++ {
		top = max(top, power[k])
	}
	if top <= 0 {
		return dst
	}
	floor60 := top * 1e-6
	var v [2*TonalFloorBins + 1]float32
	for k := c.kmin; k <= kmax; k++ {
		p := power[k]
		if p < floor60 || p <= power[k-1] || p < power[k+1] {
			continue
		}
		m := 0
		for q := max(c.kmin-1, k-TonalFloorBins); q <= min(edge, k+TonalFloorBins); q++ {
			x := power[q]
			i := m
			for i > 0 && v[i-1] > x {
				v[i] = v[i-1]
				i--
			}
			v[i] = x
			m++
		}
		floor := float64(v[m/2])
		if float64(p) < TonalProminence*floor {
			continue
		}
		pk := c.interpolate(power, k)
		dst = append(dst, SpectralPeak{Freq: pk.Freq, Mag: math.Sqrt(math.Max(0, pk.Mag*pk.Mag-floor))})
	}
	return dst
}

// TuningRef is the frequency of A4 in Hz for a tuning offset in cents from 440 Hz.
func TuningRef(cents float64) float64 { return 440 * math.Exp2(cents/1200) }

// AddPartial adds weight to the chroma dst for one partial at freq Hz, spread over the pitch
// classes within ±2/3 semitone with the cos² window of Compute; refHz is A4 (TuningRef).
func AddPartial(dst *[12]float64, freq, weight, refHz float64) {
	pcs, cws, n := spread(12*math.Log2(freq/refHz) + 9)
	for k := range n {
		dst[pcs[k]] += weight * cws[k] * cws[k]
	}
}

// spread places a partial semis semitones above C on the pitch classes whose window it falls
// in: a cos window of half-width 2/3 semitone (l = 4/3 semitones) around each, which reaches at
// most 3 classes. It returns the classes and the window's value at each (square it for energy).
func spread(semis float64) (pcs [3]int, cws [3]float64, n int) {
	const half = 2.0 / 3
	centre := math.Round(semis)
	for off := -1.0; off <= 1; off++ {
		bin := centre + off
		d := semis - bin
		if d <= -half || d >= half {
			continue
		}
		pc := int(math.Mod(bin, 12))
		if pc < 0 {
			pc += 12
		}
		pcs[n], cws[n] = pc, math.Cos(math.Pi/2*d/half)
		n++
	}
	return pcs, cws, n
}

// Compute writes the 12-bin chroma of the given peaks into dst (not normalised: the sum of
// the spread squared magnitudes), with pitch classes referenced to A4 = 440·2^(tuningCents/1200).
func (c *Chroma) Compute(dst []float32, peaks []SpectralPeak, tuningCents float64) []float32 {
	dst = resize32(dst, 12)
	for i := range dst {
		dst[i] = 0
	}
	ref := 440 * math.Exp2(tuningCents/1200)
	for _, p := range peaks {
		// Pitch in semitones relative to C (A = 9).
		pcs, cws, n := spread(12*math.Log2(p.Freq/ref) + 9)
		w2 := p.Mag * p.Mag
		for k := range n {
			dst[pcs[k]] += float32(w2 * cws[k] * cws[k])
		}
	}
	return dst
}

// TimeMedian writes into dst[lo:hi] the median, bin by bin, of frames[j][lo:hi] (the
// upper median for an even count): the harmonic-enhancing filter of Fitzgerald 2010
// ("Harmonic/percussive separation using median filtering", DAFx-10), which keeps what is
// steady across the frames and removes what lasts less than half of them (drum hits).
// Bins outside [lo, hi) are set to 0; dst is resized to at least hi values.
func TimeMedian(dst []float32, frames [][]float32, lo, hi int) []float32 {
	dst = resize32(dst, max(len(dst), hi))
	for k := range dst {
		if k < lo || k >= hi {
			dst[k] = 0
		}
	}
	m := len(frames)
	if m == 0 {
		for k := lo; k < hi; k++ {
			dst[k] = 0
		}
		return dst
	}
	if m == 5 {
		f0, f1, f2, f3, f4 := frames[0], frames[1], frames[2], frames[3], frames[4]
		for k := lo; k < hi; k++ {
			dst[k] = median5(f0[k], f1[k], f2[k], f3[k], f4[k])
		}
		return dst
	}
	var buf [15]float32
	v := buf[:]
	if m > len(v) {
		v = make([]float32, m)
	}
	for k := lo; k < hi; k++ {
		// Insertion sort: the spans used are a handful of frames.
		for j := 0; j < m; j++ {
			x := frames[j][k]
			i := j
			for i > 0 && v[i-1] > x {
				v[i] = v[i-1]
				i--
			}
			v[i] = x
		}
		dst[k] = v[m/2]
	}
	return dst
}

// median5 is the median of five values in six comparisons: of two ordered pairs, the pair
// whose minimum is the smaller holds a value below three others, which cannot be the median;
// it is replaced by the fifth value, and the median is then the second smallest of the two
// ordered pairs left.
func median5(a, b, c, d, e float32) float32 {
	if a > b {
		a, b = b, a
	}
	if c > d {
		c, d = d, c
	}
	if a < c {
		a = e
		if a > b {
			a, b = b, a
		}
	} else {
		c = e
		if c > d {
			c, d = d, c
		}
	}
	if a < c {
		return min(b, c)
	}
	return min(a, d)
}
