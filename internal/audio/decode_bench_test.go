package audio

import (
	"bytes"
	"os"
	"testing"

	"github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"
	"github.com/mewkiz/flac/meta"
)

// benchDecode decodes b repeatedly and reports throughput in decoded PCM bytes (16-bit
// equivalent), so MB/s compares across codecs.
func benchDecode(b *testing.B, file []byte) {
	buf, _, err := Decoder{MaxFrames: -1}.Decode(bytes.NewReader(file))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Frames() * buf.Channels() * 2))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Decode(bytes.NewReader(file)); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeWAV(b *testing.B) {
	for _, secs := range []int{1, 8, 30} {
		b.Run(map[int]string{1: "1s", 8: "8s", 30: "30s"}[secs]+"-stereo-16bit-44k", func(b *testing.B) {
			var w bytes.Buffer
			if err := EncodeWAV(&w, gridBuffer(3, 44100, 2, 44100*secs, 16), PCM16); err != nil {
				b.Fatal(err)
			}
			benchDecode(b, w.Bytes())
		})
	}
}

func BenchmarkDecodeAIFF(b *testing.B) {
	var w bytes.Buffer
	if err := EncodeAIFF(&w, gridBuffer(3, 44100, 2, 44100*8, 24), PCM24); err != nil {
		b.Fatal(err)
	}
	b.Run("8s-stereo-24bit-44k", func(b *testing.B) { benchDecode(b, w.Bytes()) })
}

// BenchmarkDecodeFLAC decodes 8 s of stereo 16-bit audio encoded with mewkiz/flac's fixed-
// predictor analysis (a libFLAC file would use LPC, which decodes at a similar cost per sample).
func BenchmarkDecodeFLAC(b *testing.B) {
	src := gridBuffer(4, 44100, 2, 44100*8, 16)
	// Smooth the noise so prediction has something to work with.
	for _, ch := range src.Data {
		for i := 1; i < len(ch); i++ {
			ch[i] = float32(int32((ch[i-1]*0.95+ch[i]*0.05)*32768)) / 32768
		}
	}
	var w bytes.Buffer
	info := &meta.StreamInfo{BlockSizeMin: 4096, BlockSizeMax: 4096, SampleRate: 44100, NChannels: 2, BitsPerSample: 16, NSamples: uint64(src.Frames())}
	enc, err := flac.NewEncoder(&w, info)
	if err != nil {
		b.Fatal(err)
	}
	enc.EnablePredictionAnalysis(true)
	for at := 0; at < src.Frames(); at += 4096 {
		n := min(4096, src.Frames()-at)
		f := &frame.Frame{Header: frame.Header{HasFixedBlockSize: true, BlockSize: uint16(n), SampleRate: 44100, Channels: frame.ChannelsLR, BitsPerSample: 16}}
		for _, ch := range src.Data {
			s := make([]int32, n)
			for i := range s {
				s[i] = int32(ch[at+i] * 32768)
			}
			f.Subframes = append(f.Subframes, &frame.Subframe{SubHeader: frame.SubHeader{Pred: frame.PredVerbatim}, Samples: s, NSamples: n})
		}
		if err := enc.WriteFrame(f); err != nil {
			b.Fatal(err)
		}
	}
	if err := enc.Close(); err != nil {
		b.Fatal(err)
	}
	b.Run("8s-stereo-16bit-44k", func(b *testing.B) { benchDecode(b, w.Bytes()) })
	// The library this decoder replaced, on the same stream, for docs/performance.md.
	b.Run("8s-stereo-16bit-44k-mewkiz", func(b *testing.B) {
		b.SetBytes(int64(src.Frames() * src.Channels() * 2))
		for b.Loop() {
			referenceFLAC(b, w.Bytes())
		}
	})
}

func BenchmarkDecodeMP3(b *testing.B) {
	file, err := os.ReadFile("testdata/bench_8s_stereo_40k.mp3")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("8s-stereo-44k", func(b *testing.B) { benchDecode(b, file) })
}

func BenchmarkEncodeWAV(b *testing.B) {
	src := gridBuffer(5, 44100, 2, 44100*8, 16)
	for _, enc := range []Encoding{PCM16, PCM24, Float32} {
		b.Run("8s-stereo-"+enc.String(), func(b *testing.B) {
			b.SetBytes(int64(src.Frames() * src.Channels() * enc.BitDepth() / 8))
			b.ReportAllocs()
			for b.Loop() {
				if err := EncodeWAV(discard{}, src, enc); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
