package analysis

import (
	"math"
	"slices"
)

// Tempo search parameters.
const (
	tempoMin = 40.0
	tempoMax = 240.0
	// tempoPriorBPM and tempoPriorOctaves define the log-Gaussian tempo prior
	// exp(−½·(log2(b/120)/σ)²) (Klapuri, Eronen & Astola 2006; Ellis 2007 uses the same shape
	// around 120 BPM).
	tempoPriorBPM     = 120.0
	tempoPriorOctaves = 1.0
	// combHarmonics is K, the number of beat multiples the comb sums.
	combHarmonics = 4
	// offbeatPenalty sets where levelScore starts to reject a level for strong half-period
	// positions (off/on above offbeatPenalty+0.25).
	offbeatPenalty = 0.5
	// loopSnap is the relative distance within which a tempo is snapped to one that makes the
	// sample a whole number of beats.
	loopSnap = 0.005
	// tempoMaxSeconds is the longest stretch of onset envelope searched for a tempo.
	tempoMaxSeconds = 120
	// minPulseClarity is the lowest pulse clarity reported as a tempo.
	minPulseClarity = 0.2
)

// rhythm is the outcome of tempo estimation from the onset envelope.
type rhythm struct {
	bpm        float64 // 0 when there is no pulse
	confidence float64
	alternates []float64 // best first
	clarity    float64   // mean normalised autocorrelation at the beat multiples (0–1)
	snapped    bool      // bpm makes the sound a whole number of beats
	beats      int       // that number, when snapped
}

// estimateTempo finds the tempo of an onset envelope odf sampled at fr frames per second, for
// a sound of dur seconds:
//
//  1. The envelope has its 0.25 s moving average removed and is half-wave rectified; its
//     autocorrelation r(τ) is normalised by r(0).
//  2. Each tempo b on a 0.1 % grid from 40 to 240 BPM (period τ = 60·fr/b frames) scores
//     S(b) = mean_k r(kτ) − α·mean_k r((k−½)τ) over the beat multiples k = 1…K that fit the
//     signal, with linear interpolation of r: a comb over the beat multiples that subtracts
//     the half-beat positions, so a period whose halves are as strong as its beats (the
//     half-tempo reading) loses to the faster one (Scheirer 1998, "Tempo and beat analysis of
//     acoustic musical signals", JASA; Percival & Tzanetakis 2014, "Streamlined tempo
//     estimation based on autocorrelation and cross-correlation with pulses", IEEE/ACM TASLP).
//  3. S is weighted by the log-Gaussian prior and the local maxima become candidates.
//  4. Loop length: a candidate within 0.5 % of 60·N/dur for a whole number of beats N is
//     snapped to it and favoured (×1.1, ×1.2 when N is a multiple of 4, i.e. whole bars).
//
// The autocorrelation is first taken circularly: a sample-pack loop is played repeating, so
// its envelope is periodic in the loop length and the circular form sees every beat pair even
// in a one-bar loop. When the winner does not make the sound a whole number of beats the file
// is not an exact loop, and the search is repeated with the ordinary (linear, overlap-
// normalised) autocorrelation.
func estimateTempo(bands [nOnsetBands][]float32, fr, dur float64) rhythm {
	// Long files: the first two minutes are plenty for a tempo and bound the autocorrelation.
	if limit := int(tempoMaxSeconds * fr); len(bands[0]) > limit {
		for g := range bands {
			bands[g] = bands[g][:limit]
		}
		dur = float64(limit) / fr
	}
	n := len(bands[0])
	if n < int(fr) || dur < 1 {
		return rhythm{}
	}
	// Two channels: the "body" (kick and snare bands, each scaled to peak 1, summed so a kick
	// on 1 and a snare on 2 both mark beats) and the hats.
	var mx [nOnsetBands]float32
	var top float32
	for g, b := range bands {
		for _, v := range b {
			mx[g] = max(mx[g], v)
		}
		top = max(top, mx[g])
	}
	if top == 0 {
		return rhythm{}
	}
	var ch [tempoChannels][]float32
	for c := range ch {
		ch[c] = make([]float32, n)
	}
	for g, b := range bands {
		c := 0 // body
		if g == nOnsetBands-1 {
			c = 1 // hats
		}
		sc := 1 / max(mx[g], 0.05*top)
		for i, v := range b {
			ch[c][i] += sc * v
		}
	}
	win := max(1, int(0.125*fr))
	var det [tempoChannels][]float64
	pre := make([]float64, n+1)
	for g, odf := range ch {
		o := make([]float64, n)
		for i, v := range odf {
			pre[i+1] = pre[i] + float64(v)
		}
		for i := range o {
			lo, hi := max(0, i-win), min(n, i+win+1)
			if v := float64(odf[i]) - (pre[hi]-pre[lo])/float64(hi-lo); v > 0 {
				o[i] = v
			}
		}
		det[g] = o
	}
	hasHats := mx[nOnsetBands-1] >= 0.05*top
	rh := tempoFromACF(det, hasHats, fr, dur, true)
	if rh.bpm > 0 && !rh.snapped {
		rh = tempoFromACF(det, hasHats, fr, dur, false)
	}
	return rh
}

