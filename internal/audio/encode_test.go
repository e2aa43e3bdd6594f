package audio

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"testing"
)

// The encoders and decoders must agree exactly on every integer grid: a buffer quantised to
// b bits survives encode → decode bit for bit, for every channel count from 1 to 8.
func TestRoundTripIsExact(t *testing.T) {
	encoders := map[string]func(*bytes.Buffer, *Buffer, Encoding) error{
		"wav":  func(w *bytes.Buffer, b *Buffer, e Encoding) error { return EncodeWAV(w, b, e) },
		"aiff": func(w *bytes.Buffer, b *Buffer, e Encoding) error { return EncodeAIFF(w, b, e) },
	}
	for name, encode := range encoders {
		for _, enc := range []Encoding{PCM8, PCM16, PCM24, PCM32, Float32} {
			for ch := 1; ch <= 8; ch++ {
				t.Run(fmt.Sprintf("%s/%s/%dch", name, enc, ch), func(t *testing.T) {
					bits := enc.BitDepth()
					if enc == Float32 {
						bits = 0
					}
					if enc == PCM32 {
						bits = 24 // float32 holds 24 significant bits; see doc.go
					}
					// 1001 frames: odd, so 8-bit mono exercises the data pad byte.
					src := gridBuffer(uint64(ch), 44100+ch, ch, 1001, bits)
					var out bytes.Buffer
					if err := encode(&out, src, enc); err != nil {
						t.Fatal(err)
					}
					got, md := mustDecode(t, out.Bytes())
					equalBuffers(t, got, src, 0)
					if md.BitDepth != enc.BitDepth() || md.Float != (enc == Float32) {
						t.Errorf("metadata: bit depth %d float %v, want %d %v", md.BitDepth, md.Float, enc.BitDepth(), enc == Float32)
					}
				})
			}
		}
	}
}

