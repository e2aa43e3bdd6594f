package analysis

import (
	"math"

	"github.com/sp404agent/sp404agent/internal/dsp"
)

// envelope describes the amplitude envelope and the early spectrum of a sound, the inputs of
// the one-shot/loop decision and the drum classifier.
type envelope struct {
	start    float64 // s: first time the envelope reaches −30 dB re peak
	peakTime float64 // s
	attack   float64 // s: from −20 dB re peak to within 1 dB of the peak (the 10 %→90 % rise)
	len20    float64 // s: from start to the last time above −20 dB re peak
	len40    float64 // s: from start to the last time above −40 dB re peak
	bursts   int     // separate envelope peaks in the first 60 ms (hand claps show 3–4)
	endDB    float64 // dB: RMS of the last 10 % relative to the RMS of the whole sound
	tcentre  float64 // temporal centroid of the energy as a fraction of the duration
	tcentreS float64 // s: temporal centroid of the energy after start (independent of trailing silence)
	gapDB    float64 // dB: 20th percentile of the 1 ms RMS re its power mean (drum loops fall silent between hits)
	peakRMS  float64 // linear peak amplitude of the envelope

	// Energy-weighted spectral descriptors over the first second after start.
	bandFrac [nBands]float64 // fractions of power below 150 Hz, 150–800 Hz, 0.8–4 kHz, above 4 kHz
	centroid float64         // Hz
	flatness float64
}

const envRate = 1000.0 // envelope blocks per second (1 ms)

