package analysis

import (
	"context"
	"math"
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

// brass is a bright sustained tone at f Hz: partials 1…12 at amplitude h^−0.3, so the 3rd
// (a fifth up) and 5th (a third up) are nearly as loud as the fundamental, as in a trumpet,
// a saxophone or a square-wave lead. Its chroma leans towards the key a fifth up.
func brass(sr, dur, f, amp float64) []float32 {
	x := make([]float32, int(dur*sr))
	for h := 1; h <= 12 && f*float64(h) < sr/2; h++ {
		g := amp * math.Pow(float64(h), -0.3) / 4
		w := 2 * math.Pi * f * float64(h) / sr
		for i := range x {
			t := float64(i) / sr
			env := math.Min(1, t/0.02) * math.Min(1, (dur-t)/0.03)
			x[i] += float32(g * env * math.Sin(w*float64(i)+float64(h)))
		}
	}
	return x
}

// melodyClip renders a four-bar melody in the key, one note per beat at bpm: chord tones of
// I–IV–V–I on the strong beats, scale steps between, ending on the tonic; with drums
// (drumLoop, pattern basic) under it when drums is set.
func melodyClip(sr float64, tonic int, scale string, bpm float64, drums bool) []float32 {
	steps := []int{0, 2, 4, 5, 7, 9, 11}
	if scale == "minor" {
		steps = []int{0, 2, 3, 5, 7, 8, 10}
	}
	// Scale degrees (0 = tonic), one per beat.
	degrees := []int{0, 1, 2, 4, 3, 2, 5, 3, 4, 6, 1, 3, 2, 1, 0, 0}
	base := 60 + tonic
	if base > 66 {
		base -= 12
	}
	beat := 60 / bpm
	x := make([]float32, int(16*beat*sr))
	for i, d := range degrees {
		note := base + steps[d%7]
		mixAt(x, brass(sr, beat*0.95, midiHz(note, 0), 0.5), int(float64(i)*beat*sr))
	}
	if drums {
		d := drumLoop(sr, bpm, 4, patterns[0], 7)
		for i := range x {
			if i < len(d) {
				x[i] += d[i]
			}
		}
	}
	return x
}

// keyOf returns the key Analyze reports for x ("none" when it reports none).
func keyOf(t *testing.T, sr int, x []float32) (int, string) {
	t.Helper()
	f, err := Analyze(context.Background(), stereo(sr, x), Hints{})
	if err != nil {
		t.Fatal(err)
	}
	if f.Key == nil {
		return -1, "none"
	}
	for i, nm := range noteNames {
		if nm == *f.Key {
			return i, *f.Scale
		}
	}
	t.Fatalf("unknown key %q", *f.Key)
	return -1, ""
}

// A melody over drums keeps its key: the drums neither hide it (a category-based rule gave
// drum loops no key) nor pull it, and a bright lead's own overtones do not move it to the
// dominant.
func TestKeyOfMelodyOverDrums(t *testing.T) {
	for _, c := range []struct {
		tonic int
		scale string
		drums bool
	}{
		{0, "major", true}, {7, "major", true}, {2, "major", false},
		{9, "minor", true}, {4, "minor", true}, {0, "minor", false},
	} {
		x := melodyClip(keySR, c.tonic, c.scale, 100, c.drums)
		tonic, scale := keyOf(t, keySR, x)
		if tonic != c.tonic || scale != c.scale {
			got := "none"
			if tonic >= 0 {
				got = noteNames[tonic] + " " + scale
			}
			t.Errorf("melody in %s %s (drums %v): got %s", noteNames[c.tonic], c.scale, c.drums, got)
		}
	}
}

// The hard progressions: a relative key shares every note, a mixolydian I–♭VII vamp has the
// notes of the major key a fourth up, and a harmonic-minor cadence over a loud bass has a
// major third among the bass's overtones. The opening chord and the bass decide.
func TestKeyOfModalAndMinorProgressions(t *testing.T) {
	type prog struct {
		name   string
		tonic  int
		scale  string
		chords [][]int // semitones from the tonic
	}
	I, IV, V := []int{0, 4, 7}, []int{5, 9, 12}, []int{7, 11, 14}
	i, iv := []int{0, 3, 7}, []int{5, 8, 12}
	VI, III, VII := []int{8, 12, 15}, []int{3, 7, 10}, []int{10, 14, 17}
	for _, p := range []prog{
		{"natural minor i–VI–III–VII", 9, "minor", [][]int{i, VI, III, VII}},
		{"natural minor i–VII–VI–VII", 2, "minor", [][]int{i, VII, VI, VII}},
		{"harmonic minor i–iv–V–i", 0, "minor", [][]int{i, iv, V, i}},
		{"mixolydian I–♭VII", 7, "major", [][]int{I, VII, I, VII}},
		{"dorian i7–IV7", 2, "minor", [][]int{{0, 3, 7, 10}, {5, 9, 12, 15}, {0, 3, 7, 10}, {5, 9, 12, 15}}},
		{"pop I–V–vi–IV", 5, "major", [][]int{I, V, {9, 12, 16}, IV}},
	} {
		base := 57 + (p.tonic+3)%12 // A3 … G#4
		var chords [][]int
		for _, c := range p.chords {
			notes := []int{base + c[0] - 24} // the bass, two octaves down
			for _, n := range c {
				notes = append(notes, base+n)
			}
			chords = append(chords, notes)
		}
		x := progression(keySR, 100, chords, 4, 0, 0.7)
		tonic, scale := keyOf(t, keySR, x)
		if tonic != p.tonic || scale != p.scale {
			got := "none"
			if tonic >= 0 {
				got = noteNames[tonic] + " " + scale
			}
			t.Errorf("%s in %s %s: got %s", p.name, noteNames[p.tonic], p.scale, got)
		}
	}
}

// A pitched hit or a single held note above the bass register has a pitch (root_note), not
// a key. (A single low note is not caught: its overtones form the major triad on it.)
func TestNoKeyForASingleNote(t *testing.T) {
	for name, x := range map[string][]float32{
		"kick":    kick(testSR, 0.6, 0.9),
		"tom":     tom(testSR, 120, 0.8, 3),
		"held A3": tone(testSR, 2, 220, 0.6, 0),
	} {
		f, err := Analyze(context.Background(), stereo(testSR, x), Hints{})
		if err != nil {
			t.Fatal(err)
		}
		if f.Key != nil {
			t.Errorf("%s has key %s %s", name, *f.Key, *f.Scale)
		}
	}
}

// bassNote is a plucked bass note at f Hz whose fundamental is 8 dB under its octave, as in
// many bass samples: partials 1…8 at 0.4, 1, 0.7, 0.45, 0.3, 0.2, 0.12, 0.08, decaying (τ 0.8 s).
func bassNote(sr, dur, f float64) []float32 {
	amps := []float64{0.4, 1, 0.7, 0.45, 0.3, 0.2, 0.12, 0.08}
	x := make([]float32, int(dur*sr))
	for h, a := range amps {
		w := 2 * math.Pi * f * float64(h+1) / sr
		for i := range x {
			t := float64(i) / sr
			x[i] += float32(0.25 * a * math.Min(1, t/0.005) * math.Exp(-t/0.8) * math.Sin(w*float64(i)))
		}
	}
	return x
}

// Root notes in the bass register keep their octave when the fundamental is weak or too low
// for the 46 ms frame to place it (a 49 Hz partial is 2.3 bins from DC); a held note keeps
// its root note however long it lasts.
func TestRootNotesOfLowBassAndHeldNotes(t *testing.T) {
	for _, c := range []struct {
		name string
		x    []float32
		want string
	}{
		{"bass F1", bassNote(testSR, 1.5, midiHz(29, 0)), "F1"},
		{"bass G1", bassNote(testSR, 1.5, midiHz(31, 0)), "G1"},
		{"bass B1", bassNote(testSR, 1.5, midiHz(35, 0)), "B1"},
		{"bass D2", bassNote(testSR, 1.5, midiHz(38, 0)), "D2"},
		{"held E4, 6 s", tone(testSR, 6, midiHz(64, 0), 0.5, 0), "E4"},
	} {
		f := analyze(t, stereo(testSR, c.x), Hints{})
		got := "null"
		if f.RootNote != nil {
			got = *f.RootNote
		}
		if got != c.want {
			t.Errorf("%s (%s): root %s, want %s", c.name, f.Type, got, c.want)
		}
	}
}
