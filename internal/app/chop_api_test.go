package app_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sp404agent/sp404agent/internal/audio"
	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// drumLoop renders two seconds at 48 kHz (the MKII's rate, so an export keeps every frame):
// eight decaying hits of different pitch on eighth notes at 120 BPM.
func drumLoop(t *testing.T) []byte {
	t.Helper()
	const rate = 48000
	buf := audio.NewBuffer(rate, 1, 2*rate)
	for i := range buf.Data[0] {
		x := float64(i) / rate
		hit := int(x * 4)
		dt := x - float64(hit)/4
		buf.Data[0][i] = float32(0.6 * math.Sin(2*math.Pi*float64(80+60*hit)*dt) * math.Exp(-dt*18))
	}
	var out bytes.Buffer
	if err := audio.EncodeWAV(&out, buf, audio.PCM16); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func decodeWAV(t *testing.T, data []byte) *audio.Buffer {
	t.Helper()
	buf, _, err := audio.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return buf
}

// blobExists reports whether the local blob store under dir holds the file of a content hash.
func blobExists(dir, hash string) bool {
	_, err := os.Stat(filepath.Join(dir, hash[0:2], hash[2:4], hash))
	return err == nil
}

func TestChopIntoSlicesOverTheAPI(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		blobs := t.TempDir()
		s := startApp(t, target, func(c *config.Config) { c.BlobURL = "file://" + blobs })
		wav := drumLoop(t)
		r := s.upload(part{"file", "break 120bpm.wav", wav}, part{"tags", "", []byte("breaks")})
		if r.status != http.StatusCreated {
			t.Fatalf("upload = %d %s", r.status, r.body)
		}
		var up struct{ Items []sampleJSON }
		r.json(t, &up)
		loopID := up.Items[0].ID
		s.waitAnalysed(loopID)
		var loop sampleJSON
		s.getJSON(fmt.Sprintf("/api/v1/samples/%d", loopID), &loop)
		if loop.Frames != 96000 || loop.SourceID != nil || loop.RegionStart != nil || loop.RegionEnd != nil {
			t.Fatalf("original = %+v", loop)
		}
		orig := decodeWAV(t, wav)

		var kit kitJSON
		s.sendJSON("POST", "/api/v1/kits", `{"name":"Chops","device":"mk2"}`).json(t, &kit)
		kitURL := fmt.Sprintf("/api/v1/kits/%d", kit.ID)
		chopURL := fmt.Sprintf("/api/v1/samples/%d/chop", loopID)
		total := func() int {
			var p pageJSON
			s.getJSON("/api/v1/samples?limit=100", &p)
			return p.Total
		}
		kitState := func() string {
			return string(s.do("GET", kitURL, nil, nil).body)
		}

		// Bad requests change nothing: no sample is made, no pad filled.
		beforeKit, beforeTotal := kitState(), total()
		for _, bad := range []struct {
			url, body string
			status    int
		}{
			{"/api/v1/samples/999999/chop", fmt.Sprintf(`{"mode":"equal","slices":4,"kit_id":%d,"bank":"A"}`, kit.ID), 404},
			{chopURL, fmt.Sprintf(`{"mode":"equal","slices":1,"kit_id":%d,"bank":"A"}`, kit.ID), 422},
			{chopURL, fmt.Sprintf(`{"mode":"equal","slices":17,"kit_id":%d,"bank":"A"}`, kit.ID), 422},
			{chopURL, fmt.Sprintf(`{"mode":"equal","slices":8,"kit_id":%d,"bank":"A","start_pad":12}`, kit.ID), 422},
			{chopURL, fmt.Sprintf(`{"mode":"equal","slices":4,"kit_id":%d,"bank":"K"}`, kit.ID), 422},
			{chopURL, `{"mode":"equal","slices":4,"kit_id":999999,"bank":"A"}`, 404},
		} {
			if r := s.sendJSON("POST", bad.url, bad.body); r.status != bad.status {
				t.Errorf("chop %s %s = %d %s, want %d", bad.url, bad.body, r.status, r.body, bad.status)
			}
		}
		if kitState() != beforeKit || total() != beforeTotal {
			t.Fatal("a refused chop changed the kit or the library")
		}

		// Four equal slices on B1–B4: four new samples that play the loop's quarters.
		r = s.sendJSON("POST", chopURL, fmt.Sprintf(`{"mode":"equal","slices":4,"kit_id":%d,"bank":"B"}`, kit.ID))
		if r.status != 200 {
			t.Fatalf("chop = %d %s", r.status, r.body)
		}
		var chopped kitJSON
		r.json(t, &chopped)
		if total() != beforeTotal+4 {
			t.Fatalf("library holds %d samples after the chop, want %d", total(), beforeTotal+4)
		}
		var cuts []sampleJSON
		var sum int64
		for i := 1; i <= 4; i++ {
			p := chopped.pad("B", i)
			if p == nil || p.SampleID == loopID || p.Settings.Gate != true || p.Settings.Level != 127 {
				t.Fatalf("pad B%d = %+v", i, p)
			}
			s.waitAnalysed(p.SampleID)
			var c sampleJSON
			s.getJSON(fmt.Sprintf("/api/v1/samples/%d", p.SampleID), &c)
			want := fmt.Sprintf("break 120bpm slice %02d.wav", i)
			if c.SourceID == nil || *c.SourceID != loopID || c.FileName != want || c.AnalysisState != "done" {
				t.Fatalf("slice %d = %+v, want %q of %d, analysed", i, c, want, loopID)
			}
			if *c.RegionStart != int64(i-1)*24000 || *c.RegionEnd != int64(i)*24000 || c.Frames != 24000 || c.DurationS != 0.5 {
				t.Fatalf("slice %d region %d–%d, %d frames, %g s", i, *c.RegionStart, *c.RegionEnd, c.Frames, c.DurationS)
			}
			if c.ContentHash == loop.ContentHash || p.SampleName != c.FileName {
				t.Fatalf("slice %d hash %s, pad name %q", i, c.ContentHash, p.SampleName)
			}
			sum += c.Frames
			cuts = append(cuts, c)
		}
		if sum != loop.Frames {
			t.Fatalf("slices hold %d frames, the loop %d", sum, loop.Frames)
		}

		// Auditioning a slice plays exactly its region of the original.
		for _, c := range cuts {
			r := s.do("GET", fmt.Sprintf("/api/v1/samples/%d/audio", c.ID), nil, nil)
			if r.status != 200 || r.header.Get("Content-Type") != "audio/wav" || r.header.Get("Content-Length") != fmt.Sprint(len(r.body)) {
				t.Fatalf("slice audio = %d %v", r.status, r.header)
			}
			got := decodeWAV(t, r.body)
			if got.SampleRate != 48000 || got.Channels() != 1 || int64(got.Frames()) != c.Frames {
				t.Fatalf("slice %d audio: %d Hz, %d channels, %d frames", c.ID, got.SampleRate, got.Channels(), got.Frames())
			}
			for i, v := range got.Data[0] {
				if w := orig.Data[0][*c.RegionStart+int64(i)]; v != w {
					t.Fatalf("slice %d frame %d = %g, the original's frame %d = %g", c.ID, i, v, *c.RegionStart+int64(i), w)
				}
			}
			// Ranges and validators work as for a stored file.
			part := s.do("GET", fmt.Sprintf("/api/v1/samples/%d/audio", c.ID), nil, map[string]string{"Range": "bytes=0-99"})
			if part.status != http.StatusPartialContent || !bytes.Equal(part.body, r.body[:100]) {
				t.Fatalf("slice audio range = %d, %d bytes", part.status, len(part.body))
			}
			same := s.do("GET", fmt.Sprintf("/api/v1/samples/%d/audio", c.ID), nil, map[string]string{"If-None-Match": r.header.Get("ETag")})
			if same.status != http.StatusNotModified {
				t.Fatalf("slice audio If-None-Match = %d", same.status)
			}
			if wav := s.do("GET", fmt.Sprintf("/api/v1/samples/%d/audio?as=wav", c.ID), nil, nil); wav.status != 200 || !bytes.Equal(wav.body, r.body) {
				t.Fatalf("slice audio as wav = %d, %d bytes", wav.status, len(wav.body))
			}
			var peaks struct {
				Duration float64 `json:"duration_s"`
			}
			if st := s.getJSON(fmt.Sprintf("/api/v1/samples/%d/waveform", c.ID), &peaks); st != 200 {
				t.Fatalf("slice waveform = %d", st)
			}
		}
		// The original still plays whole.
		if r := s.do("GET", fmt.Sprintf("/api/v1/samples/%d/audio", loopID), nil, nil); r.status != 200 || !bytes.Equal(r.body, wav) {
			t.Fatalf("original audio = %d, %d bytes", r.status, len(r.body))
		}

		// Chopping the same regions again reuses the slices.
		r = s.sendJSON("POST", chopURL, fmt.Sprintf(`{"mode":"equal","slices":4,"kit_id":%d,"bank":"C","start_pad":5}`, kit.ID))
		if r.status != 200 {
			t.Fatalf("chop again = %d %s", r.status, r.body)
		}
		r.json(t, &chopped)
		for i, c := range cuts {
			if p := chopped.pad("C", 5+i); p == nil || p.SampleID != c.ID {
				t.Fatalf("pad C%d = %+v, want slice %d again", 5+i, p, c.ID)
			}
		}
		if total() != beforeTotal+4 {
			t.Fatalf("chopping again made new samples: %d", total())
		}

		// A slice chopped again is cut in its original's frames.
		r = s.sendJSON("POST", fmt.Sprintf("/api/v1/samples/%d/chop", cuts[1].ID), fmt.Sprintf(`{"mode":"equal","slices":2,"kit_id":%d,"bank":"D"}`, kit.ID))
		if r.status != 200 {
			t.Fatalf("chop a slice = %d %s", r.status, r.body)
		}
		r.json(t, &chopped)
		for i, want := range [][2]int64{{24000, 36000}, {36000, 48000}} {
			var c sampleJSON
			s.getJSON(fmt.Sprintf("/api/v1/samples/%d", chopped.pad("D", i+1).SampleID), &c)
			if c.SourceID == nil || *c.SourceID != loopID || *c.RegionStart != want[0] || *c.RegionEnd != want[1] ||
				c.FileName != fmt.Sprintf("break 120bpm slice 02 slice %02d.wav", i+1) {
				t.Fatalf("slice of a slice = %+v, want %v of %d", c, want, loopID)
			}
			s.waitAnalysed(c.ID)
		}

		// An export writes each slice pad as its region alone.
		data := exportZIP(t, s, kit.ID, `{"target":"mk2"}`)
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		lengths := map[string]int{}
		for _, f := range zr.File {
			name := f.Name[strings.LastIndexByte(f.Name, '/')+1:]
			if !strings.HasSuffix(name, ".wav") {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			var b bytes.Buffer
			b.ReadFrom(rc)
			rc.Close()
			lengths[name[:3]] = decodeWAV(t, b.Bytes()).Frames()
		}
		for label, want := range map[string]int{"B01": 24000, "B04": 24000, "C05": 24000, "D01": 12000, "D02": 12000} {
			if lengths[label] != want {
				t.Errorf("exported %s holds %d frames, want %d (its region); all: %v", label, lengths[label], want, lengths)
			}
		}

		// The original cannot go while slices play its file; a slice can, and the file stays.
		r = s.do("DELETE", fmt.Sprintf("/api/v1/samples/%d", loopID), nil, nil)
		if r.status != http.StatusConflict || !strings.Contains(string(r.body), "slice") {
			t.Fatalf("delete the original = %d %s, want 409", r.status, r.body)
		}
		if r := s.do("DELETE", fmt.Sprintf("/api/v1/samples/%d?force=true", cuts[3].ID), nil, nil); r.status != http.StatusNoContent {
			t.Fatalf("delete a slice = %d %s", r.status, r.body)
		}
		if !blobExists(blobs, loop.ContentHash) {
			t.Fatal("deleting a slice deleted its original's file")
		}
		if r := s.do("GET", fmt.Sprintf("/api/v1/samples/%d/audio", loopID), nil, nil); r.status != 200 || !bytes.Equal(r.body, wav) {
			t.Fatalf("original audio after deleting a slice = %d", r.status)
		}
		// Forced, the original goes with its slices and their pads, and then the file.
		if r := s.do("DELETE", fmt.Sprintf("/api/v1/samples/%d?force=true", loopID), nil, nil); r.status != http.StatusNoContent {
			t.Fatalf("forced delete = %d %s", r.status, r.body)
		}
		for _, c := range cuts {
			if st := s.getJSON(fmt.Sprintf("/api/v1/samples/%d", c.ID), nil); st != 404 {
				t.Errorf("slice %d after its original's deletion = %d", c.ID, st)
			}
		}
		if total() != beforeTotal-1 {
			t.Errorf("library holds %d samples, want %d", total(), beforeTotal-1)
		}
		var after kitJSON
		s.getJSON(kitURL, &after)
		if len(after.Pads) != 0 {
			t.Errorf("pads left after deleting the original: %+v", after.Pads)
		}
		if blobExists(blobs, loop.ContentHash) {
			t.Error("the original's file outlived every sample that read it")
		}
	})
}

