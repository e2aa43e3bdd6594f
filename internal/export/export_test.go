package export

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/sp404agent/sp404agent/internal/audio"
	"github.com/sp404agent/sp404agent/internal/sp404"
)

// expectFrames is the exported length of n source frames: ceil(n·out/in).
func expectFrames(n, in, out int) int64 {
	return (int64(n)*int64(out) + int64(in) - 1) / int64(in)
}

// expectFrame is a source frame position at the device rate.
func expectFrame(f int64, in, out int) int64 {
	return int64(math.Round(float64(f) * float64(out) / float64(in)))
}

// decodeSource decodes a generated source file.
func decodeSource(t *testing.T, p *Pad) *audio.Buffer {
	t.Helper()
	buf, _, err := audio.DecodeFile(p.Source.Path)
	if err != nil {
		t.Fatal(err)
	}
	return buf
}

// checkAudio compares exported 16-bit PCM (interleaved) with the source
// resampled independently: equal when the source is already 16-bit at the
// device rate, otherwise within 2 LSB (±1 LSB of TPDF dither plus rounding).
func checkAudio(t *testing.T, label string, src *audio.Buffer, srcExact bool, rate int, pcm []int16) {
	t.Helper()
	ref := src
	if src.SampleRate != rate {
		ref = audio.Resample(src, rate)
	}
	ch := ref.Channels()
	if len(pcm) != ref.Frames()*ch {
		t.Fatalf("%s: %d samples, want %d", label, len(pcm), ref.Frames()*ch)
	}
	worst := 0.0
	for i, v := range pcm {
		want := float64(ref.Data[i%ch][i/ch]) * 32768
		d := math.Abs(float64(v) - want)
		if srcExact && d != 0 {
			t.Fatalf("%s: sample %d is %d, want exactly %v", label, i, v, want)
		}
		worst = max(worst, d)
	}
	if worst > 2 {
		t.Errorf("%s: largest difference from the reference %.2f LSB, want ≤ 2", label, worst)
	}
}

func TestExportMK2WritesImportFolder(t *testing.T) {
	dir := t.TempDir()
	k := mixedKit(t, dir, DeviceMK2)
	out := filepath.Join(dir, "card")
	res := export(t, k, Options{Target: TargetMK2, Out: out})

	if res.Root != "IMPORT/TEST_KIT" {
		t.Errorf("root %q, want IMPORT/TEST_KIT", res.Root)
	}
	files := treeFiles(t, out)
	kitText := string(files["IMPORT/TEST_KIT/kit.txt"])
	for i, sc := range mixedSources() {
		p := &k.Pads[i]
		bank, pad, _ := ParsePadLabel(sc.label)
		name := fmt.Sprintf("IMPORT/TEST_KIT/%s%02d_SAMPLE_%s.wav", sp404.BankLetter(bank), pad, sc.label)
		b, ok := files[name]
		if !ok {
			t.Fatalf("%s missing; have %v", name, keys(files))
		}
		src := decodeSource(t, p)
		frames := expectFrames(src.Frames(), sc.rate, 48000)
		// The exact canonical header: RIFF, a 16-byte PCM fmt chunk, data.
		le := binary.LittleEndian
		wantHdr := make([]byte, 0, 44)
		wantHdr = append(wantHdr, "RIFF"...)
		wantHdr = le.AppendUint32(wantHdr, uint32(36+frames*2*int64(sc.channels)))
		wantHdr = append(wantHdr, "WAVEfmt "...)
		wantHdr = le.AppendUint32(wantHdr, 16)
		wantHdr = le.AppendUint16(wantHdr, 1)
		wantHdr = le.AppendUint16(wantHdr, uint16(sc.channels))
		wantHdr = le.AppendUint32(wantHdr, 48000)
		wantHdr = le.AppendUint32(wantHdr, uint32(48000*2*sc.channels))
		wantHdr = le.AppendUint16(wantHdr, uint16(2*sc.channels))
		wantHdr = le.AppendUint16(wantHdr, 16)
		wantHdr = append(wantHdr, "data"...)
		wantHdr = le.AppendUint32(wantHdr, uint32(frames*2*int64(sc.channels)))
		if !bytes.Equal(b[:44], wantHdr) {
			t.Errorf("%s header\n got % x\nwant % x", name, b[:44], wantHdr)
		}
		if int64(len(b)) != 44+frames*2*int64(sc.channels) {
			t.Errorf("%s: %d bytes", name, len(b))
		}
		pcm := make([]int16, (len(b)-44)/2)
		for i := range pcm {
			pcm[i] = int16(le.Uint16(b[44+2*i:]))
		}
		checkAudio(t, name, src, sc.rate == 48000 && sc.enc == audio.PCM16, 48000, pcm)
		line := fmt.Sprintf("%-4s %-28s %-8s %-6s %s", p.Label(), filepath.Base(name), fmt.Sprintf("%.2f", p.BPM), "Am", p.Source.Name)
		if !strings.Contains(kitText, line) {
			t.Errorf("kit.txt lacks %q:\n%s", line, kitText)
		}
	}
	if len(files) != len(mixedSources())+1+2 { // WAVs, kit.txt, IMPORT/ and IMPORT/TEST_KIT/
		t.Errorf("files: %v", keys(files))
	}
	if len(res.Warnings) == 0 || !strings.Contains(strings.Join(res.Warnings, "\n"), "mk2-project") {
		t.Errorf("no warning that pad settings are lost: %q", res.Warnings)
	}
}

