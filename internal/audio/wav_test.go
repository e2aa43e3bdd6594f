package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"os"
	"testing"
)

// Each sample format decodes to the documented full-scale mapping (see doc.go).
func TestWAVSampleFormats(t *testing.T) {
	le := binary.LittleEndian
	f32 := func(vs ...float32) []byte {
		var b []byte
		for _, v := range vs {
			b = le.AppendUint32(b, math.Float32bits(v))
		}
		return b
	}
	f64 := func(vs ...float64) []byte {
		var b []byte
		for _, v := range vs {
			b = le.AppendUint64(b, math.Float64bits(v))
		}
		return b
	}
	tests := []struct {
		name string
		fmt  []byte
		data []byte
		want []float32
		bits int
	}{
		{"8-bit is unsigned with 128 as zero", fmtPCM(1, 1, 8000, 8), []byte{0, 128, 255, 64}, []float32{-1, 0, 127.0 / 128, -0.5}, 8},
		{"16-bit", fmtPCM(1, 1, 8000, 16), []byte{0x00, 0x80, 0xFF, 0x7F, 0x00, 0x40}, []float32{-1, 32767.0 / 32768, 0.5}, 16},
		{"24-bit sign-extends", fmtPCM(1, 1, 8000, 24), []byte{0x00, 0x00, 0x80, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, []float32{-1, -1.0 / 8388608, 8388607.0 / 8388608}, 24},
		{"32-bit", fmtPCM(1, 1, 8000, 32), le.AppendUint32(le.AppendUint32(nil, 0x80000000), 0x40000000), []float32{-1, 0.5}, 32},
		{"float32 passes values beyond full scale", fmtPCM(3, 1, 8000, 32), f32(0.25, -1.5, 2), []float32{0.25, -1.5, 2}, 32},
		{"float64", fmtPCM(3, 1, 8000, 64), f64(0.125, -0.75), []float32{0.125, -0.75}, 64},
		{"extensible PCM 24 in 32-bit containers", fmtExtensible(1, 1, 8000, 32, 24), le.AppendUint32(nil, 0x40000000), []float32{0.5}, 24},
		{"extensible float", fmtExtensible(3, 1, 8000, 32, 32), f32(-0.5), []float32{-0.5}, 32},
		{"A-law", fmtPCM(6, 1, 8000, 8), []byte{0xD5, 0x55, 0xAA}, []float32{8.0 / 32768, -8.0 / 32768, 32256.0 / 32768}, 8},
		{"µ-law", fmtPCM(7, 1, 8000, 8), []byte{0xFF, 0x7F, 0x00}, []float32{0, 0, -32124.0 / 32768}, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			buf, md := mustDecode(t, wavBytes(riffChunk("fmt ", tt.fmt), riffChunk("data", tt.data)))
			if buf.SampleRate != 8000 || buf.Channels() != 1 {
				t.Fatalf("got %d Hz %d ch", buf.SampleRate, buf.Channels())
			}
			if len(buf.Data[0]) != len(tt.want) {
				t.Fatalf("got %d frames, want %d", len(buf.Data[0]), len(tt.want))
			}
			for i, w := range tt.want {
				if buf.Data[0][i] != w {
					t.Errorf("sample %d: got %v, want %v", i, buf.Data[0][i], w)
				}
			}
			if md.BitDepth != tt.bits {
				t.Errorf("bit depth %d, want %d", md.BitDepth, tt.bits)
			}
		})
	}
}

// Odd-sized chunks carry a pad byte, unknown chunks are skipped, and chunks after the data
// chunk (metadata at the end of the file) are still read.
func TestWAVChunkWalking(t *testing.T) {
	data := []byte{1, 0, 2, 0, 3, 0}
	file := wavBytes(
		riffChunk("JUNK", []byte{1, 2, 3}), // odd: pad byte follows
		riffChunk("fmt ", fmtPCM(1, 1, 22050, 16)),
		riffChunk("bext", make([]byte, 601)),
		riffChunk("data", data),
		riffChunk("zzzz", []byte{9}),
		riffChunk("RLND", append([]byte("roifspsx\x04\x00\x00\x00"), 7)),
	)
	buf, md := mustDecode(t, file)
	if buf.Frames() != 3 || buf.Data[0][2] != 3.0/32768 {
		t.Errorf("frames %d, last %v", buf.Frames(), buf.Data[0])
	}
	if md.RLNDPad != 7 {
		t.Errorf("RLND pad after data: got %d, want 7", md.RLNDPad)
	}
}

