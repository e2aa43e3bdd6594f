package audio

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every file in testdata/decode has a stated outcome; a new fixture without one fails the test
// so it cannot be added silently.
func TestDecodeFixtures(t *testing.T) {
	tests := map[string]struct {
		err      error // nil: decodes
		frames   int
		channels int
	}{
		// RIFF claims 23 MB; fmt + LIST/INFO with odd-sized entries, but no data chunk.
		"ODD-CHUNK-LIST-INFO.bin": {err: ErrMalformed},
		// "RIFD" instead of "RIFF".
		"bad_header_riff.wav": {err: ErrUnsupportedFormat},
		// "WAVF" instead of "WAVE".
		"bad_header_wave.wav": {err: ErrUnsupportedFormat},
		// A 29-byte JUNK chunk (pad byte follows), then fmt (24-bit stereo), then the file ends.
		"odd_junk_size.wav": {err: ErrMalformed},
		"pluck-alaw.aifc":   {frames: 3307, channels: 2},
		"pluck-pcm16.aiff":  {frames: 3307, channels: 2},
	}
	files, err := filepath.Glob("testdata/decode/*")
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, path := range files {
		name := filepath.Base(path)
		if strings.HasPrefix(name, "LICENSE") {
			continue
		}
		seen++
		want, ok := tests[name]
		if !ok {
			t.Errorf("%s: no expected outcome in this table", name)
			continue
		}
		t.Run(name, func(t *testing.T) {
			buf, _, err := DecodeFile(path)
			if want.err != nil {
				if !errors.Is(err, want.err) {
					t.Fatalf("got %v, want %v", err, want.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if buf.Frames() != want.frames || buf.Channels() != want.channels {
				t.Errorf("got %d frames × %d ch, want %d × %d", buf.Frames(), buf.Channels(), want.frames, want.channels)
			}
		})
	}
	if seen != len(tests) {
		t.Errorf("table lists %d fixtures, directory holds %d", len(tests), seen)
	}
}

// With a data chunk appended, the odd-chunk fixtures decode, proving the walker kept its place
// across the odd sizes and pad bytes before it.
func TestDecodeFixturesWithDataAppended(t *testing.T) {
	t.Run("ODD-CHUNK-LIST-INFO", func(t *testing.T) {
		b, err := os.ReadFile("testdata/decode/ODD-CHUNK-LIST-INFO.bin")
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, riffChunk("data", []byte{0, 0x40, 0, 0xC0})...)
		buf, md := mustDecode(t, b)
		if buf.Frames() != 1 || buf.Channels() != 2 || buf.Data[0][0] != 0.5 || buf.Data[1][0] != -0.5 {
			t.Errorf("audio: %v", buf.Data)
		}
		want := map[string]string{
			"artist":   "SwuM",
			"title":    "Praise The Lawd",
			"genre":    "冬冬",
			"date":     "20181127",
			"software": "Lavf57.40.101",
		}
		for k, v := range want {
			if md.SourceTags[k] != v {
				t.Errorf("tag %q = %q, want %q", k, md.SourceTags[k], v)
			}
		}
		if !strings.HasPrefix(md.SourceTags["comment"], "Free DL:") || !strings.HasSuffix(md.SourceTags["comment"], "Gangster Doodle") {
			t.Errorf("comment %q", md.SourceTags["comment"])
		}
	})
	t.Run("odd_junk_size", func(t *testing.T) {
		b, err := os.ReadFile("testdata/decode/odd_junk_size.wav")
		if err != nil {
			t.Fatal(err)
		}
		b = append(b, riffChunk("data", []byte{0, 0, 0x40, 0, 0, 0xC0})...)
		buf, md := mustDecode(t, b)
		if buf.SampleRate != 44100 || md.BitDepth != 24 || buf.Frames() != 1 || buf.Data[0][0] != 0.5 || buf.Data[1][0] != -0.5 {
			t.Errorf("got %d Hz %d bits %v", buf.SampleRate, md.BitDepth, buf.Data)
		}
	})
}
