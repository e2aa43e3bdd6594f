package analysis

import (
	"math"
	"sort"

	"github.com/sp404agent/sp404agent/internal/dsp"
)

// tonalInfo is the long-window chroma of a sound and its tuning.
type tonalInfo struct {
	chroma   [12]float64 // sums to 1 (all zero for silence)
	opening  [12]float64 // chroma of the first second (or first quarter), sums to 1
	tuning   float64     // cents re A4 = 440 Hz
	flatness float64     // chromaFlatness
	key      keyEvidence // what the key estimate looks at (keyAnalysis)
}

// tonal aggregates the per-frame HPCP (dsp.Chroma) over the whole sound, referenced to the
// tuning estimated from every spectral peak. Each frame's chroma is divided by the square
// root of its total, so a frame counts with its amplitude rather than its power and a few
// loud transients do not outweigh the sustained harmony.
//
// The opening chroma covers the first second of the sound, or its first quarter when that is
// shorter: loops and phrases nearly always start on the tonic chord, which settles the
// relative-key ambiguity of the profiles (A minor against C major for Am–F–C–G).
func (fe *frontend) tonal() tonalInfo {
	t := tonalInfo{tuning: fe.tuning.Cents()}
	openEnd := int(math.Min(fe.frameRate, 0.25*float64(fe.n)))
	var c []float32
	for i := 0; i < fe.n; i++ {
		pk := fe.peaks[fe.peakOff[i]:fe.peakOff[i+1]]
		if len(pk) == 0 {
			continue
		}
		c = fe.chroma.Compute(c, pk, t.tuning)
		var s float32
		for _, v := range c {
			s += v
		}
		if s <= 0 {
			continue
		}
		inv := 1 / float64(dsp.Sqrt32(s))
		for j, v := range c {
			t.chroma[j] += float64(v) * inv
			if i < openEnd {
				t.opening[j] += float64(v) * inv
			}
		}
	}
	normalise(&t.opening)
	normalise(&t.chroma)
	t.flatness = chromaFlatness(t.chroma)
	t.key = keyAnalysis(fe.mono, fe.sr)
	return t
}

// normalise scales c to sum 1 (leaves an all-zero vector alone).
func normalise(c *[12]float64) {
	var s float64
	for _, v := range c {
		s += v
	}
	if s > 0 {
		for j := range c {
			c[j] /= s
		}
	}
}

// keyEvidence is what the key estimate looks at: chroma views of the steady (harmonic) part
// of a sound from a long-window transform of its own, and how melodic and how harmonic the
// sound is.
type keyEvidence struct {
	global  [12]float64 // the whole sound, sums to 1 (all zero without tonal content)
	opening [12]float64 // the first second (or first quarter), sums to 1
	ending  [12]float64 // the last second (or last quarter), sums to 1
	bass    [12]float64 // share of frames whose lowest strong partial is each pitch class
	// melodic is the share of the sound (frames weighted as in global) that holds a single
	// note above the bass register: near 1 for a lead line, 0 for chords and bass lines.
	melodic float64
	// tonal is the share of the 25 Hz–2 kHz power in the tonal peaks (dsp.TonalPeaks) of
	// the harmonic part: the steady, pitched part of the sound. Drums and noise have little.
	tonal float64
	// harmonicity is the share of the tonal peaks' magnitude (frames weighted as in global)
	// that the three strongest harmonic series explain; bells and cymbals ring inharmonic.
	harmonicity float64
	// tonalSeconds is how long the frames whose tonal power is within 20 dB of the
	// strongest frame's last in all.
	tonalSeconds float64
	tuning       float64 // cents re A4 = 440 Hz
}

// Parameters of the key analysis.
const (
	// keyFrameSeconds is the STFT frame: 2048 points at 11 kHz, 10.8… Hz between bins, so
	// bass notes a semitone apart (3 Hz at 50 Hz) are still told apart by interpolation,
	// which the main 46 ms transform cannot do.
	keyFrameSeconds = 0.186
	// keyMedianFrames frames (hop half a frame, 0.47 s in all) form the time median that
	// removes drum hits: whatever lasts less than half of it.
	keyMedianFrames = 5
	// keyMaxHz ends the chroma band below the 3.5 kHz of Gómez's HPCP: above 2 kHz most
	// peaks are upper partials (the 5th, 7th, 10th harmonics add thirds and sevenths that
	// are not played, and a vibraphone bar's third mode is a major third three octaves up).
	keyMaxHz = 2000.0
	// A frame holds one note of a melodic line when the strongest harmonic series found in
	// it has its f0 at or above lineMinHz and the next series, on the partials the first one
	// does not explain, reaches less than lineMaxRatio of its salience (lineHarmonics
	// harmonics weighted lineDecay^(h−1)). Below lineMinHz the predominant series is a bass
	// note whose 4th–6th harmonics coincide with the chord it supports, so it is left alone.
	lineMinHz     = 150.0
	lineMaxRatio  = 0.3
	lineHarmonics = 8
	lineDecay     = 0.85
	// The bass of a frame is its lowest partial under bassMaxHz with at least bassMinRel of
	// the magnitude of the frame's strongest partial.
	bassMaxHz  = 300.0
	bassMinRel = 0.25
)

