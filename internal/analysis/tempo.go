package analysis

import (
	"math"
	"slices"

	"github.com/sp404agent/sp404agent/internal/dsp"
)

// Tempo search parameters.
const (
	tempoMin = 40.0
	tempoMax = 240.0
	// combHarmonics is K, the number of beat multiples the comb sums.
	combHarmonics = 4
	// offbeatPenalty sets where levelScore starts to reject a level for strong half-period
	// positions (off/on above offbeatPenalty+0.25).
	offbeatPenalty = 0.5
	// tempoMaxSeconds is the longest stretch of onset envelope searched for a tempo.
	tempoMaxSeconds = 120
	// minPulseClarity is the lowest pulse clarity reported as a tempo.
	minPulseClarity = 0.2
)

// Snare band edges in Hz: the body of snares and claps, below most of the hats' energy.
const (
	snareLowHz  = 200
	snareHighHz = 1500
)

// Metrical-level scoring (scoreLevel). Scores are log-likelihood-like: 0 is neutral, every
// piece of evidence against a level subtracts. The weights, and the ramps in scoreLevel,
// were set by looking at each measure's spread at the true, half and double tempo of the
// seed-404 development loops (bench/eval) and checked on seed 405; they are round numbers,
// and the results on both seeds stay within a point when any one weight moves by ±30 % or
// a bound of the prior by ±10 %.
const (
	// tempoPriorLo…tempoPriorHi is where the tempo prior is flat: what sampler users play,
	// from slow hip-hop to drum & bass. Outside it falls as a Gaussian in octaves with
	// standard deviation tempoPriorOctaves (a level 0.3 octave outside loses 1).
	tempoPriorLo      = 70.0
	tempoPriorHi      = 185.0
	tempoPriorOctaves = 0.3
	// backbeatWeight is what a level loses when its half-beats (or its triplet positions)
	// carry as much kick and snare as its beats: the beat is then faster.
	backbeatWeight = 2.5
	// subdivisionWeight is what a level loses when nothing divides its beat (its beat is then
	// slower); sixteenthsWeight what it loses when hats divide it into sixteenths while the
	// twice-faster level is still a plausible tempo (eighths are the common case).
	subdivisionWeight = 1.5
	sixteenthsWeight  = 1.5
	// Loop length: a level that does not make the loop a whole number of beats, a whole
	// number of bars, or a power-of-two number of bars loses these.
	offBeatsPenalty = 3.0
	offBarsPenalty  = 1.5
	oddBarsPenalty  = 0.3
	// loopSalience is the comb strength, relative to the periodicity winner's, at which a
	// tempo fitting the loop length alone makes the sound count as a loop.
	loopSalience = 0.75
	// profileBins is the resolution of a folded one-beat profile (24 holds eighths,
	// sixteenths and triplets exactly).
	profileBins = 24
)

// levelMultiples are the metrical relatives of the periodicity winner considered as beats.
var levelMultiples = [...]float64{0.25, 1.0 / 3, 0.5, 2.0 / 3, 0.75, 1, 4.0 / 3, 1.5, 2, 3, 4}

// rhythm is the outcome of tempo estimation from the onset envelope.
type rhythm struct {
	bpm        float64 // 0 when there is no pulse
	confidence float64
	alternates []float64 // best first
	clarity    float64   // mean normalised autocorrelation at the beat multiples (0–1)
	snapped    bool      // bpm makes the sound a whole number of beats
	beats      int       // that number, when snapped
}

