package analysis

import (
	"context"
	"math"
	"slices"

	"github.com/sp404agent/sp404agent/internal/audio"
)

// decideType tells a one-shot from a loop. Metadata decides when it can: an acid chunk's
// one-shot flag, or its beat count when that gives a plausible tempo (30–300 BPM; some kits
// ship single hits with a stray "4 beats"). Otherwise a sound shorter than a second is a
// one-shot, and a longer one is a loop when it has at least two strong attacks (onsets
// where the energy rises by strongRiseDB or more: a held pad's swells and chorus ripple are
// onsets too, but weak and irregular ones) or a steady train of eight or more onsets, and
// either
//
//   - shows a pulse (tempo found, four or more onsets spread over at least half of it),
//   - keeps sounding to its end (last 10 % within 20 dB of the mean level) with three or
//     more onsets spread over half of it, or with two strong ones at least 40 % of it apart
//     (a one-bar clip of two chords), or
//
// it keeps sounding to its end, is at least 1.5 s long, and its harmony changes from one
// quarter of it to the next (a one-bar clip of two slow-attack pad chords: no strong
// second attack, but a chord change; a held note keeps its chroma).
//
// Everything else — drum hits, notes, stabs, sustained single tones — is a one-shot.
func decideType(meta audio.Metadata, dur float64, onsets []float64, env envelope, rh rhythm, fe *frontend) string {
	switch {
	case meta.OneShot:
		return TypeOneShot
	case meta.Beats > 0:
		if bpm := 60 * float64(meta.Beats) / dur; bpm >= 30 && bpm <= 300 {
			return TypeLoop
		}
	}
	if dur < 1 {
		return TypeOneShot
	}
	spread := func(t []float64) float64 {
		if len(t) < 2 {
			return 0
		}
		return (t[len(t)-1] - t[0]) / dur
	}
	var strong []float64
	for _, t := range onsets {
		if fe.energyRiseDB(t) >= strongRiseDB {
			strong = append(strong, t)
		}
	}
	sounding := env.endDB > -20
	// A steady train of onsets is a pulse even when the notes overlap so much that no single
	// attack rises far (an arpeggio with the sustain held).
	steady := len(onsets) >= 8 && ioiRegularity(onsets) >= 0.75
	switch {
	case len(strong) < 2 && !steady:
	case rh.bpm > 0 && len(onsets) >= 4 && spread(onsets) >= 0.5:
		return TypeLoop
	case sounding && len(onsets) >= 3 && spread(onsets) >= 0.5:
		return TypeLoop
	case sounding && spread(strong) >= 0.4:
		return TypeLoop
	}
	if sounding && dur >= 1.5 && fe.harmonyChanges() {
		return TypeLoop
	}
	return TypeOneShot
}

// strongRiseDB is the energy rise across an onset that makes it a new attack rather than
// the swell or ripple of a held sound. Re-struck chords rise by 8–25 dB, pad swells by
// less than 4 dB.
const strongRiseDB = 6

// energyRiseDB is the rise of the frame energy across time t: the mean over the ≈70 ms
// (6 frames) from t against the ≈70 ms before it, in dB.
func (fe *frontend) energyRiseDB(t float64) float64 {
	i := int(math.Round(t * fe.frameRate))
	var before, after float64
	for k := max(0, i-6); k < min(i, fe.n); k++ {
		before += float64(fe.energy[k])
	}
	for k := max(0, i); k < min(fe.n, i+6); k++ {
		after += float64(fe.energy[k])
	}
	return 10 * math.Log10((after+1e-12)/(before+1e-12))
}

// harmonyChanges reports whether the chroma changes between adjacent quarters of the sound
// (cosine similarity below 0.85 for some pair of pitched quarters): a chord change, not a held note, whose
// chroma (its pitch class and the fifth of its harmonics) stays put.
func (fe *frontend) harmonyChanges() bool {
	var q [4][12]float64
	for k := range q {
		q[k] = fe.chromaOf(k*fe.n/4, (k+1)*fe.n/4)
	}
	for k := 0; k+1 < len(q); k++ {
		a, b := q[k], q[k+1]
		var ab, aa, bb float64
		for j := range a {
			ab += a[j] * b[j]
			aa += a[j] * a[j]
			bb += b[j] * b[j]
		}
		if aa > 0 && bb > 0 && ab/math.Sqrt(aa*bb) < 0.85 && top3Share(a) >= 0.8 && top3Share(b) >= 0.8 {
			return true
		}
	}
	return false
}

