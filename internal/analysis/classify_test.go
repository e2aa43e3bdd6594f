package analysis

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/sp404agent/sp404agent/internal/audio"
)

// labelled is a synthesized sound with its expected type and category.
type labelled struct {
	name, typ, cat string
	x              []float32
}

// classificationSet builds three variants (level, seed, length) of every synthesized sound
// class, one-shots and loops; with short set, only the first variant.
func classificationSet(short bool) []labelled {
	sr := float64(testSR)
	var out []labelled
	add := func(name, typ, cat string, x []float32) { out = append(out, labelled{name, typ, cat, x}) }
	variants := 3
	if short {
		variants = 1
	}
	for v := 0; v < variants; v++ {
		amp := []float64{0.9, 0.5, 0.25}[v]
		seed := uint64(100 + v)
		add("kick", TypeOneShot, CategoryKick, kick(sr, 0.4+0.2*float64(v), amp))
		add("snare", TypeOneShot, CategorySnare, snare(sr, 0.25+0.1*float64(v), amp, seed))
		add("clap", TypeOneShot, CategoryClap, clap(sr, amp, seed))
		add("closed hat", TypeOneShot, CategoryHatClosed, hat(sr, 0.05+0.02*float64(v), 0.012, amp, seed))
		add("open hat", TypeOneShot, CategoryHatOpen, hat(sr, 0.4+0.2*float64(v), 0.1, amp, seed))
		add("cymbal", TypeOneShot, CategoryCymbal, hat(sr, 2.5+float64(v), 0.7, amp, seed))
		add("tom", TypeOneShot, CategoryTom, tom(sr, []float64{110, 160, 220}[v], amp, seed))
		add("cowbell", TypeOneShot, CategoryPerc, cowbell(sr, amp))
		add("bass note", TypeOneShot, CategoryBass, tone(sr, 1.2+0.5*float64(v), midiHz(33+5*v, 0), amp, 0))
		add("chord stab", TypeOneShot, CategoryMelodic, chord(sr, 1.5+0.5*float64(v), []int{60 + v, 64 + v, 67 + v}, 0, amp))
		add("riser", TypeOneShot, CategoryFX, riser(sr, 3+float64(v), amp, seed))
		add("drum loop", TypeLoop, CategoryDrums, drumLoop(sr, []float64{92, 120, 140}[v], 2, patterns[v], seed))
		prog := [][]int{{48, 60, 64, 67}, {53, 60, 65, 69}, {55, 59, 62, 67}, {48, 60, 64, 67}}
		add("chord loop", TypeLoop, CategoryMelodic, progression(sr, []float64{90, 110, 128}[v], prog, 2, 0, amp))
		bassline := [][]int{{33}, {33}, {36}, {38}, {33}, {40}, {38}, {36}}
		add("bass loop", TypeLoop, CategoryBass, progression(sr, []float64{95, 100, 124}[v], bassline, 1, 0, amp))
	}
	return out
}

// nearMiss names the answers that count for a class in the per-class check (not in the
// overall accuracy): the synthesized "cymbal" is bare noise above 7 kHz ringing for seconds,
// between a long open hat and a bright crash, and the model trained on real kits calls it
// either.
var nearMiss = map[string][]string{"cymbal": {CategoryHatOpen}}

func TestClassifiesSynthesizedSounds(t *testing.T) {
	set := classificationSet(testing.Short() || raceEnabled)
	okType, okCat := 0, 0
	perClass := map[string][2]int{}
	for _, s := range set {
		f, err := Analyze(context.Background(), stereo(testSR, s.x), Hints{})
		if err != nil {
			t.Fatal(err)
		}
		pc := perClass[s.name]
		pc[1]++
		if f.Type == s.typ {
			okType++
		} else {
			t.Logf("%s: type %s, want %s", s.name, f.Type, s.typ)
		}
		if f.Category == s.cat {
			okCat++
			pc[0]++
		} else {
			t.Logf("%s: category %s (%.2f), want %s", s.name, f.Category, f.CategoryConfidence, s.cat)
			if slices.Contains(nearMiss[s.name], f.Category) {
				pc[0]++
			}
		}
		perClass[s.name] = pc
		if f.CategoryConfidence < 0 || f.CategoryConfidence > 1 {
			t.Errorf("%s: confidence %v", s.name, f.CategoryConfidence)
		}
	}
	n := float64(len(set))
	t.Logf("classification: %d sounds, type accuracy %.1f %%, category accuracy %.1f %%", len(set), 100*float64(okType)/n, 100*float64(okCat)/n)
	if float64(okType)/n < 0.95 || float64(okCat)/n < 0.85 {
		t.Errorf("accuracy below threshold: type %d/%d, category %d/%d", okType, len(set), okCat, len(set))
	}
	for name, pc := range perClass {
		if pc[0]*3 < pc[1]*2 { // at least two of three variants (all, when only one runs), near misses included
			t.Errorf("%s: only %d of %d classified right", name, pc[0], pc[1])
		}
	}
}