// keyAnalysis computes the keyEvidence of mono at sr. It decimates the signal to 11–16 kHz
// with halfband filters, takes a ≈186 ms STFT with 50 % overlap, keeps the bin-wise time
// median of five frames (the harmonic part of Fitzgerald 2010, "Harmonic/percussive
// separation using median filtering", DAFx-10), and reads its tonal peaks (dsp.TonalPeaks).
// Each frame becomes a chroma in which a partial counts with its magnitude relative to the
// frame's strongest (so a loud bass does not drown the chord above it); a frame holding one
// melodic note (see lineMinHz) counts entirely for that note's pitch class, which removes
// the fifth and third its own harmonics would add. Frames count with the square root of
// their strongest magnitude.
func keyAnalysis(mono []float32, sr float64) keyEvidence {
	var ke keyEvidence
	stages := 0
	for sr/2 >= 10000 {
		stages++
		sr /= 2
	}
	x := dsp.NewHalfband().Decimate(nil, mono, stages)
	n := 2048
	for float64(n)/sr > keyFrameSeconds*1.41 && n > 64 {
		n /= 2
	}
	for float64(n)/sr < keyFrameSeconds/1.41 {
		n *= 2
	}
	hop := n / 2
	st, err := dsp.NewSTFT(n, hop)
	if err != nil || len(x) == 0 {
		return ke
	}
	ch := dsp.NewChroma(n, sr)
	binHz := sr / float64(n)
	lo := max(1, int(math.Ceil(dsp.ChromaMinHz/binHz))-1)
	top := min(n/2+1, int(keyMaxHz/binHz)+1)
	hi := min(n/2+1, top+dsp.TonalFloorBins+2) // the tonal peaks' floors look this far up
	frames := st.Frames(len(x))
	const h = keyMedianFrames / 2
	ring := make([][]float32, keyMedianFrames)
	for j := range ring {
		ring[j] = make([]float32, n/2+1)
	}
	harm := make([]float32, n/2+1)
	win := make([][]float32, 0, keyMedianFrames)
	var peaks, pk []dsp.SpectralPeak
	off := make([]int, 1, frames+1)
	var tun dsp.TuningAccumulator
	var eRaw, eTonal float64
	var frameTonal []float64
	// process reads frame c once the frames up to c+h are in the ring.
	process := func(c int) {
		win = win[:0]
		for j := max(0, c-h); j <= min(frames-1, c+h); j++ {
			win = append(win, ring[j%keyMedianFrames])
		}
		dsp.TimeMedian(harm, win, lo, hi)
		raw := ring[c%keyMedianFrames]
		for k := lo; k < top; k++ {
			eRaw += float64(raw[k])
		}
		pk = ch.TonalPeaks(pk, harm, keyMaxHz)
		var ft float64
		for _, p := range pk {
			ft += p.Mag * p.Mag
		}
		eTonal += ft
		frameTonal = append(frameTonal, ft)
		peaks = append(peaks, pk...)
		off = append(off, len(peaks))
		tun.Add(pk)
	}
	for i := 0; i < frames; i++ {
		st.PowerFrame(ring[i%keyMedianFrames], x, i)
		if i >= h {
			process(i - h)
		}
	}
	for c := max(0, frames-h); c < frames; c++ {
		process(c)
	}
	if eRaw > 0 {
		ke.tonal = eTonal / eRaw
	}
	ke.tuning = tun.Cents()
	ref := dsp.TuningRef(ke.tuning)
	var mxT float64
	for _, v := range frameTonal {
		mxT = math.Max(mxT, v)
	}
	for _, v := range frameTonal {
		if v > 0 && v >= 0.01*mxT {
			ke.tonalSeconds += float64(hop) / sr
		}
	}

	frameRate := sr / float64(hop)
	dur := float64(len(x)) / sr
	edge := math.Min(1, 0.25*dur)
	var total float64
	var sal lineScratch
	for i := 0; i < frames; i++ {
		fp := peaks[off[i]:off[i+1]]
		if len(fp) == 0 {
			continue
		}
		var mx float64
		for _, p := range fp {
			mx = math.Max(mx, p.Mag)
		}
		var c [12]float64
		var sum float64
		bassF := math.Inf(1)
		for _, p := range fp {
			r := p.Mag / mx
			sum += r
			if p.Freq < bassMaxHz && r >= bassMinRel && p.Freq < bassF {
				bassF = p.Freq
			}
		}
		w := math.Sqrt(mx) / sum
		f0, single, hc := sal.line(fp)
		ke.harmonicity += w * sum * hc
		if single && f0 >= lineMinHz {
			c[pitchClass(f0, ref)] = sum
			ke.melodic += w * sum
		} else {
			for _, p := range fp {
				dsp.AddPartial(&c, p.Freq, p.Mag/mx, ref)
			}
		}
		total += w * sum
		t := float64(i) / frameRate
		for j, v := range c {
			ke.global[j] += w * v
			if t < edge {
				ke.opening[j] += w * v
			}
			if t >= dur-edge {
				ke.ending[j] += w * v
			}
		}
		if !math.IsInf(bassF, 1) {
			ke.bass[pitchClass(bassF, ref)]++
		}
	}
	if total > 0 {
		ke.melodic /= total
		ke.harmonicity /= total
	}
	normalise(&ke.global)
	normalise(&ke.opening)
	normalise(&ke.ending)
	normalise(&ke.bass)
	return ke
}