// top3Share is the share of the three largest chroma bins in the total: about 0.25 for noise
// (white noise), 0.65–0.75 for a ringing cymbal, above 0.85 for a note or a chord.
func top3Share(c [12]float64) float64 {
	s := c
	slices.Sort(s[:])
	var tot float64
	for _, v := range s {
		tot += v
	}
	if tot <= 0 {
		return 0
	}
	return (s[9] + s[10] + s[11]) / tot
}

// chromaOf sums the per-frame HPCP of frames [a, b), each frame scaled by the inverse square
// root of its total as in tonal().
func (fe *frontend) chromaOf(a, b int) [12]float64 {
	var out [12]float64
	var c []float32
	tuning := fe.tuning.Cents()
	for i := a; i < b; i++ {
		pk := fe.peaks[fe.peakOff[i]:fe.peakOff[i+1]]
		if len(pk) == 0 {
			continue
		}
		c = fe.chroma.Compute(c, pk, tuning)
		var s float32
		for _, v := range c {
			s += v
		}
		if s <= 0 {
			continue
		}
		inv := 1 / math.Sqrt(float64(s))
		for j, v := range c {
			out[j] += float64(v) * inv
		}
	}
	return out
}

// classification is a category with its confidence.
type classification struct {
	category   string
	confidence float64
}

// Below these probabilities the model is unsure, and the category says so: a one-shot
// becomes perc when it is a short hit and fx otherwise, a loop becomes fx. The values come
// from the held-out calibration in bench/train's report (answers under ≈0.4 are right less
// than half of the time).
const (
	unsureOneShot = 0.4
	unsureLoop    = 0.5
)

// classify runs the trained category model for the sound's type (catmodel_data.go) on its
// features x. The confidence is the model's probability of its best class, so it keeps its
// meaning when the answer falls back to perc or fx: a low confidence is an unsure answer.
//
// The model is a multinomial logistic regression: for a few hundred labelled sounds it
// generalises to unseen drum kits better than nearest neighbours (bench/train compares them
// by leave-one-kit-out cross-validation), its probabilities are calibrated enough to use as
// the confidence, and its weights are a small table of data rather than hand-tuned rules.
func classify(typ string, env envelope, x *[nClassFeatures]float64) classification {
	if typ == TypeLoop {
		return loopModel.decide(typ, env, x)
	}
	return oneShotModel.decide(typ, env, x)
}

// decide is classify with the model given.
func (m *linearModel) decide(typ string, env envelope, x *[nClassFeatures]float64) classification {
	var buf [len(categoryOrder)]float64
	p := m.probabilities(buf[:0], x)
	best := 0
	for c := range p {
		if p[c] > p[best] {
			best = c
		}
	}
	c := classification{category: m.classes[best], confidence: p[best]}
	switch {
	case typ == TypeLoop && p[best] < unsureLoop:
		c.category = CategoryFX
	case typ != TypeLoop && p[best] < unsureOneShot:
		c.category = CategoryFX
		if env.len40 < 1 && env.attack < 0.03 {
			c.category = CategoryPerc
		}
	}
	return c
}

// categoryOrder lists every category of design.md §7.
var categoryOrder = [...]string{
	CategoryKick, CategorySnare, CategoryClap, CategoryHatClosed, CategoryHatOpen, CategoryTom,
	CategoryCymbal, CategoryPerc, CategoryBass, CategoryMelodic, CategoryVocal, CategoryFX, CategoryDrums,
}

// AnalyzeForTraining is Analyze that also returns the category model's input vector before
// standardisation (named by ModelFeatureNames). The training command, bench/train, fits the
// model on it; nothing else needs it.
func AnalyzeForTraining(ctx context.Context, buf *audio.Buffer, h Hints) (*Features, []float64, error) {
	f, err := Analyze(ctx, buf, h)
	if err != nil {
		return nil, nil, err
	}
	return f, f.modelInput[:], nil
}

// ModelFeatureNames names the values of AnalyzeForTraining's vector, in order.
func ModelFeatureNames() []string { return classFeatureNames[:] }

// ramp is 0 at a and 1 at b, linear between and clamped outside; a > b gives a falling ramp.
func ramp(x, a, b float64) float64 {
	if a == b {
		if x >= b {
			return 1
		}
		return 0
	}
	return math.Max(0, math.Min(1, (x-a)/(b-a)))
}