// estimateTempo finds the tempo of a sound of dur seconds from its onset envelopes, sampled
// at fr frames per second: bands holds the three band groups of the front end (below
// 200 Hz, 200 Hz–5 kHz, above 5 kHz: kicks, everything, hats) and snare the flux of the
// snare band (snareLowHz–snareHighHz).
//
//  1. Periodicity. Each envelope is detrended (its 0.25 s moving average removed) and
//     half-wave rectified. The autocorrelations of the body (low + mid) and of the hats are
//     combined, and each tempo on a 0.1 % grid scores S(b) = mean_k r(kτ), k = 1…4, the comb
//     over the beat multiples (Scheirer 1998, "Tempo and beat analysis of acoustic musical
//     signals", JASA; Percival & Tzanetakis 2014, "Streamlined tempo estimation based on
//     autocorrelation and cross-correlation with pulses", IEEE/ACM TASLP). The winner under a
//     broad log-Gaussian prior around 120 BPM (Ellis 2007, "Beat tracking by dynamic
//     programming", JNMR) fixes the family of metrical levels: its ¼…4 multiples.
//  2. Loop length. The autocorrelation is first taken circularly: a sample-pack loop is
//     played repeating and is a whole number of bars, so its length also proposes tempi
//     (2^k and 3·2^k beats) and a level is snapped to the loop when it is within a few
//     hundredths of a beat of a whole number of beats. When no level fits, the sound is not
//     an exact loop and the search is redone with the linear autocorrelation.
//  3. Octave and metre. Periodicity alone cannot tell a beat from its half or double, so
//     each level is scored by where the drums fall relative to it (scoreLevel): kick and
//     snare accents on the half-beats mean the beat is faster (the backbeat cue of Goto 2001,
//     "An audio-based real-time beat tracking system for music with or without drum-sounds",
//     JNMR); hats that divide the beat into eighths are the usual tatum, hats on the beat
//     only mean the beat is slower, sixteenths that it may be faster (the tatum–tactus
//     relation of Klapuri, Eronen & Astola 2006, "Analysis of the meter of acoustic musical
//     signals", IEEE TASLP); plus a sampler tempo prior and the loop length in bars.
func estimateTempo(bands [nOnsetBands][]float32, snare []float32, fr, dur float64) rhythm {
	te := newTempoEnv(bands, snare, fr, dur)
	if te == nil {
		return rhythm{}
	}
	return te.estimate(true)
}

// tempoEnv holds the prepared envelopes of one sound.
type tempoEnv struct {
	det     [nOnsetBands][]float64 // detrended band envelopes: low, mid, high (hats)
	snare   []float64              // detrended snare band
	body    []float64              // det[0] + det[1]
	fr, dur float64
	n       int
	hasHats bool
	anchor  int // frame of the first strong kick or snare: a sample starts on a beat
}

// newTempoEnv prepares the envelopes for estimateTempo; nil when the sound is shorter than a
// second or silent.
func newTempoEnv(bands [nOnsetBands][]float32, snare []float32, fr, dur float64) *tempoEnv {
	// Long files: the first two minutes are plenty for a tempo and bound the autocorrelation.
	if limit := int(tempoMaxSeconds * fr); len(bands[0]) > limit {
		for g := range bands {
			bands[g] = bands[g][:limit]
		}
		snare = snare[:limit]
		dur = float64(limit) / fr
	}
	n := len(bands[0])
	if n < int(fr) || dur < 1 || len(snare) != n {
		return nil
	}
	var mx [nOnsetBands]float32
	var top float32
	for g, b := range bands {
		for _, v := range b {
			mx[g] = max(mx[g], v)
		}
		top = max(top, mx[g])
	}
	if top == 0 {
		return nil
	}
	te := &tempoEnv{fr: fr, dur: dur, n: n, hasHats: mx[nOnsetBands-1] > 0}
	// Kick and mid bands are scaled to peak 1 so both mark beats when summed; a band under
	// 5 % of the loudest is scaled by that floor, so an empty band's noise is not amplified.
	// The hats and the snare band only enter through normalised measures.
	win := max(1, int(0.125*fr))
	pre := make([]float64, n+1)
	detrend := func(x []float32, sc float64) []float64 {
		for i, v := range x {
			pre[i+1] = pre[i] + sc*float64(v)
		}
		o := make([]float64, n)
		for i := range o {
			lo, hi := max(0, i-win), min(n, i+win+1)
			if v := sc*float64(x[i]) - (pre[hi]-pre[lo])/float64(hi-lo); v > 0 {
				o[i] = v
			}
		}
		return o
	}
	for g, b := range bands {
		sc := 1 / float64(max(mx[g], 0.05*top))
		if g == nOnsetBands-1 && mx[g] > 0 {
			sc = 1 / float64(mx[g])
		}
		te.det[g] = detrend(b, sc)
	}
	var smx float32
	for _, v := range snare {
		smx = max(smx, v)
	}
	te.snare = make([]float64, n)
	if smx > 0 {
		te.snare = detrend(snare, 1/float64(smx))
	}
	te.body = make([]float64, n)
	var bmax float64
	for i := range te.body {
		te.body[i] = te.det[0][i] + te.det[1][i]
		bmax = math.Max(bmax, te.body[i])
	}
	for i, v := range te.body {
		if v >= 0.3*bmax {
			te.anchor = i
			break
		}
	}
	return te
}

