package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/mewkiz/flac"
	"github.com/mewkiz/flac/frame"
	"github.com/mewkiz/flac/meta"
)

// fuzzLimits keeps each fuzz execution small: a hostile stream may legitimately expand (FLAC
// constant blocks), and the limit is what stops it.
var fuzzLimits = limits{maxFrames: 1 << 18}

// maxSeed bounds seed size. The fuzzer minimises every input that finds new coverage, and
// with codec decodes costing milliseconds a multi-kilobyte seed keeps the workers minimising
// instead of exploring.
const maxSeed = 2048

// addFixtureSeeds adds the first maxSeed bytes of committed files, and hand-built inputs, to
// a fuzz corpus.
func addFixtureSeeds(f *testing.F, paths []string, extra ...[]byte) {
	f.Helper()
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), maxSeed)])
	}
	for _, b := range extra {
		f.Add(b)
	}
}

// checkDecoded is the property every decoder keeps: a decode either succeeds with a valid
// buffer within the limit or fails with one of the package's classified errors.
func checkDecoded(t *testing.T, buf *Buffer, err error) {
	t.Helper()
	if err != nil {
		if !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrUnsupportedFormat) && !errors.Is(err, ErrTooLarge) {
			t.Fatalf("unclassified error: %v", err)
		}
		return
	}
	if verr := buf.Validate(); verr != nil {
		t.Fatalf("invalid buffer: %v", verr)
	}
	if int64(buf.Frames()) > fuzzLimits.maxFrames {
		t.Fatalf("%d frames exceed the limit", buf.Frames())
	}
}

func hasPrefix(b []byte, s string) bool { return bytes.HasPrefix(b, []byte(s)) }

// smallFLAC encodes a short noise burst with mewkiz/flac's encoder, fixed predictors on.
func smallFLAC(f testing.TB, channels, bits, frames int) []byte {
	f.Helper()
	var w bytes.Buffer
	info := &meta.StreamInfo{BlockSizeMin: 16, BlockSizeMax: 4096, SampleRate: 44100, NChannels: uint8(channels), BitsPerSample: uint8(bits)}
	enc, err := flac.NewEncoder(&w, info)
	if err != nil {
		f.Fatal(err)
	}
	enc.EnablePredictionAnalysis(true)
	src := gridBuffer(uint64(frames), 44100, channels, frames, bits)
	fr := &frame.Frame{Header: frame.Header{HasFixedBlockSize: false, BlockSize: uint16(frames), SampleRate: 44100, BitsPerSample: uint8(bits)}}
	fr.Channels = frame.ChannelsMono
	if channels == 2 {
		fr.Channels = frame.ChannelsLR
	}
	for _, ch := range src.Data {
		s := make([]int32, frames)
		for i := range s {
			s[i] = int32(float64(ch[i]) * float64(int64(1)<<(bits-1)) / 8)
		}
		fr.Subframes = append(fr.Subframes, &frame.Subframe{SubHeader: frame.SubHeader{Pred: frame.PredVerbatim}, Samples: s, NSamples: frames})
	}
	if err := enc.WriteFrame(fr); err != nil {
		f.Fatal(err)
	}
	if err := enc.Close(); err != nil {
		f.Fatal(err)
	}
	// Rebuild the metadata as STREAMINFO plus a Vorbis comment block marked last, replacing
	// whatever blocks the encoder wrote.
	le := binary.LittleEndian
	body := le.AppendUint32(nil, 4)
	body = append(body, "seed"...)
	body = le.AppendUint32(body, 2)
	for _, c := range []string{"BPM=120", "KEY=Am"} {
		body = le.AppendUint32(body, uint32(len(c)))
		body = append(body, c...)
	}
	b := w.Bytes()
	out := append([]byte(nil), b[:42]...)
	out[4] &^= 0x80
	out = append(out, 0x80|flacVorbisComment, 0, byte(len(body)>>8), byte(len(body)))
	out = append(out, body...)
	return append(out, b[firstFLACFrame(f, b):]...)
}

func section(b []byte) *io.SectionReader {
	return io.NewSectionReader(bytes.NewReader(b), 0, int64(len(b)))
}

func FuzzDecodeWAV(f *testing.F) {
	var enc bytes.Buffer
	if err := EncodeWAV(&enc, gridBuffer(1, 8000, 2, 16, 24), PCM24); err != nil {
		f.Fatal(err)
	}
	addFixtureSeeds(f, []string{
		"testdata/sp404sx/J0000012.WAV",
		"testdata/decode/ODD-CHUNK-LIST-INFO.bin",
		"testdata/decode/odd_junk_size.wav",
	}, enc.Bytes(),
		wavBytes(riffChunk("fmt ", fmtExtensible(3, 1, 8000, 32, 32)), riffChunk("data", make([]byte, 8))),
		wavBytes(riffChunk("fmt ", fmtPCM(1, 1, 8000, 8)), riffChunkSized("data", 0xFFFFFFFF, []byte{1, 2, 3})),
	)
	f.Fuzz(func(t *testing.T, b []byte) {
		buf, _, err := decodeWAV(section(b), fuzzLimits)
		checkDecoded(t, buf, err)
		if err == nil && buf.SampleRate < 1 {
			t.Fatalf("sample rate %d", buf.SampleRate)
		}
	})
}