// heldOutSet holds variants whose parameters (lengths, decays, pitches, tempi, chords) were
// not used while the rules were written; its accuracy is the more honest number.
func heldOutSet() []labelled {
	sr := float64(testSR)
	return []labelled{
		{"short kick", TypeOneShot, CategoryKick, kick(sr, 0.3, 0.7)},
		{"long snare", TypeOneShot, CategorySnare, snare(sr, 0.5, 0.4, 201)},
		{"tight hat", TypeOneShot, CategoryHatClosed, hat(sr, 0.04, 0.008, 0.6, 202)},
		{"long open hat", TypeOneShot, CategoryHatOpen, hat(sr, 0.8, 0.18, 0.4, 203)},
		{"short cymbal", TypeOneShot, CategoryCymbal, hat(sr, 1.8, 0.5, 0.5, 204)},
		{"high tom", TypeOneShot, CategoryTom, tom(sr, 300, 0.6, 205)},
		{"clap", TypeOneShot, CategoryClap, clap(sr, 0.8, 206)},
		{"E2 bass note", TypeOneShot, CategoryBass, tone(sr, 2.5, midiHz(40, 0), 0.5, 0)},
		{"m7 stab", TypeOneShot, CategoryMelodic, chord(sr, 1.2, []int{62, 65, 69, 72}, 0, 0.5)},
		{"short riser", TypeOneShot, CategoryFX, riser(sr, 2, 0.6, 207)},
		{"boom-bap 4 bars", TypeLoop, CategoryDrums, drumLoop(sr, 132, 4, patterns[4], 208)},
		{"ii-V-I loop", TypeLoop, CategoryMelodic, progression(sr, 84, [][]int{{50, 62, 65, 69}, {55, 62, 65, 67}, {48, 60, 64, 67}, {48, 60, 64, 67}}, 4, 0, 0.5)},
		{"fast bass loop", TypeLoop, CategoryBass, progression(sr, 140, [][]int{{31}, {31}, {34}, {36}, {31}, {38}, {36}, {34}}, 1, 0, 0.6)},
	}
}

func TestClassifiesHeldOutVariants(t *testing.T) {
	set := heldOutSet()
	okType, okCat := 0, 0
	for _, s := range set {
		f, err := Analyze(context.Background(), stereo(testSR, s.x), Hints{})
		if err != nil {
			t.Fatal(err)
		}
		if f.Type == s.typ {
			okType++
		}
		if f.Category == s.cat {
			okCat++
		}
		if f.Type != s.typ || f.Category != s.cat {
			t.Logf("held out %s: %s %s (%.2f), want %s %s", s.name, f.Type, f.Category, f.CategoryConfidence, s.typ, s.cat)
		}
	}
	n := float64(len(set))
	t.Logf("held-out classification: %d sounds, type %.1f %%, category %.1f %%", len(set), 100*float64(okType)/n, 100*float64(okCat)/n)
	if float64(okType)/n < 0.75 || float64(okCat)/n < 0.6 {
		t.Errorf("held-out accuracy: type %d/%d category %d/%d", okType, len(set), okCat, len(set))
	}
}

// TestModelMatchesFeatures fails when classFeatures changed without retraining: the
// generated models must have been fitted on the same features, in the same order.
func TestModelMatchesFeatures(t *testing.T) {
	if !slices.Equal(modelFeatureNames, classFeatureNames[:]) {
		t.Fatalf("catmodel_data.go was fitted on %v,\nclassFeatures computes %v: re-run go run ./bench/train", modelFeatureNames, classFeatureNames)
	}
	for _, m := range []*linearModel{&oneShotModel, &loopModel} {
		if len(m.mean) != nClassFeatures || len(m.scale) != nClassFeatures || len(m.bias) != len(m.classes) || len(m.weights) != len(m.classes) {
			t.Fatalf("model shapes: %d classes, %d means, %d scales, %d biases, %d weight rows", len(m.classes), len(m.mean), len(m.scale), len(m.bias), len(m.weights))
		}
		for c, w := range m.weights {
			if len(w) != nClassFeatures {
				t.Errorf("%s: %d weights", m.classes[c], len(w))
			}
			if !slices.Contains(categoryOrder[:], m.classes[c]) {
				t.Errorf("unknown class %q", m.classes[c])
			}
		}
	}
	if slices.Contains(loopModel.classes, CategoryKick) || slices.Contains(oneShotModel.classes, CategoryDrums) {
		t.Errorf("a loop model that answers kick or a one-shot model that answers drums")
	}
}

