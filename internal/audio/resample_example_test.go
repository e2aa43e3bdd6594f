package audio_test

import (
	"fmt"

	"github.com/sp404agent/sp404agent/internal/audio"
)

// ExampleResampler converts one second of a mono 44.1 kHz sample to the MKII's 48 kHz.
func ExampleResampler() {
	r, err := audio.NewResampler(44100, 48000, audio.QualityHigh)
	if err != nil {
		fmt.Println(err)
		return
	}
	src := make([]float32, 44100)
	src[22050] = 1 // a click half a second in
	dst := r.Process(nil, src)
	peak := 0
	for i, v := range dst {
		if v > dst[peak] {
			peak = i
		}
	}
	fmt.Println(len(dst), "frames, click at frame", peak)
	// Output: 48000 frames, click at frame 24000
}