func FuzzDecodeAIFF(f *testing.F) {
	var enc bytes.Buffer
	if err := EncodeAIFF(&enc, gridBuffer(1, 8000, 2, 16, 0), Float32); err != nil {
		f.Fatal(err)
	}
	addFixtureSeeds(f, []string{"testdata/decode/pluck-alaw.aifc", "testdata/decode/pluck-pcm16.aiff"}, enc.Bytes(),
		aiffBytes("AIFC", iffChunk("COMM", commBody(1, 2, 16, 8000, "sowt")), iffChunk("SSND", ssndBody([]byte{1, 2, 3, 4}))),
	)
	f.Fuzz(func(t *testing.T, b []byte) {
		buf, _, err := decodeAIFF(section(b), fuzzLimits)
		checkDecoded(t, buf, err)
	})
}

func FuzzDecodeMP3(f *testing.F) {
	addFixtureSeeds(f, []string{"testdata/gapless_mono_cbr64.mp3", "testdata/gapless_stereo_vbr_id3v23.mp3",
		"testdata/gapless_stereo_id3v24.mp3", "testdata/mp3/mpeg2_16k_stereo_48.mp3", "testdata/mp3/mpeg1_32k_mono_64.mp3"})
	f.Fuzz(func(t *testing.T, b []byte) {
		buf, md, err := decodeMP3(section(b), fuzzLimits)
		// The Layer III decoder is ours; only go-mp3, the fallback, has its panics classified.
		if err != nil && strings.Contains(err.Error(), "mp3: decoder panic") {
			t.Fatal(err)
		}
		checkDecoded(t, buf, err)
		if err == nil && (md.TempoBPM < 0 || md.TempoBPM >= 1000) {
			t.Fatalf("tempo %v", md.TempoBPM)
		}
	})
}

func FuzzDecodeFLAC(f *testing.F) {
	// The committed FLACs carry 8 KB of padding; small encoder-made streams reach the frames.
	addFixtureSeeds(f, []string{"testdata/flac/mono16_block100.flac", "testdata/flac/six16.flac"},
		smallFLAC(f, 1, 16, 300), smallFLAC(f, 2, 24, 200))
	f.Fuzz(func(t *testing.T, b []byte) {
		buf, _, err := decodeFLAC(section(b), fuzzLimits)
		// The decoder is ours: a panic is a bug to fix, not input to classify.
		if err != nil && strings.Contains(err.Error(), "decoder panic") {
			t.Fatal(err)
		}
		checkDecoded(t, buf, err)
	})
}

func FuzzDecodeOgg(f *testing.F) {
	// Vorbis setup headers alone are about 3.5 KB, so the whole small fixture is the seed.
	b, err := os.ReadFile("testdata/sine_stereo_tags.ogg")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		buf, _, err := decodeOgg(section(b), fuzzLimits)
		checkDecoded(t, buf, err)
	})
}

// FuzzDetect checks that detection never panics, agrees with the magic bytes it claims to have
// seen, and that Decode dispatches without panicking on whatever Detect accepts.
func FuzzDetect(f *testing.F) {
	for _, s := range []string{"RIFF\x00\x00\x00\x00WAVE", "FORM\x00\x00\x00\x00AIFC", "fLaC", "ID3\x04\x00\x00\x00\x00\x00\x00", "\xFF\xFB\x90\x64", "OggS"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		format, err := Detect(b)
		if err != nil {
			if !errors.Is(err, ErrUnsupportedFormat) {
				t.Fatalf("unclassified error: %v", err)
			}
			return
		}
		magic := map[Format][]string{
			FormatWAV: {"RIFF"}, FormatAIFF: {"FORM"}, FormatFLAC: {"fLaC"}, FormatOGG: {"OggS"},
			FormatMP3: {"ID3", "\xFF"},
		}
		ok := false
		for _, m := range magic[format] {
			ok = ok || hasPrefix(b, m)
		}
		if !ok {
			t.Fatalf("detected %s without its magic: % x", format, b[:min(len(b), 8)])
		}
		buf, _, err := Decoder{MaxFrames: fuzzLimits.maxFrames}.Decode(bytes.NewReader(b))
		checkDecoded(t, buf, err)
	})
}
