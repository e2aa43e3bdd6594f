package dsp_test

import (
	"fmt"
	"math"

	"github.com/sp404agent/sp404agent/internal/dsp"
)

// EBU Tech 3341 case 1: a stereo 1 kHz sine at −23 dBFS for 20 s reads −23.0 LUFS.
func ExampleMeasureLoudness() {
	const fs = 48000
	x := make([]float32, 20*fs)
	a := math.Pow(10, -23.0/20)
	for i := range x {
		x[i] = float32(a * math.Sin(2*math.Pi*1000*float64(i)/fs))
	}
	l := dsp.MeasureLoudness([][]float32{x, x}, fs)
	fmt.Printf("%.1f LUFS integrated, %.1f LUFS max momentary\n", l.Integrated, l.MaxMomentary)
	// Output: -23.0 LUFS integrated, -23.0 LUFS max momentary
}

// The BS.1770-4 pre-filter at 48 kHz, derived from its analog prototype.
func ExampleKWeighting() {
	shelf, hp := dsp.KWeighting(48000)
	fmt.Printf("b0=%.8f a1=%.8f | a1=%.8f a2=%.8f\n", shelf.B0, shelf.A1, hp.A1, hp.A2)
	// Output: b0=1.53512486 a1=-1.69065929 | a1=-1.99004745 a2=0.99007225
}
