package export

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/sp404agent/sp404agent/internal/audio"
)

// benchKit writes n distinct 5 s stereo 44.1 kHz 16-bit sources and lays
// them on the first n pads.
func benchKit(b *testing.B, dir string, n int) *Kit {
	b.Helper()
	k := NewKit("Bench", DeviceMK2)
	for i := range n {
		buf := toneBuffer(44100, 2, 5*44100)
		// Vary the level so the sources are not identical files.
		for c := range buf.Data {
			for j := range buf.Data[c] {
				buf.Data[c][j] *= 1 - float32(i)/400
			}
		}
		p := writeSource(b, dir, fmt.Sprintf("s%03d.wav", i), buf, audio.PCM16)
		k.Pads = append(k.Pads, NewPad(i/16, i%16+1, FileSource(p, fmt.Sprintf("Sample %d", i))))
	}
	return k
}

// BenchmarkExportMK2Project exports a 160-pad kit of 5 s stereo 44.1 kHz
// samples to an MKII project (resampling to 48 kHz with dither, SMP
// writing, PADCONF.BIN), to a folder and to a ZIP. Run with -cpu to set the
// worker count; the export uses runtime.NumCPU() workers by default, so
// pin it with taskset for a two-core figure.
func BenchmarkExportMK2Project(b *testing.B) {
	dir := b.TempDir()
	k := benchKit(b, filepath.Join(dir), 160)
	b.Run("plan-only", func(b *testing.B) {
		for b.Loop() {
			if _, err := Plan(context.Background(), k, Options{Target: TargetMK2Project, Out: filepath.Join(dir, "unused")}); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, dest := range []string{"folder", "zip"} {
		b.Run(dest, func(b *testing.B) {
			b.ReportAllocs()
			var bytes int64
			i := 0
			for b.Loop() {
				out := filepath.Join(dir, fmt.Sprintf("out-%s-%d", dest, i))
				if dest == "zip" {
					out += ".zip"
				}
				i++
				res, err := Export(context.Background(), k, Options{Target: TargetMK2Project, Out: out}, nil)
				if err != nil {
					b.Fatal(err)
				}
				bytes = res.TotalBytes
				b.StopTimer()
				os.RemoveAll(out)
				b.StartTimer()
			}
			b.SetBytes(bytes)
		})
	}
}
