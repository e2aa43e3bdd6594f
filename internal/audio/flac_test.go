package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"testing"
)

// FLAC is lossless: the decoded samples are the integers the generator wrote (Python's
// round(x·(2^(b-1)−1)) of sineOnset), give or take one step for libm differences in sin.
func TestFLACDecodesExactly(t *testing.T) {
	tests := []struct {
		file     string
		channels int
		frames   int
		bits     int
		bpm      float64
		key      string
		title    string
	}{
		{"sine_stereo16_tags.flac", 2, 12345, 16, 128, "F#m", "Flac Sine"}, // BPM, KEY
		{"sine_mono24.flac", 1, 4410, 24, 87.5, "Cm", ""},                  // TEMPO, INITIALKEY
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			buf, md, err := DecodeFile("testdata/" + tt.file)
			if err != nil {
				t.Fatal(err)
			}
			want := NewBuffer(44100, tt.channels, tt.frames)
			peak := float64(int64(1)<<(tt.bits-1)) - 1
			for c := range want.Data {
				for i := range want.Data[c] {
					x := sineOnset(i, 44100)
					if c == 1 {
						x *= 0.5
					}
					want.Data[c][i] = float32(math.RoundToEven(x*peak) / (peak + 1))
				}
			}
			equalBuffers(t, buf, want, 1.01/(peak+1))
			if md.Format != FormatFLAC || md.BitDepth != tt.bits || md.TempoBPM != tt.bpm || md.Key != tt.key || md.SourceTags["title"] != tt.title {
				t.Errorf("metadata %+v", md)
			}
		})
	}
}

// A FLAC cut mid-stream keeps the whole frames before the cut.
func TestFLACTruncated(t *testing.T) {
	b, err := os.ReadFile("testdata/sine_stereo16_tags.flac")
	if err != nil {
		t.Fatal(err)
	}
	audio := firstFLACFrame(t, b) // the flac tool writes 8 KB of PADDING before the frames
	buf, _, err := decodeBytes(t, b[:audio+(len(b)-audio)*6/10])
	if err != nil {
		t.Fatalf("truncated file: %v", err)
	}
	if buf.Frames() == 0 || buf.Frames() >= 12345 || buf.Frames()%4096 != 0 {
		t.Errorf("got %d frames, want whole 4096-frame blocks short of 12345", buf.Frames())
	}
}

func TestFLACMalformed(t *testing.T) {
	orig, err := os.ReadFile("testdata/sine_stereo16_tags.flac")
	if err != nil {
		t.Fatal(err)
	}
	zeroRate := bytes.Clone(orig)
	// STREAMINFO body starts at 8; the 20-bit sample rate starts at body byte 10.
	zeroRate[18], zeroRate[19], zeroRate[20] = 0, 0, zeroRate[20]&0x0F
	tests := map[string][]byte{
		"signature only":                []byte("fLaC"),
		"zero sample rate":              zeroRate,
		"streaminfo cut short":          orig[:20],
		"metadata but no audio frames":  orig[:firstFLACFrame(t, orig)],
		"frames replaced by zero bytes": append(bytes.Clone(orig[:firstFLACFrame(t, orig)]), make([]byte, 4096)...),
	}
	for name, b := range tests {
		t.Run(name, func(t *testing.T) {
			if _, _, err := decodeBytes(t, b); !errors.Is(err, ErrMalformed) {
				t.Errorf("got %v, want ErrMalformed", err)
			}
		})
	}
}

// firstFLACFrame returns the offset just after the last metadata block.
func firstFLACFrame(t testing.TB, b []byte) int {
	t.Helper()
	for p := 4; p+4 <= len(b); {
		last := b[p]&0x80 != 0
		p += 4 + int(binary.BigEndian.Uint32(b[p:])&0xFFFFFF)
		if last {
			return p
		}
	}
	t.Fatal("no last metadata block")
	return 0
}

