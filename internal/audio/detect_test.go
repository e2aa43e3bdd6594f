package audio

import (
	"errors"
	"os"
	"testing"
)

func TestDetect(t *testing.T) {
	mp3Frame := func(b1, b2, b3 byte) []byte {
		h, _ := parseMP3Header([]byte{0xFF, b1, b2, b3})
		f := make([]byte, h.frameSize*2)
		copy(f, []byte{0xFF, b1, b2, b3})
		copy(f[h.frameSize:], []byte{0xFF, b1, b2, b3})
		return f
	}
	oneFrameThenJunk := mp3Frame(0xFB, 0x90, 0x64)
	oneFrameThenJunk[len(oneFrameThenJunk)/2] = 0x00
	tests := []struct {
		name   string
		header []byte
		want   Format
	}{
		{"WAV", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), FormatWAV},
		{"AIFF", []byte("FORM\x00\x00\x00\x00AIFFCOMM"), FormatAIFF},
		{"AIFC", []byte("FORM\x00\x00\x00\x00AIFCFVER"), FormatAIFF},
		{"FLAC", []byte("fLaC\x00\x00\x00\x22"), FormatFLAC},
		{"Ogg Vorbis", append([]byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x1e"), "\x01vorbis"...), FormatOGG},
		{"ID3v2.3", []byte("ID3\x03\x00\x00\x00\x00\x01\x08"), FormatMP3},
		{"ID3v2.4", []byte("ID3\x04\x00\x00\x00\x00\x00\x55"), FormatMP3},
		{"MPEG-1 Layer III frames", mp3Frame(0xFB, 0x90, 0x64), FormatMP3},
		{"MPEG-2 Layer III frames", mp3Frame(0xF3, 0x80, 0xC4), FormatMP3},
		{"MPEG-1 frame header alone", []byte{0xFF, 0xFB, 0x90, 0x64}, FormatMP3},

		{"empty", nil, ""},
		{"RIFF but not WAVE", []byte("RIFF\x24\x00\x00\x00AVI LIST"), ""},
		{"RIFD", []byte("RIFD\x24\x00\x00\x00WAVE"), ""},
		{"FORM but 8SVX", []byte("FORM\x00\x00\x00\x008SVX"), ""},
		{"Ogg Opus", append([]byte("OggS\x00\x02\x00\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x01\x13"), "OpusHead"...), ""},
		{"ID3 text", []byte("ID3 is a tag format"), ""},
		{"Layer II frame", []byte{0xFF, 0xFD, 0x90, 0x64}, ""},
		{"bad bitrate index", []byte{0xFF, 0xFB, 0xF0, 0x64}, ""},
		{"free-format bitrate", []byte{0xFF, 0xFB, 0x00, 0x64}, ""},
		{"reserved sample rate", []byte{0xFF, 0xFB, 0x9C, 0x64}, ""},
		{"frame followed by junk", oneFrameThenJunk, ""},
		{"extension only: kick.wav text", []byte("this is not audio"), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Detect(tt.header)
			if tt.want == "" {
				if !errors.Is(err, ErrUnsupportedFormat) {
					t.Errorf("got %q, %v; want ErrUnsupportedFormat", got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// Detection ignores names: every committed fixture is recognised from its bytes alone.
func TestDetectFixtures(t *testing.T) {
	want := map[string]Format{
		"testdata/sp404sx/J0000012.WAV":           FormatWAV,
		"testdata/decode/pluck-alaw.aifc":         FormatAIFF,
		"testdata/decode/ODD-CHUNK-LIST-INFO.bin": FormatWAV,
		"testdata/gapless_mono_cbr64.mp3":         FormatMP3,
		"testdata/notag_mono_cbr64.mp3":           FormatMP3,
		"testdata/gapless_stereo_vbr_id3v23.mp3":  FormatMP3,
		"testdata/sine_stereo16_tags.flac":        FormatFLAC,
		"testdata/sine_stereo_tags.ogg":           FormatOGG,
	}
	for path, f := range want {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Detect(b[:min(len(b), DetectHeaderSize)])
		if err != nil || got != f {
			t.Errorf("%s: got %q, %v; want %q", path, got, err, f)
		}
	}
}