// TestChopRefusesUnanalysedSample: a pending sample has no length or onsets to cut at yet.
func TestChopRefusesUnanalysedSample(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		s := startApp(t, target, func(c *config.Config) { c.Workers = 0 })
		r := s.upload(part{"file", "loop.wav", drumLoop(t)})
		var up struct{ Items []sampleJSON }
		r.json(t, &up)
		var kit kitJSON
		s.sendJSON("POST", "/api/v1/kits", `{"name":"Waiting"}`).json(t, &kit)
		r = s.sendJSON("POST", fmt.Sprintf("/api/v1/samples/%d/chop", up.Items[0].ID), fmt.Sprintf(`{"mode":"equal","slices":4,"kit_id":%d,"bank":"A"}`, kit.ID))
		if r.status != http.StatusConflict || !strings.Contains(string(r.body), "not analysed") {
			t.Fatalf("chop of a pending sample = %d %s, want 409", r.status, r.body)
		}
		var p pageJSON
		s.getJSON("/api/v1/samples", &p)
		s.getJSON(fmt.Sprintf("/api/v1/kits/%d", kit.ID), &kit)
		if p.Total != 1 || len(kit.Pads) != 0 {
			t.Fatalf("a refused chop left %d samples and pads %+v", p.Total, kit.Pads)
		}
	})
}