func TestWAVDataBeforeFmt(t *testing.T) {
	buf, _ := mustDecode(t, wavBytes(riffChunk("data", []byte{0, 0x40}), riffChunk("fmt ", fmtPCM(1, 1, 8000, 16))))
	if buf.Frames() != 1 || buf.Data[0][0] != 0.5 {
		t.Errorf("got %v", buf.Data)
	}
}

func TestWAVMetadataChunks(t *testing.T) {
	le := binary.LittleEndian
	acid := le.AppendUint32(nil, 0x01|0x02) // one-shot, root note valid
	acid = le.AppendUint16(acid, 57)        // A3
	acid = le.AppendUint16(acid, 0)
	acid = le.AppendUint32(acid, 0)
	acid = le.AppendUint32(acid, 8) // beats
	acid = le.AppendUint16(acid, 4)
	acid = le.AppendUint16(acid, 4)
	acid = le.AppendUint32(acid, math.Float32bits(92.5))

	smpl := make([]byte, 36)
	le.PutUint32(smpl[12:], 62) // unity note, overridden by acid's root
	le.PutUint32(smpl[28:], 2)  // two loops
	for _, l := range [][2]uint32{{100, 499}, {10, 20}} {
		loop := make([]byte, 24)
		le.PutUint32(loop[8:], l[0])
		le.PutUint32(loop[12:], l[1])
		smpl = append(smpl, loop...)
	}
	info := []byte("INFO")
	info = append(info, riffChunk("INAM", []byte("Dusty Break\x00"))...)
	info = append(info, riffChunk("IART", []byte("Crate\x00"))...) // odd: padded
	info = append(info, riffChunk("IGNR", []byte("Hip-Hop"))...)
	info = append(info, riffChunk("ICMT", []byte{'c', 'a', 'f', 0xE9, 0})...) // Latin-1
	info = append(info, riffChunk("IXYZ", []byte("custom"))...)

	file := wavBytes(
		riffChunk("fmt ", fmtPCM(1, 2, 44100, 16)),
		riffChunk("acid", acid),
		riffChunk("smpl", smpl),
		riffChunk("LIST", info),
		riffChunk("data", make([]byte, 8)),
	)
	_, md := mustDecode(t, file)
	if !md.OneShot || md.RootNote != 57 || md.Beats != 8 || md.TempoBPM != 92.5 {
		t.Errorf("acid: one-shot %v root %d beats %d tempo %v", md.OneShot, md.RootNote, md.Beats, md.TempoBPM)
	}
	if len(md.Loops) != 2 || md.Loops[0] != (Loop{100, 499}) || md.Loops[1] != (Loop{10, 20}) {
		t.Errorf("loops %v", md.Loops)
	}
	want := map[string]string{"title": "Dusty Break", "artist": "Crate", "genre": "Hip-Hop", "comment": "café", "ixyz": "custom"}
	for k, v := range want {
		if md.SourceTags[k] != v {
			t.Errorf("tag %q = %q, want %q", k, md.SourceTags[k], v)
		}
	}
	if md.RLNDPad != -1 {
		t.Errorf("RLND pad %d without an RLND chunk", md.RLNDPad)
	}
}

