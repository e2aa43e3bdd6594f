package export

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sp404agent/sp404agent/internal/audio"
	"github.com/sp404agent/sp404agent/internal/sp404"
)

// importKit runs ImportKit and fails the test on error.
func importKit(t *testing.T, p string) (*Kit, []ImportedSample) {
	t.Helper()
	k, s, err := ImportKit(p)
	if err != nil {
		t.Fatalf("import %s: %v", p, err)
	}
	return k, s
}

// TestRoundTripReproducesDeviceFiles exports a kit, imports the result
// (folder and ZIP) and exports it again: PADCONF.BIN / PAD_INFO.BIN and
// every sample file must come back byte for byte.
func TestRoundTripReproducesDeviceFiles(t *testing.T) {
	dir := t.TempDir()
	k := mixedKit(t, dir, DeviceMK2)
	cases := []struct {
		target Target
		root   string
		table  string
	}{
		{TargetMK2Project, "EXPORT/PROJECT/PROJECT_03", "PADCONF.BIN"},
		{TargetSX, "ROLAND/SP-404SX/SMPL", "PAD_INFO.BIN"},
	}
	for _, tc := range cases {
		t.Run(string(tc.target), func(t *testing.T) {
			first := filepath.Join(dir, string(tc.target)+"-1")
			export(t, k, Options{Target: tc.target, Out: first, Slot: 3})
			export(t, k, Options{Target: tc.target, Out: first + ".zip", Slot: 3})
			want := treeFiles(t, first)
			for i, in := range []string{first, first + ".zip", filepath.Join(first, filepath.FromSlash(tc.root), tc.table)} {
				imported, samples := importKit(t, in)
				if len(imported.Pads) != len(k.Pads) || len(samples) != len(k.Pads) {
					t.Fatalf("imported %d pads, %d samples; want %d", len(imported.Pads), len(samples), len(k.Pads))
				}
				again := filepath.Join(dir, fmt.Sprintf("%s-again-%d", tc.target, i))
				export(t, imported, Options{Target: tc.target, Out: again, Slot: 3})
				compareTrees(t, want, treeFiles(t, again))
			}
		})
	}
}

func TestImportMK2ProjectReadsEverySetting(t *testing.T) {
	dir := t.TempDir()
	k := mixedKit(t, dir, DeviceMK2)
	out := filepath.Join(dir, "o")
	export(t, k, Options{Target: TargetMK2Project, Out: out})
	got, samples := importKit(t, out)
	if got.Name != "Test Kit" || got.Device != DeviceMK2 || got.BPM != 93.5 || got.BankTempos[1] != 100.25 ||
		got.BankVolumes[0] != 120 || got.BankVolumes[9] != 64 || got.BankVolumes[5] != 127 {
		t.Errorf("kit header: %+v", got)
	}
	for i, sc := range mixedSources() {
		want, p := k.Pads[i], got.Pads[i]
		// Positions come back in 48 kHz frames; the rest as set.
		if p.Bank != want.Bank || p.Pad != want.Pad || p.Level != want.Level || p.Pan != want.Pan ||
			p.Pitch != want.Pitch || p.Fine != want.Fine || p.Speed != want.Speed || p.PlayMode != want.PlayMode ||
			p.Loop != want.Loop || p.Gate != want.Gate || p.OneShot != want.OneShot || p.MuteGroup != want.MuteGroup ||
			p.Bus != want.Bus || p.Attack != want.Attack || p.Hold != want.Hold || p.Release != want.Release ||
			p.BPM != want.BPM || p.Source.Name != want.Source.Name {
			t.Errorf("%s:\n got %+v\nwant %+v", want.Label(), p, want)
		}
		if p.StartFrame != expectFrame(want.StartFrame, sc.rate, 48000) || len(p.Chops) != len(want.Chops) {
			t.Errorf("%s: start %d, chops %v", want.Label(), p.StartFrame, p.Chops)
		}
		s := samples[i]
		if s.Label != want.Label() || s.SampleRate != 48000 || s.Channels != sc.channels {
			t.Errorf("%s sample: %+v", want.Label(), s)
		}
		buf, err := s.Buffer()
		if err != nil || int64(buf.Frames()) != s.Frames {
			t.Errorf("%s: decode %v", want.Label(), err)
		}
	}
}

