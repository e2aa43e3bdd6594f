package export

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/sp404agent/sp404agent/internal/audio"
)

// FuzzImportKitZip feeds arbitrary bytes to ImportKit as a .zip: it must
// return an error or a kit, never panic or read past its limits.
func FuzzImportKitZip(f *testing.F) {
	dir := f.TempDir()
	k := NewKit("Seed", DeviceMK2)
	src := writeSource(f, dir, "s.wav", toneBuffer(48000, 2, 600), audio.PCM16)
	k.Pads = []Pad{NewPad(0, 1, FileSource(src, "s"))}
	for _, target := range []Target{TargetMK2Project, TargetSX} {
		out := filepath.Join(dir, string(target)+".zip")
		export(f, k, Options{Target: target, Out: out})
		f.Add(readFile(f, out))
	}
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "in.zip")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		kit, samples, err := ImportKit(p)
		if err == nil && (kit == nil || len(kit.Pads) != len(samples)) {
			t.Fatalf("kit %v with %d samples", kit, len(samples))
		}
	})
}

// FuzzInspectFile feeds arbitrary bytes to the single-file inspector.
func FuzzInspectFile(f *testing.F) {
	for _, p := range []string{"../sp404/testdata/PAD_INFO.BIN", "../sp404/testdata/J0000012.WAV", "../sp404/testdata/PADCONF.BIN"} {
		f.Add(readFile(f, p))
	}
	f.Add([]byte("RFWV"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := inspectFile(bytes.NewReader(b), int64(len(b)), "X", InspectOptions{All: true})
		if err == nil && r == nil {
			t.Fatal("no report and no error")
		}
	})
}

func ExampleSanitizeName() {
	fmt.Println(SanitizeName("Café Rhodes (Am) #3", MaxNameLen))
	fmt.Println(SanitizeName("808 kick  hard", MaxNameLen))
	// Output:
	// CAFE_RHODES_AM_3
	// 808_KICK_HARD
}
