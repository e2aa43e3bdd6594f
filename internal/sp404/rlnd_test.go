package sp404

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"reflect"
	"testing"
)

// Vector 15: the preamble of the real J0000012.WAV.
func TestRealJ12WAVPreambleMatchesSpec(t *testing.T) {
	b := readTestdata(t, "J0000012.WAV")
	want := unhex(t, "52494646 a8d00000 57415645 666d7420 12000000 0100 0200 44ac0000 10b10200 0400 1000 0000 524c4e44 ca010000")
	want = append(want, "roifspsx"...)
	want = append(want, unhex(t, "04000000 77")...)
	if got := b[:len(want)]; !bytes.Equal(got, want) {
		t.Fatalf("preamble: %s", firstDiff(got, want))
	}
	if !bytes.Equal(b[len(want):0x1F8], make([]byte, 0x1F8-len(want))) {
		t.Error("bytes between the pad index and the data chunk are not zero")
	}
	if got, want := b[0x1F8:0x200], unhex(t, "64617461 b0ce0000"); !bytes.Equal(got, want) {
		t.Errorf("data chunk header % x, want % x", got, want)
	}
}

// Real card WAVs parse to the expected fields, and writing the parsed
// values back gives the same bytes.
func TestRealRLNDWAVsRewriteByteIdentical(t *testing.T) {
	tests := []struct {
		file     string
		padIndex int
		frames   int
	}{
		{"A0000001.wav", 0, (385388 - 512) / 4},
		{"J0000012.WAV", 119, (53424 - 512) / 4},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			in := readTestdata(t, tt.file)
			s, err := ReadSXSample(bytes.NewReader(in))
			if err != nil {
				t.Fatal(err)
			}
			if s.Format != FormatWAVE || s.Channels != 2 || s.SampleRate != 44100 || s.PadIndex != tt.padIndex ||
				s.DataOffset != 512 || s.Frames() != tt.frames {
				t.Fatalf("parsed %+v (frames %d)", *s, s.Frames())
			}
			if SXSampleSize(int64(s.Frames()), s.Channels) != int64(len(in)) {
				t.Error("SXSampleSize disagrees with the file length")
			}
			var out bytes.Buffer
			if err := WriteRLNDWAV(&out, s.PadIndex, s.Channels, s.PCM); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), in) {
				t.Fatalf("rewrite differs: %s", firstDiff(out.Bytes(), in))
			}
		})
	}
}

func TestRLNDAIFFHasSpecLayoutAndRoundTrips(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	for _, channels := range []int{1, 2} {
		pcm := randomPCM(r, 1000*channels)
		var buf bytes.Buffer
		if err := WriteRLNDAIFF(&buf, 42, channels, pcm); err != nil {
			t.Fatal(err)
		}
		b := buf.Bytes()
		be := binary.BigEndian
		// The COMM rate for 44100 Hz as printed in the [TD] notes.
		if got, want := b[28:38], unhex(t, "400eac44000000000000"); !bytes.Equal(got, want) {
			t.Errorf("COMM rate % x, want % x", got, want)
		}
		if string(b[38:42]) != "APPL" || be.Uint32(b[42:]) != 0x1C2 || string(b[46:50]) != "RLND" || string(b[50:58]) != "roifspsx" {
			t.Errorf("APPL chunk header % x", b[38:58])
		}
		if string(b[496:500]) != "SSND" || be.Uint32(b[4:])+8 != uint32(len(b)) || len(b) != 512+2*len(pcm) {
			t.Errorf("SSND at 496 %q, FORM size %d, length %d", b[496:500], be.Uint32(b[4:]), len(b))
		}
		s, err := DecodeSXSample(b)
		if err != nil {
			t.Fatal(err)
		}
		want := &SXSample{Format: FormatAIFF, Channels: channels, SampleRate: 44100, PadIndex: 42, DataOffset: 512, PCM: pcm}
		if !reflect.DeepEqual(s, want) {
			t.Errorf("decoded %+v", s)
		}
	}
}

func TestRLNDWAVRoundTripsMono(t *testing.T) {
	pcm := randomPCM(rand.New(rand.NewPCG(15, 16)), 777)
	var buf bytes.Buffer
	if err := WriteRLNDWAV(&buf, 5, 1, pcm); err != nil {
		t.Fatal(err)
	}
	s, err := DecodeSXSample(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := &SXSample{Format: FormatWAVE, Channels: 1, SampleRate: 44100, PadIndex: 5, DataOffset: 512, PCM: pcm}
	if !reflect.DeepEqual(s, want) {
		t.Errorf("decoded %+v", s)
	}
}

func TestWriteRLNDRefusesBadArguments(t *testing.T) {
	var buf bytes.Buffer
	for name, err := range map[string]error{
		"pad 120":      WriteRLNDWAV(&buf, 120, 2, nil),
		"pad -1":       WriteRLNDAIFF(&buf, -1, 2, nil),
		"3 channels":   WriteRLNDWAV(&buf, 0, 3, nil),
		"half a frame": WriteRLNDAIFF(&buf, 0, 2, make([]int16, 3)),
	} {
		if err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func TestDecodeSXSampleRejectsMalformedFiles(t *testing.T) {
	var wav bytes.Buffer
	if err := WriteRLNDWAV(&wav, 3, 2, make([]int16, 100)); err != nil {
		t.Fatal(err)
	}
	good := wav.Bytes()
	tests := []struct {
		name string
		edit func([]byte) []byte
	}{
		{"not audio", func(b []byte) []byte { return []byte("hello, this is text") }},
		{"data chunk past end", func(b []byte) []byte { return b[:len(b)-10] }},
		{"float format", func(b []byte) []byte { b[20] = 3; return b }},
		{"24-bit", func(b []byte) []byte { b[34] = 24; return b }},
		{"bad device id", func(b []byte) []byte { b[46] = 'X'; return b }},
		{"pad index 200", func(b []byte) []byte { b[58] = 200; return b }},
		{"block align wrong", func(b []byte) []byte { b[32] = 3; return b }},
		{"no fmt chunk", func(b []byte) []byte { copy(b[12:], "junk"); return b }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := DecodeSXSample(tt.edit(bytes.Clone(good))); err == nil {
				t.Error("decoded without error")
			}
		})
	}
}

func TestExtendedFloatRoundTripsCommonRates(t *testing.T) {
	for _, rate := range []uint32{8000, 22050, 44100, 48000, 96000, 1} {
		var b [10]byte
		putExtended(b[:], rate)
		if got, ok := extendedToInt(b[:]); !ok || got != int(rate) {
			t.Errorf("rate %d decodes as %d, %v", rate, got, ok)
		}
	}
}