// pitchClass is the pitch class (C = 0) nearest to f Hz with A4 at ref Hz.
func pitchClass(f, ref float64) int {
	return ((int(math.Round(12*math.Log2(f/ref)+9)) % 12) + 12) % 12
}

// lineScratch holds the buffers of line.
type lineScratch struct {
	used, cover, best []bool
}

// line finds the harmonic series in one frame's peaks (ascending in frequency) by harmonic
// summation (Klapuri 2006, "Multiple fundamental frequency estimation by summing harmonic
// amplitudes", ISMIR): every peak from 40 Hz to 1.5 kHz is a candidate f0 whose salience is
// Σ lineDecay^(h−1)·a(h·f0) over lineHarmonics harmonics, a being the largest peak
// magnitude within ±35 cents. The strongest series' partials are set aside and the search
// repeated on the rest, three times. It returns the first series' f0, whether the frame is
// a single note (the second series reaches less than lineMaxRatio of the first's
// salience), and the share of the peaks' magnitude the three series explain.
func (s *lineScratch) line(pk []dsp.SpectralPeak) (f0 float64, single bool, harmonic float64) {
	if cap(s.used) < len(pk) {
		s.used, s.cover, s.best = make([]bool, len(pk)), make([]bool, len(pk)), make([]bool, len(pk))
	}
	s.used, s.cover, s.best = s.used[:len(pk)], s.cover[:len(pk)], s.best[:len(pk)]
	clear(s.used)
	var sal [3]float64
	for k := range sal {
		var f float64
		sal[k], f = s.strongest(pk)
		if k == 0 {
			f0 = f
		}
		for j, b := range s.best {
			s.used[j] = s.used[j] || b
		}
	}
	var all, cov float64
	for j, p := range pk {
		all += p.Mag
		if s.used[j] {
			cov += p.Mag
		}
	}
	if all > 0 {
		harmonic = cov / all
	}
	return f0, sal[1] < lineMaxRatio*sal[0], harmonic
}

// strongest returns the salience and f0 of the strongest series among the peaks not yet
// used; s.best marks its partials.
func (s *lineScratch) strongest(pk []dsp.SpectralPeak) (float64, float64) {
	const tol = 35.0 / 1200 // octaves
	below, above := math.Exp2(-tol), math.Exp2(tol)
	clear(s.best)
	bestS, bestF := 0.0, 0.0
	for ci, c := range pk {
		if c.Freq < 40 || c.Freq > 1500 || s.used[ci] {
			continue
		}
		clear(s.cover)
		var sal float64
		w := 1.0
		for h := 1; h <= lineHarmonics; h++ {
			target := c.Freq * float64(h)
			lo, hi := target*below, target*above
			j := sort.Search(len(pk), func(i int) bool { return pk[i].Freq >= lo })
			a, ai := 0.0, -1
			for ; j < len(pk) && pk[j].Freq <= hi; j++ {
				if !s.used[j] && pk[j].Mag > a {
					a, ai = pk[j].Mag, j
				}
			}
			if ai >= 0 {
				s.cover[ai] = true
			}
			sal += w * a
			w *= lineDecay
		}
		if sal > bestS {
			bestS, bestF = sal, c.Freq
			copy(s.best, s.cover)
		}
	}
	return bestS, bestF
}
