package app_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

func TestSampleRoundTrip(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		s := startApp(t, target, nil)
		kick, loop := toneWAV(t, 0.5, 55, 1), toneWAV(t, 2, 110, 2)

		// Two files in one request.
		r := s.upload(part{"file", "Kick 01.wav", kick}, part{"file", "Dusty Loop 90bpm.wav", loop}, part{"tags", "", []byte("Boom Bap, drums")})
		if r.status != http.StatusCreated {
			t.Fatalf("upload = %d %s", r.status, r.body)
		}
		var up struct{ Items []sampleJSON }
		r.json(t, &up)
		if len(up.Items) != 2 || up.Items[0].FileName != "Kick 01.wav" || up.Items[0].Duplicate ||
			!slices.Equal(up.Items[1].Tags, []string{"boom bap", "drums"}) || up.Items[0].Format != "wav" {
			t.Fatalf("upload items = %+v", up.Items)
		}
		kickID, loopID := up.Items[0].ID, up.Items[1].ID

		// The same content again is the same sample, marked duplicate; nothing new is created.
		r = s.upload(part{"file", "renamed.wav", kick})
		r.json(t, &up)
		if r.status != http.StatusOK || len(up.Items) != 1 || !up.Items[0].Duplicate || up.Items[0].ID != kickID {
			t.Fatalf("duplicate upload = %d %+v", r.status, up.Items)
		}
		var storage struct{ Samples, Files, Bytes int }
		if s.getJSON("/api/v1/storage", &storage) != http.StatusOK || storage.Samples != 2 || storage.Files != 2 ||
			storage.Bytes != len(kick)+len(loop) {
			t.Fatalf("storage = %+v, want 2 samples in 2 files of %d bytes", storage, len(kick)+len(loop))
		}

		// Both get analysed in the background.
		for _, id := range []int64{kickID, loopID} {
			smp := s.waitAnalysed(id)
			if smp.AnalysisState != "done" || smp.SampleRate != 44100 || smp.Type == nil || smp.LoudnessLUFS == nil {
				t.Fatalf("sample %d after analysis = %+v", id, smp)
			}
		}

		// List with a filter.
		var page pageJSON
		if st := s.getJSON("/api/v1/samples?q=dusty&tag=drums&sort=-name&limit=10", &page); st != 200 {
			t.Fatalf("list = %d", st)
		}
		if page.Total != 1 || page.Items[0].ID != loopID || page.Limit != 10 || page.Page != 1 {
			t.Fatalf("filtered list = %+v", page)
		}

		// Fetch one, and a byte range of its audio.
		var one sampleJSON
		if st := s.getJSON(fmt.Sprintf("/api/v1/samples/%d", kickID), &one); st != 200 || one.FileName != "Kick 01.wav" {
			t.Fatalf("get = %d %+v", st, one)
		}
		r = s.do("GET", fmt.Sprintf("/api/v1/samples/%d/audio", kickID), nil, map[string]string{"Range": "bytes=4-11"})
		if r.status != http.StatusPartialContent || !bytes.Equal(r.body, kick[4:12]) || r.header.Get("Content-Type") != "audio/wav" {
			t.Fatalf("range = %d %q %q", r.status, r.body, r.header.Get("Content-Type"))
		}
		etag := r.header.Get("ETag")
		if r = s.do("GET", fmt.Sprintf("/api/v1/samples/%d/audio", kickID), nil, map[string]string{"If-None-Match": etag}); r.status != http.StatusNotModified {
			t.Fatalf("conditional get = %d", r.status)
		}
		if r = s.do("GET", fmt.Sprintf("/api/v1/samples/%d/audio", kickID), nil, nil); !bytes.Equal(r.body, kick) {
			t.Fatal("whole audio differs from the upload")
		}
		var peaks struct{ Coarse, Fine []int }
		if st := s.getJSON(fmt.Sprintf("/api/v1/samples/%d/waveform", loopID), &peaks); st != 200 || len(peaks.Coarse) == 0 || len(peaks.Fine) <= len(peaks.Coarse) {
			t.Fatalf("waveform = %d %d/%d", st, len(peaks.Coarse), len(peaks.Fine))
		}

		// Patch its tags.
		r = s.do("PATCH", fmt.Sprintf("/api/v1/samples/%d", kickID), strings.NewReader(`{"tags":["Kick","808"],"favorite":true}`),
			map[string]string{"Content-Type": "application/json"})
		r.json(t, &one)
		if r.status != 200 || !slices.Equal(one.Tags, []string{"808", "kick"}) || !one.Favorite {
			t.Fatalf("patch = %d %s", r.status, r.body)
		}

		// Delete it.
		if r = s.do("DELETE", fmt.Sprintf("/api/v1/samples/%d", kickID), nil, nil); r.status != http.StatusNoContent {
			t.Fatalf("delete = %d %s", r.status, r.body)
		}
		if st := s.getJSON(fmt.Sprintf("/api/v1/samples/%d", kickID), nil); st != http.StatusNotFound {
			t.Fatalf("get after delete = %d", st)
		}
		if r = s.do("GET", fmt.Sprintf("/api/v1/samples/%d/audio", kickID), nil, nil); r.status != http.StatusNotFound {
			t.Fatalf("audio after delete = %d", r.status)
		}
	})
}

