package analysis

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"slices"
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
// does not give the answer away. Sixteenth hats over a backbeat below 92 BPM are left out:
// they are the same audio as eighth hats over a half-time snare at twice the tempo, which
// sample packs label at the faster tempo (TestTempoConventions). In -short mode and under
// the race detector every third case runs.
func tempoGrid(short bool) []tempoCase {
	tempi := []float64{70, 74, 78, 82, 85, 88, 90, 93, 96, 100, 104, 108, 112, 116, 120, 124, 128, 132, 136, 140, 145, 150, 160, 170, 180}
	var out []tempoCase
	i := 0
	for ti, b := range tempi {
		for pi, p := range patterns {
			if (ti+pi)%2 == 1 || (p.name == "halftime" && b < 100) || (p.name == "sixteenths" && b < 92) {
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
	if a1 < 0.96 || a2 < 0.98 || w1 < 0.95 {
		t.Errorf("tempo accuracy below threshold: Acc1 %.3f Acc2 %.3f ±1%% %.3f", a1, a2, w1)
	}
}

// TestTempoOfTrimmedLoops cuts the grid's loops short so that they are no longer a whole
// number of beats: the loop length then says nothing and the tempo comes from the linear
// autocorrelation and the drum cues alone.
func TestTempoOfTrimmedLoops(t *testing.T) {
	cases := tempoGrid(testing.Short() || raceEnabled)
	var n, ok1 int
	for i, c := range cases {
		if c.trim > 0 {
			continue
		}
		for _, trim := range []float64{0.03, 0.1} {
			x := drumLoop(22050, c.bpm, c.bars, c.pattern, uint64(i))
			x = x[:int(float64(len(x))*(1-trim))]
			f, err := Analyze(context.Background(), stereo(22050, x), Hints{Name: "loop.wav"})
			if err != nil {
				t.Fatal(err)
			}
			n++
			if f.BPM != nil && acc1(*f.BPM, c.bpm) {
				ok1++
			} else {
				t.Logf("%v bpm %d bars %s trimmed %v: got %v", c.bpm, c.bars, c.pattern.name, trim, fmtPtr(f.BPM))
			}
		}
	}
	a1 := float64(ok1) / float64(n)
	t.Logf("trimmed loops: %d, Acc1 %.1f %%", n, 100*a1)
	if a1 < 0.9 {
		t.Errorf("trimmed-loop tempo Acc1 %.3f, want ≥ 0.9", a1)
	}
}

// TestTempoConventions pins the octave and metre decisions to the cue that makes each one,
// on loops where periodicity alone is ambiguous.
func TestTempoConventions(t *testing.T) {
	eighthsOff := []float64{0.5, 1.5, 2.5, 3.5}
	cases := []struct {
		name string
		bpm  float64
		bars int
		p    pattern
		want float64 // the reported tempo
		alt  float64 // must be among the alternates (0: not checked)
	}{
		{"eighth hats over a half-time snare read at the hat tempo", 150, 2,
			pattern{kicks: []float64{0, 2.75}, snares: []float64{2}, hats: eighths()}, 150, 75},
		{"sixteenth hats over a backbeat read at twice the tempo", 76, 2,
			pattern{kicks: []float64{0, 2.5}, snares: []float64{1, 3}, hats: sixteenths()}, 152, 76},
		{"slow backbeat with eighth hats not doubled", 72, 2,
			pattern{kicks: []float64{0, 2.5}, snares: []float64{1, 3}, hats: eighths()}, 72, 144},
		{"four-on-the-floor with off-beat hats not halved", 124, 2,
			pattern{kicks: []float64{0, 1, 2, 3}, snares: []float64{1, 3}, hats: eighthsOff}, 124, 62},
		{"syncopated break with the snare on 2 and 4 not halved", 132, 2,
			pattern{kicks: []float64{0, 0.5, 2.5, 2.75}, snares: []float64{1, 1.75, 2.25, 3}, hats: eighths()}, 132, 66},
		{"drum and bass two-step not halved", 172, 2,
			pattern{kicks: []float64{0, 2.5}, snares: []float64{1, 3}, hats: eighths()}, 172, 86},
		{"three bars not read as two at two thirds of the tempo", 120, 3, patterns[0], 120, 0},
		{"swung eighths", 96, 2, pattern{kicks: []float64{0, 2.5}, snares: []float64{1, 3}, hats: eighths(), swing: 0.33}, 96, 0},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := drumLoop(testSR, c.bpm, c.bars, c.p, uint64(100+i))
			f, err := Analyze(context.Background(), stereo(testSR, x), Hints{Name: "loop.wav"})
			if err != nil {
				t.Fatal(err)
			}
			if f.BPM == nil || math.Abs(*f.BPM-c.want) > 0.01*c.want {
				t.Fatalf("tempo %v (alternates %v), want %v", fmtPtr(f.BPM), f.BPMAlternates, c.want)
			}
			if c.alt > 0 && !slices.ContainsFunc(f.BPMAlternates, func(a float64) bool { return math.Abs(a-c.alt) < 0.01*c.alt }) {
				t.Errorf("alternates %v lack %v", f.BPMAlternates, c.alt)
			}
		})
	}
}

// TestTempoSnapsToLoopLength checks that an exact loop reports the tempo its length implies
// (60·beats/seconds), not the autocorrelation's estimate, which is only good to a fraction
// of a frame.
func TestTempoSnapsToLoopLength(t *testing.T) {
	for i, bpm := range []float64{87.5, 93.25, 128.4, 171} {
		x := drumLoop(testSR, bpm, 2, patterns[0], uint64(200+i))
		want := 60 * 8 / (float64(len(x)) / testSR)
		f, err := Analyze(context.Background(), stereo(testSR, x), Hints{Name: "loop.wav"})
		if err != nil {
			t.Fatal(err)
		}
		if f.BPM == nil || math.Abs(*f.BPM-want) > 0.006 {
			t.Errorf("%v BPM loop: tempo %v, want %.3f", bpm, fmtPtr(f.BPM), want)
		}
	}
}

// TestTempoIsDeterministic analyses the same loop twice, the second time from a copy.
func TestTempoIsDeterministic(t *testing.T) {
	x := drumLoop(testSR, 131, 2, patterns[4], 300)
	a, err := Analyze(context.Background(), stereo(testSR, x), Hints{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Analyze(context.Background(), stereo(testSR, slices.Clone(x)), Hints{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.BPM, b.BPM) || !reflect.DeepEqual(a.BPMAlternates, b.BPMAlternates) || a.BPMConfidence != b.BPMConfidence {
		t.Errorf("two runs differ: %v %v %v / %v %v %v", fmtPtr(a.BPM), a.BPMAlternates, a.BPMConfidence, fmtPtr(b.BPM), b.BPMAlternates, b.BPMConfidence)
	}
}