// levelCand is one metrical level considered as the beat.
type levelCand struct {
	bpm     float64
	sal     float64 // comb strength at bpm
	snapped bool    // bpm makes the sound a whole number of beats
	beats   int
	score   float64
}

// estimate runs the search with the circular (loop) or linear autocorrelation.
func (te *tempoEnv) estimate(circular bool) rhythm {
	p := te.periodicity(circular)
	if p == nil {
		return rhythm{}
	}
	var b0, s0 float64
	for b := tempoMin; b <= tempoMax; b *= 1.001 {
		on, off, ok := p.comb(b)
		if !ok {
			continue
		}
		lp := math.Log2(b / 120)
		if s := levelScore(on, off) * math.Exp(-0.5*lp*lp); s > s0 {
			b0, s0 = b, s
		}
	}
	if s0 <= 0 {
		return rhythm{}
	}
	on0, _, _ := p.comb(b0)
	if on0 < minPulseClarity {
		return rhythm{clarity: on0}
	}
	cands := make([]levelCand, 0, len(levelMultiples)+12)
	for _, m := range levelMultiples {
		c := levelCand{bpm: b0 * m}
		if c.bpm < tempoMin || c.bpm > tempoMax {
			continue
		}
		if circular {
			if nb := int(math.Round(c.bpm * te.dur / 60)); nb >= 1 {
				if fit := 60 * float64(nb) / te.dur; math.Abs(fit/c.bpm-1) <= snapTolerance(nb) {
					c.bpm, c.snapped, c.beats = fit, true, nb
				}
			}
		}
		on, _, _ := p.comb(c.bpm)
		c.sal = on
		cands = append(cands, c)
	}
	if circular {
		// A sample-pack loop is a whole number of bars: its length proposes tempi of its own
		// (which also catches a periodicity winner from outside the beat's family).
		loop := false
		for _, c := range cands {
			loop = loop || c.snapped
		}
		for _, base := range []int{1, 3} {
			for nb := base; nb <= 256; nb *= 2 {
				b := 60 * float64(nb) / te.dur
				if b < tempoMin || b > tempoMax || slices.ContainsFunc(cands, func(c levelCand) bool { return c.beats == nb }) {
					continue
				}
				on, _, _ := p.comb(b)
				cands = append(cands, levelCand{bpm: b, sal: on, snapped: true, beats: nb})
				loop = loop || on >= loopSalience*on0
			}
		}
		if !loop {
			return te.estimate(false)
		}
	}
	for i := range cands {
		cands[i].score = te.scoreLevel(cands[i], p, circular)
	}
	slices.SortStableFunc(cands, func(a, b levelCand) int {
		switch {
		case a.score > b.score:
			return -1
		case a.score < b.score:
			return 1
		}
		return 0
	})
	best := cands[0]
	rh := rhythm{bpm: best.bpm, clarity: on0, snapped: best.snapped, beats: best.beats}
	// Confidence: pulse clarity times the winner's lead over the best other tempo (a score
	// lead of 2 or more counts almost fully).
	lead := 1.0
	for _, c := range cands[1:] {
		if math.Abs(c.bpm/best.bpm-1) > 0.04 {
			lead = 1 - math.Exp(-(best.score - c.score))
			break
		}
	}
	rh.confidence = math.Max(0, math.Min(1, on0*(0.5+0.5*lead)))
	// Alternates: ×½ and ×2 always (inside 30–300 BPM), ⅔ and 3⁄2 when they score within 2
	// of the winner; best first.
	type alt struct{ bpm, s float64 }
	var alts []alt
	for _, m := range []float64{0.5, 2, 2.0 / 3, 1.5} {
		b := best.bpm * m
		if b < 30 || b > 300 {
			continue
		}
		s := math.Inf(-1)
		for _, c := range cands {
			if math.Abs(c.bpm/b-1) < 0.01 {
				s = math.Max(s, c.score)
			}
		}
		if (m == 2.0/3 || m == 1.5) && s < best.score-2 {
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

// scoreLevel rates candidate c as the beat (higher is better; see the weights' comments).
func (te *tempoEnv) scoreLevel(c levelCand, p *periodicity, loop bool) float64 {
	tau := 60 * te.fr / c.bpm
	// Phase: the grid runs through the anchor, moved to the body's peak within ±2 bins (the
	// onset envelope peaks a frame or two into a hit).
	pr := foldProfile(nil, te.body, tau, float64(te.anchor))
	bi, bv := 0, -1.0
	for b := -2; b <= 2; b++ {
		if v := pr[(b+profileBins)%profileBins]; v > bv {
			bi, bv = b, v
		}
	}
	phase := float64(te.anchor) + float64(bi)*tau/profileBins
	lo := foldProfile(pr, te.det[0], tau, phase)
	sn := foldProfile(nil, te.snare, tau, phase)
	at := func(centre, before, after int) float64 {
		return binSum(lo, centre, before, after) + binSum(sn, centre, before, after)
	}
	var score float64
	// Backbeat: kick and snare on the half-beats (a snare on 2 and 4 read at half tempo) or
	// on the triplet positions (a dotted or triplet reading of straight beats) as strong as
	// on the beats.
	on := at(0, 1, 2)
	half := at(12, 1, 2) / (on + 1e-9)
	third := 0.5 * (at(8, 1, 1) + at(16, 1, 1)) / (on + 1e-9)
	score -= backbeatWeight * ramp(math.Max(half, third), 0.9, 1.4)
	// Subdivision: the hats' own periodicity at half a beat (between 0.4 and 0.6 so swung
	// eighths count) or a third of a beat, or hats half a beat away from the kicks and
	// snares (off-beat hats, as in house, repeat only once per beat). ±1 frame tolerates
	// humanised timing.
	sub := math.Max(p.hatMax(0.4*tau, 0.6*tau), math.Max(p.hatMax(tau/3-1, tau/3+1), p.hatMax(2*tau/3-1, 2*tau/3+1)))
	cross := math.Max(p.xcMax(0.4*tau, 0.6*tau), p.xcMax(tau/3-1, tau/3+1))
	score -= subdivisionWeight * (1 - math.Max(ramp(sub, 0.1, 0.3), ramp(cross, 0.15, 0.3)))
	if 2*c.bpm <= tempoPriorHi {
		s16 := 0.5 * (p.hatMax(tau/4-1, tau/4+1) + p.hatMax(3*tau/4-1, 3*tau/4+1))
		score -= sixteenthsWeight * math.Max(ramp(s16, 0.15, 0.35), ramp(p.xcMax(tau/4-1, tau/4+1), 0.2, 0.35))
	}
	score += tempoPrior(c.bpm)
	if loop {
		switch {
		case !c.snapped:
			score -= offBeatsPenalty
		case c.beats%4 != 0:
			score -= offBarsPenalty
		case !isPow2(c.beats / 4):
			score -= oddBarsPenalty
		}
	}
	// Periodicity: a level the envelope barely repeats at is unlikely whatever else holds.
	return score + math.Log(math.Max(c.sal, 1e-6))
}

// tempoPrior is the log prior of a tempo: 0 from tempoPriorLo to tempoPriorHi, falling as a
// Gaussian in octaves outside.
func tempoPrior(b float64) float64 {
	var d float64
	switch {
	case b < tempoPriorLo:
		d = math.Log2(tempoPriorLo / b)
	case b > tempoPriorHi:
		d = math.Log2(b / tempoPriorHi)
	}
	d /= tempoPriorOctaves
	return -d * d
}

// snapTolerance is the relative tempo error within which a tempo is taken to make a loop
// nb beats long: 0.03 beat over the whole loop (0.75 % for one bar, whose autocorrelation
// peaks are broad), and at least 0.2 %.
func snapTolerance(nb int) float64 {
	return math.Max(0.002, math.Min(0.0075, 0.03/float64(nb)))
}

func isPow2(n int) bool { return n > 0 && n&(n-1) == 0 }

// levelScore rates a metrical level from its comb values: the on-beat strength, faded out
// when the half-period positions are nearly as strong as the beats (off/on from 0.75 to
// 0.9), which means the true beat is twice as fast and this level is its half tempo.
func levelScore(on, off float64) float64 {
	if on <= 0 {
		return 0
	}
	return on * ramp(off/on, offbeatPenalty+0.4, offbeatPenalty+0.25)
}

// tempoChannels is the number of envelopes whose autocorrelations are combined.
const tempoChannels = 2

// tempoBandWeights weight the channels' normalised autocorrelations: the body (bands below
// 5 kHz) carries the metre, while dense hats repeat at every subdivision and would make
// every level look equally periodic.
var tempoBandWeights = [tempoChannels]float64{1, 0.25}

// periodicity holds the autocorrelations and cross-correlation of one sound's envelopes.
type periodicity struct {
	r        []float64 // body and hats combined with tempoBandWeights, normalised at lag 0
	hats     []float64 // the hats alone, normalised at lag 0 (nil without hats)
	xc       []float64 // normalised (kick + snare)→hats cross-correlation, lags −xcLag…xcLag
	xcLag    int
	maxLag   int
	n        int
	usable   float64 // longest lag the comb may use
	circular bool
	fr       float64
}

func (te *tempoEnv) periodicity(circular bool) *periodicity {
	n := te.n
	maxLag := min(n-1, int(math.Ceil(combHarmonics*60*te.fr/tempoMin))+2)
	p := &periodicity{maxLag: maxLag, n: n, circular: circular, fr: te.fr}
	// Circular lags are known up to the loop length (lag n is lag 0 again and would favour
	// any tempo that divides the file); linear lags are trusted up to 60 % of the length.
	p.usable = math.Min(float64(maxLag), float64(n)-1.5)
	if !circular {
		p.usable = math.Min(p.usable, 0.6*float64(n))
	}
	p.r = make([]float64, maxLag+1)
	var wsum float64
	for g, o := range [tempoChannels][]float64{te.body, te.det[2]} {
		rg := acf(o, maxLag, circular)
		if rg == nil {
			continue
		}
		if g == tempoChannels-1 && te.hasHats {
			p.hats = rg
		}
		wsum += tempoBandWeights[g]
		for tau, v := range rg {
			p.r[tau] += tempoBandWeights[g] * v
		}
	}
	if wsum == 0 {
		return nil
	}
	for tau := range p.r {
		p.r[tau] /= wsum
	}
	if p.hats != nil {
		kicksnare := make([]float64, n)
		for i := range kicksnare {
			kicksnare[i] = te.det[0][i] + te.snare[i]
		}
		// Lags up to 0.6 of the slowest beat.
		p.xcLag = min(n-1, int(0.6*60*te.fr/tempoMin)+2)
		p.xc = xcorr(kicksnare, te.det[2], p.xcLag, circular)
	}
	return p
}

// at is the combined autocorrelation at a fractional lag, linearly interpolated.
func (p *periodicity) at(lag float64) float64 { return lagValue(p.r, lag) }

// comb returns the on-beat mean, the off-beat mean and whether any multiple fitted.
func (p *periodicity) comb(b float64) (on, off float64, ok bool) {
	tau := 60 * p.fr / b
	k := 0
	for ; k < combHarmonics && float64(k+1)*tau <= p.usable; k++ {
		on += p.at(float64(k+1) * tau)
		off += p.at((float64(k+1) - 0.5) * tau)
	}
	if k == 0 {
		return 0, 0, false
	}
	return on / float64(k), off / float64(k), true
}

// hatMax is the largest value of the hats' normalised autocorrelation at lags lo…hi frames
// (interpolated at the ends, whole frames between), 0 without hats.
func (p *periodicity) hatMax(lo, hi float64) float64 {
	if p.hats == nil {
		return 0
	}
	v := 0.0
	for _, x := range []float64{lo, hi} {
		if x >= 0 && x <= p.usable {
			v = math.Max(v, lagValue(p.hats, x))
		}
	}
	for x := math.Ceil(lo); x <= hi; x++ {
		if x >= 0 && x <= p.usable {
			v = math.Max(v, lagValue(p.hats, x))
		}
	}
	return v
}

// xcMax is the largest body→hats cross-correlation at lags ±[lo, hi] frames (hats after or
// before the kicks and snares), 0 without hats.
func (p *periodicity) xcMax(lo, hi float64) float64 {
	if p.xc == nil {
		return 0
	}
	var v float64
	for l := max(0, int(math.Floor(lo))); l <= min(p.xcLag, int(math.Ceil(hi))); l++ {
		v = math.Max(v, math.Max(p.xc[p.xcLag+l], p.xc[p.xcLag-l]))
	}
	return v
}

// lagValue is r at a fractional lag, linearly interpolated, 0 beyond its end.
func lagValue(r []float64, lag float64) float64 {
	i := int(lag)
	if lag < 0 || i+1 >= len(r) {
		return 0
	}
	f := lag - float64(i)
	return r[i]*(1-f) + r[i+1]*f
}

// acf is the autocorrelation of o for lags 0…maxLag, circular or linear (overlap-normalised),
// divided by its lag-0 value; nil when o is silent.
func acf(o []float64, maxLag int, circular bool) []float64 {
	n := len(o)
	r := make([]float64, maxLag+1)
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
		r[tau] = acc
	}
	if r[0] <= 0 {
		return nil
	}
	for tau := maxLag; tau >= 0; tau-- {
		r[tau] /= r[0]
	}
	return r
}

// xcorr is the cross-correlation Σ a[i]·b[i+l] for lags l = −L…L (index l+L), divided by
// √(Σa²·Σb²), circular or linear (overlap-normalised); nil when either signal is silent.
func xcorr(a, b []float64, L int, circular bool) []float64 {
	n := len(a)
	var ea, eb float64
	for i := range a {
		ea += a[i] * a[i]
		eb += b[i] * b[i]
	}
	if ea <= 0 || eb <= 0 {
		return nil
	}
	norm := 1 / math.Sqrt(ea*eb)
	out := make([]float64, 2*L+1)
	for l := -L; l <= L; l++ {
		var acc float64
		lo, hi := max(0, -l), min(n, n-l)
		for i := lo; i < hi; i++ {
			acc += a[i] * b[i+l]
		}
		if circular {
			// The pairs that wrap around the loop's end.
			for i := 0; i < lo; i++ {
				acc += a[i] * b[i+l+n]
			}
			for i := hi; i < n; i++ {
				acc += a[i] * b[i+l-n]
			}
		} else if hi > lo {
			acc *= float64(n) / float64(hi-lo)
		}
		out[l+L] = acc * norm
	}
	return out
}

// foldProfile folds the envelope o at period tau frames into profileBins bins, bin 0
// centred on frame offset phase, and normalises the result to sum 1. dst is reused when
// large enough.
func foldProfile(dst, o []float64, tau, phase float64) []float64 {
	if cap(dst) < profileBins {
		dst = make([]float64, profileBins)
	}
	dst = dst[:profileBins]
	clear(dst)
	var tot float64
	inv := 1 / tau
	for i, v := range o {
		if v == 0 {
			continue
		}
		ph := (float64(i) - phase) * inv // in beats
		ph -= math.Floor(ph)
		dst[int(ph*profileBins+0.5)%profileBins] += v
		tot += v
	}
	if tot > 0 {
		for i := range dst {
			dst[i] /= tot
		}
	}
	return dst
}

// binSum is the sum of profile bins centre−before…centre+after (circularly).
func binSum(pr []float64, centre, before, after int) float64 {
	var s float64
	for b := centre - before; b <= centre+after; b++ {
		s += pr[(b%profileBins+profileBins)%profileBins]
	}
	return s
}

// snareFlux is the log-compressed spectral flux (dsp.OnsetDetector) of the mel bands
// centred between snareLowHz and snareHighHz: snares and claps without most of the hats.
func (fe *frontend) snareFlux() []float32 {
	lo, hi := -1, -1
	for b := 0; b < fe.melBands; b++ {
		c := fe.melCentre(b)
		if c >= snareLowHz && lo < 0 {
			lo = b
		}
		if c < snareHighHz {
			hi = b + 1
		}
	}
	out := make([]float32, fe.n)
	if lo < 0 || hi <= lo {
		return out
	}
	od, err := dsp.NewOnsetDetector(lo, hi)
	if err != nil {
		return out
	}
	var d []float32
	for i := range out {
		d = od.Next(d, fe.mel[i*fe.melBands:(i+1)*fe.melBands])
		out[i] = d[0]
	}
	return out
}

// melCentre is the centre frequency in Hz of mel band b of the front end's filterbank
// (melBands triangles from 0 Hz to min(sr/2, 16 kHz), as newFrontend builds it).
func (fe *frontend) melCentre(b int) float64 {
	top := dsp.HzToMel(math.Min(fe.sr/2, 16000))
	return dsp.MelToHz(top * float64(b+1) / float64(fe.melBands+1))
}
