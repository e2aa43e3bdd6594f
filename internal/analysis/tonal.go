package analysis

import (
	"math"

	"github.com/sp404agent/sp404agent/internal/dsp"
)

// tonalInfo is the long-window chroma of a sound and its tuning.
type tonalInfo struct {
	chroma   [12]float64 // sums to 1 (all zero for silence)
	opening  [12]float64 // chroma of the first second (or first quarter), sums to 1
	tuning   float64     // cents re A4 = 440 Hz
	flatness float64     // chromaFlatness
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
