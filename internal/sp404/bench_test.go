package sp404

import (
	"io"
	"math/rand/v2"
	"testing"
)

func BenchmarkPadconfEncode160Pads(b *testing.B) {
	pc := randomPadconf(b, rand.New(rand.NewPCG(21, 22)))
	for i := range pc.Pads {
		if !pc.Pads[i].Loaded() {
			if err := pc.Pads[i].LoadSample(SMPHeaderSize + 4000); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.SetBytes(PadconfSize)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pc.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPadconfDecode(b *testing.B) {
	in := readTestdata(b, "PADCONF.BIN")
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodePadconf(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteSMP(b *testing.B) {
	for _, bc := range []struct {
		name    string
		seconds int
	}{{"1s_stereo", 1}, {"5s_stereo", 5}, {"30s_stereo", 30}} {
		b.Run(bc.name, func(b *testing.B) {
			pcm := randomPCM(rand.New(rand.NewPCG(23, 24)), 2*SMPSampleRate*bc.seconds)
			b.SetBytes(SMPSize(int64(len(pcm)/2), 2))
			b.ReportAllocs()
			for b.Loop() {
				if err := WriteSMP(io.Discard, 2, pcm); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkWriteRLNDWAV5sStereo(b *testing.B) {
	pcm := randomPCM(rand.New(rand.NewPCG(25, 26)), 2*SXSampleRate*5)
	b.SetBytes(SXSampleSize(int64(len(pcm)/2), 2))
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteRLNDWAV(io.Discard, 0, 2, pcm); err != nil {
			b.Fatal(err)
		}
	}
}
