package analysis

import (
	"context"
	"testing"
)

// BenchmarkAnalyze measures the whole §7 analysis on one core at the sizes the speed targets
// name: an 8 s stereo 44.1 kHz drum loop (target ≤ 40 ms), a 1 s stereo one-shot (≤ 10 ms)
// and a 30 s stereo file (≤ 150 ms).
func BenchmarkAnalyze(b *testing.B) {
	sr := float64(testSR)
	loop8 := drumLoop(sr, 120, 4, patterns[0], 1) // 4 bars at 120 = 8 s
	var mel []float32
	for len(mel) < 30*testSR {
		mel = append(mel, chord(sr, 2, []int{57, 60, 64}, 0, 0.5)...)
	}
	long := drumLoop(sr, 128, 16, patterns[3], 2)[:30*testSR]
	for i := range long {
		long[i] += mel[i]
	}
	cases := []struct {
		name string
		x    []float32
	}{
		{"loop8s", loop8},
		{"oneshot1s", snare(sr, 1, 0.7, 3)},
		{"file30s", long},
	}
	for _, c := range cases {
		buf := stereo(testSR, c.x)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Analyze(context.Background(), buf, Hints{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