func keys(m map[string][]byte) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestExportMK2ProjectCarriesEveryPadSetting(t *testing.T) {
	dir := t.TempDir()
	k := mixedKit(t, dir, DeviceMK2)
	out := filepath.Join(dir, "card")
	export(t, k, Options{Target: TargetMK2Project, Out: out, Slot: 7})

	root := filepath.Join(out, "EXPORT", "PROJECT", "PROJECT_07")
	proj, err := sp404.ReadProject(root)
	if err != nil {
		t.Fatal(err)
	}
	if len(proj.Missing) != 0 {
		t.Errorf("missing SMPs: %v", proj.Missing)
	}
	pc := proj.Padconf
	if pc.Version != 3 || pc.Name.String() != "Test Kit" || pc.Tempo != 9350 {
		t.Errorf("header: version %d, name %q, tempo %d", pc.Version, pc.Name.String(), pc.Tempo)
	}
	for b, s := range pc.Banks {
		wantTempo, wantVol := uint16(9350), 127
		switch b {
		case 0:
			wantVol = 120
		case 1:
			wantTempo = 10025
		case 9:
			wantVol = 64
		}
		if s.Tempo != wantTempo || s.Volume != wantVol || s.Protect {
			t.Errorf("bank %s: %+v, want tempo %d volume %d", sp404.BankLetter(b), s, wantTempo, wantVol)
		}
	}
	loaded := 0
	for i := range pc.Pads {
		if pc.Pads[i].Loaded() {
			loaded++
		}
	}
	if loaded != len(k.Pads) {
		t.Errorf("%d loaded pads, want %d", loaded, len(k.Pads))
	}
	for i, sc := range mixedSources() {
		p := &k.Pads[i]
		idx, _ := sp404.PadIndex(p.Bank, p.Pad)
		rec := pc.Pads[idx]
		smp := proj.Samples[idx]
		src := decodeSource(t, p)
		frames := expectFrames(src.Frames(), sc.rate, 48000)
		if smp.Channels != sc.channels || int64(smp.Frames()) != frames {
			t.Errorf("%s: smp %d ch × %d frames, want %d × %d", p.Label(), smp.Channels, smp.Frames(), sc.channels, frames)
		}
		checkAudio(t, p.Label(), src, sc.rate == 48000 && sc.enc == audio.PCM16, 48000, smp.PCM)
		end := frames
		if p.EndFrame != 0 {
			end = expectFrame(p.EndFrame, sc.rate, 48000)
		}
		want := sp404.EmptyPadRecord()
		want.Size = uint32(sp404.SMPSize(frames, sc.channels))
		want.Start = uint32(sp404.FrameOffset(expectFrame(p.StartFrame, sc.rate, 48000), sc.channels))
		want.End = uint32(sp404.FrameOffset(end, sc.channels))
		want.LoopTop = want.Start
		want.Level = uint32(p.Level)
		want.Gate, want.Loop = p.Gate, p.Loop
		want.MuteGroup = uint32(p.MuteGroup)
		want.BPM = uint32(math.Round(p.BPM * 100))
		if p.OneShot {
			want.Mode = sp404.OneShot
		}
		want.PitchCoarse, want.PitchFine = int32(p.Pitch), int32(p.Fine)
		want.PlayMode = sp404.PlayMode(i % 4)
		if i == 5 {
			want.PlayMode = sp404.Reverse
		}
		want.Speed = uint32(math.Round(p.Speed * 100))
		want.Pan = uint32(64 + p.Pan)
		want.Bus = sp404.Bus(p.Bus)
		want.Attack, want.Hold, want.Release = uint32(p.Attack), uint32(p.Hold), uint32(p.Release)
		want.Name, _ = sp404.NewPadName(p.Source.Name)
		for c := range want.Chops {
			want.Chops[c] = sp404.NoChop
		}
		for c, f := range p.Chops {
			want.Chops[c] = int32(expectFrame(f, sc.rate, 48000))
		}
		if rec != want {
			t.Errorf("%s record\n got %+v\nwant %+v", p.Label(), rec, want)
		}
	}
	ptn, err := os.ReadDir(filepath.Join(root, "PTN"))
	if err != nil || len(ptn) != 0 {
		t.Errorf("PTN: %v entries, err %v; want an empty folder", len(ptn), err)
	}
	top, _ := os.ReadDir(root)
	if len(top) != 3 {
		t.Errorf("project folder holds %d entries, want PADCONF.BIN, PTN, SMPL", len(top))
	}
}