func TestBadInputGetsTheRightStatusAndChangesNothing(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		s := startApp(t, target, nil)
		wav := toneWAV(t, 0.2, 220, 1)
		r := s.upload(part{"file", "keep.wav", wav})
		if r.status != http.StatusCreated {
			t.Fatalf("seed upload = %d %s", r.status, r.body)
		}
		var up struct{ Items []sampleJSON }
		r.json(t, &up)
		id := up.Items[0].ID

		multi := func(parts ...part) (string, map[string]string) {
			body, ct := multipartBody(t, parts...)
			var b bytes.Buffer
			b.ReadFrom(body)
			return b.String(), map[string]string{"Content-Type": ct}
		}
		big := bytes.Repeat([]byte{0}, 3<<20) // MAX_UPLOAD_MB is 2 in these tests
		copy(big, wav)
		tests := []struct {
			name   string
			method string
			path   string
			body   string
			header map[string]string
			want   int
		}{
			{"not multipart", "POST", "/api/v1/samples", `{"file":"x"}`, map[string]string{"Content-Type": "application/json"}, 415},
			{"corrupt multipart", "POST", "/api/v1/samples", "--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\nRIFF", map[string]string{"Content-Type": "multipart/form-data; boundary=xyz"}, 400},
			{"no file part", "POST", "/api/v1/samples", "", nil, 422},
			{"not audio", "POST", "/api/v1/samples", "", nil, 415},
			{"one bad file refuses the request", "POST", "/api/v1/samples", "", nil, 415},
			{"too large", "POST", "/api/v1/samples", "", nil, 413},
			{"unexpected field", "POST", "/api/v1/samples", "", nil, 422},
			{"bad tag", "POST", "/api/v1/samples", "", nil, 422},
			{"unknown id", "GET", "/api/v1/samples/999999", "", nil, 404},
			{"non-numeric id", "GET", "/api/v1/samples/abc", "", nil, 422},
			{"negative id audio", "GET", "/api/v1/samples/-1/audio", "", nil, 422},
			{"unknown id audio", "GET", "/api/v1/samples/999999/audio", "", nil, 404},
			{"patch wrong type", "PATCH", fmt.Sprintf("/api/v1/samples/%d", id), `{"favorite":"yes"}`, map[string]string{"Content-Type": "application/json"}, 422},
			{"patch rating out of range", "PATCH", fmt.Sprintf("/api/v1/samples/%d", id), `{"rating":9}`, map[string]string{"Content-Type": "application/json"}, 422},
			{"patch unknown category", "PATCH", fmt.Sprintf("/api/v1/samples/%d", id), `{"category":"banjo"}`, map[string]string{"Content-Type": "application/json"}, 422},
			{"patch malformed json", "PATCH", fmt.Sprintf("/api/v1/samples/%d", id), `{"tags":[`, map[string]string{"Content-Type": "application/json"}, 400},
			{"patch unknown id", "PATCH", "/api/v1/samples/999999", `{"favorite":true}`, map[string]string{"Content-Type": "application/json"}, 404},
			{"patch huge body", "PATCH", fmt.Sprintf("/api/v1/samples/%d", id), `{"notes":"` + strings.Repeat("a", 2<<20) + `"}`, map[string]string{"Content-Type": "application/json"}, 413},
			{"delete unknown id", "DELETE", "/api/v1/samples/999999", "", nil, 404},
			{"bad sort", "GET", "/api/v1/samples?sort=password", "", nil, 422},
			{"bad key", "GET", "/api/v1/samples?key=H", "", nil, 422},
			{"bad limit", "GET", "/api/v1/samples?limit=501", "", nil, 422},
			{"bpm range inverted", "GET", "/api/v1/samples?bpm_min=120&bpm_max=90", "", nil, 422},
			{"sql injection in a filter", "GET", "/api/v1/samples?category=" + url.QueryEscape("kick' OR '1'='1"), "", nil, 422},
			{"unknown api route", "GET", "/api/v1/nothing", "", nil, 404},
		}
		bodies := map[string]func() (string, map[string]string){
			"no file part": func() (string, map[string]string) { return multi(part{"tags", "", []byte("x")}) },
			"not audio": func() (string, map[string]string) {
				return multi(part{"file", "evil.wav", []byte("#!/bin/sh\necho hi\n")})
			},
			"one bad file refuses the request": func() (string, map[string]string) {
				return multi(part{"file", "ok.wav", toneWAV(t, 0.3, 330, 1)}, part{"file", "bad.wav", []byte("nope")})
			},
			"too large": func() (string, map[string]string) { return multi(part{"file", "big.wav", big}) },
			"unexpected field": func() (string, map[string]string) {
				return multi(part{"file", "ok.wav", toneWAV(t, 0.3, 440, 1)}, part{"path", "", []byte("/etc/passwd")})
			},
			"bad tag": func() (string, map[string]string) {
				return multi(part{"file", "ok.wav", toneWAV(t, 0.3, 550, 1)}, part{"tags", "", []byte("<script>")})
			},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				body, header := tt.body, tt.header
				if mk, ok := bodies[tt.name]; ok {
					body, header = mk()
				}
				r := s.do(tt.method, tt.path, strings.NewReader(body), header)
				if r.status != tt.want {
					t.Fatalf("status = %d, want %d: %s", r.status, tt.want, r.body)
				}
				if ct := r.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
					t.Errorf("content type = %q, want problem+json", ct)
				}
				var p struct{ Detail string }
				r.json(t, &p)
				if p.Detail == "" {
					t.Error("problem has no detail")
				}
			})
		}
		// Nothing changed: still exactly the one sample, as it was.
		var page pageJSON
		s.getJSON("/api/v1/samples", &page)
		if page.Total != 1 || page.Items[0].ID != id || len(page.Items[0].Tags) != 0 || page.Items[0].Favorite {
			t.Fatalf("library changed by bad requests: %+v", page)
		}
	})
}