// TestUnsureAnswersPercOrFX checks the fallback of an unsure model: a short struck sound
// becomes perc, a long one fx, an unsure loop fx, and the confidence stays the model's
// (low) probability.
func TestUnsureAnswersPercOrFX(t *testing.T) {
	z := make([]float64, nClassFeatures)
	one := make([]float64, nClassFeatures)
	for j := range one {
		one[j] = 1
	}
	// Three classes with the same score: every probability is 1/3.
	flat := linearModel{classes: []string{CategoryKick, CategorySnare, CategoryTom}, mean: z, scale: one,
		bias: []float64{0, 0, 0}, weights: [][]float64{z, z, z}}
	var x [nClassFeatures]float64
	short := envelope{len40: 0.3, attack: 0.002}
	long := envelope{len40: 2.5, attack: 0.4}
	for _, tc := range []struct {
		name string
		typ  string
		env  envelope
		want string
	}{
		{"short hit", TypeOneShot, short, CategoryPerc},
		{"long sound", TypeOneShot, long, CategoryFX},
		{"loop", TypeLoop, long, CategoryFX},
	} {
		c := flat.decide(tc.typ, tc.env, &x)
		if c.category != tc.want || math.Abs(c.confidence-1.0/3) > 1e-9 {
			t.Errorf("%s: %s (%.3f), want %s (0.333)", tc.name, c.category, c.confidence, tc.want)
		}
	}
	// A sure model keeps its answer.
	sure := flat
	sure.bias = []float64{0, 5, 0}
	if c := sure.decide(TypeOneShot, short, &x); c.category != CategorySnare || c.confidence < 0.95 {
		t.Errorf("sure model: %s (%.3f), want snare", c.category, c.confidence)
	}
}

// TestTypeDecisions covers the one-shot/loop cases the first rules got wrong on real sample
// packs: a single hit whose acid chunk claims 4 beats, a held pad note whose slow swell and
// chorus make weak onsets, and one-bar clips of two chords (re-struck, and slow-attack pads).
func TestTypeDecisions(t *testing.T) {
	sr := float64(testSR)
	// A pad note: harmonic tone with a 0.6 s swell and 5 Hz amplitude and pitch wobble.
	pad := make([]float32, int(2.4*sr))
	var ph float64
	for i := range pad {
		tt := float64(i) / sr
		f := midiHz(59, 0) * (1 + 0.004*math.Sin(2*math.Pi*5*tt))
		ph += 2 * math.Pi * f / sr
		v := math.Sin(ph) + 0.5*math.Sin(2*ph) + 0.3*math.Sin(3*ph)
		swell := math.Min(1, tt/0.6) * (1 + 0.25*math.Sin(2*math.Pi*4.3*tt+1))
		pad[i] = float32(0.3 * v * swell)
	}
	// A slow-attack pad playing I then V, half the clip each: no strong second attack.
	slowChords := progression(sr, 100, [][]int{{60, 64, 67}, {55, 59, 62, 67}}, 2, 0, 0.4)
	seg := len(slowChords) / 2
	for i := range slowChords {
		tt := float64(i%seg) / sr
		slowChords[i] *= float32(math.Min(1, tt/0.5))
	}
	for _, tc := range []struct {
		name string
		x    []float32
		meta audio.Metadata
		want string
	}{
		{"kick with a 4-beat acid chunk", kick(sr, 0.39, 0.8), metaWith(func(m *metaT) { m.Beats = 4 }), TypeOneShot},
		{"2 s loop with a 4-beat acid chunk", drumLoop(sr, 120, 1, patterns[0], 3), metaWith(func(m *metaT) { m.Beats = 4 }), TypeLoop},
		{"held pad note", pad, audio.Metadata{}, TypeOneShot},
		{"one bar of two struck chords", progression(sr, 100, [][]int{{60, 64, 67}, {55, 59, 62, 67}}, 2, 0, 0.4), audio.Metadata{}, TypeLoop},
		{"one bar of two slow pad chords", slowChords, audio.Metadata{}, TypeLoop},
	} {
		f, err := Analyze(context.Background(), stereo(testSR, tc.x), Hints{Meta: tc.meta})
		if err != nil {
			t.Fatal(err)
		}
		if f.Type != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, f.Type, tc.want)
		}
	}
}
