package analysis

import (
	"context"
	"testing"
)

// keySR is the sample rate of the key grid.
const keySR = 22050

// mirexKeyScore is the MIREX weighted key score (as in mir_eval.key.weighted_score): 1 for
// the right key, 0.5 for the key a perfect fifth above in the same mode, 0.3 for the relative
// key, 0.2 for the parallel key, 0 otherwise.
func mirexKeyScore(refTonic int, refScale string, estTonic int, estScale string) float64 {
	d := ((estTonic-refTonic)%12 + 12) % 12
	switch {
	case estScale == refScale && d == 0:
		return 1
	case estScale == refScale && d == 7:
		return 0.5
	case refScale == "major" && estScale == "minor" && d == 9,
		refScale == "minor" && estScale == "major" && d == 3:
		return 0.3
	case estScale != refScale && d == 0:
		return 0.2
	}
	return 0
}

// keyClip renders a four-chord progression in the given key: I–IV–V–I for major; for minor
// alternately i–iv–v–i and i–VI–III–VII (natural minor). Triads sit between A3 and G#5 with
// the root doubled an octave below; each chord lasts one second.
func keyClip(sr float64, tonic int, scale string, variant int, cents float64) []float32 {
	var degrees [][3]int
	if scale == "major" {
		degrees = [][3]int{{0, 4, 7}, {5, 9, 12}, {7, 11, 14}, {0, 4, 7}}
	} else if variant%2 == 0 {
		degrees = [][3]int{{0, 3, 7}, {5, 8, 12}, {7, 10, 14}, {0, 3, 7}}
	} else {
		degrees = [][3]int{{0, 3, 7}, {8, 12, 15}, {3, 7, 10}, {10, 14, 17}}
	}
	base := 57 + (tonic+3)%12 // A3 … G#4
	var chords [][]int
	for _, d := range degrees {
		root := base + d[0]
		chords = append(chords, []int{root - 12, base + d[0], base + d[1], base + d[2]})
	}
	return progression(sr, 120, chords, 2, cents, 0.6)
}

func TestKeyOfSynthesizedProgressions(t *testing.T) {
	var total float64
	var n, exact int
	// Under -short or the race detector every third tonic runs; clips are rendered at 22.05 kHz
	// (the chroma's bin spacing is the same as 2048 points at 44.1 kHz).
	step := 1
	if testing.Short() || raceEnabled {
		step = 3
	}
	for tonic := 0; tonic < 12; tonic += step {
		for _, scale := range []string{"major", "minor"} {
			cents := 0.0
			if (tonic+len(scale))%3 == 0 {
				cents = 30 // a third of the clips are tuned 30 cents sharp
			}
			x := keyClip(keySR, tonic, scale, tonic, cents)
			f, err := Analyze(context.Background(), stereo(keySR, x), Hints{})
			if err != nil {
				t.Fatal(err)
			}
			n++
			if f.Key == nil || f.Scale == nil {
				t.Logf("%s %s (%+.0f c): no key", noteNames[tonic], scale, cents)
				continue
			}
			est := -1
			for i, nm := range noteNames {
				if nm == *f.Key {
					est = i
				}
			}
			s := mirexKeyScore(tonic, scale, est, *f.Scale)
			total += s
			if s == 1 {
				exact++
			} else {
				t.Logf("%s %s (%+.0f c): got %s %s (score %.1f)", noteNames[tonic], scale, cents, *f.Key, *f.Scale, s)
			}
			if f.KeyConfidence <= 0 || f.KeyConfidence > 1 {
				t.Errorf("confidence %v", f.KeyConfidence)
			}
		}
	}
	w := total / float64(n)
	t.Logf("key grid: %d clips, MIREX weighted score %.3f, exact %.1f %%", n, w, 100*float64(exact)/float64(n))
	if w < 0.85 {
		t.Errorf("weighted key score %.3f below 0.85", w)
	}
}

func TestKeyOfBassLineAndNoneForDrums(t *testing.T) {
	// A natural-minor bass line in A: A C E G A D E A (one beat each at 100 BPM).
	line := [][]int{{45}, {48}, {52}, {55}, {45}, {50}, {52}, {45}}
	x := progression(testSR, 100, line, 1, 0, 0.7)
	f, err := Analyze(context.Background(), stereo(testSR, x), Hints{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Key == nil {
		t.Fatal("bass line: no key")
	}
	est := -1
	for i, nm := range noteNames {
		if nm == *f.Key {
			est = i
		}
	}
	if s := mirexKeyScore(9, "minor", est, *f.Scale); s < 0.3 {
		t.Errorf("bass line in A minor: got %s %s", *f.Key, *f.Scale)
	}

	d, err := Analyze(context.Background(), stereo(testSR, drumLoop(testSR, 100, 2, patterns[0], 9)), Hints{})
	if err != nil {
		t.Fatal(err)
	}
	if d.Key != nil || d.Scale != nil || d.KeyConfidence != 0 {
		t.Errorf("drum loop has key %v %v", d.Key, d.Scale)
	}
	for _, x := range [][]float32{snare(testSR, 0.3, 0.7, 5), hat(testSR, 0.5, 0.1, 0.5, 6)} {
		g, err := Analyze(context.Background(), stereo(testSR, x), Hints{})
		if err != nil {
			t.Fatal(err)
		}
		if g.Key != nil || g.RootNote != nil {
			t.Errorf("%s has key %v root %v", g.Category, g.Key, g.RootNote)
		}
	}
}

func TestKeyFromMetadataWins(t *testing.T) {
	x := keyClip(keySR, 0, "major", 0, 0)
	f, err := Analyze(context.Background(), stereo(testSR, x), Hints{Meta: metaWith(func(m *metaT) { m.Key = "F#m" })})
	if err != nil {
		t.Fatal(err)
	}
	if f.Key == nil || *f.Key != "F#" || *f.Scale != "minor" || f.KeyConfidence != 1 {
		t.Fatalf("metadata key not used: %v %v %v", f.Key, f.Scale, f.KeyConfidence)
	}
}