// Rounding is half away from zero and out-of-range values clip to the integer limits.
func TestQuantizeRoundsAndClips(t *testing.T) {
	tests := []struct {
		in   float32
		want int16
	}{
		{0, 0},
		{0.5 / 32768, 1},
		{-0.5 / 32768, -1},
		{0.49 / 32768, 0},
		{1, 32767},
		{-1, -32768},
		{1.7, 32767},
		{-3, -32768},
		{float32(math.NaN()), 0},
		{float32(math.Inf(1)), 32767},
	}
	for _, tt := range tests {
		buf := &Buffer{SampleRate: 8000, Data: [][]float32{{tt.in}}}
		var out bytes.Buffer
		if err := EncodeWAV(&out, buf, PCM16); err != nil {
			t.Fatal(err)
		}
		b := out.Bytes()
		got := int16(uint16(b[len(b)-2]) | uint16(b[len(b)-1])<<8)
		if got != tt.want {
			t.Errorf("quantize(%v) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// Writing the real SP-404SX file back at 16 bits with its RLND chunk reproduces the hardware's
// PCM bytes exactly and the 512-byte data offset the sampler expects.
func TestEncodeWAVReproducesSP404SXFile(t *testing.T) {
	orig, err := os.ReadFile("testdata/sp404sx/J0000012.WAV")
	if err != nil {
		t.Fatal(err)
	}
	buf, md := mustDecode(t, orig)
	rlnd := make([]byte, 458)
	copy(rlnd, "roifspsx")
	rlnd[8] = 4
	rlnd[12] = byte(md.RLNDPad)
	var out bytes.Buffer
	if err := EncodeWAV(&out, buf, PCM16, Chunk{ID: [4]byte{'R', 'L', 'N', 'D'}, Data: rlnd}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), orig) {
		t.Fatalf("re-encoded file differs from the hardware file (len %d vs %d)", out.Len(), len(orig))
	}
}

func TestEncodeRejectsInvalidInput(t *testing.T) {
	tests := map[string]struct {
		buf *Buffer
		enc Encoding
	}{
		"nil buffer":        {nil, PCM16},
		"no channels":       {&Buffer{SampleRate: 44100}, PCM16},
		"zero rate":         {NewBuffer(0, 1, 4), PCM16},
		"ragged channels":   {&Buffer{SampleRate: 44100, Data: [][]float32{{0, 0}, {0}}}, PCM16},
		"unknown encoding":  {NewBuffer(44100, 1, 4), Encoding(99)},
		"too many channels": {NewBuffer(44100, maxChannels+1, 4), PCM16},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			var w bytes.Buffer
			if err := EncodeWAV(&w, tt.buf, tt.enc); err == nil {
				t.Error("EncodeWAV accepted it")
			}
			if err := EncodeAIFF(&w, tt.buf, tt.enc); err == nil {
				t.Error("EncodeAIFF accepted it")
			}
			if w.Len() != 0 {
				t.Errorf("%d bytes written before the error", w.Len())
			}
		})
	}
}

// failWriter fails after n bytes.
type failWriter struct{ n int }

var errWrite = errors.New("disk full")

func (f *failWriter) Write(p []byte) (int, error) {
	if len(p) > f.n {
		k := f.n
		f.n = 0
		return k, errWrite
	}
	f.n -= len(p)
	return len(p), nil
}

func TestEncodePropagatesWriteErrors(t *testing.T) {
	buf := gridBuffer(1, 44100, 2, 20000, 16)
	for _, n := range []int{0, 100, 50000} {
		if err := EncodeWAV(&failWriter{n: n}, buf, PCM16); !errors.Is(err, errWrite) {
			t.Errorf("wav after %d bytes: got %v", n, err)
		}
		if err := EncodeAIFF(&failWriter{n: n}, buf, PCM24); !errors.Is(err, errWrite) {
			t.Errorf("aiff after %d bytes: got %v", n, err)
		}
	}
}

// The writer converts block by block: memory allocated while encoding 30 s of stereo audio
// stays far below the 5 MB a full byte copy would take.
func TestEncodeWAVStreams(t *testing.T) {
	buf := NewBuffer(44100, 2, 44100*30)
	var before, after runtimeStats
	before.read()
	if err := EncodeWAV(discard{}, buf, PCM16); err != nil {
		t.Fatal(err)
	}
	after.read()
	if grew := after.totalAlloc - before.totalAlloc; grew > 256<<10 {
		t.Errorf("encoding allocated %d bytes, want a block-sized buffer", grew)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

func TestExt80RoundTrip(t *testing.T) {
	for _, rate := range []uint32{1, 8000, 11025, 22050, 44100, 48000, 96000, 192000, maxSampleRate} {
		b := floatToExt80(rate)
		if got := ext80ToFloat(b[:]); got != float64(rate) {
			t.Errorf("%d Hz: got %v", rate, got)
		}
	}
	// 44100 Hz as every AIFF writer stores it.
	if got := ext80ToFloat([]byte{0x40, 0x0E, 0xAC, 0x44, 0, 0, 0, 0, 0, 0}); got != 44100 {
		t.Errorf("reference 44100 Hz bytes decode to %v", got)
	}
}

// Extra chunks of odd length get their pad byte, so the audio after them is still found and
// the RLND chunk round-trips through both writers.
func TestEncodeExtraChunks(t *testing.T) {
	src := gridBuffer(6, 44100, 2, 99, 16)
	rlnd := append([]byte("roifspsx\x04\x00\x00\x00"), 42)
	t.Run("wav", func(t *testing.T) {
		var out bytes.Buffer
		err := EncodeWAV(&out, src, PCM16,
			Chunk{ID: [4]byte{'o', 'd', 'd', ' '}, Data: []byte{1, 2, 3}},
			Chunk{ID: [4]byte{'R', 'L', 'N', 'D'}, Data: rlnd})
		if err != nil {
			t.Fatal(err)
		}
		got, md := mustDecode(t, out.Bytes())
		equalBuffers(t, got, src, 0)
		if md.RLNDPad != 42 {
			t.Errorf("RLND pad %d", md.RLNDPad)
		}
	})
	t.Run("aiff", func(t *testing.T) {
		var out bytes.Buffer
		err := EncodeAIFF(&out, src, PCM16,
			Chunk{ID: [4]byte{'A', 'N', 'N', 'O'}, Data: []byte("odd")},
			Chunk{ID: [4]byte{'A', 'P', 'P', 'L'}, Data: append([]byte("RLND"), rlnd...)})
		if err != nil {
			t.Fatal(err)
		}
		got, md := mustDecode(t, out.Bytes())
		equalBuffers(t, got, src, 0)
		if md.RLNDPad != 42 || md.SourceTags["comment"] != "odd" {
			t.Errorf("RLND pad %d, comment %q", md.RLNDPad, md.SourceTags["comment"])
		}
	})
}

// The documented export path: TPDF-dither to 16 bits with Quantize16, store n/32768, encode.
// The writer must emit exactly the dithered integers.
func TestEncodeWAVKeepsDitheredSamples(t *testing.T) {
	src := gridBuffer(8, 48000, 1, 2000, 0)
	q := Quantize16(nil, src.Data[0], NewDither(1))
	onGrid := NewBuffer(48000, 1, len(q))
	for i, n := range q {
		onGrid.Data[0][i] = float32(n) / 32768
	}
	var out bytes.Buffer
	if err := EncodeWAV(&out, onGrid, PCM16); err != nil {
		t.Fatal(err)
	}
	pcm := out.Bytes()[out.Len()-2*len(q):]
	for i, n := range q {
		if got := int16(uint16(pcm[2*i]) | uint16(pcm[2*i+1])<<8); got != n {
			t.Fatalf("sample %d: wrote %d, dither produced %d", i, got, n)
		}
	}
}