func TestExportSXWritesCardTree(t *testing.T) {
	dir := t.TempDir()
	k := mixedKit(t, dir, DeviceMK2)
	// Pads 13–16 exist on the MKII only.
	extra := writeSource(t, dir, "x.wav", toneBuffer(44100, 2, 1000), audio.PCM16)
	k.Pads = append(k.Pads, NewPad(0, 13, FileSource(extra, "Thirteen")), NewPad(4, 16, FileSource(extra, "Sixteen")))
	noBPM := NewPad(2, 1, FileSource(extra, "No Tempo"))
	k.Pads = append(k.Pads, noBPM)
	out := filepath.Join(dir, "card")
	res := export(t, k, Options{Target: TargetSX, Out: out})

	if len(res.Skipped) != 2 || !strings.Contains(res.Skipped[0], "A13") || !strings.Contains(res.Skipped[1], "E16") {
		t.Errorf("skipped %q, want A13 and E16", res.Skipped)
	}
	if !strings.Contains(strings.Join(res.Warnings, "\n"), "2 pads not exported") {
		t.Errorf("warnings %q lack the pads 13–16 notice", res.Warnings)
	}
	smpl := filepath.Join(out, "ROLAND", "SP-404SX", "SMPL")
	pi, err := sp404.ReadPadInfo(bytes.NewReader(readFile(t, filepath.Join(smpl, "PAD_INFO.BIN"))))
	if err != nil {
		t.Fatal(err)
	}
	loaded := 0
	for _, rec := range pi.Pads {
		if rec != sp404.EmptySXPad() {
			loaded++
		}
	}
	if loaded != len(mixedSources())+1 {
		t.Errorf("%d non-empty records, want %d", loaded, len(mixedSources())+1)
	}
	for i, sc := range mixedSources() {
		p := &k.Pads[i]
		idx, _ := sp404.SXPadIndex(p.Bank, p.Pad)
		name, _ := sp404.SXSampleName(p.Bank, p.Pad, "WAV")
		b := readFile(t, filepath.Join(smpl, name))
		s, err := sp404.DecodeSXSample(b)
		if err != nil {
			t.Fatal(err)
		}
		src := decodeSource(t, p)
		frames := expectFrames(src.Frames(), sc.rate, 44100)
		if s.SampleRate != 44100 || s.Channels != sc.channels || s.PadIndex != idx || s.DataOffset != 512 || int64(s.Frames()) != frames {
			t.Errorf("%s: %+v", name, *s)
		}
		if string(b[38:42]) != "RLND" || binary.LittleEndian.Uint32(b[16:]) != 18 {
			t.Errorf("%s: not the card preamble", name)
		}
		checkAudio(t, name, src, sc.rate == 44100 && sc.enc == audio.PCM16, 44100, s.PCM)
		end := frames
		if p.EndFrame != 0 {
			end = expectFrame(p.EndFrame, sc.rate, 44100)
		}
		want := sp404.EmptySXPad()
		want.OriginalEnd = uint32(len(b))
		want.UserStart = uint32(512 + expectFrame(p.StartFrame, sc.rate, 44100)*2*int64(sc.channels))
		want.UserEnd = uint32(512 + end*2*int64(sc.channels))
		want.Volume = uint8(p.Level)
		want.Loop, want.Gate = p.Loop, p.Gate
		want.Reverse = p.PlayMode == Reverse || p.PlayMode == ReversePingPong
		want.Channels = uint8(sc.channels)
		want.OriginalTempo = uint32(math.Round(p.BPM * 10))
		want.UserTempo = want.OriginalTempo
		if got := pi.Pads[idx]; got != want {
			t.Errorf("%s record\n got %+v\nwant %+v", p.Label(), got, want)
		}
	}
	if got := pi.Pads[24]; got.OriginalTempo != sp404.DefaultSXTempo || got.UserTempo != sp404.DefaultSXTempo {
		t.Errorf("C1 without a BPM has tempos %d/%d, want %d (never 0)", got.OriginalTempo, got.UserTempo, sp404.DefaultSXTempo)
	}
	if !strings.Contains(strings.Join(res.Warnings, "\n"), "SX does not store") {
		t.Errorf("warnings %q lack the settings notice", res.Warnings)
	}
}