// TestImportRealPadconfRoundTrip imports a project built on the real
// PADCONF.BIN fixture (device-written values: names, mode flags 5, gate off,
// loop tops) with generated SMPs of the sizes it lists, and exports it back.
// Only the six smallest loaded pads are kept, to keep the test fast; every
// other byte of the file is the device's.
func TestImportRealPadconfRoundTrip(t *testing.T) {
	pc, err := sp404.DecodePadconf(readFile(t, "../sp404/testdata/PADCONF.BIN"))
	if err != nil {
		t.Fatal(err)
	}
	var loaded []int
	for i := range pc.Pads {
		if pc.Pads[i].Loaded() {
			loaded = append(loaded, i)
		}
	}
	keep := map[int]bool{}
	for range 6 {
		best := -1
		for _, i := range loaded {
			if !keep[i] && (best < 0 || pc.Pads[i].Size < pc.Pads[best].Size) {
				best = i
			}
		}
		keep[best] = true
	}
	for _, i := range loaded {
		if !keep[i] {
			pc.Pads[i] = sp404.EmptyPadRecord()
		}
	}
	want, err := pc.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	proj := filepath.Join(dir, "PROJECT_03")
	if err := os.MkdirAll(filepath.Join(proj, "SMPL"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(proj, "PADCONF.BIN"), want, 0o644); err != nil {
		t.Fatal(err)
	}
	for i := range keep {
		rec := pc.Pads[i]
		pcm := make([]int16, (rec.Size-512)/2)
		for j := range pcm {
			pcm[j] = int16(j * 37)
		}
		var b bytes.Buffer
		if err := sp404.WriteSMP(&b, 2, pcm); err != nil {
			t.Fatal(err)
		}
		name, _ := sp404.SMPName(i/16, i%16+1)
		if err := os.WriteFile(filepath.Join(proj, "SMPL", name), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	k, _ := importKit(t, proj)
	out := filepath.Join(dir, "out")
	export(t, k, Options{Target: TargetMK2Project, Out: out, Slot: 3})
	got := readFile(t, filepath.Join(out, "EXPORT/PROJECT/PROJECT_03/PADCONF.BIN"))
	if !bytes.Equal(got, want) {
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("PADCONF.BIN differs first at byte %#x: % x, want % x", i, got[i:min(i+8, len(got))], want[i:min(i+8, len(want))])
			}
		}
	}
}

// TestImportRealSXCardRoundTrip uses the real PAD_INFO.BIN with the two real
// card WAVs (A1, J12) and generated WAVs of the recorded sizes for a few
// other pads (A2, A4 with tempo mode User, A9, A11); the records of the large
// B-bank pads are emptied to keep the test fast.
func TestImportRealSXCardRoundTrip(t *testing.T) {
	pi, err := sp404.DecodePadInfo(readFile(t, "../sp404/testdata/PAD_INFO.BIN"))
	if err != nil {
		t.Fatal(err)
	}
	keep := map[int]bool{0: true, 1: true, 3: true, 8: true, 10: true, 119: true}
	for i := range pi.Pads {
		if !keep[i] {
			pi.Pads[i] = sp404.EmptySXPad()
		}
	}
	want, err := pi.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	smpl := filepath.Join(dir, "card", "ROLAND", "SP-404SX", "SMPL")
	if err := os.MkdirAll(smpl, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(smpl, "PAD_INFO.BIN"), want, 0o644); err != nil {
		t.Fatal(err)
	}
	for i := range keep {
		name, _ := sp404.SXSampleName(i/12, i%12+1, "WAV")
		var b []byte
		switch i {
		case 0:
			b = readFile(t, "../sp404/testdata/A0000001.wav")
		case 119:
			b = readFile(t, "../sp404/testdata/J0000012.WAV")
		default:
			rec := pi.Pads[i]
			pcm := make([]int16, (rec.OriginalEnd-512)/2)
			for j := range pcm {
				pcm[j] = int16(j * 13)
			}
			var w bytes.Buffer
			if err := sp404.WriteRLNDWAV(&w, i, int(rec.Channels), pcm); err != nil {
				t.Fatal(err)
			}
			b = w.Bytes()
		}
		if err := os.WriteFile(filepath.Join(smpl, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	k, samples := importKit(t, filepath.Join(dir, "card"))
	if k.Device != DeviceSX || len(samples) != len(keep) || k.Name != "card" {
		t.Fatalf("imported %s kit %q with %d samples", k.Device, k.Name, len(samples))
	}
	if p := k.Pads[0]; p.Level != 87 || p.PlayMode != Reverse || p.BPM != 109.9 {
		t.Errorf("A1 (real): %+v", p)
	}
	out := filepath.Join(dir, "out")
	export(t, k, Options{Target: TargetSX, Out: out})
	if got := readFile(t, filepath.Join(out, "ROLAND/SP-404SX/SMPL/PAD_INFO.BIN")); !bytes.Equal(got, want) {
		t.Error("PAD_INFO.BIN differs after the round trip")
	}
	// The real card WAVs come back byte for byte too.
	for _, f := range []struct{ fixture, name string }{{"A0000001.wav", "A0000001.WAV"}, {"J0000012.WAV", "J0000012.WAV"}} {
		got := readFile(t, filepath.Join(out, "ROLAND/SP-404SX/SMPL", f.name))
		if !bytes.Equal(got, readFile(t, "../sp404/testdata/"+f.fixture)) {
			t.Errorf("%s differs from the device file", f.name)
		}
	}
}

// hostileZip writes a ZIP built by fill and returns its path.
func hostileZip(t *testing.T, dir, name string, fill func(*zip.Writer)) string {
	t.Helper()
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	fill(zw)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImportKitRefusesHostileZips(t *testing.T) {
	dir := t.TempDir()
	k := mixedKit(t, dir, DeviceMK2)
	proj := filepath.Join(dir, "proj")
	export(t, k, Options{Target: TargetMK2Project, Out: proj})
	padconf := readFile(t, filepath.Join(proj, "EXPORT/PROJECT/PROJECT_01/PADCONF.BIN"))
	add := func(zw *zip.Writer, name string, b []byte) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(b); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		fill func(*zip.Writer)
		want string
	}{
		{"zip-slip", func(zw *zip.Writer) {
			add(zw, "PROJECT_01/PADCONF.BIN", padconf)
			add(zw, "PROJECT_01/../../evil.SMP", []byte("x"))
		}, "leaves the archive"},
		{"absolute", func(zw *zip.Writer) { add(zw, "/etc/PADCONF.BIN", padconf) }, "absolute"},
		{"drive letter", func(zw *zip.Writer) { add(zw, "C:/x/PADCONF.BIN", padconf) }, "absolute"},
		{"backslash", func(zw *zip.Writer) { add(zw, `PROJECT_01\..\PADCONF.BIN`, padconf) }, "non-portable"},
		{"duplicate", func(zw *zip.Writer) {
			add(zw, "P/PADCONF.BIN", padconf)
			add(zw, "P/PADCONF.BIN", padconf)
		}, "appears twice"},
		{"huge declared size", func(zw *zip.Writer) {
			add(zw, "P/PADCONF.BIN", padconf)
			w, err := zw.CreateRaw(&zip.FileHeader{Name: "P/SMPL/BANK1-01.SMP", Method: zip.Store,
				CompressedSize64: 4, UncompressedSize64: 1 << 40})
			if err != nil {
				t.Fatal(err)
			}
			w.Write([]byte("RFWV"))
		}, "declares 1099511627776 bytes"},
		{"too many entries", func(zw *zip.Writer) {
			for i := range MaxImportEntries + 1 {
				add(zw, fmt.Sprintf("junk/%05d", i), nil)
			}
		}, "entries: at most"},
		{"total too large", func(zw *zip.Writer) {
			for i := range 25 {
				zw.CreateRaw(&zip.FileHeader{Name: fmt.Sprintf("P/%02d", i), Method: zip.Store,
					CompressedSize64: 0, UncompressedSize64: MaxImportFileSize})
			}
		}, "in total"},
		{"size lies", func(zw *zip.Writer) {
			// The entry claims 10 bytes but holds a whole PADCONF.BIN.
			w, err := zw.CreateRaw(&zip.FileHeader{Name: "P/PADCONF.BIN", Method: zip.Store,
				CompressedSize64: uint64(len(padconf)), UncompressedSize64: 10})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(padconf)
		}, "not a valid zip file"},
		{"no kit", func(zw *zip.Writer) { add(zw, "readme.txt", []byte("hi")) }, "no PADCONF.BIN"},
		{"two kits", func(zw *zip.Writer) {
			add(zw, "a/PADCONF.BIN", padconf)
			add(zw, "b/PADCONF.BIN", padconf)
		}, "2 kits found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := hostileZip(t, dir, strings.ReplaceAll(tt.name, " ", "_")+".zip", tt.fill)
			before := treeFiles(t, dir)
			_, _, err := ImportKit(p)
			t.Logf("err: %v", err)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err %v, want one mentioning %q", err, tt.want)
			}
			compareTrees(t, before, treeFiles(t, dir))
		})
	}
}

func TestImportKitDropsPadsWithoutSMP(t *testing.T) {
	dir := t.TempDir()
	k := mixedKit(t, dir, DeviceMK2)
	out := filepath.Join(dir, "o")
	export(t, k, Options{Target: TargetMK2Project, Out: out})
	if err := os.Remove(filepath.Join(out, "EXPORT/PROJECT/PROJECT_01/SMPL/BANK1-02.SMP")); err != nil {
		t.Fatal(err)
	}
	got, samples := importKit(t, out)
	if len(got.Pads) != len(k.Pads)-1 || len(samples) != len(k.Pads)-1 {
		t.Errorf("%d pads after removing one SMP, want %d", len(got.Pads), len(k.Pads)-1)
	}
	if len(got.Notes) != 1 || !strings.Contains(got.Notes[0], "pad A2: BANK1-02.SMP is missing") {
		t.Errorf("notes %q", got.Notes)
	}
}

func TestImportedSampleIsLosslessWAV(t *testing.T) {
	dir := t.TempDir()
	src := writeSource(t, dir, "s.wav", toneBuffer(44100, 2, 2205), audio.PCM16)
	k := NewKit("L", DeviceSX)
	k.Pads = []Pad{NewPad(0, 1, FileSource(src, "s"))}
	out := filepath.Join(dir, "o")
	export(t, k, Options{Target: TargetSX, Out: out})
	_, samples := importKit(t, out)
	want, _, err := audio.DecodeFile(src)
	if err != nil {
		t.Fatal(err)
	}
	got, err := samples[0].Buffer()
	if err != nil {
		t.Fatal(err)
	}
	for c := range want.Data {
		for i := range want.Data[c] {
			if got.Data[c][i] != want.Data[c][i] {
				t.Fatalf("channel %d frame %d: %v, want %v", c, i, got.Data[c][i], want.Data[c][i])
			}
		}
	}
}