func TestPathLikeFileNamesAreOnlyDisplayNames(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		s := startApp(t, target, nil)
		for i, name := range []string{"../../x.wav", `..\..\windows\x.wav`, "/etc/passwd", "a/../../b.wav"} {
			r := s.upload(part{"file", name, toneWAV(t, 0.1, float64(200+50*i), 1)})
			if r.status != http.StatusCreated {
				t.Fatalf("%q: %d %s", name, r.status, r.body)
			}
			var up struct{ Items []sampleJSON }
			r.json(t, &up)
			got := up.Items[0].FileName
			if strings.ContainsAny(got, `/\`) || got == ".." {
				t.Errorf("%q stored as %q", name, got)
			}
		}
	})
}

func TestWaveformsInOneRequest(t *testing.T) {
	s := startApp(t, storetest.NewTarget(t, "sqlite"), nil)
	ids := s.uploadIDs(t, "w", 3)
	for _, id := range ids {
		s.waitAnalysed(id)
	}
	var out struct {
		Items []struct {
			ID     int64
			Coarse []int
		}
	}
	r := s.do("GET", fmt.Sprintf("/api/v1/waveforms?ids=%d,%d,999999,%d,%d", ids[0], ids[1], ids[2], ids[0]), nil, nil)
	if r.status != 200 || !strings.Contains(r.header.Get("Cache-Control"), "max-age") {
		t.Fatalf("waveforms = %d %v", r.status, r.header)
	}
	r.json(t, &out)
	if len(out.Items) != 3 || out.Items[0].ID != ids[0] || len(out.Items[2].Coarse) != 128 {
		t.Fatalf("waveforms = %+v", out.Items)
	}
	if st := s.getJSON("/api/v1/waveforms?ids=", nil); st != 422 {
		t.Fatalf("no ids = %d", st)
	}
}
