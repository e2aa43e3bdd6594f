package audio

import (
	"encoding/binary"
	"errors"
	"math"
	"os"
	"testing"
)

func TestAIFFCompressionTypes(t *testing.T) {
	be := binary.BigEndian
	tests := []struct {
		name string
		form string
		comm []byte
		data []byte
		want []float32
	}{
		{"AIFF 8-bit is signed", "AIFF", commBody(1, 3, 8, 8000, ""), []byte{0x80, 0x00, 0x40}, []float32{-1, 0, 0.5}},
		{"AIFF 16-bit big-endian", "AIFF", commBody(1, 2, 16, 8000, ""), []byte{0x80, 0x00, 0x40, 0x00}, []float32{-1, 0.5}},
		{"AIFF 24-bit", "AIFF", commBody(1, 2, 24, 8000, ""), []byte{0xFF, 0xFF, 0xFF, 0x40, 0, 0}, []float32{-1.0 / 8388608, 0.5}},
		{"AIFF 32-bit", "AIFF", commBody(1, 1, 32, 8000, ""), be.AppendUint32(nil, 0xC0000000), []float32{-0.5}},
		{"AIFC NONE", "AIFC", commBody(1, 1, 16, 8000, "NONE"), []byte{0x20, 0x00}, []float32{0.25}},
		{"AIFC sowt is little-endian", "AIFC", commBody(1, 2, 16, 8000, "sowt"), []byte{0x00, 0x80, 0x00, 0x40}, []float32{-1, 0.5}},
		{"AIFC sowt 24-bit", "AIFC", commBody(1, 1, 24, 8000, "sowt"), []byte{0, 0, 0xC0}, []float32{-0.5}},
		{"AIFC fl32", "AIFC", commBody(1, 1, 32, 8000, "fl32"), be.AppendUint32(nil, math.Float32bits(-0.375)), []float32{-0.375}},
		{"AIFC FL32", "AIFC", commBody(1, 1, 32, 8000, "FL32"), be.AppendUint32(nil, math.Float32bits(1.5)), []float32{1.5}},
		{"AIFC fl64", "AIFC", commBody(1, 1, 64, 8000, "fl64"), be.AppendUint64(nil, math.Float64bits(0.125)), []float32{0.125}},
		{"AIFC FL64", "AIFC", commBody(1, 1, 64, 8000, "FL64"), be.AppendUint64(nil, math.Float64bits(-1)), []float32{-1}},
		{"AIFC alaw", "AIFC", commBody(1, 1, 16, 8000, "alaw"), []byte{0xAA}, []float32{32256.0 / 32768}},
		{"AIFC ALAW", "AIFC", commBody(1, 1, 8, 8000, "ALAW"), []byte{0xD5}, []float32{8.0 / 32768}},
		{"AIFC ulaw", "AIFC", commBody(1, 1, 16, 8000, "ulaw"), []byte{0x00}, []float32{-32124.0 / 32768}},
		{"AIFC ULAW", "AIFC", commBody(1, 1, 8, 8000, "ULAW"), []byte{0xFF}, []float32{0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf, _ := mustDecode(t, aiffBytes(tt.form, iffChunk("COMM", tt.comm), iffChunk("SSND", ssndBody(tt.data))))
			if buf.SampleRate != 8000 || len(buf.Data[0]) != len(tt.want) {
				t.Fatalf("got %d Hz, %d frames; want 8000, %d", buf.SampleRate, len(buf.Data[0]), len(tt.want))
			}
			for i, w := range tt.want {
				if buf.Data[0][i] != w {
					t.Errorf("sample %d: got %v, want %v", i, buf.Data[0][i], w)
				}
			}
		})
	}
}