// tempoChannels is the number of envelopes whose autocorrelations are combined.
const tempoChannels = 2

// tempoBandWeights weight the channels' normalised autocorrelations: the body (bands below
// 5 kHz) carries the metre, while dense hats repeat at every subdivision and would make
// every level look equally periodic.
var tempoBandWeights = [tempoChannels]float64{1, 0.25}

// tempoFromACF runs steps 1–4 of estimateTempo with a circular or linear autocorrelation of
// each band group's detrended envelope; the groups' normalised autocorrelations are averaged
// with tempoBandWeights.
func tempoFromACF(det [tempoChannels][]float64, hasHats bool, fr, dur float64, circular bool) rhythm {
	n := len(det[0])
	maxLag := min(n-1, int(math.Ceil(combHarmonics*60*fr/tempoMin))+2)
	// Linear lags are trusted up to 60 % of the length (enough overlap to average).
	usable := float64(maxLag)
	if circular && maxLag == n-1 {
		usable = math.Inf(1) // every lag is known, modulo n
	}
	if !circular {
		usable = math.Min(usable, 0.6*float64(n))
	}
	r := make([]float64, maxLag+1)
	rg := make([]float64, maxLag+1)
	var wsum float64
	tatum := 0.0 // hat period in frames, 0 when there are no regular hats
	for g, o := range det {
		for tau := 0; tau <= maxLag; tau++ {
			var acc float64
			if circular {
				for i := 0; i < n-tau; i++ {
					acc += o[i] * o[i+tau]
				}
				for i := n - tau; i < n; i++ {
					acc += o[i] * o[i+tau-n]
				}
			} else {
				for i := 0; i+tau < n; i++ {
					acc += o[i] * o[i+tau]
				}
				acc *= float64(n) / float64(n-tau)
			}
			rg[tau] = acc
		}
		if rg[0] <= 0 {
			continue
		}
		if g == tempoChannels-1 && hasHats {
			tatum = findTatum(rg, fr, usable)
		}
		w := tempoBandWeights[g] / rg[0]
		wsum += tempoBandWeights[g]
		for tau := range r {
			r[tau] += w * rg[tau]
		}
	}
	if wsum == 0 {
		return rhythm{}
	}
	for tau := range r {
		r[tau] /= wsum
	}
	at := func(lag float64) float64 {
		if circular && maxLag == n-1 && lag >= float64(n-1) {
			// The circular autocorrelation has period n: interpolate across the wrap.
			lag = math.Mod(lag, float64(n))
			i := int(lag)
			f := lag - float64(i)
			return r[i]*(1-f) + r[(i+1)%n]*f
		}
		i := int(lag)
		if i+1 > maxLag {
			return 0
		}
		f := lag - float64(i)
		return r[i]*(1-f) + r[i+1]*f
	}
	// comb returns the on-beat mean, the off-beat mean and whether any multiple fitted.
	comb := func(b float64) (on, off float64, ok bool) {
		tau := 60 * fr / b
		k := 0
		for ; k < combHarmonics && float64(k+1)*tau <= usable; k++ {
			on += at(float64(k+1) * tau)
			off += at((float64(k+1) - 0.5) * tau)
		}
		if k == 0 {
			return 0, 0, false
		}
		return on / float64(k), off / float64(k), true
	}
	prior := func(b float64) float64 {
		lp := math.Log2(b/tempoPriorBPM) / tempoPriorOctaves
		return math.Exp(-0.5 * lp * lp)
	}
	type cand struct {
		bpm, score, clarity float64
	}
	var grid []cand
	for b := tempoMin; b <= tempoMax; b *= 1.001 {
		on, off, ok := comb(b)
		if !ok {
			grid = append(grid, cand{bpm: b})
			continue
		}
		grid = append(grid, cand{bpm: b, score: levelScore(on, off) * prior(b) * tatumFit(b, tatum, fr), clarity: on})
	}
	var cands []cand
	for i := 1; i+1 < len(grid); i++ {
		if grid[i].score > 0 && grid[i].score >= grid[i-1].score && grid[i].score > grid[i+1].score {
			c := grid[i]
			a, b, d := grid[i-1].score, grid[i].score, grid[i+1].score
			if den := a - 2*b + d; den < 0 {
				c.bpm *= math.Pow(1.001, 0.5*(a-d)/den)
			}
			cands = append(cands, c)
		}
	}
	if len(cands) == 0 {
		return rhythm{}
	}
	type pick struct {
		cand
		weighted float64
		snapped  bool
		beats    int
	}
	picks := make([]pick, len(cands))
	for i, c := range cands {
		p := pick{cand: c, weighted: c.score}
		nb := int(math.Round(c.bpm * dur / 60))
		if nb >= 1 {
			fit := 60 * float64(nb) / dur
			if math.Abs(fit/c.bpm-1) <= loopSnap {
				p.bpm, p.snapped, p.beats = fit, true, nb
				p.weighted *= 1.1
				if nb%4 == 0 {
					p.weighted *= 1.2 / 1.1
				}
			}
		}
		picks[i] = p
	}
	slices.SortStableFunc(picks, func(a, b pick) int {
		switch {
		case a.weighted > b.weighted:
			return -1
		case a.weighted < b.weighted:
			return 1
		}
		return 0
	})
	best := picks[0]
	if best.clarity < minPulseClarity {
		return rhythm{clarity: best.clarity}
	}
	rh := rhythm{bpm: best.bpm, clarity: best.clarity, snapped: best.snapped, beats: best.beats}
	// Confidence: pulse clarity times the winner's lead over the runner-up (a lead of a third
	// or more counts fully).
	lead := 1.0
	if len(picks) > 1 && best.weighted > 0 {
		lead = math.Min(1, 3*(1-picks[1].weighted/best.weighted))
	}
	rh.confidence = math.Max(0, math.Min(1, best.clarity*(0.5+0.5*lead)))

	// Alternates: ×½ and ×2 always (inside 30–300 BPM), ⅔ and 3⁄2 when the comb there scores
	// at least half the winner; best first.
	type alt struct{ bpm, s float64 }
	var alts []alt
	for _, m := range []float64{0.5, 2, 2.0 / 3, 1.5} {
		b := best.bpm * m
		if b < 30 || b > 300 {
			continue
		}
		on, off, _ := comb(b)
		s := levelScore(on, off) * prior(b) * tatumFit(b, tatum, fr)
		if (m == 2.0/3 || m == 1.5) && s < 0.5*best.score {
			continue
		}
		alts = append(alts, alt{b, s})
	}
	slices.SortStableFunc(alts, func(a, b alt) int {
		switch {
		case a.s > b.s:
			return -1
		case a.s < b.s:
			return 1
		}
		return 0
	})
	for _, a := range alts {
		rh.alternates = append(rh.alternates, a.bpm)
	}
	return rh
}

