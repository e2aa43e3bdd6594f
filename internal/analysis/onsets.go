package analysis

import (
	"math"
	"slices"
)

// Onset picking parameters (Böck, Krebs & Schedl 2012, "Evaluating the online capabilities of
// onset detection methods", ISMIR: local maximum, moving-average threshold, minimum gap).
const (
	onsetMaxWin  = 0.03 // s: a peak is the maximum within ±30 ms
	onsetAvgWin  = 0.10 // s: the threshold is the mean over ±100 ms …
	onsetDelta   = 0.06 // … plus δ times the envelope's maximum
	onsetMinGap  = 0.03 // s between onsets
	onsetMinFrac = 0.1  // and the peak must reach 10 % of the envelope's maximum
)

// pickOnsets returns onset times in seconds from the onset envelope odf at fr frames per
// second: frames that are the local maximum within ±30 ms, exceed the ±100 ms moving average
// by δ·max and 10 % of the maximum, pass accept (nil accepts all) and come at least 30 ms
// after the previous onset. Frame i is centred at i/fr seconds.
func pickOnsets(odf []float32, fr float64, accept func(i int) bool) []float64 {
	n := len(odf)
	var mx float32
	for _, v := range odf {
		mx = max(mx, v)
	}
	if mx <= 0 {
		return []float64{}
	}
	wMax := max(1, int(onsetMaxWin*fr+0.5))
	wAvg := max(1, int(onsetAvgWin*fr+0.5))
	pre := make([]float64, n+1)
	for i, v := range odf {
		pre[i+1] = pre[i] + float64(v)
	}
	out := []float64{}
	last := -1e9
	for i, v := range odf {
		if v < onsetMinFrac*mx {
			continue
		}
		isMax := true
		for j := max(0, i-wMax); j <= min(n-1, i+wMax); j++ {
			if odf[j] > v || (odf[j] == v && j < i) {
				isMax = false
				break
			}
		}
		if !isMax {
			continue
		}
		lo, hi := max(0, i-wAvg), min(n, i+wAvg+1)
		avg := (pre[hi] - pre[lo]) / float64(hi-lo)
		if float64(v) < avg+onsetDelta*float64(mx) {
			continue
		}
		t := float64(i) / fr
		if t-last < onsetMinGap || (accept != nil && !accept(i)) {
			continue
		}
		out = append(out, round(t, 0.0001))
		last = t
	}
	return out
}

// onsetRiseDB is the level jump, in dB, that an onset must show in some part of the spectrum.
const onsetRiseDB = 6.0

// onsetAccept is the acceptance test pickOnsets applies in Analyze. A peak of the onset
// envelope whose flux is almost all below 200 Hz (mid and high bands under a tenth of the
// low band) must show an energy rise (energyRises): a sustained sub-bass whose partials lie
// inside one STFT main lobe beats, and the beating pulses the low-band flux without adding
// energy. Any other peak counts when it stands five times above the onset envelope's median
// over ±0.5 s (a chord change in silence-free material) or when energy rises.
func (fe *frontend) onsetAccept(odf []float32) func(i int) bool {
	w := max(1, int(0.5*fe.frameRate))
	var win []float32
	return func(i int) bool {
		if fe.onset[1][i]+fe.onset[2][i] < 0.1*fe.onset[0][i] {
			return fe.energyRises(i)
		}
		win = append(win[:0], odf[max(0, i-w):min(len(odf), i+w+1)]...)
		slices.Sort(win)
		if odf[i] >= 5*win[len(win)/2] {
			return true
		}
		return fe.energyRises(i)
	}
}

// energyRises reports whether frame i (or i+1) starts a new sound: some run of three adjacent
// mel bands holding at least 5 % of the frame's mel energy is onsetRiseDB louder than its
// mean over frames i−3…i−1. Spectral flux alone also fires on the random frame-to-frame
// fluctuation of sustained noise (risers, crowd, vinyl); a real onset adds energy somewhere,
// even a chord change at constant level (new notes enter new bands). Three bands together
// have enough degrees of freedom that noise almost never jumps 6 dB.
func (fe *frontend) energyRises(i int) bool {
	if i < 1 {
		return true
	}
	gain := float32(math.Pow(10, onsetRiseDB/10))
	j := min(i+1, fe.n-1)
	mb := fe.melBands
	cur := func(b int) float32 { return max(fe.mel[i*mb+b], fe.mel[j*mb+b]) }
	var tot float32
	for b := 0; b < mb; b++ {
		tot += cur(b)
	}
	for b := 0; b+3 <= mb; b++ {
		e1 := cur(b) + cur(b+1) + cur(b+2)
		if e1 < 0.05*tot {
			continue
		}
		var e0 float32
		k := 0
		for p := max(0, i-3); p < i; p++ {
			row := fe.mel[p*mb : (p+1)*mb]
			e0 += row[b] + row[b+1] + row[b+2]
			k++
		}
		if e1 > gain*e0/float32(k) {
			return true
		}
	}
	return false
}