// SSND before COMM, a non-zero SSND offset, and COMM's frame count shorter than SSND are all
// honoured; odd-sized text chunks are padded.
func TestAIFFLayout(t *testing.T) {
	ssnd := binary.BigEndian.AppendUint32(nil, 3)   // offset: 3 bytes of alignment padding
	ssnd = binary.BigEndian.AppendUint32(ssnd, 512) // block size, advisory
	ssnd = append(ssnd, 0xEE, 0xEE, 0xEE, 0x40, 0x00, 0x20, 0x00, 0x10, 0x00)
	file := aiffBytes("AIFF",
		iffChunk("SSND", ssnd),
		iffChunk("NAME", []byte("Pad")), // odd
		iffChunk("COMM", commBody(1, 2, 16, 48000, "")),
	)
	buf, md := mustDecode(t, file)
	if buf.SampleRate != 48000 || buf.Frames() != 2 || buf.Data[0][0] != 0.5 || buf.Data[0][1] != 0.25 {
		t.Errorf("got %d Hz %v", buf.SampleRate, buf.Data)
	}
	if md.SourceTags["title"] != "Pad" {
		t.Errorf("title %q", md.SourceTags["title"])
	}
}

func TestAIFFInstrumentMarkersAndRLND(t *testing.T) {
	be := binary.BigEndian
	mark := be.AppendUint16(nil, 2)
	mark = be.AppendUint16(mark, 1)
	mark = be.AppendUint32(mark, 100)
	mark = append(mark, 5, 's', 't', 'a', 'r', 't') // 1+5 = 6: even, no pad
	mark = be.AppendUint16(mark, 2)
	mark = be.AppendUint32(mark, 900)
	mark = append(mark, 3, 'e', 'n', 'd', 0) // 1+3 = 4: even... plus explicit pad below
	mark = mark[:len(mark)-1]
	inst := []byte{60, 0, 0, 127, 1, 127}
	inst = be.AppendUint16(inst, 0)
	inst = be.AppendUint16(inst, 1) // sustain loop: forward
	inst = be.AppendUint16(inst, 1)
	inst = be.AppendUint16(inst, 2)
	inst = append(inst, make([]byte, 6)...)
	appl := append([]byte("RLNDroifspsx\x00\x00\x00\x04"), 13)
	appl = append(appl, make([]byte, 434)...)
	file := aiffBytes("AIFF",
		iffChunk("COMM", commBody(2, 1, 16, 44100, "")),
		iffChunk("MARK", mark),
		iffChunk("INST", inst),
		iffChunk("APPL", appl),
		iffChunk("SSND", ssndBody(make([]byte, 4))),
	)
	_, md := mustDecode(t, file)
	if md.RootNote != 60 {
		t.Errorf("root note %d, want 60", md.RootNote)
	}
	if len(md.Loops) != 1 || md.Loops[0] != (Loop{Start: 100, End: 899}) {
		t.Errorf("loops %v, want [{100 899}]", md.Loops)
	}
	if md.RLNDPad != 13 {
		t.Errorf("RLND pad %d, want 13", md.RLNDPad)
	}
}

// The A-law fixture is the same 11025 Hz recording as the 16-bit one (COMM rate bytes
// 400C AC44…); G.711's 13-bit resolution keeps
// every sample within one A-law step (at most 1024/32768 for the loudest segment).
func TestAIFFFixturesAgree(t *testing.T) {
	read := func(name string) (*Buffer, Metadata) {
		b, err := os.ReadFile("testdata/decode/" + name)
		if err != nil {
			t.Fatal(err)
		}
		return mustDecode(t, b)
	}
	pcm, pmd := read("pluck-pcm16.aiff")
	alaw, amd := read("pluck-alaw.aifc")
	if pcm.Frames() != 3307 || pcm.Channels() != 2 || pcm.SampleRate != 11025 || pmd.BitDepth != 16 {
		t.Fatalf("pcm16: %d frames %d ch %d Hz %d bits", pcm.Frames(), pcm.Channels(), pcm.SampleRate, pmd.BitDepth)
	}
	if amd.BitDepth != 8 || pmd.SourceTags["artist"] != "Serhiy Storchaka" || amd.SourceTags["title"] != "Pluck" {
		t.Errorf("metadata: %+v / %+v", pmd, amd)
	}
	equalBuffers(t, alaw, pcm, 1024.0/32768)
}