// describeEnvelope measures the amplitude envelope of mono: per 1 ms block the peak |x|,
// then a running maximum over ±5 ms so the ripple of tones down to 50 Hz does not read as
// decay. Bursts are counted on a separate 1 ms RMS envelope of the first difference
// x[n] − x[n−1] (a gentle high-pass, so low tones cannot fake bursts), smoothed over 3 ms.
// The early band fractions come from the frontend's STFT frames.
func describeEnvelope(mono []float32, sr float64, fe *frontend) envelope {
	var e envelope
	blk := max(1, int(math.Round(sr/envRate)))
	nb := (len(mono) + blk - 1) / blk
	pk := make([]float64, nb)
	rms := make([]float64, nb)  // plain RMS, for the tail level and temporal centroid
	hrms := make([]float64, nb) // RMS of the first difference, for bursts
	prev := float32(0)
	for b := 0; b < nb; b++ {
		var s, hs, m float64
		seg := mono[b*blk : min(len(mono), (b+1)*blk)]
		for _, v := range seg {
			if a := math.Abs(float64(v)); a > m { // a compare: Go's float max costs more
				m = a
			}
			s += float64(v) * float64(v)
			d := float64(v - prev)
			hs += d * d
			prev = v
		}
		pk[b] = m
		rms[b] = math.Sqrt(s / float64(len(seg)))
		hrms[b] = math.Sqrt(hs / float64(len(seg)))
	}
	sm := runningMax(pk, 5)
	hs := movingAvg(hrms, 1)
	peak, pi := 0.0, 0
	for b, v := range sm {
		if v > peak {
			peak, pi = v, b
		}
	}
	e.peakRMS = peak
	if peak == 0 {
		return e
	}
	// The first block that reaches within 1 dB of the peak ends the attack.
	for b := 0; b < pi; b++ {
		if sm[b] >= peak*0.89 {
			pi = b
			break
		}
	}
	dt := float64(blk) / sr
	at := func(db float64) float64 { return peak * math.Pow(10, db/20) }
	st := 0
	for st < pi && sm[st] < at(-30) {
		st++
	}
	a20 := st
	for a20 < pi && sm[a20] < at(-20) {
		a20++
	}
	last := func(db float64) int {
		th := at(db)
		for b := nb - 1; b >= 0; b-- {
			if sm[b] >= th {
				return b
			}
		}
		return pi
	}
	e.start = float64(st) * dt
	e.peakTime = float64(pi) * dt
	e.attack = float64(pi-a20) * dt
	e.len20 = float64(last(-20)-st+1) * dt
	e.len40 = float64(last(-40)-st+1) * dt

	// Bursts: local maxima of the high-passed envelope in the first 60 ms above 25 % of its
	// peak there, separated by dips below 60 % of the smaller neighbour.
	end := min(nb, st+int(0.06/dt)+1)
	hpk := 0.0
	for b := st; b < end; b++ {
		hpk = math.Max(hpk, hs[b])
	}
	var maxima []float64
	lowSince := math.Inf(1)
	for b := st; b < end; b++ {
		v := hs[b]
		if len(maxima) > 0 {
			lowSince = math.Min(lowSince, v)
		}
		isMax := (b == 0 || v >= hs[b-1]) && (b+1 >= nb || v > hs[b+1])
		if !isMax || v < 0.25*hpk {
			continue
		}
		if len(maxima) == 0 {
			maxima = append(maxima, v)
			lowSince = math.Inf(1)
			continue
		}
		prev := maxima[len(maxima)-1]
		if lowSince < 0.6*math.Min(prev, v) {
			maxima = append(maxima, v)
		} else if v > prev {
			maxima[len(maxima)-1] = v
		}
		lowSince = math.Inf(1)
	}
	e.bursts = len(maxima)

	// End level and temporal centroid.
	tail := max(1, nb/10)
	var ts, tc float64
	for b := nb - tail; b < nb; b++ {
		ts += rms[b] * rms[b]
	}
	for b, v := range rms {
		tc += float64(b) * v * v
	}
	var es float64
	for _, v := range rms {
		es += v * v
	}
	meanPow := es / float64(nb)
	e.endDB = dsp.AmplitudeDB(math.Sqrt(ts/float64(tail)/meanPow), -100)
	if nb > 1 {
		e.tcentre = tc / es / float64(nb-1)
	}
	e.tcentreS = math.Max(0, tc/es*dt-e.start)
	e.gapDB = percentileDB(rms, math.Sqrt(meanPow), 0.2)

	// Early spectrum from the STFT frames covering [start, start+1 s].
	f0 := int(e.start * fe.frameRate)
	f1 := min(fe.n, f0+int(fe.frameRate)+1)
	var bands [nBands]float64
	var tot, cen, fl float64
	for i := f0; i < f1; i++ {
		en := float64(fe.energy[i])
		tot += en
		for b := range bands {
			bands[b] += float64(fe.band[b][i])
		}
		cen += en * float64(fe.centroid[i])
		fl += en * float64(fe.flat[i])
	}
	if tot > 0 {
		for b := range bands {
			e.bandFrac[b] = bands[b] / tot
		}
		e.centroid = cen / tot
		e.flatness = fl / tot
	}
	return e
}

// runningMax is the maximum of x over ±r samples.
func runningMax(x []float64, r int) []float64 {
	out := make([]float64, len(x))
	for i := range x {
		m := 0.0
		for j := max(0, i-r); j <= min(len(x)-1, i+r); j++ {
			m = math.Max(m, x[j])
		}
		out[i] = m
	}
	return out
}

// movingAvg is the mean of x over ±r samples.
func movingAvg(x []float64, r int) []float64 {
	out := make([]float64, len(x))
	for i := range x {
		var s float64
		lo, hi := max(0, i-r), min(len(x)-1, i+r)
		for j := lo; j <= hi; j++ {
			s += x[j]
		}
		out[i] = s / float64(hi-lo+1)
	}
	return out
}

// percentileDB returns the q-quantile of 20·log10(x/ref) over x, by a 1 dB histogram from
// −100 to +40 dB (values outside are clamped).
func percentileDB(x []float64, ref, q float64) float64 {
	if len(x) == 0 || ref <= 0 {
		return -100
	}
	var hist [141]int
	for _, v := range x {
		db := -100.0
		if v > 0 {
			db = 20 * math.Log10(v/ref)
		}
		i := int(math.Floor(db)) + 100
		hist[max(0, min(140, i))]++
	}
	target := int(q * float64(len(x)))
	acc := 0
	for i, c := range hist {
		acc += c
		if acc > target {
			return float64(i - 100)
		}
	}
	return 40
}