// Without an acid root note the smpl unity note is the root; without either, inst's.
func TestWAVRootNotePrecedence(t *testing.T) {
	smpl := make([]byte, 36)
	binary.LittleEndian.PutUint32(smpl[12:], 48)
	inst := []byte{40, 0, 0, 0, 127, 0, 127}
	base := [][]byte{riffChunk("fmt ", fmtPCM(1, 1, 8000, 16)), riffChunk("data", []byte{0, 0})}
	_, md := mustDecode(t, wavBytes(append(base, riffChunk("inst", inst), riffChunk("smpl", smpl))...))
	if md.RootNote != 48 {
		t.Errorf("smpl and inst: root %d, want smpl's 48", md.RootNote)
	}
	_, md = mustDecode(t, wavBytes(append(base, riffChunk("inst", inst))...))
	if md.RootNote != 40 {
		t.Errorf("inst only: root %d, want 40", md.RootNote)
	}
	_, md = mustDecode(t, wavBytes(base...))
	if md.RootNote != -1 || md.TempoBPM != 0 || md.OneShot {
		t.Errorf("no metadata: %+v", md)
	}
}

// The real SP-404SX file: 18-byte fmt, RLND pad index J12 = 119, data at byte 512.
func TestWAVRealSP404SXFile(t *testing.T) {
	b, err := os.ReadFile("testdata/sp404sx/J0000012.WAV")
	if err != nil {
		t.Fatal(err)
	}
	buf, md := mustDecode(t, b)
	if md.RLNDPad != 119 {
		t.Errorf("RLND pad %d, want 119 (J12)", md.RLNDPad)
	}
	wantFrames := (len(b) - 512) / 4
	if buf.SampleRate != 44100 || buf.Channels() != 2 || buf.Frames() != wantFrames || md.BitDepth != 16 {
		t.Errorf("got %d Hz %d ch %d frames %d bits, want 44100 2 %d 16", buf.SampleRate, buf.Channels(), buf.Frames(), md.BitDepth, wantFrames)
	}
	first := float32(int16(binary.LittleEndian.Uint16(b[512:]))) / 32768
	if buf.Data[0][0] != first {
		t.Errorf("first sample %v, want %v", buf.Data[0][0], first)
	}
}

func TestWAVRejectsBadHeaders(t *testing.T) {
	data := riffChunk("data", make([]byte, 16))
	tests := []struct {
		name string
		file []byte
		want error
	}{
		{"zero channels", wavBytes(riffChunk("fmt ", fmtPCM(1, 0, 44100, 16)), data), ErrMalformed},
		{"33 channels", wavBytes(riffChunk("fmt ", fmtPCM(1, 33, 44100, 16)), data), ErrMalformed},
		{"zero sample rate", wavBytes(riffChunk("fmt ", fmtPCM(1, 2, 0, 16)), data), ErrMalformed},
		{"absurd sample rate", wavBytes(riffChunk("fmt ", fmtPCM(1, 2, 0xFFFFFFFF, 16)), data), ErrMalformed},
		{"zero bits", wavBytes(riffChunk("fmt ", fmtPCM(1, 1, 44100, 0)), data), ErrMalformed},
		{"40-bit PCM", wavBytes(riffChunk("fmt ", fmtPCM(1, 1, 44100, 40)), data), ErrMalformed},
		{"16-bit float", wavBytes(riffChunk("fmt ", fmtPCM(3, 1, 44100, 16)), data), ErrMalformed},
		{"short fmt", wavBytes(riffChunk("fmt ", make([]byte, 12)), data), ErrMalformed},
		{"short extensible fmt", wavBytes(riffChunk("fmt ", fmtPCM(0xFFFE, 1, 44100, 16)), data), ErrMalformed},
		{"no fmt", wavBytes(data), ErrMalformed},
		{"no data", wavBytes(riffChunk("fmt ", fmtPCM(1, 1, 44100, 16))), ErrMalformed},
		{"ADPCM", wavBytes(riffChunk("fmt ", fmtPCM(2, 1, 44100, 4)), data), ErrUnsupportedFormat},
		{"MP3 in WAV", wavBytes(riffChunk("fmt ", fmtPCM(0x55, 1, 44100, 0)), data), ErrUnsupportedFormat},
		{"unknown sub-format GUID", wavBytes(riffChunk("fmt ", append(fmtExtensible(1, 1, 44100, 16, 16)[:39], 0x00)), data), ErrUnsupportedFormat},
		{"header only", []byte("RIFF\x04\x00\x00\x00WAVE"), ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := decodeBytes(t, tt.file)
			if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
		})
	}
}

