package audio

import (
	"errors"
	"math"
	"os"
	"testing"
)

// Vorbis is lossy: the check is that the length is exact (the granule position trims the last
// page), the sine sits where it was written, and the error is small relative to its 0.4 peak.
func TestOggDecode(t *testing.T) {
	buf, md, err := DecodeFile("testdata/sine_stereo_tags.ogg")
	if err != nil {
		t.Fatal(err)
	}
	if buf.Frames() != 12345 || buf.Channels() != 2 || buf.SampleRate != 44100 {
		t.Fatalf("got %d frames × %d ch at %d Hz", buf.Frames(), buf.Channels(), buf.SampleRate)
	}
	if lag := bestLag(buf.Data[0], 44100, 64); lag != 0 {
		t.Errorf("audio displaced by %d frames", lag)
	}
	var errSum, sigSum float64
	for i, v := range buf.Data[0] {
		d := float64(v) - sineOnset(i, 44100)
		errSum += d * d
		sigSum += sineOnset(i, 44100) * sineOnset(i, 44100)
	}
	if snr := 10 * math.Log10(sigSum/errSum); snr < 20 {
		t.Errorf("SNR %.1f dB, want ≥ 20 dB for a pure tone at q0", snr)
	}
	if md.Format != FormatOGG || md.TempoBPM != 140 || md.Key != "Dm" || md.SourceTags["title"] != "Ogg Sine" {
		t.Errorf("metadata %+v", md)
	}
}

func TestOggMalformed(t *testing.T) {
	orig, err := os.ReadFile("testdata/sine_stereo_tags.ogg")
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string][]byte{
		"first page only":      orig[:58+7],
		"identification cut":   orig[:40],
		"headers but no audio": orig[:200],
	}
	for name, b := range tests {
		t.Run(name, func(t *testing.T) {
			if _, _, err := decodeBytes(t, b); !errors.Is(err, ErrMalformed) {
				t.Errorf("got %v, want ErrMalformed", err)
			}
		})
	}
}

func TestApplyVorbisComments(t *testing.T) {
	md := newMetadata()
	applyVorbisComments([]string{"tempo=96.5", "BPM=120", "initialkey=Ebm", "KEY=C", "title=Loop", "noequals", "ARTIST=", "GENRE=Soul"}, &md)
	if md.TempoBPM != 96.5 || md.Key != "Ebm" || md.SourceTags["title"] != "Loop" || md.SourceTags["genre"] != "Soul" {
		t.Errorf("got %+v", md)
	}
	if _, ok := md.SourceTags["artist"]; ok {
		t.Error("empty ARTIST stored")
	}
}
