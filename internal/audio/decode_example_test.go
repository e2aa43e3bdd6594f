package audio_test

import (
	"bytes"
	"fmt"

	"github.com/sp404agent/sp404agent/internal/audio"
)

func ExampleDecodeFile() {
	buf, md, err := audio.DecodeFile("testdata/sp404sx/J0000012.WAV")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(md.Format, buf.SampleRate, buf.Channels(), md.BitDepth, "pad", md.RLNDPad)
	// Output: wav 44100 2 16 pad 119
}

func ExampleEncodeWAV() {
	buf := audio.NewBuffer(48000, 1, 4)
	copy(buf.Data[0], []float32{0, 0.5, -0.5, 1.5}) // 1.5 clips to the largest 16-bit value
	var out bytes.Buffer
	if err := audio.EncodeWAV(&out, buf, audio.PCM16); err != nil {
		fmt.Println(err)
		return
	}
	back, _, err := audio.Decode(bytes.NewReader(out.Bytes()))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(out.Len(), back.Data[0])
	// Output: 54 [0 0.5 -0.5 0.9999695]
}
