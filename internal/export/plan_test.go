package export

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sp404agent/sp404agent/internal/audio"
)

func TestSanitizeName(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"Kick", 23, "KICK"},
		{"808 kick  hard", 23, "808_KICK_HARD"},
		{"Café Rhodes (Am) #3", 23, "CAFE_RHODES_AM_3"},
		{"snare/../../etc", 23, "SNAREETC"},
		{"  _lead-synth_ ", 23, "LEAD-SYNTH"},
		{"日本語", 23, "SAMPLE"},
		{"", 23, "SAMPLE"},
		{"a very long sample name indeed", 10, "A_VERY_LON"},
		{"abc def", 4, "ABC"}, // a cut that ends in '_' loses it
		{"Straße Æther", 23, "STRASSE_AETHER"},
	}
	for _, tt := range tests {
		got := SanitizeName(tt.in, tt.max)
		if got != tt.want {
			t.Errorf("SanitizeName(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
		for _, r := range got {
			if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-') {
				t.Errorf("SanitizeName(%q) = %q holds %q", tt.in, got, r)
			}
		}
	}
}

func TestUniqueNamesStayShortAndDistinct(t *testing.T) {
	u := newUniqueNames()
	seen := map[string]bool{}
	for range 12 {
		n := u.take("A01_ABCDEFGHIJKLMNOPQRS", 23)
		if len(n) > 23 || seen[strings.ToUpper(n)] {
			t.Fatalf("name %q: too long or repeated", n)
		}
		seen[strings.ToUpper(n)] = true
	}
	if got := u.take("a01_abcdefghijklmnopqrs", 23); got == "a01_abcdefghijklmnopqrs" {
		t.Error("a name differing only in case was handed out again")
	}
}

func TestExportMK2NamesAreShortASCIIAndUnique(t *testing.T) {
	dir := t.TempDir()
	src := writeSource(t, dir, "s.wav", toneBuffer(48000, 1, 500), audio.PCM16)
	k := NewKit("Ünïcode Kit with a very long name", DeviceMK2)
	long := "Süper Long Sample Name That Goes On And On"
	for pad := 1; pad <= 16; pad++ {
		k.Pads = append(k.Pads, NewPad(3, pad, FileSource(src, long)))
	}
	res := export(t, k, Options{Target: TargetMK2, Out: filepath.Join(dir, "o")})
	seen := map[string]bool{}
	for _, f := range res.Files {
		if f.Pad == "" {
			continue
		}
		stem := strings.TrimSuffix(filepath.Base(f.Path), ".wav")
		if len(stem) > MaxNameLen || seen[strings.ToUpper(stem)] {
			t.Errorf("%s: longer than %d or not unique", stem, MaxNameLen)
		}
		seen[strings.ToUpper(stem)] = true
		if !strings.HasPrefix(stem, "D"+f.Pad[1:]) && !strings.HasPrefix(stem, "D0"+f.Pad[1:]) {
			t.Errorf("%s does not start with its pad %s", stem, f.Pad)
		}
		for _, r := range stem {
			if r > 0x7E {
				t.Errorf("%s is not ASCII", stem)
			}
		}
	}
	if !strings.HasPrefix(res.Root, "IMPORT/UNICODE_KIT_WITH_A_") {
		t.Errorf("root %q", res.Root)
	}
}

func TestKitValidateReportsEveryProblem(t *testing.T) {
	src := FileSource("x.wav", "x")
	k := NewKit("", "mk3")
	k.BPM = 300
	k.BankVolumes[2] = 200
	bad := NewPad(10, 17, src)
	bad.Level, bad.Pan, bad.Pitch, bad.Fine, bad.Speed = 128, 60, 13, -101, 20
	bad.PlayMode, bad.MuteGroup, bad.Bus = "sideways", 11, 3
	bad.Attack, bad.Hold, bad.Release = -1, 0, 128
	bad.StartFrame, bad.EndFrame = 100, 50
	bad.Chops = make([]int64, 17)
	bad.BPM = 20
	dup1, dup2 := NewPad(0, 1, src), NewPad(0, 1, src)
	noSrc := NewPad(0, 2, SampleRef{Name: "ghost"})
	k.Pads = []Pad{bad, dup1, dup2, noSrc}
	err := k.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"kit: name is empty", `device "mk3"`, "kit: tempo 300", "bank C: volume 200",
		"bank 10", "pad 17", "level 128", "pan 60", "pitch 13", "fine -101", "speed 20",
		`play mode "sideways"`, "mute group 11", "bus 3", "attack -1", "hold 0", "release 128",
		"want start < end", "17 chops", "bpm 20", "two samples on one pad", `"ghost": no audio source`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
	sx := NewKit("SX", DeviceSX)
	sx.Pads = []Pad{NewPad(0, 13, src)}
	if err := sx.Validate(); err == nil || !strings.Contains(err.Error(), "pad 13: want 1–12") {
		t.Errorf("sx kit with pad 13: %v", err)
	}
	if err := mixedKit(t, t.TempDir(), DeviceMK2).Validate(); err != nil {
		t.Errorf("valid kit: %v", err)
	}
}

