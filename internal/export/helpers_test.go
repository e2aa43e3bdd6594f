package export

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/sp404agent/sp404agent/internal/audio"
	"github.com/sp404agent/sp404agent/internal/sp404"
)

// toneBuffer returns frames of a sine per channel (440 Hz × (c+1)) at
// amplitude 0.5, so channels differ and level is known.
func toneBuffer(rate, channels, frames int) *audio.Buffer {
	buf := audio.NewBuffer(rate, channels, frames)
	for c := range buf.Data {
		f := 440.0 * float64(c+1)
		for i := range buf.Data[c] {
			buf.Data[c][i] = float32(0.5 * math.Sin(2*math.Pi*f*float64(i)/float64(rate)))
		}
	}
	return buf
}

// writeSource encodes buf as a WAV file in dir and returns its path.
func writeSource(t testing.TB, dir, name string, buf *audio.Buffer, enc audio.Encoding) string {
	t.Helper()
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := audio.EncodeWAV(f, buf, enc); err != nil {
		t.Fatal(err)
	}
	return p
}

// sourceCase is one generated source sample.
type sourceCase struct {
	label    string
	rate     int
	channels int
	enc      audio.Encoding
	seconds  float64
}

// mixedSources covers mono/stereo, 44.1/48/96 kHz and 16/24-bit/float.
func mixedSources() []sourceCase {
	return []sourceCase{
		{"A1", 44100, 1, audio.PCM16, 0.25},
		{"A2", 48000, 2, audio.PCM16, 0.3},
		{"A3", 96000, 2, audio.PCM24, 0.2},
		{"A12", 44100, 2, audio.Float32, 0.2},
		{"B5", 48000, 1, audio.PCM24, 0.15},
		{"J10", 96000, 1, audio.Float32, 0.1},
	}
}

// mixedKit builds a kit over mixedSources with settings that differ from
// the defaults on every pad, so a lost field shows.
func mixedKit(t testing.TB, dir string, device Device) *Kit {
	t.Helper()
	k := NewKit("Test Kit", device)
	k.BPM = 93.5
	k.BankTempos[1] = 100.25
	k.BankVolumes[0], k.BankVolumes[9] = 120, 64
	for i, sc := range mixedSources() {
		bank, pad, err := ParsePadLabel(sc.label)
		if err != nil {
			t.Fatal(err)
		}
		frames := int(sc.seconds * float64(sc.rate))
		path := writeSource(t, dir, "src_"+sc.label+".wav", toneBuffer(sc.rate, sc.channels, frames), sc.enc)
		p := NewPad(bank, pad, FileSource(path, "Sample "+sc.label))
		p.Level = 100 - i
		p.Pan = -20 + i*7
		p.Pitch = i - 3
		p.Fine = 10 * i
		p.Speed = 75 + float64(i)*5
		p.PlayMode = []PlayMode{Forward, Reverse, PingPong, ReversePingPong, Forward, Reverse}[i]
		p.Loop = i%2 == 0
		p.Gate = i%3 == 0
		p.OneShot = i == 4
		p.MuteGroup = i
		p.Bus = i % 3
		p.Attack, p.Hold, p.Release = i*10, 50+i, 127-i
		p.StartFrame = int64(100 * i)
		if i%2 == 1 {
			p.EndFrame = int64(frames - 200)
		}
		p.Chops = []int64{0, int64(frames / 4), int64(frames / 2)}
		p.BPM = 80 + float64(i)*2.5
		p.Source.Key = "Am"
		k.Pads = append(k.Pads, p)
	}
	return k
}

// export runs Export and fails the test on error.
func export(t testing.TB, k *Kit, o Options) *PlanResult {
	t.Helper()
	res, err := Export(context.Background(), k, o, nil)
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return res
}

// treeFiles returns every file and folder under dir, slash-relative, with
// folders ending in "/", mapped to their content.
func treeFiles(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	out := make(map[string][]byte)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			out[rel+"/"] = nil
			return nil
		}
		b, err := os.ReadFile(p)
		out[rel] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// zipFiles returns every entry of a ZIP file mapped to its content.
func zipFiles(t testing.TB, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := make(map[string][]byte)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasSuffix(f.Name, "/") {
			b = nil
		}
		out[f.Name] = b
	}
	return out
}

// compareTrees reports every difference between two file maps.
func compareTrees(t testing.TB, want, got map[string][]byte) {
	t.Helper()
	var names []string
	for n := range want {
		names = append(names, n)
	}
	for n := range got {
		if _, ok := want[n]; !ok {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		w, wok := want[n]
		g, gok := got[n]
		switch {
		case !wok:
			t.Errorf("%s: unexpected", n)
		case !gok:
			t.Errorf("%s: missing", n)
		case !bytes.Equal(w, g):
			t.Errorf("%s: content differs (%d vs %d bytes)", n, len(w), len(g))
		}
	}
}

// readFile reads a file and fails the test on error.
func readFile(t testing.TB, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// readProject reads an exported MKII project folder.
func readProject(t testing.TB, dir string) *sp404.Project {
	t.Helper()
	p, err := sp404.ReadProject(dir)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
