package analysis

import (
	"math"

	"github.com/sp404agent/sp404agent/internal/audio"
)

// decideType tells a one-shot from a loop. Metadata decides when it can (an acid chunk's
// one-shot flag, or its beat count); otherwise a sound is a loop when it is at least a second
// long and either shows a clear pulse (tempo found, four or more onsets spread over at least
// half the duration) or keeps sounding to its end (last 10 % within 20 dB of the mean level)
// with three or more onsets. Everything else — drum hits, notes, stabs, sustained single
// tones — is a one-shot.
func decideType(meta audio.Metadata, dur float64, onsets []float64, env envelope, rh rhythm) string {
	switch {
	case meta.OneShot:
		return TypeOneShot
	case meta.Beats > 0:
		return TypeLoop
	case dur < 1:
		return TypeOneShot
	}
	spread := 0.0
	if len(onsets) > 1 {
		spread = (onsets[len(onsets)-1] - onsets[0]) / dur
	}
	if rh.bpm > 0 && len(onsets) >= 4 && spread >= 0.5 {
		return TypeLoop
	}
	if len(onsets) >= 3 && spread >= 0.5 && env.endDB > -20 {
		return TypeLoop
	}
	return TypeOneShot
}

// classification is a category with its confidence.
type classification struct {
	category   string
	confidence float64
	scores     [len(categoryOrder)]float64
}

// categoryOrder fixes the order in which scores are compared (ties go to the earlier one).
var categoryOrder = [...]string{
	CategoryKick, CategorySnare, CategoryClap, CategoryHatClosed, CategoryHatOpen, CategoryTom,
	CategoryCymbal, CategoryPerc, CategoryBass, CategoryMelodic, CategoryVocal, CategoryFX, CategoryDrums,
}

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

// classify scores every category with a transparent fuzzy rule (products of ramps over the
// envelope, early spectrum, pitch and chroma descriptors) and returns the best. The confidence
// is the winner's share of the total score, scaled down when even the winner fits poorly.
//
// The rules encode the textbook acoustics of drum sounds (e.g. Herrera, Yeterian & Gouyon 2002,
// "Automatic classification of drum sounds", ICMC; Gillet & Richard 2008): kicks are low
// (most power below 150 Hz) and short; snares mix a 150–800 Hz body with broadband noise;
// claps are noise in three or four bursts over ~30 ms; hats are noise above 4 kHz, closed
// ones gone within ~0.2 s; cymbals ring longer; toms are pitched drum bodies in 70–400 Hz;
// basses are long pitched lows; melodic sounds are long pitched or chordal mids.
func classify(typ string, env envelope, p pitchInfo, t tonalInfo, nOnsets int, dur float64) classification {
	var c classification
	low, lowmid, mid, high := env.bandFrac[0], env.bandFrac[1], env.bandFrac[2], env.bandFrac[3]
	// tonalness: pitched (YIN) or chordal (peaky chroma).
	tonal := math.Max(ramp(p.salience, 0.6, 0.9), ramp(t.flatness, 0.8, 0.5))
	noisy := 1 - ramp(p.salience, 0.5, 0.85)
	set := func(cat string, v float64) {
		for i, name := range categoryOrder {
			if name == cat {
				c.scores[i] = v
			}
		}
	}
	if typ == TypeLoop {
		rate := float64(nOnsets) / math.Max(dur, 1e-3)
		// In a loop YIN sees kick tails as pitched, so harmony is judged by the chroma alone.
		// Drum loops fall (nearly) silent between hits; harmonic loops keep sounding.
		chordal := ramp(t.flatness, 0.75, 0.45)
		gaps := ramp(env.gapDB, -12, -25)
		drumish := ramp(rate, 0.8, 2.5) * math.Max(ramp(t.flatness, 0.45, 0.75), gaps)
		set(CategoryDrums, drumish+0.05)
		set(CategoryBass, chordal*(1-gaps)*ramp(low+0.5*lowmid, 0.45, 0.75))
		set(CategoryMelodic, chordal*(1-gaps)*ramp(low, 0.6, 0.3))
		set(CategoryFX, 0.15)
	} else {
		short := ramp(env.len40, 0.9, 0.35)
		perc := ramp(env.attack, 0.04, 0.012)
		// sustain is near 1 for held notes (−20 dB reached only at the end) and near 0.5 for
		// exponential decays (−20 dB at half the −40 dB length).
		sustain := 0.0
		if env.len40 > 0 {
			sustain = env.len20 / env.len40
		}
		decaying := ramp(sustain, 0.8, 0.65)
		set(CategoryKick, perc*ramp(low, 0.35, 0.65)*ramp(env.len40, 1.3, 0.7)*ramp(p.f0, 110+30*(1-p.voiced), 90+50*(1-p.voiced)))
		set(CategoryTom, perc*decaying*inside(p.f0, 90, 400)*ramp(p.salience, 0.5, 0.8)*ramp(env.len40, 1.5, 0.9)*ramp(high, 0.5, 0.2))
		set(CategorySnare, perc*ramp(mid+high, 0.3, 0.55)*ramp(lowmid+low, 0.03, 0.12)*ramp(high, 0.9, 0.7)*
			ramp(env.len40, 1.0, 0.5)*noisy*ramp(float64(env.bursts), 3, 2))
		set(CategoryClap, ramp(float64(env.bursts), 2, 3)*ramp(mid+high, 0.4, 0.7)*noisy*ramp(env.len40, 1.2, 0.6))
		// Hats and cymbals are struck: their attack is fast (a swelling noise is an effect).
		struck := ramp(env.attack, 0.1, 0.03)
		set(CategoryHatClosed, struck*ramp(high, 0.45, 0.7)*ramp(env.len40, 0.25, 0.15)*noisy)
		set(CategoryHatOpen, struck*ramp(high, 0.45, 0.7)*ramp(env.len40, 0.15, 0.25)*ramp(env.len40, 1.3, 0.9)*noisy)
		set(CategoryCymbal, struck*ramp(high+0.5*mid, 0.45, 0.75)*ramp(env.len40, 0.9, 1.4)*noisy)
		set(CategoryPerc, 0.3*perc*short)
		set(CategoryBass, tonal*ramp(low+0.5*lowmid, 0.5, 0.8)*ramp(env.len40, 0.3, 0.7)*ramp(p.f0, 300, 200)*ramp(sustain, 0.6, 0.85))
		set(CategoryMelodic, tonal*ramp(low, 0.6, 0.3)*ramp(env.len40, 0.25, 0.6))
		set(CategoryFX, 0.25*ramp(env.len40, 0.8, 2.0))
	}
	best, total := 0, 0.0
	for i, s := range c.scores {
		total += s
		if s > c.scores[best] {
			best = i
		}
	}
	c.category = categoryOrder[best]
	if total > 0 {
		c.confidence = c.scores[best] / total * ramp(c.scores[best], 0, 0.5)
	}
	return c
}

// inside is 1 for a ≤ x ≤ b, falling to 0 over 15 % beyond either edge.
func inside(x, a, b float64) float64 {
	if x <= 0 {
		return 0
	}
	return math.Min(ramp(x, 0.85*a, a), ramp(x, 1.15*b, b))
}
