package analysis_test

import (
	"context"
	"fmt"
	"math"

	"github.com/sp404agent/sp404agent/internal/analysis"
	"github.com/sp404agent/sp404agent/internal/audio"
)

// A decaying 55 Hz tone with harmonics, one second long: a pitched one-shot with no tempo.
func ExampleAnalyze() {
	const sr = 44100
	buf := audio.NewBuffer(sr, 1, sr)
	for i := range buf.Data[0] {
		t := float64(i) / sr
		var v float64
		for h := 1.0; h <= 4; h++ {
			v += math.Sin(2*math.Pi*55*h*t) / h
		}
		buf.Data[0][i] = float32(0.4 * v * math.Min(1, t/0.005) * math.Min(1, (1-t)/0.02))
	}
	f, err := analysis.Analyze(context.Background(), buf, analysis.Hints{Name: "sub_A1.wav"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.Type, f.Category, *f.RootNote, f.BPM == nil, f.BPMSource)
	// Output: one-shot bass A1 true none
}