func TestExportZipEqualsFolder(t *testing.T) {
	dir := t.TempDir()
	k := mixedKit(t, dir, DeviceMK2)
	for _, target := range []Target{TargetMK2, TargetMK2Project, TargetSX} {
		t.Run(string(target), func(t *testing.T) {
			folder := filepath.Join(dir, string(target))
			zipPath := filepath.Join(dir, string(target)+".zip")
			export(t, k, Options{Target: target, Out: folder})
			export(t, k, Options{Target: target, Out: zipPath})
			got := zipFiles(t, zipPath)
			want := treeFiles(t, folder)
			// The ZIP lists only the folders that must exist empty (PTN/).
			for name := range want {
				if strings.HasSuffix(name, "/") {
					if _, ok := got[name]; !ok {
						delete(want, name)
					}
				}
			}
			compareTrees(t, want, got)
		})
	}
}

func TestExportIsDeterministic(t *testing.T) {
	dir := t.TempDir()
	k := mixedKit(t, dir, DeviceMK2)
	for _, target := range []Target{TargetMK2, TargetMK2Project, TargetSX} {
		t.Run(string(target), func(t *testing.T) {
			a := filepath.Join(dir, string(target)+"-a.zip")
			b := filepath.Join(dir, string(target)+"-b.zip")
			export(t, k, Options{Target: target, Out: a, Workers: 1})
			export(t, k, Options{Target: target, Out: b, Workers: 4})
			if !bytes.Equal(readFile(t, a), readFile(t, b)) {
				t.Error("two exports of the same kit differ")
			}
		})
	}
}

