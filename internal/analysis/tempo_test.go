package analysis

import (
	"context"
	"fmt"
	"math"
	"testing"
)

// tempoCase is one synthesized loop with its true tempo.
type tempoCase struct {
	bpm     float64
	bars    int
	pattern pattern
	trim    float64 // fraction of the loop cut from the end (0 = exact loop length)
}

// tempoGrid spans 70–180 BPM, 1–4 bars and every pattern (basic, half-time, swing, sixteenth
// hats, boom-bap); every fifth case of two bars or more is trimmed by 3 % so the duration
// does not give the answer away. In -short mode and under the race detector every third case
// runs.
func tempoGrid(short bool) []tempoCase {
	tempi := []float64{70, 74, 78, 82, 85, 88, 90, 93, 96, 100, 104, 108, 112, 116, 120, 124, 128, 132, 136, 140, 145, 150, 160, 170, 180}
	var out []tempoCase
	i := 0
	for ti, b := range tempi {
		for pi, p := range patterns {
			if (ti+pi)%2 == 1 || (p.name == "halftime" && b < 100) {
				continue
			}
			bars := 1 + (ti+pi)%4
			if b < 90 && bars == 1 {
				bars = 2
			}
			c := tempoCase{bpm: b, bars: bars, pattern: p}
			if i%5 == 4 && bars >= 2 {
				c.trim = 0.03
			}
			i++
			if short && i%3 != 0 {
				continue
			}
			out = append(out, c)
		}
	}
	return out
}

// MIREX audio tempo extraction accuracies: Acc1 counts estimates within 4 % of the truth,
// Acc2 also accepts ×2, ×½, ×3 and ×⅓ (octave and triple errors).
func acc1(est, truth float64) bool { return math.Abs(est-truth) <= 0.04*truth }

func acc2(est, truth float64) bool {
	for _, m := range []float64{1, 2, 0.5, 3, 1.0 / 3} {
		if acc1(est, truth*m) {
			return true
		}
	}
	return false
}

func TestTempoOfSynthesizedDrumLoops(t *testing.T) {
	cases := tempoGrid(testing.Short() || raceEnabled)
	var n, ok1, ok2, within1 int
	for i, c := range cases {
		// Most loops at 22.05 kHz (half the cost; exercises the rate-scaled STFT), every third
		// at 44.1 kHz and every fifth at 48 kHz.
		sr := 22050
		switch {
		case i%5 == 2:
			sr = 48000
		case i%3 == 0:
			sr = testSR
		}
		x := drumLoop(float64(sr), c.bpm, c.bars, c.pattern, uint64(i))
		x = x[:int(float64(len(x))*(1-c.trim))]
		f, err := Analyze(context.Background(), stereo(sr, x), Hints{Name: fmt.Sprintf("loop_%d.wav", i)})
		if err != nil {
			t.Fatal(err)
		}
		n++
		if f.BPM == nil {
			t.Logf("%v bpm %d bars %s trim %v: no tempo", c.bpm, c.bars, c.pattern.name, c.trim)
			continue
		}
		if f.Type != TypeLoop || f.BPMSource != BPMSourceAudio {
			t.Errorf("%v bpm %s: type %s source %s", c.bpm, c.pattern.name, f.Type, f.BPMSource)
		}
		got := *f.BPM
		hasOctave := false
		for _, a := range f.BPMAlternates {
			if math.Abs(a-got/2) < 0.02 || math.Abs(a-2*got) < 0.02 {
				hasOctave = true
			}
		}
		if !hasOctave || f.BPMConfidence <= 0 || f.BPMConfidence > 1 {
			t.Errorf("%v bpm: alternates %v confidence %v", c.bpm, f.BPMAlternates, f.BPMConfidence)
		}
		if acc1(got, c.bpm) {
			ok1++
		}
		if acc2(got, c.bpm) {
			ok2++
		}
		if math.Abs(got-c.bpm) <= 0.01*c.bpm {
			within1++
		} else {
			t.Logf("%v bpm %d bars %s trim %v: got %v (alternates %v, conf %v)", c.bpm, c.bars, c.pattern.name, c.trim, got, f.BPMAlternates, f.BPMConfidence)
		}
	}
	a1, a2, w1 := float64(ok1)/float64(n), float64(ok2)/float64(n), float64(within1)/float64(n)
	t.Logf("tempo grid: %d loops, Acc1 %.1f %%, Acc2 %.1f %%, within ±1 %%: %.1f %%", n, 100*a1, 100*a2, 100*w1)
	// Targets: Acc1 ≥ 97 %, Acc2 ≥ 99.5 %; asserted a few points lower.
	if a1 < 0.93 || a2 < 0.97 || w1 < 0.9 {
		t.Errorf("tempo accuracy below threshold: Acc1 %.3f Acc2 %.3f ±1%% %.3f", a1, a2, w1)
	}
}
