package main

import (
	"context"
	"io"
	"math"
	"os"
	"os/exec"
	"testing"
)

// summary is the headline of an evaluation: the numbers the targets are set on.
type summary struct {
	tempo1, tempo2, typ, category Rate
	key                           Mean
	lufsErr, truePeakErr          float64
}

func summarize(res []Result) summary {
	var s summary
	for _, r := range res {
		if r.Set == "loop" && r.BPM > 0 {
			a1, a2 := tempoCorrect(r.BPM, r.Ours.BPM)
			s.tempo1.Add(a1)
			s.tempo2.Add(a2)
		}
		if r.Set == "keyclip" && r.Key != "" {
			var k, sc string
			if r.Ours.Key != nil && r.Ours.Scale != nil {
				k, sc = *r.Ours.Key, *r.Ours.Scale
			}
			score, _ := keyScore(r.Key, r.Scale, k, sc)
			s.key.Add(score)
		}
		if r.Type != "" {
			s.typ.Add(r.Ours.Type == r.Type)
		}
		if r.Category != "" {
			s.category.Add(r.Ours.Category == r.Category)
		}
		if r.LUFS != nil {
			s.lufsErr = math.Max(s.lufsErr, math.Abs(r.Ours.LUFS-*r.LUFS))
		}
		if r.TruePeak != nil {
			s.truePeakErr = math.Max(s.truePeakErr, math.Abs(r.Ours.TruePeak-*r.TruePeak))
		}
	}
	return s
}

// Floors for the small corpus: a few points under what the full evaluation measures (see
// docs/performance.md), so a regression fails the build. They are below the targets
// where the analysis does not reach those yet.
const (
	minTempo1   = 90.0 // full run: 100 % (seed 404), 99.1 % (405); target 97
	minTempo2   = 95.0 // full run: 100 %, 99.4 %; target 99.5
	minKey      = 0.82 // full run: 0.976 on both seeds; target 0.97 (12–24 clips here: one miss costs 0.04–0.08)
	minType     = 94.0 // full run: 99.6 %; target 98
	minCategory = 84.0 // full run: 92.3 %, 91.6 %; target 90
)

// TestAccuracyOnASmallCorpus is the fast subset of `make eval` that runs in `make test`: a small
// labelled corpus is generated from the Hydrogen kits and FluidSynth (CI installs them) and
// analysed, and each headline number must stay within a few points of the full run's targets.
func TestAccuracyOnASmallCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and analyses audio")
	}
	missing := t.Skipf
	if os.Getenv("SP404_REQUIRE_EVAL") != "" { // CI installs the tools: a gap is a failure there
		missing = t.Fatalf
	}
	for _, tool := range []string{"fluidsynth", "ffmpeg", "sox"} {
		if _, err := exec.LookPath(tool); err != nil {
			missing("%s not installed (bench/eval/setup.sh installs the corpus tools)", tool)
		}
	}
	sf2 := "/usr/share/sounds/sf2/FluidR3_GM.sf2"
	for _, p := range []string{sf2, DefaultKitDir} {
		if _, err := os.Stat(p); err != nil {
			missing("%s missing (bench/eval/setup.sh installs it)", p)
		}
	}
	sz := Sizes{LoopsPerStyle: 6, KeyKeys: 2, KitLayers: 1, MaxOneShots: 60, PitchedNotes: 10,
		LoudnessRates: []int{48000}, LoudnessCases: []string{"case1", "case5", "case15", "case17", "case19"},
		KitDir: DefaultKitDir, SoundFont: sf2, FluidSynth: "fluidsynth", FFmpeg: "ffmpeg", SoX: "sox", Seed: 2026}
	if raceEnabled { // the race detector slows the analysis about tenfold
		sz.LoopsPerStyle, sz.KeyKeys, sz.MaxOneShots, sz.PitchedNotes = 3, 1, 30, 6
	}
	dir := t.TempDir()
	items, err := Generate(dir, sz, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	res := RunOurs(context.Background(), dir, items, io.Discard)
	for _, r := range res {
		if r.Ours.Err != "" {
			t.Errorf("%s: %s", r.File, r.Ours.Err)
		}
	}
	s := summarize(res)
	t.Logf("%d files: tempo Acc1 %s Acc2 %s, key %.3f (%d), type %s, category %s, loudness ±%.3f LU, true peak ±%.3f dB",
		len(res), s.tempo1, s.tempo2, s.key.Value(), s.key.N, s.typ, s.category, s.lufsErr, s.truePeakErr)
	checks := []struct {
		name      string
		got, want float64
	}{
		{"tempo Accuracy1 %", s.tempo1.Pct(), minTempo1},
		{"tempo Accuracy2 %", s.tempo2.Pct(), minTempo2},
		{"key weighted score", s.key.Value(), minKey},
		{"one-shot/loop %", s.typ.Pct(), minType},
		{"category %", s.category.Pct(), minCategory},
	}
	for _, c := range checks {
		if math.IsNaN(c.got) || c.got < c.want {
			t.Errorf("%s = %.3f, below the floor %.3f", c.name, c.got, c.want)
		}
	}
	if s.lufsErr > targetLUFS+1e-9 || s.truePeakErr > targetTP+1e-9 {
		t.Errorf("loudness error %.3f LU / true peak %.3f dB, limits %.2f / %.2f", s.lufsErr, s.truePeakErr, targetLUFS, targetTP)
	}
}