func TestExportRefusesToOverwrite(t *testing.T) {
	dir := t.TempDir()
	src := writeSource(t, dir, "s.wav", toneBuffer(48000, 1, 2000), audio.PCM16)
	k := NewKit("K", DeviceMK2)
	k.Pads = []Pad{NewPad(0, 1, FileSource(src, "s"))}

	busy := filepath.Join(dir, "busy")
	if err := os.MkdirAll(busy, 0o755); err != nil {
		t.Fatal(err)
	}
	keep := filepath.Join(busy, "mine.txt")
	if err := os.WriteFile(keep, []byte("do not touch"), 0o644); err != nil {
		t.Fatal(err)
	}
	zipPath := filepath.Join(dir, "old.zip")
	if err := os.WriteFile(zipPath, []byte("old zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, out := range []string{busy, zipPath} {
		_, err := Export(context.Background(), k, Options{Target: TargetMK2Project, Out: out}, nil)
		if err == nil || !strings.Contains(err.Error(), "out:") {
			t.Errorf("export to %s: err %v, want a refusal", out, err)
		}
	}
	if string(readFile(t, keep)) != "do not touch" || string(readFile(t, zipPath)) != "old zip" {
		t.Error("existing files changed")
	}
	if entries, _ := os.ReadDir(busy); len(entries) != 1 {
		t.Errorf("busy folder now holds %d entries", len(entries))
	}
	// An existing empty folder is accepted, and stays after the export.
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	export(t, k, Options{Target: TargetMK2, Out: empty})
	if _, err := os.Stat(filepath.Join(empty, "IMPORT", "K", "A01_S.wav")); err != nil {
		t.Error(err)
	}
}

// failingSource opens fine the first n times, then fails, so planning
// succeeds and the export fails half-way.
func failingSource(path string, n int32) SampleRef {
	var calls atomic.Int32
	return SampleRef{Name: "flaky", Path: path, Open: func() (io.ReadSeekCloser, error) {
		if calls.Add(1) > n {
			return nil, errors.New("disk went away")
		}
		return os.Open(path)
	}}
}

func TestExportFailureRemovesOnlyWhatItCreated(t *testing.T) {
	dir := t.TempDir()
	good := writeSource(t, dir, "good.wav", toneBuffer(44100, 2, 3000), audio.PCM16)
	kit := func() *Kit {
		k := NewKit("K", DeviceMK2)
		k.Pads = []Pad{NewPad(0, 1, FileSource(good, "good")), NewPad(0, 2, failingSource(good, 1))}
		return k
	}
	for _, target := range []Target{TargetMK2, TargetMK2Project, TargetSX} {
		t.Run(string(target), func(t *testing.T) {
			base := filepath.Join(dir, string(target))
			if err := os.MkdirAll(filepath.Join(base, "empty"), 0o755); err != nil {
				t.Fatal(err)
			}
			for _, out := range []string{
				filepath.Join(base, "new", "parent", "out"),
				filepath.Join(base, "empty"),
				filepath.Join(base, "kit.zip"),
			} {
				_, err := Export(context.Background(), kit(), Options{Target: target, Out: out, Workers: 1}, nil)
				if err == nil || !strings.Contains(err.Error(), "disk went away") {
					t.Fatalf("export to %s: err %v, want the source failure", out, err)
				}
			}
			got := treeFiles(t, base)
			want := map[string][]byte{"empty/": nil}
			compareTrees(t, want, got)
		})
	}
}

func TestExportReportsProgress(t *testing.T) {
	dir := t.TempDir()
	k := mixedKit(t, dir, DeviceMK2)
	var calls [][2]int
	res, err := Export(context.Background(), k, Options{Target: TargetMK2Project, Out: filepath.Join(dir, "o")},
		func(done, total int) { calls = append(calls, [2]int{done, total}) })
	if err != nil {
		t.Fatal(err)
	}
	if len(calls) != len(res.Files) {
		t.Fatalf("%d progress calls for %d files", len(calls), len(res.Files))
	}
	for i, c := range calls {
		if c != [2]int{i + 1, len(res.Files)} {
			t.Errorf("call %d: %v", i, c)
		}
	}
}

func TestExportStopsWhenCancelled(t *testing.T) {
	dir := t.TempDir()
	k := mixedKit(t, dir, DeviceMK2)
	ctx, cancel := context.WithCancel(context.Background())
	out := filepath.Join(dir, "o")
	_, err := Export(ctx, k, Options{Target: TargetMK2Project, Out: out}, func(done, total int) {
		if done == 2 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v, want context.Canceled", err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("output left behind: %v", err)
	}
}

// TestExportSXPreambleMatchesDeviceFile compares the first 512 bytes of an
// exported J12 WAV with the real card file J0000012.WAV: only the two size
// fields may differ.
func TestExportSXPreambleMatchesDeviceFile(t *testing.T) {
	dir := t.TempDir()
	src := writeSource(t, dir, "s.wav", toneBuffer(44100, 2, 4410), audio.PCM16)
	k := NewKit("J", DeviceSX)
	k.Pads = []Pad{NewPad(9, 12, FileSource(src, "s"))}
	out := filepath.Join(dir, "o")
	export(t, k, Options{Target: TargetSX, Out: out})
	got := readFile(t, filepath.Join(out, "ROLAND/SP-404SX/SMPL/J0000012.WAV"))
	want := readFile(t, "../sp404/testdata/J0000012.WAV")
	for i := range 512 {
		if i >= 4 && i < 8 || i >= 508 {
			continue
		}
		if got[i] != want[i] {
			t.Fatalf("byte %d is %#x, the device file has %#x", i, got[i], want[i])
		}
	}
	if n := binary.LittleEndian.Uint32(got[508:]); n != 4410*4 {
		t.Errorf("data size %d", n)
	}
}