func TestPlanReportsEveryProblemAtOnce(t *testing.T) {
	dir := t.TempDir()
	good := writeSource(t, dir, "good.wav", toneBuffer(48000, 2, 4800), audio.PCM16)
	junk := filepath.Join(dir, "junk.wav")
	if err := os.WriteFile(junk, []byte("RIFF....WAVEnot really"), 0o644); err != nil {
		t.Fatal(err)
	}
	// 16 minutes and a second of 8-bit mono at 8 kHz: small on disk, one
	// second longer than the MKII takes once at 48 kHz.
	long := writeSource(t, dir, "long.wav", audio.NewBuffer(8000, 1, (16*60+1)*8000), audio.PCM8)
	k := NewKit("Broken", DeviceMK2)
	lateStart := NewPad(0, 4, FileSource(good, "good"))
	lateStart.StartFrame = 10000
	k.Pads = []Pad{
		NewPad(0, 1, FileSource(filepath.Join(dir, "missing.wav"), "missing")),
		NewPad(0, 2, FileSource(junk, "junk")),
		NewPad(0, 3, FileSource(long, "long")),
		lateStart,
		NewPad(0, 5, FileSource(good, "dup")),
		NewPad(0, 5, FileSource(good, "dup again")),
	}
	busy := filepath.Join(dir, "busy")
	if err := os.MkdirAll(filepath.Join(busy, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Plan(context.Background(), k, Options{Target: TargetMK2Project, Out: busy, Slot: 17, Normalize: "loud"})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"pad A1 (missing", "no such file",
		"pad A2 (junk", "decode sample",
		"pad A3 (long", "device takes at most 960 s",
		"pad A4 (good", "start frame 10000: the sample has 4800 frames",
		"two samples on one pad",
		"is not empty", "slot 17", `normalize "loud"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestPlanListsFilesWithExactSizes(t *testing.T) {
	dir := t.TempDir()
	k := mixedKit(t, dir, DeviceMK2)
	for _, target := range []Target{TargetMK2, TargetMK2Project, TargetSX} {
		t.Run(string(target), func(t *testing.T) {
			out := filepath.Join(dir, string(target))
			plan, err := Plan(context.Background(), k, Options{Target: target, Out: out})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(out); !os.IsNotExist(err) {
				t.Fatal("plan wrote something")
			}
			var text strings.Builder
			if err := plan.WriteText(&text); err != nil {
				t.Fatal(err)
			}
			export(t, k, Options{Target: target, Out: out})
			files := treeFiles(t, out)
			var total int64
			for _, f := range plan.Files {
				b, ok := files[f.Path]
				if !ok {
					t.Errorf("planned %s not written", f.Path)
					continue
				}
				if int64(len(b)) != f.Size {
					t.Errorf("%s: planned %d bytes, wrote %d", f.Path, f.Size, len(b))
				}
				total += f.Size
				if !strings.Contains(text.String(), f.Path) {
					t.Errorf("dry-run text lacks %s", f.Path)
				}
			}
			if total != plan.TotalBytes {
				t.Errorf("total %d, files add up to %d", plan.TotalBytes, total)
			}
		})
	}
}

func TestExportNormalisesAndTrims(t *testing.T) {
	dir := t.TempDir()
	// 0.2 s of silence, 0.3 s of tone at −6 dBFS, 0.2 s of silence.
	buf := audio.NewBuffer(48000, 1, 33600)
	tone := toneBuffer(48000, 1, 14400)
	copy(buf.Data[0][9600:], tone.Data[0])
	src := writeSource(t, dir, "quiet.wav", buf, audio.PCM24)
	k := NewKit("N", DeviceMK2)
	p := NewPad(0, 1, FileSource(src, "quiet"))
	p.StartFrame, p.EndFrame = 12000, 20000
	k.Pads = []Pad{p}
	for _, tt := range []struct {
		name    string
		opts    Options
		peakDB  float64
		trimmed bool
	}{
		{"peak", Options{Normalize: NormalizePeak}, -1, false},
		{"peak-3", Options{Normalize: NormalizePeak, NormalizeTarget: -3}, -3, false},
		{"lufs", Options{Normalize: NormalizeLUFS, NormalizeTarget: -30}, 0, false},
		{"trim", Options{TrimSilence: true}, -6.02, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.opts
			o.Target, o.Out = TargetMK2Project, filepath.Join(dir, tt.name)
			export(t, k, o)
			proj := readProject(t, filepath.Join(o.Out, "EXPORT/PROJECT/PROJECT_01"))
			smp := proj.Samples[0]
			peak := 0.0
			for _, v := range smp.PCM {
				peak = max(peak, float64(abs16(v))/32768)
			}
			got := audio.GainToDB(peak)
			if tt.name == "lufs" {
				// Loudness of a 440 Hz sine at −6 dBFS peak is about −9 LUFS
				// (BS.1770: −3.01 dB RMS, ≈ 0 dB K-weighting at 440 Hz,
				// −0.691 offset, but the gating over 0.7 s of which 0.4 s is
				// silence raises it); a −30 LUFS target lowers the peak by
				// roughly 20 dB.
				if got > -20 || got < -32 {
					t.Errorf("peak after −30 LUFS normalisation %.2f dBFS", got)
				}
			} else if d := got - tt.peakDB; d < -0.05 || d > 0.05 {
				t.Errorf("peak %.3f dBFS, want %.2f", got, tt.peakDB)
			}
			frames := int64(smp.Frames())
			rec := proj.Padconf.Pads[0]
			if tt.trimmed {
				// 5 ms pre-roll and 20 ms post-roll around the tone.
				want := int64(14400 + 240 + 960)
				if frames < want-2 || frames > want+2 {
					t.Errorf("trimmed to %d frames, want about %d", frames, want)
				}
				// Start 12000 moves with the cut: 12000 − (9600 − 240).
				start := int64(rec.Start-512) / 2
				if want := int64(12000 - 9600 + 240); start < want-2 || start > want+2 {
					t.Errorf("start frame %d after trimming, want about %d", start, want)
				}
			} else if frames != 33600 {
				t.Errorf("%d frames, want 33600 untrimmed", frames)
			}
		})
	}
}

func abs16(v int16) int {
	if v < 0 {
		return -int(v)
	}
	return int(v)
}
