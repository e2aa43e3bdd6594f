package audio

import (
	"bytes"
	"errors"
	"math"
	"os"
	"testing"
)

// sineOnset is the signal every generated fixture encodes (see testdata/README.md): 1000 frames
// of silence, then a 440 Hz sine at 0.4 of full scale (the right channel at half that).
func sineOnset(i, rate int) float64 {
	if i < 1000 {
		return 0
	}
	return 0.4 * math.Sin(2*math.Pi*440*float64(i-1000)/float64(rate))
}

// bestLag finds the shift of ch against sineOnset (in frames, within ±maxLag) with the highest
// correlation, i.e. how far the decoded audio is displaced from the source.
func bestLag(ch []float32, rate, maxLag int) int {
	ref := make([]float64, 11000)
	for i := range ref {
		ref[i] = sineOnset(i, rate)
	}
	best, lag := math.Inf(-1), 0
	for l := -maxLag; l <= maxLag; l++ {
		s := 0.0
		for i := 1000; i < 11000; i++ {
			if j := i + l; j >= 0 && j < len(ch) {
				s += ref[i] * float64(ch[j])
			}
		}
		if s > best {
			best, lag = s, l
		}
	}
	return lag
}

// LAME's gapless rule (encoder delay + 529 from the start, padding from the end) recovers the
// source length exactly and puts the audio back at its original position. The sources are
// 12345 frames long, which is not a multiple of 1152, so padding is non-trivial.
func TestMP3GaplessLength(t *testing.T) {
	tests := []struct {
		file     string
		channels int
	}{
		{"gapless_mono_cbr64.mp3", 1},        // LAME CBR, Info tag
		{"gapless_stereo_vbr_id3v23.mp3", 2}, // LAME VBR, Xing tag, behind an ID3v2.3 tag
		{"gapless_stereo_id3v24.mp3", 2},     // ffmpeg/libmp3lame, Info tag, behind ID3v2.4
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			buf, md, err := DecodeFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if buf.Frames() != 12345 {
				t.Errorf("got %d frames, want exactly 12345", buf.Frames())
			}
			if buf.Channels() != tt.channels || buf.SampleRate != 44100 || md.Format != FormatMP3 {
				t.Errorf("got %d ch %d Hz %s", buf.Channels(), buf.SampleRate, md.Format)
			}
			if lag := bestLag(buf.Data[0], 44100, 64); lag != 0 {
				t.Errorf("audio displaced by %d frames after trimming", lag)
			}
		})
	}
}

// Without a LAME tag there is no encoder delay to trust, so every decoded frame is kept: 12
// MPEG-1 frames of 1152 samples, with the audio late by LAME's 576 + the decoder's 529.
func TestMP3WithoutTagIsNotTrimmed(t *testing.T) {
	buf, _, err := DecodeFile("testdata/notag_mono_cbr64.mp3")
	if err != nil {
		t.Fatal(err)
	}
	if buf.Frames() != 12*1152 || buf.Channels() != 1 {
		t.Errorf("got %d frames × %d ch, want %d × 1", buf.Frames(), buf.Channels(), 12*1152)
	}
	if lag := bestLag(buf.Data[0], 44100, 1200); lag != 576+529 {
		t.Errorf("lag %d, want %d", lag, 576+529)
	}
}

func TestMP3ID3TempoAndKey(t *testing.T) {
	tests := []struct {
		file  string
		bpm   float64
		key   string
		title string
	}{
		{"gapless_stereo_vbr_id3v23.mp3", 93, "Am", "Sine Loop"}, // v2.3, UTF-16 with BOM
		{"gapless_stereo_id3v24.mp3", 126, "F#m", "Four Tag"},    // v2.4, UTF-8
		{"gapless_mono_cbr64.mp3", 0, "", ""},                    // no ID3 tag
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			_, md, err := DecodeFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if md.TempoBPM != tt.bpm || md.Key != tt.key || md.SourceTags["title"] != tt.title {
				t.Errorf("got bpm %v key %q title %q, want %v %q %q", md.TempoBPM, md.Key, md.SourceTags["title"], tt.bpm, tt.key, tt.title)
			}
		})
	}
}