func TestVorbisCommentBlockHostile(t *testing.T) {
	le := binary.LittleEndian
	good := le.AppendUint32(nil, 3)
	good = append(good, "vnd"...)
	good = le.AppendUint32(good, 0xFFFFFFFF) // claims 4 billion comments
	good = le.AppendUint32(good, 7)
	good = append(good, "BPM=120"...)
	good = le.AppendUint32(good, 0x7FFFFFFF) // runs past the end
	good = append(good, "KEY=A"...)
	got := parseVorbisCommentBlock(good)
	if len(got) != 1 || got[0] != "BPM=120" {
		t.Errorf("got %q", got)
	}
	for _, b := range [][]byte{nil, {1, 2}, le.AppendUint32(nil, 0xFFFFFFFF)} {
		if got := parseVorbisCommentBlock(b); got != nil {
			t.Errorf("%v: got %q", b, got)
		}
	}
}

// mutate flips a few bytes of b, deterministically per seed.
func mutate(b []byte, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	m := bytes.Clone(b)
	for range 1 + rng.IntN(8) {
		i := rng.IntN(len(m))
		m[i] = byte(rng.Uint32())
	}
	if rng.IntN(4) == 0 {
		m = m[:rng.IntN(len(m))]
	}
	return m
}

// Corrupted streams, the kind uploads deliver, end in a decode or an error, never a panic; a
// panic inside a codec library is recovered into ErrMalformed by the wrappers.
func TestCorruptedCodecStreamsNeverPanic(t *testing.T) {
	files := []string{"sine_stereo16_tags.flac", "sine_mono24.flac", "sine_stereo_tags.ogg", "gapless_stereo_vbr_id3v23.mp3", "gapless_mono_cbr64.mp3"}
	n := 25
	if testing.Short() {
		n = 10
	}
	for _, f := range files {
		orig, err := os.ReadFile("testdata/" + f)
		if err != nil {
			t.Fatal(err)
		}
		for seed := range uint64(n) {
			b := mutate(orig, seed)
			buf, _, err := decodeBytes(t, b)
			switch {
			case err == nil:
				if verr := buf.Validate(); verr != nil {
					t.Errorf("%s seed %d: invalid buffer: %v", f, seed, verr)
				}
			case !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupportedFormat) && !errors.Is(err, ErrTooLarge):
				t.Errorf("%s seed %d: unclassified error %v", f, seed, err)
			}
		}
	}
}

// The fuzz seeds made by mewkiz/flac's encoder decode, comments included; the samples were
// scaled to an eighth of full scale so they fit the fixed predictors' residual range.
func TestEncoderMadeFLACSeedsDecode(t *testing.T) {
	for _, tt := range []struct{ ch, bits, frames int }{{1, 16, 300}, {2, 24, 200}} {
		buf, md := mustDecode(t, smallFLAC(t, tt.ch, tt.bits, tt.frames))
		want := gridBuffer(uint64(tt.frames), 44100, tt.ch, tt.frames, tt.bits)
		for _, c := range want.Data {
			for i := range c {
				full := float64(int64(1) << (tt.bits - 1))
				c[i] = float32(float64(int32(float64(c[i])*full/8)) / full)
			}
		}
		equalBuffers(t, buf, want, 0)
		if md.TempoBPM != 120 || md.Key != "Am" || md.BitDepth != tt.bits {
			t.Errorf("metadata %+v", md)
		}
	}
}

// A STREAMINFO claiming 2^36 samples over 8 channels reserves a bounded capacity, not 2 TB.
func TestFLACLyingStreamInfoStaysBounded(t *testing.T) {
	b := smallFLAC(t, 1, 16, 300)
	si := b[8:42]
	si[12] = si[12]&^0x0E | 7<<1 // channels − 1 = 7
	si[13] |= 0x0F               // top 4 bits of the 36-bit sample count
	si[14], si[15], si[16], si[17] = 0xFF, 0xFF, 0xFF, 0xFF
	var before, after runtimeStats
	before.read()
	_, _, err := decodeBytes(t, b)
	after.read()
	if !errors.Is(err, ErrMalformed) {
		t.Errorf("8-channel claim over mono frames: got %v, want ErrMalformed", err)
	}
	if grew := after.totalAlloc - before.totalAlloc; grew > 4<<20 {
		t.Errorf("allocated %d bytes for a %d-byte file", grew, len(b))
	}
}
