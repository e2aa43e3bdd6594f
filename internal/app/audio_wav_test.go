package app_test

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"

	"github.com/sp404agent/sp404agent/internal/audio"
	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// ?as=wav serves a sample decoded to WAV (for browsers that cannot play AIFF), with ranges, and
// the same sound as the stored file.
func TestAudioAsWAVForBrowsersThatCannotPlayTheFile(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		s := startApp(t, target, nil)
		src, _, err := audio.Decode(bytes.NewReader(toneWAV(t, 0.5, 220, 2)))
		if err != nil {
			t.Fatal(err)
		}
		var aiff bytes.Buffer
		if err := audio.EncodeAIFF(&aiff, src, audio.PCM24); err != nil {
			t.Fatal(err)
		}
		r := s.upload(part{"file", "Pad.aif", aiff.Bytes()})
		if r.status != http.StatusCreated {
			t.Fatalf("upload = %d %s", r.status, r.body)
		}
		var added struct{ Items []sampleJSON }
		if r.json(t, &added); len(added.Items) != 1 {
			t.Fatalf("upload answer %s", r.body)
		}
		path := fmt.Sprintf("/api/v1/samples/%d/audio", added.Items[0].ID)
		if r := s.do("GET", path, nil, nil); r.header.Get("Content-Type") != "audio/aiff" || !bytes.Equal(r.body, aiff.Bytes()) {
			t.Fatalf("original = %d %s", r.status, r.header.Get("Content-Type"))
		}
		r = s.do("GET", path+"?as=wav", nil, nil)
		if r.status != 200 || r.header.Get("Content-Type") != "audio/wav" {
			t.Fatalf("as wav = %d %s %s", r.status, r.header.Get("Content-Type"), r.body)
		}
		got, meta, err := audio.Decode(bytes.NewReader(r.body))
		if err != nil || meta.Format != audio.FormatWAV || got.Frames() != src.Frames() || got.Channels() != 2 || got.SampleRate != src.SampleRate {
			t.Fatalf("decoded WAV: %v %+v", err, meta)
		}
		for c := range src.Data {
			for i, v := range src.Data[c] {
				if d := got.Data[c][i] - v; d > 1e-6 || d < -1e-6 {
					t.Fatalf("channel %d frame %d: %v, want %v", c, i, got.Data[c][i], v)
				}
			}
		}
		part := s.do("GET", path+"?as=wav", nil, map[string]string{"Range": "bytes=0-11"})
		if part.status != http.StatusPartialContent || !bytes.Equal(part.body, r.body[:12]) {
			t.Fatalf("range of the WAV = %d %q", part.status, part.body)
		}
		if r := s.do("GET", "/api/v1/samples/999/audio?as=wav", nil, nil); r.status != http.StatusNotFound {
			t.Fatalf("unknown sample as wav = %d", r.status)
		}
	})
}
