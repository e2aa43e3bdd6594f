package analysis

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/sp404agent/sp404agent/internal/audio"
)

func analyze(t *testing.T, buf *audio.Buffer, h Hints) *Features {
	t.Helper()
	f, err := Analyze(context.Background(), buf, h)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// The JSON form is the design.md §7 contract: exact field names, in order, and never a NaN,
// ±Inf or a null alternates list.
func TestResultJSONMatchesContract(t *testing.T) {
	buf := stereo(testSR, kick(testSR, 0.52, 0.9))
	meta := metaWith(func(m *metaT) { m.Format = audio.FormatWAV; m.BitDepth = 16 })
	f := analyze(t, buf, Hints{Name: "kick.wav", Meta: meta})
	b, err := json.Marshal(NewResult("kick.wav", buf, meta, f))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	dec := json.NewDecoder(bytes.NewReader(b))
	if _, err := dec.Token(); err != nil {
		t.Fatal(err)
	}
	depth := 0
	for dec.More() || depth > 0 {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' || v == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if depth == 0 {
				keys = append(keys, v)
				// Skip the value.
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	want := []string{"path", "format", "sample_rate", "channels", "bit_depth", "duration_s", "frames",
		"type", "category", "category_confidence", "bpm", "bpm_confidence", "bpm_alternates", "bpm_source",
		"key", "scale", "key_confidence", "root_note", "loudness_lufs", "true_peak_dbtp", "peak_dbfs",
		"spectral", "analysis_version"}
	if !reflect.DeepEqual(keys, want) {
		t.Fatalf("keys\n got %v\nwant %v", keys, want)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	sp := m["spectral"].(map[string]any)
	for _, k := range []string{"centroid_hz", "rolloff_hz", "flatness", "brightness"} {
		if _, ok := sp[k]; !ok {
			t.Errorf("spectral.%s missing", k)
		}
	}
	if m["bpm"] != nil || m["bpm_source"] != "none" || m["type"] != "one-shot" || m["category"] != "kick" {
		t.Errorf("kick: %s", b)
	}
	if alts, ok := m["bpm_alternates"].([]any); !ok || len(alts) != 0 {
		t.Errorf("bpm_alternates = %v, want []", m["bpm_alternates"])
	}
	if m["sample_rate"].(float64) != testSR || m["channels"].(float64) != 2 || m["format"] != "wav" || m["bit_depth"].(float64) != 16 {
		t.Errorf("decode facts: %s", b)
	}
	if m["analysis_version"] != Version {
		t.Errorf("version %v", m["analysis_version"])
	}
}

func TestSilenceGivesFiniteFloors(t *testing.T) {
	for _, n := range []int{10, 4410, 3 * testSR} {
		f := analyze(t, stereo(testSR, make([]float32, n)), Hints{})
		if f.LoudnessLUFS != -70 || f.PeakDBFS != PeakFloorDB || f.TruePeakDBTP != PeakFloorDB {
			t.Errorf("%d frames of silence: %v LUFS %v dBFS %v dBTP", n, f.LoudnessLUFS, f.PeakDBFS, f.TruePeakDBTP)
		}
		if f.BPM != nil || f.Key != nil || f.RootNote != nil || len(f.Onsets) != 0 {
			t.Errorf("silence has content: %+v", f)
		}
		if _, err := json.Marshal(f); err != nil {
			t.Errorf("silence does not marshal: %v", err)
		}
		for i, v := range f.Similarity {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("similarity[%d] = %v", i, v)
			}
		}
	}
}

func TestHostileSamplesAreSanitised(t *testing.T) {
	x := kick(testSR, 0.5, 0.9)
	x[100] = float32(math.NaN())
	x[200] = float32(math.Inf(1))
	x[300] = 1e30
	f := analyze(t, mono(testSR, x), Hints{})
	if _, err := json.Marshal(f); err != nil {
		t.Fatal(err)
	}
	if f.PeakDBFS > 20*math.Log10(4)+0.01 {
		t.Errorf("peak %v not clipped to +12 dBFS", f.PeakDBFS)
	}
	if !math.IsNaN(float64(x[100])) {
		t.Error("input buffer was modified")
	}
}

func TestInvalidInputsAreErrors(t *testing.T) {
	cases := map[string]*audio.Buffer{
		"nil":           nil,
		"no channels":   {SampleRate: testSR},
		"zero rate":     {SampleRate: 0, Data: [][]float32{{0}}},
		"ragged":        {SampleRate: testSR, Data: [][]float32{{0, 0}, {0}}},
		"empty channel": {SampleRate: testSR, Data: [][]float32{{}}},
	}
	for name, buf := range cases {
		if _, err := Analyze(context.Background(), buf, Hints{}); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Analyze(ctx, stereo(testSR, kick(testSR, 0.5, 0.5)), Hints{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestAnalysisIsDeterministic(t *testing.T) {
	x := drumLoop(testSR, 97, 2, patterns[2], 3)
	a, _ := json.Marshal(analyze(t, stereo(testSR, x), Hints{}))
	f1 := analyze(t, stereo(testSR, x), Hints{})
	b, _ := json.Marshal(f1)
	f2 := analyze(t, stereo(testSR, x), Hints{})
	if !bytes.Equal(a, b) || !reflect.DeepEqual(f1.Similarity, f2.Similarity) || !reflect.DeepEqual(f1.Peaks, f2.Peaks) || !reflect.DeepEqual(f1.Onsets, f2.Onsets) {
		t.Fatal("two analyses of the same buffer differ")
	}
}

func TestLevelsOfAKnownSignal(t *testing.T) {
	// A 1 kHz stereo sine at −20 dBFS for 2 s: BS.1770 reads −20 LUFS (the K-weighting gain at
	// 1 kHz cancels the −0.691 offset); sample and true peak −20 dBFS.
	x := make([]float32, 2*testSR)
	for i := range x {
		x[i] = float32(0.1 * math.Sin(2*math.Pi*1000*float64(i)/testSR+0.3))
	}
	f := analyze(t, stereo(testSR, x), Hints{})
	if math.Abs(f.LoudnessLUFS+20) > 0.05 || math.Abs(f.PeakDBFS+20) > 0.01 || math.Abs(f.TruePeakDBTP+20) > 0.05 {
		t.Fatalf("levels %v LUFS %v dBFS %v dBTP", f.LoudnessLUFS, f.PeakDBFS, f.TruePeakDBTP)
	}
	if math.Abs(f.Spectral.CentroidHz-1000) > 30 || f.Spectral.Brightness > 0.01 || f.Spectral.Flatness > 0.01 {
		t.Errorf("spectral summary of a 1 kHz tone: %+v", f.Spectral)
	}
	if f.Spectral.RolloffHz < 990 || f.Spectral.RolloffHz > 1050 {
		t.Errorf("rolloff %v", f.Spectral.RolloffHz)
	}
	// A 250 ms burst reads its maximum momentary loudness (design.md §7). Mono counts as one
	// channel (BS.1770 sums channel powers), 3 dB below the same signal in stereo.
	short := analyze(t, mono(testSR, x[:testSR/4]), Hints{})
	want := -20 - 10*math.Log10(2) + 10*math.Log10(0.25/0.4) // one channel, energy spread over 400 ms
	if math.Abs(short.LoudnessLUFS-want) > 0.1 {
		t.Errorf("short sound: %v LUFS, want %.2f", short.LoudnessLUFS, want)
	}
}

func TestWhiteNoiseSpectralSummary(t *testing.T) {
	x := noise(newRand(1), 2*testSR)
	f := analyze(t, mono(testSR, x), Hints{})
	// White noise: flat spectrum → centroid ≈ fs/4, rolloff ≈ 0.85·fs/2, brightness ≈
	// (fs/2 − 1500)/(fs/2), flatness ≈ e^−γ ≈ 0.56 for exponentially distributed bin powers.
	if math.Abs(f.Spectral.CentroidHz-testSR/4) > 300 || math.Abs(f.Spectral.RolloffHz-0.85*testSR/2) > 300 {
		t.Errorf("noise centroid/rolloff %+v", f.Spectral)
	}
	if math.Abs(f.Spectral.Brightness-(1-1500.0/(testSR/2))) > 0.02 || math.Abs(f.Spectral.Flatness-0.56) > 0.06 {
		t.Errorf("noise brightness/flatness %+v", f.Spectral)
	}
	if f.Key != nil {
		t.Errorf("noise has a key: %v", *f.Key)
	}
}

func TestTempoSourcesAndPrecedence(t *testing.T) {
	loop := stereo(testSR, drumLoop(testSR, 100, 2, patterns[0], 1))
	f := analyze(t, loop, Hints{Meta: metaWith(func(m *metaT) { m.TempoBPM = 101.5 })})
	if f.BPM == nil || *f.BPM != 101.5 || f.BPMSource != BPMSourceMetadata || f.BPMConfidence != 1 {
		t.Errorf("metadata tempo: %v %s", f.BPM, f.BPMSource)
	}
	if !reflect.DeepEqual(f.BPMAlternates, []float64{50.75, 203}) {
		t.Errorf("metadata alternates %v", f.BPMAlternates)
	}
	f = analyze(t, loop, Hints{Name: "beat_96bpm.wav"})
	if f.BPM == nil || *f.BPM != 100 || f.BPMSource != BPMSourceAudio {
		t.Errorf("audio tempo should win over the name: %v %s", f.BPM, f.BPMSource)
	}
	// A pulseless loop (a sustained chord marked as a loop by its acid beat count) falls back
	// to the file name.
	pad := stereo(testSR, chord(testSR, 4, []int{57, 60, 64}, 0, 0.5))
	f = analyze(t, pad, Hints{Name: "Pads/Warm Pad 92 BPM Am.wav", Meta: metaWith(func(m *metaT) { m.Beats = 8 })})
	if f.Type != TypeLoop || f.BPM == nil || *f.BPM != 92 || f.BPMSource != BPMSourceFilename {
		t.Errorf("filename tempo: %s %v %s", f.Type, f.BPM, f.BPMSource)
	}
	// One-shots never get a tempo from the name.
	f = analyze(t, stereo(testSR, snare(testSR, 0.3, 0.7, 2)), Hints{Name: "snare_92bpm.wav"})
	if f.BPM != nil || f.BPMSource != BPMSourceNone || len(f.BPMAlternates) != 0 {
		t.Errorf("one-shot tempo: %v %s", f.BPM, f.BPMSource)
	}
	// The acid one-shot flag wins over the audio.
	f = analyze(t, loop, Hints{Meta: metaWith(func(m *metaT) { m.OneShot = true; m.TempoBPM = 100 })})
	if f.Type != TypeOneShot || f.BPM != nil {
		t.Errorf("acid one-shot: %s %v", f.Type, f.BPM)
	}
}

func TestTempoFromName(t *testing.T) {
	cases := []struct {
		name string
		want float64
	}{
		{"drums_92bpm.wav", 92},
		{"Loop 92 BPM Cm.wav", 92},
		{"loop-174-bpm.aif", 174},
		{"BPM_120_house.wav", 120},
		{"bpm92.wav", 92},
		{"Trap Loop - 140 - Fm - bpm.wav", 140},
		{"samples/2024/beat_85.5bpm.flac", 85.5},
		{"kick-909-01.wav", 0}, // no "bpm": bare numbers are not tempi
		{"loop_300bpm.wav", 0}, // implausible
		{"take-12-bpm.wav", 0},
		{"", 0},
	}
	for _, c := range cases {
		got, ok := tempoFromName(c.name)
		if (c.want == 0) == ok || got != c.want {
			t.Errorf("%q: %v %v, want %v", c.name, got, ok, c.want)
		}
	}
}

func FuzzTempoFromName(f *testing.F) {
	for _, s := range []string{"a_92bpm.wav", "BPM-120", "x-90-y bpm", "", "bpm", "999bpm"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if v, ok := tempoFromName(s); ok && (v < nameBPMMin || v > nameBPMMax) {
			t.Fatalf("%q: %v outside the plausible range", s, v)
		}
	})
}

func TestParseKey(t *testing.T) {
	cases := []struct {
		in    string
		tonic int
		scale string
		ok    bool
	}{
		{"Am", 9, "minor", true}, {"F#m", 6, "minor", true}, {"Bb major", 10, "major", true},
		{"C", 0, "major", true}, {"Ebm", 3, "minor", true}, {"c# min", 1, "minor", true},
		{"Cb", 11, "major", true}, {"H", 0, "", false}, {"", 0, "", false}, {"Am7", 0, "", false},
	}
	for _, c := range cases {
		tonic, scale, ok := parseKey(c.in)
		if ok != c.ok || (ok && (tonic != c.tonic || scale != c.scale)) {
			t.Errorf("%q: %d %s %v", c.in, tonic, scale, ok)
		}
	}
}

func FuzzParseKey(f *testing.F) {
	for _, s := range []string{"Am", "F#m", "Bb major", "", "♭", "C♯ minor"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tonic, scale, ok := parseKey(s)
		if ok && (tonic < 0 || tonic > 11 || (scale != "major" && scale != "minor")) {
			t.Fatalf("%q: %d %q", s, tonic, scale)
		}
	})
}

func TestRootNotesOfPitchedOneShots(t *testing.T) {
	cases := []struct {
		name string
		x    []float32
		want string
	}{
		{"bass A1", tone(testSR, 1.5, midiHz(33, 0), 0.6, 0), "A1"},
		{"bass E1", tone(testSR, 1.5, midiHz(28, 0), 0.6, 0), "E1"},
		{"bass note detuned +30 cents stays C2", tone(testSR, 1.5, midiHz(36, 30), 0.6, 0), "C2"},
		{"pluck F#3", tone(testSR, 1.0, midiHz(54, 0), 0.6, 0.3), "F#3"},
		{"chord C4 major", chord(testSR, 1.5, []int{60, 64, 67}, 0, 0.6), "C4"},
		{"kick (settles at 50 Hz, between G1 and G#1)", kick(testSR, 0.6, 0.9), "G1|G#1"},
	}
	for _, c := range cases {
		f := analyze(t, stereo(testSR, c.x), Hints{})
		if f.RootNote == nil || !strings.Contains("|"+c.want+"|", "|"+*f.RootNote+"|") {
			got := "null"
			if f.RootNote != nil {
				got = *f.RootNote
			}
			t.Errorf("%s: root %s, want %s", c.name, got, c.want)
		}
	}
	if got := noteName(69); got != "A4" {
		t.Errorf("noteName(69) = %s", got)
	}
	if got := noteName(0); got != "C-1" {
		t.Errorf("noteName(0) = %s", got)
	}
}

func TestPeaksShapeAndScale(t *testing.T) {
	x := make([]float32, 10000)
	for i := range x {
		x[i] = float32(math.Sin(2 * math.Pi * float64(i) / 100))
	}
	x[5000] = -1
	f := analyze(t, mono(testSR, x), Hints{})
	if len(f.Peaks.Coarse) != 2*PeaksCoarseBuckets || len(f.Peaks.Fine) != 2*PeaksFineBuckets {
		t.Fatalf("peak lengths %d %d", len(f.Peaks.Coarse), len(f.Peaks.Fine))
	}
	for i := 0; i < len(f.Peaks.Coarse); i += 2 {
		if f.Peaks.Coarse[i] > f.Peaks.Coarse[i+1] {
			t.Fatalf("coarse bucket %d: min %d > max %d", i/2, f.Peaks.Coarse[i], f.Peaks.Coarse[i+1])
		}
		if f.Peaks.Coarse[i] != -127 || f.Peaks.Coarse[i+1] != 127 {
			t.Fatalf("a full-scale sine with 100-sample period fills every coarse bucket: %v", f.Peaks.Coarse[i:i+2])
		}
	}
	// A short sound: every fine bucket still has a value.
	g := analyze(t, mono(testSR, []float32{0.5, -0.25, 1}), Hints{})
	if len(g.Peaks.Fine) != 2*PeaksFineBuckets || g.Peaks.Fine[0] != 64 || g.Peaks.Coarse[len(g.Peaks.Coarse)-1] != 127 {
		t.Fatalf("short peaks %v … %v", g.Peaks.Fine[:4], g.Peaks.Coarse[len(g.Peaks.Coarse)-2:])
	}
	b, _ := json.Marshal(f.Peaks)
	if !strings.HasPrefix(string(b), `{"coarse":[-127,127,`) {
		t.Errorf("peaks JSON %s…", b[:40])
	}
}

// Onsets of a drum loop land within 25 ms of the hits (MIREX onset tolerance is ±50 ms).
func TestOnsetsOfADrumLoop(t *testing.T) {
	const bpm = 100
	p := pattern{name: "sparse", kicks: []float64{0, 2}, snares: []float64{1, 3}}
	x := drumLoop(testSR, bpm, 2, p, 4)
	f := analyze(t, stereo(testSR, x), Hints{})
	var truth []float64
	for bar := 0; bar < 2; bar++ {
		for beat := 0; beat < 4; beat++ {
			truth = append(truth, float64(bar*4+beat)*60/bpm)
		}
	}
	hits := 0
	for _, tt := range truth {
		for _, o := range f.Onsets {
			if math.Abs(o-tt) <= 0.025 {
				hits++
				break
			}
		}
	}
	precision := float64(hits) / float64(max(1, len(f.Onsets)))
	recall := float64(hits) / float64(len(truth))
	if recall < 1 || precision < 0.8 {
		t.Errorf("onsets %v: precision %.2f recall %.2f", f.Onsets, precision, recall)
	}
}

func TestSimilarityVector(t *testing.T) {
	kickA := analyze(t, stereo(testSR, kick(testSR, 0.5, 0.9)), Hints{})
	kickB := analyze(t, stereo(testSR, kick(testSR, 0.45, 0.6)), Hints{})
	hatA := analyze(t, stereo(testSR, hat(testSR, 0.08, 0.015, 0.5, 1)), Hints{})
	loopA := analyze(t, stereo(testSR, drumLoop(testSR, 100, 2, patterns[0], 1)), Hints{})
	for _, f := range []*Features{kickA, kickB, hatA, loopA} {
		if len(f.Similarity) != SimilarityDims {
			t.Fatalf("similarity has %d dims", len(f.Similarity))
		}
		for i, v := range f.Similarity {
			if math.IsNaN(float64(v)) || math.Abs(float64(v)) > 10 {
				t.Fatalf("similarity[%d] = %v", i, v)
			}
		}
	}
	dist := func(a, b *Features, lo, hi int) float64 {
		var s float64
		for i := lo; i < hi; i++ {
			d := float64(a.Similarity[i] - b.Similarity[i])
			s += d * d
		}
		return math.Sqrt(s)
	}
	for _, r := range [][2]int{{SimTimbreStart, SimTimbreEnd}, {SimEnvelopeStart, SimEnvelopeEnd}, {0, SimilarityDims}} {
		if dist(kickA, kickB, r[0], r[1]) >= dist(kickA, hatA, r[0], r[1]) {
			t.Errorf("range %v: two kicks are not closer than a kick and a hat", r)
		}
	}
	if dist(kickA, kickB, SimRhythmStart, SimRhythmEnd) >= dist(kickA, loopA, SimRhythmStart, SimRhythmEnd) {
		t.Error("rhythm: a kick is not closer to a kick than to a loop")
	}
	if SimTimbreEnd != SimPitchStart || SimPitchEnd != SimEnvelopeStart || SimEnvelopeEnd != SimRhythmStart || SimRhythmEnd != SimilarityDims {
		t.Error("similarity ranges do not tile the vector")
	}
}

// The pipeline scales its frame sizes with the sample rate: the same sounds give the same
// answers at telephone, CD, video and high-resolution rates, and multichannel files work.
func TestSampleRatesAndChannelCounts(t *testing.T) {
	for _, sr := range []int{8000, 22050, 48000, 96000} {
		fs := float64(sr)
		k := analyze(t, stereo(sr, kick(fs, 0.5, 0.9)), Hints{})
		if k.Type != TypeOneShot || k.Category != CategoryKick {
			t.Errorf("%d Hz kick: %s %s", sr, k.Type, k.Category)
		}
		b := analyze(t, mono(sr, tone(fs, 1.5, midiHz(45, 0), 0.6, 0)), Hints{})
		if b.RootNote == nil || *b.RootNote != "A2" {
			t.Errorf("%d Hz A2 note: root %v", sr, b.RootNote)
		}
		l := analyze(t, stereo(sr, drumLoop(fs, 124, 2, patterns[0], 2)), Hints{})
		if l.BPM == nil || math.Abs(*l.BPM-124) > 1.24 {
			t.Errorf("%d Hz loop at 124 BPM: %v (%v)", sr, fmtPtr(l.BPM), l.BPMAlternates)
		}
	}
	// 5.1 (L R C LFE Ls Rs): the LFE does not count towards loudness.
	x := kick(testSR, 0.5, 0.5)
	z := make([]float32, len(x))
	withLFE := analyze(t, &audio.Buffer{SampleRate: testSR, Data: [][]float32{x, x, z, x, z, z}}, Hints{})
	noLFE := analyze(t, &audio.Buffer{SampleRate: testSR, Data: [][]float32{x, x, z, z, z, z}}, Hints{})
	if withLFE.LoudnessLUFS != noLFE.LoudnessLUFS || withLFE.Category != CategoryKick {
		t.Errorf("LFE changed loudness: %v vs %v (%s)", withLFE.LoudnessLUFS, noLFE.LoudnessLUFS, withLFE.Category)
	}
}

func fmtPtr[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}