// levelScore rates a metrical level from its comb values: the on-beat strength, faded out
// when the half-period positions are nearly as strong as the beats (off/on from 0.75 to
// 0.9), which means the true beat is twice as fast and this level is its half tempo.
func levelScore(on, off float64) float64 {
	if on <= 0 {
		return 0
	}
	return on * ramp(off/on, offbeatPenalty+0.4, offbeatPenalty+0.25)
}

// findTatum returns the hat period in frames: the shortest lag between 70 ms and 600 ms whose
// autocorrelation is a local peak reaching 35 % of the largest value in that range (0 when
// there is none). The low bar lets swung eighths, whose two unequal gaps each collect only
// half the hat pairs, still count as eighths. r is the hats' unnormalised autocorrelation.
func findTatum(r []float64, fr, usable float64) float64 {
	lo := int(0.07 * fr)
	hi := min(len(r)-2, int(math.Min(0.6*fr, usable)))
	if lo < 1 || hi <= lo {
		return 0
	}
	var top float64
	for tau := lo; tau <= hi; tau++ {
		top = math.Max(top, r[tau])
	}
	if top <= 0.2*r[0] {
		return 0
	}
	for tau := lo; tau <= hi; tau++ {
		if r[tau] >= 0.35*top && r[tau] >= r[tau-1] && r[tau] >= r[tau+1] {
			t := float64(tau)
			if den := r[tau-1] - 2*r[tau] + r[tau+1]; den < 0 {
				t += 0.5 * (r[tau-1] - r[tau+1]) / den
			}
			return t
		}
	}
	return 0
}

// tatumFit weights a tempo by how its beat relates to the hat period: hats usually play
// eighths or sixteenths of the beat (ratio 2 or 4, weight 1), sometimes triplets (3 or 6,
// 0.9) or quarters (1, 0.85); a beat of eight or more hat periods is unusual (0.6), and a
// non-integer ratio gets 0.8. Without regular hats every tempo weighs 1.
func tatumFit(bpm, tatum, fr float64) float64 {
	if tatum <= 0 {
		return 1
	}
	q := 60 * fr / bpm / tatum
	m := math.Round(q)
	if m < 1 || math.Abs(q-m)/q > 0.06 {
		return 0.8
	}
	switch m {
	case 2, 4:
		return 1
	case 3, 6:
		return 0.9
	case 1:
		return 0.85
	}
	return 0.6
}
