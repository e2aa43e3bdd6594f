package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/mewkiz/flac"
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

// Our decoder agrees sample for sample with mewkiz/flac on streams from ffmpeg's encoder that
// cover every channel mode, fixed and LPC (up to order 32) predictors, escape-coded and
// wasted-bit subframes, constant subframes, 16 and 24 bits, coded block sizes and sample rates.
func TestFLACMatchesReference(t *testing.T) {
	files, err := filepath.Glob("testdata/flac/*.flac")
	if err != nil || len(files) < 10 {
		t.Fatalf("want the 10 streams of testdata/flac/make.sh, got %d (%v)", len(files), err)
	}
	files = append(files, "testdata/sine_stereo16_tags.flac", "testdata/sine_mono24.flac")
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			b, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got, md, err := decodeBytes(t, b)
			if err != nil {
				t.Fatal(err)
			}
			want, bits := referenceFLAC(t, b)
			equalBuffers(t, got, want, 0)
			if md.BitDepth != bits {
				t.Errorf("bit depth %d, want %d", md.BitDepth, bits)
			}
		})
	}
}

// referenceFLAC decodes b with mewkiz/flac.
func referenceFLAC(t testing.TB, b []byte) (*Buffer, int) {
	t.Helper()
	stream, err := flac.New(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	out := NewBuffer(int(stream.Info.SampleRate), int(stream.Info.NChannels), 0)
	for {
		f, err := stream.ParseNext()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		scale := 1 / float64(uint64(1)<<(f.BitsPerSample-1))
		for c, sub := range f.Subframes {
			for _, s := range sub.Samples[:f.BlockSize] {
				out.Data[c] = append(out.Data[c], float32(float64(s)*scale))
			}
		}
	}
	return out, int(stream.Info.BitsPerSample)
}

// bitWriter writes big-endian bit fields, for streams built by hand.
type bitWriter struct {
	b []byte
	n uint // bits used in the last byte
}

func (w *bitWriter) write(v uint64, k uint) {
	for i := int(k) - 1; i >= 0; i-- {
		if w.n == 0 {
			w.b = append(w.b, 0)
		}
		w.b[len(w.b)-1] |= byte(v>>uint(i)&1) << (7 - w.n)
		w.n = (w.n + 1) & 7
	}
}

// Escape-coded partitions (raw 12-bit and zero-bit ones), fixed predictors of order 0 and 1,
// the 5-bit Rice parameter method and a 12-bit sample size: what ffmpeg's encoder never writes.
func TestFLACHandBuiltFrames(t *testing.T) {
	const bits, block = 12, 16
	var raw [block]int32
	for i := range raw {
		raw[i] = int32(i*271%4096) - 2048 // the escaped half spans the 12-bit range
		if i >= block/2 {
			raw[i] = int32(i%7) - 3 // the Rice-coded half stays small
		}
	}
	stream := []byte("fLaC")
	si := make([]byte, 34)
	binary.BigEndian.PutUint16(si[0:], block)
	binary.BigEndian.PutUint16(si[2:], block)
	binary.BigEndian.PutUint64(si[10:], 44100<<44|uint64(bits-1)<<36|2*block)
	stream = append(stream, 0x80|flacStreamInfo, 0, 0, 34)
	stream = append(stream, si...)

	frame := func(number byte, subframe func(w *bitWriter)) {
		w := &bitWriter{}
		w.write(0x7FFC, 15)
		w.write(0, 1)
		w.write(6, 4) // block size in 8 bits after the number
		w.write(9, 4) // 44.1 kHz
		w.write(0, 4) // mono
		w.write(2, 3) // 12 bits
		w.write(0, 1)
		w.write(uint64(number), 8)
		w.write(block-1, 8)
		w.write(uint64(crc8(w.b)), 8)
		subframe(w)
		w.n = 0
		w.write(uint64(crc16(w.b)), 16)
		stream = append(stream, w.b...)
	}
	frame(0, func(w *bitWriter) {
		w.write(0, 1)
		w.write(8, 6) // fixed, order 0
		w.write(0, 1)
		w.write(0, 2) // 4-bit parameters
		w.write(1, 4) // two partitions of 8
		w.write(15, 4)
		w.write(bits, 5) // escaped: raw 12-bit residuals
		for _, v := range raw[:8] {
			w.write(uint64(v)&(1<<bits-1), bits)
		}
		const k = 2
		w.write(k, 4)
		for _, v := range raw[8:] {
			z := uint64(uint32(v<<1 ^ v>>31)) // zigzag
			w.write(1, uint(z>>k)+1)          // unary: z>>k zeros, then a one
			w.write(z&(1<<k-1), k)
		}
	})
	frame(1, func(w *bitWriter) {
		w.write(0, 1)
		w.write(9, 6) // fixed, order 1
		w.write(0, 1)
		w.write(uint64(1<<bits-777), bits) // warm-up: −777 in 12 bits
		w.write(1, 2)                      // 5-bit parameters
		w.write(0, 4)                      // one partition
		w.write(31, 5)
		w.write(0, 5) // escaped with zero bits: every residual is 0
	})

	got, md, err := decodeBytes(t, stream)
	if err != nil {
		t.Fatal(err)
	}
	want := NewBuffer(44100, 1, 2*block)
	for i := range block {
		want.Data[0][i] = float32(raw[i]) / (1 << (bits - 1))
		want.Data[0][block+i] = -777.0 / (1 << (bits - 1))
	}
	equalBuffers(t, got, want, 0)
	ref, _ := referenceFLAC(t, stream)
	equalBuffers(t, got, ref, 0)
	if md.BitDepth != bits {
		t.Errorf("bit depth %d", md.BitDepth)
	}
}

// The eight-bytes-at-a-time CRC-16 equals the bitwise definition, at every length and alignment.
func TestFLACCRC16(t *testing.T) {
	bitwise := func(b []byte) uint16 {
		var c uint16
		for _, x := range b {
			c ^= uint16(x) << 8
			for range 8 {
				if c&0x8000 != 0 {
					c = c<<1 ^ 0x8005
				} else {
					c <<= 1
				}
			}
		}
		return c
	}
	rng := rand.New(rand.NewPCG(3, 3))
	b := make([]byte, 100)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	for start := range 8 {
		for end := start; end <= len(b); end++ {
			if got, want := crc16(b[start:end]), bitwise(b[start:end]); got != want {
				t.Fatalf("crc16 of b[%d:%d] = %#04x, want %#04x", start, end, got, want)
			}
		}
	}
	// The check value of CRC-16/UMTS (FLAC's parameters) over "123456789".
	if got := crc16([]byte("123456789")); got != 0xFEE8 {
		t.Errorf("check value %#04x, want 0xfee8", got)
	}
}

// An ID3v1 tag some taggers append after the last frame is not audio, and not an error.
func TestFLACIgnoresBytesAfterTheLastSample(t *testing.T) {
	b, err := os.ReadFile("testdata/flac/stereo16_level5.flac")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := mustDecode(t, b)
	tag := append([]byte("TAG"), bytes.Repeat([]byte{0xAB}, 125)...)
	got, _ := mustDecode(t, append(bytes.Clone(b), tag...))
	equalBuffers(t, got, want, 0)
}

// A FLAC stream behind an ID3v2 tag (some taggers write one) decodes as FLAC.
func TestFLACBehindAnID3Tag(t *testing.T) {
	b, err := os.ReadFile("testdata/flac/stereo16_level5.flac")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := mustDecode(t, b)
	body := []byte("TBPM\x00\x00\x00\x04\x00\x00\x00120")
	tag := append([]byte{'I', 'D', '3', 3, 0, 0, 0, 0, 0, byte(len(body))}, body...)
	got, md := mustDecode(t, append(tag, b...))
	equalBuffers(t, got, want, 0)
	if md.Format != FormatFLAC {
		t.Errorf("format %q, want flac", md.Format)
	}
	// A tag followed by anything else is still MP3's to judge.
	if _, _, err := decodeBytes(t, append(tag, "not audio"...)); err == nil {
		t.Error("a tag before text decoded")
	}
}