// id3Tag builds an ID3v2 tag of the given major version from raw frames.
func id3Tag(major byte, flags byte, body []byte) []byte {
	n := len(body)
	return append([]byte{'I', 'D', '3', major, 0, flags, byte(n >> 21 & 0x7F), byte(n >> 14 & 0x7F), byte(n >> 7 & 0x7F), byte(n & 0x7F)}, body...)
}

func id3Frame(major byte, id string, data []byte) []byte {
	n := len(data)
	switch major {
	case 2:
		return append(append([]byte(id), byte(n>>16), byte(n>>8), byte(n)), data...)
	case 3:
		return append(append([]byte(id), byte(n>>24), byte(n>>16), byte(n>>8), byte(n), 0, 0), data...)
	}
	return append(append([]byte(id), byte(n>>21&0x7F), byte(n>>14&0x7F), byte(n>>7&0x7F), byte(n&0x7F), 0, 0), data...)
}

// compressed sets the ID3v2.4 compression flag on a frame.
func compressed(frame []byte) []byte {
	frame[9] |= 0x08
	return frame
}

func TestParseID3v2(t *testing.T) {
	tests := []struct {
		name string
		tag  []byte
		bpm  float64
		key  string
		tags map[string]string
	}{
		{"v2.2 three-letter frames", id3Tag(2, 0, append(id3Frame(2, "TBP", []byte("\x00120")), id3Frame(2, "TKE", []byte("\x00Gm"))...)), 120, "Gm", nil},
		{"v2.3 Latin-1 and fractional BPM", id3Tag(3, 0, append(id3Frame(3, "TBPM", []byte("\x0089.5\x00")), id3Frame(3, "TPE1", []byte("\x00Bj\xf6rk"))...)), 89.5, "", map[string]string{"artist": "Björk"}},
		{"v2.3 UTF-16BE", id3Tag(3, 0, id3Frame(3, "TKEY", []byte("\x02\x00C\x00#"))), 0, "C#", nil},
		{"v2.4 multiple values keep the first", id3Tag(4, 0, id3Frame(4, "TKEY", []byte("\x03Dm\x00Fm"))), 0, "Dm", nil},
		{"v2.4 comment frame", id3Tag(4, 0, id3Frame(4, "COMM", []byte("\x03engdesc\x00sampled off tape"))), 0, "", map[string]string{"comment": "sampled off tape"}},
		// The frame size counts the real 7 bytes; unsynchronisation then inserts a 0x00 after 0xFF.
		{"v2.3 unsynchronised tag", id3Tag(3, 0x80, bytes.Replace(id3Frame(3, "TIT2", []byte("\x01\xFF\xFEH\x00i\x00")), []byte{0xFF}, []byte{0xFF, 0}, 1)), 0, "", map[string]string{"title": "Hi"}},
		{"v2.3 extended header skipped", id3Tag(3, 0x40, append([]byte{0, 0, 0, 6, 0, 0, 0, 0, 0, 0}, id3Frame(3, "TBPM", []byte("\x00100"))...)), 100, "", nil},
		{"v2.4 extended header skipped", id3Tag(4, 0x40, append([]byte{0, 0, 0, 6, 1, 0}, id3Frame(4, "TBPM", []byte("\x0375"))...)), 75, "", nil},
		{"nonsense BPM ignored", id3Tag(3, 0, id3Frame(3, "TBPM", []byte("\x00fast"))), 0, "", nil},
		{"absurd BPM ignored", id3Tag(3, 0, id3Frame(3, "TBPM", []byte("\x00100000"))), 0, "", nil},
		{"frame past the end stops parsing", id3Tag(3, 0, append(id3Frame(3, "TBPM", []byte("\x0090")), 'T', 'K', 'E', 'Y', 0x7F, 0, 0, 0, 0, 0)), 90, "", nil},
		{"padding ends the frames", id3Tag(3, 0, append(append(id3Frame(3, "TBPM", []byte("\x0090")), make([]byte, 20)...), id3Frame(3, "TKEY", []byte("\x00A"))...)), 90, "", nil},
		{"compressed frame skipped", id3Tag(4, 0, append(compressed(id3Frame(4, "TKEY", []byte("\x03A"))), id3Frame(4, "TBPM", []byte("\x0311"))...)), 11, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, ok := parseID3v2Header(tt.tag)
			if !ok {
				t.Fatal("header not recognised")
			}
			md := newMetadata()
			parseID3v2(h, tt.tag[10:], &md)
			if md.TempoBPM != tt.bpm || md.Key != tt.key {
				t.Errorf("bpm %v key %q, want %v %q", md.TempoBPM, md.Key, tt.bpm, tt.key)
			}
			for k, v := range tt.tags {
				if md.SourceTags[k] != v {
					t.Errorf("tag %q = %q, want %q", k, md.SourceTags[k], v)
				}
			}
		})
	}
}