// A data chunk claiming more than the file holds is decoded up to the last whole frame, as is
// the 0xFFFFFFFF placeholder of a streaming writer; nothing after it is read as a chunk.
func TestWAVTruncatedAndStreamingData(t *testing.T) {
	fmtc := riffChunk("fmt ", fmtPCM(1, 2, 44100, 16))
	pcm := []byte{1, 0, 2, 0, 3, 0, 4, 0, 5, 0} // 2.5 stereo frames
	for name, size := range map[string]uint32{"truncated": 1 << 30, "streaming": 0xFFFFFFFF} {
		t.Run(name, func(t *testing.T) {
			buf, _ := mustDecode(t, wavBytes(fmtc, riffChunkSized("data", size, pcm)))
			if buf.Frames() != 2 || buf.Data[1][1] != 4.0/32768 {
				t.Errorf("got %d frames %v", buf.Frames(), buf.Data)
			}
		})
	}
}

// The decoder's limits refuse large inputs before allocating for them.
func TestWAVLimits(t *testing.T) {
	file := wavBytes(riffChunk("fmt ", fmtPCM(1, 1, 8000, 16)), riffChunk("data", make([]byte, 2000)))
	_, _, err := Decoder{MaxFrames: 999}.Decode(bytes.NewReader(file))
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxFrames 999 for 1000 frames: got %v", err)
	}
	if _, _, err := (Decoder{MaxFrames: 1000}).Decode(bytes.NewReader(file)); err != nil {
		t.Errorf("MaxFrames 1000 for 1000 frames: %v", err)
	}
	_, _, err = Decoder{MaxBytes: int64(len(file) - 1)}.Decode(bytes.NewReader(file))
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("MaxBytes: got %v", err)
	}
}

// Hostile headers cost memory in proportion to the bytes really present, not to their claims.
func TestWAVHostileSizesStayBounded(t *testing.T) {
	fmtc := riffChunk("fmt ", fmtPCM(1, 8, 192000, 32))
	tests := map[string][]byte{
		"4 GB data in 1 KB":           wavBytes(fmtc, riffChunkSized("data", 0xFFFFFFF0, make([]byte, 1024))),
		"huge LIST":                   wavBytes(fmtc, riffChunkSized("LIST", 0xFFFFFFFF, []byte("INFO")), riffChunk("data", nil)),
		"huge smpl claims 2^32 loops": wavBytes(fmtc, riffChunk("smpl", append(make([]byte, 28), 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0)), riffChunk("data", make([]byte, 64))),
		"huge RIFF size":              append([]byte("RIFF\xFF\xFF\xFF\xFFWAVE"), append(fmtc, riffChunk("data", make([]byte, 64))...)...),
		"unknown chunk past the end":  wavBytes(fmtc, riffChunk("data", make([]byte, 64)), riffChunkSized("junk", 0xFFFFFFFF, nil)),
		"INFO entry past the end":     wavBytes(fmtc, riffChunk("LIST", append([]byte("INFOINAM\xFF\xFF\xFF\x7F"), "x"...)), riffChunk("data", make([]byte, 64))),
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
			if err == nil && buf.Frames() > len(file) {
				t.Errorf("%d frames from %d bytes", buf.Frames(), len(file))
			}
		})
	}
}

// A file of tiny chunks cannot make the walker loop: every step advances at least 8 bytes.
func TestWAVManyEmptyChunksTerminate(t *testing.T) {
	var chunks [][]byte
	chunks = append(chunks, riffChunk("fmt ", fmtPCM(1, 1, 8000, 16)))
	for range 10000 {
		chunks = append(chunks, riffChunk("zero", nil))
	}
	chunks = append(chunks, riffChunk("data", []byte{0, 0x20}))
	buf, _ := mustDecode(t, wavBytes(chunks...))
	if buf.Frames() != 1 || buf.Data[0][0] != 0.25 {
		t.Errorf("got %v", buf.Data)
	}
}