func TestAIFFRejectsBadHeaders(t *testing.T) {
	ssnd := iffChunk("SSND", ssndBody(make([]byte, 8)))
	nanRate := commBody(1, 4, 16, 44100, "")
	copy(nanRate[8:], []byte{0x7F, 0xFF, 0xC0, 0, 0, 0, 0, 0, 0, 0})
	negRate := commBody(1, 4, 16, 44100, "")
	negRate[8] |= 0x80
	tests := []struct {
		name string
		file []byte
		want error
	}{
		{"zero channels", aiffBytes("AIFF", iffChunk("COMM", commBody(0, 4, 16, 44100, "")), ssnd), ErrMalformed},
		{"negative channels", aiffBytes("AIFF", iffChunk("COMM", commBody(0xFFFF, 4, 16, 44100, "")), ssnd), ErrMalformed},
		{"zero sample rate", aiffBytes("AIFF", iffChunk("COMM", commBody(1, 4, 16, 0, "")), ssnd), ErrMalformed},
		{"NaN sample rate", aiffBytes("AIFF", iffChunk("COMM", nanRate), ssnd), ErrMalformed},
		{"negative sample rate", aiffBytes("AIFF", iffChunk("COMM", negRate), ssnd), ErrMalformed},
		{"zero bits", aiffBytes("AIFF", iffChunk("COMM", commBody(1, 4, 0, 44100, "")), ssnd), ErrMalformed},
		{"48-bit", aiffBytes("AIFF", iffChunk("COMM", commBody(1, 4, 48, 44100, "")), ssnd), ErrMalformed},
		{"short COMM", aiffBytes("AIFF", iffChunk("COMM", make([]byte, 10)), ssnd), ErrMalformed},
		{"AIFC COMM without compression", aiffBytes("AIFC", iffChunk("COMM", commBody(1, 4, 16, 44100, "")), ssnd), ErrMalformed},
		{"IMA ADPCM", aiffBytes("AIFC", iffChunk("COMM", commBody(1, 4, 16, 44100, "ima4")), ssnd), ErrUnsupportedFormat},
		{"no COMM", aiffBytes("AIFF", ssnd), ErrMalformed},
		{"no SSND", aiffBytes("AIFF", iffChunk("COMM", commBody(1, 4, 16, 44100, ""))), ErrMalformed},
		{"short SSND", aiffBytes("AIFF", iffChunk("COMM", commBody(1, 4, 16, 44100, "")), iffChunk("SSND", []byte{0, 0})), ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := decodeBytes(t, tt.file); !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// COMM claiming 2^32-1 frames and SSND claiming 4 GB in a tiny file decode the bytes present.
func TestAIFFHostileSizesStayBounded(t *testing.T) {
	ssnd := append([]byte("SSND\xFF\xFF\xFF\xFF"), ssndBody([]byte{0x40, 0, 0x20, 0, 0x10})...)
	huge := binary.BigEndian.AppendUint32(nil, 0xFFFFFFFF) // SSND offset far past the end
	tests := map[string][]byte{
		"streaming SSND":    aiffBytes("AIFF", iffChunk("COMM", commBody(1, 0xFFFFFFFF, 16, 44100, "")), ssnd),
		"SSND offset 4 GB":  aiffBytes("AIFF", iffChunk("COMM", commBody(8, 0xFFFFFFFF, 32, 44100, "")), iffChunk("SSND", append(huge, make([]byte, 12)...))),
		"MARK claims 65535": aiffBytes("AIFF", iffChunk("COMM", commBody(1, 1, 16, 44100, "")), iffChunk("MARK", []byte{0xFF, 0xFF, 0, 1}), iffChunk("SSND", ssndBody([]byte{0, 0}))),
	}
	for name, file := range tests {
		t.Run(name, func(t *testing.T) {
			var before, after runtimeStats
			before.read()
			buf, _, err := decodeBytes(t, file)
			after.read()
			if grew := after.totalAlloc - before.totalAlloc; grew > 2<<20 {
				t.Errorf("allocated %d bytes for a %d-byte file", grew, len(file))
			}
			if name == "streaming SSND" && (err != nil || buf.Frames() != 2) {
				t.Errorf("streaming SSND: %v, want 2 frames (got %v)", err, buf)
			}
		})
	}
}