func TestMP3Malformed(t *testing.T) {
	frame := []byte{0xFF, 0xFB, 0x90, 0x64}
	tests := map[string]struct {
		in   []byte
		want error
	}{
		"ID3 tag only":                 {id3Tag(3, 0, id3Frame(3, "TBPM", []byte("\x0090"))), ErrMalformed},
		"ID3 claims 256 MB":            {append([]byte("ID3\x03\x00\x00\x7F\x7F\x7F\x7F"), make([]byte, 100)...), ErrMalformed},
		"one frame header, no payload": {frame, ErrMalformed},
		// Detection wants a second frame header where the first frame ends.
		"frame header then zeros": {append(frame, make([]byte, 5000)...), ErrUnsupportedFormat},
		"ID3 then junk":           {append(id3Tag(3, 0, nil), bytes.Repeat([]byte("junk"), 3000)...), ErrUnsupportedFormat},
		"ID3 then ADTS AAC":       {append(id3Tag(4, 0, nil), bytes.Repeat([]byte{0xFF, 0xF1, 0x50, 0x80, 0x02, 0x1F, 0xFC}, 100)...), ErrUnsupportedFormat},
	}
	for name, tt := range tests {
		b := tt.in
		t.Run(name, func(t *testing.T) {
			var before, after runtimeStats
			before.read()
			buf, _, err := decodeBytes(t, b)
			after.read()
			if err == nil {
				// A decoder may legitimately find silence in zeros; it must be a valid buffer.
				if verr := buf.Validate(); verr != nil {
					t.Errorf("no error but invalid buffer: %v", verr)
				}
			} else if !errors.Is(err, tt.want) {
				t.Errorf("got %v, want %v", err, tt.want)
			}
			if grew := after.totalAlloc - before.totalAlloc; grew > 8<<20 {
				t.Errorf("allocated %d bytes for a %d-byte input", grew, len(b))
			}
		})
	}
}

func TestMP3FrameLimit(t *testing.T) {
	_, _, err := Decoder{MaxFrames: 5000}.DecodeFile("testdata/gapless_mono_cbr64.mp3")
	if !errors.Is(err, ErrTooLarge) {
		t.Errorf("got %v, want ErrTooLarge", err)
	}
}

// An ID3v1 trailer is not fed to the decoder. This one is filled with tiny but valid MPEG-2
// frame headers (8 kbit/s, 24 bytes a frame), which a decoder reading the trailer would turn
// into extra samples; the untrimmed file must keep exactly its 12 frames of 1152.
func TestMP3IgnoresID3v1Trailer(t *testing.T) {
	b, err := os.ReadFile("testdata/notag_mono_cbr64.mp3")
	if err != nil {
		t.Fatal(err)
	}
	tag := []byte("TAG")
	for len(tag)+24 <= 128 {
		tag = append(tag, 0xFF, 0xF3, 0x14, 0xC4)
		tag = append(tag, make([]byte, 20)...)
	}
	tag = append(tag, make([]byte, 128-len(tag))...)
	buf, _ := mustDecode(t, append(b, tag...))
	if buf.Frames() != 12*1152 {
		t.Errorf("got %d frames, want %d", buf.Frames(), 12*1152)
	}
}
