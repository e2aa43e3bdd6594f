package app_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

func TestExportKitOverTheAPI(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		s := startApp(t, target, nil)
		ids := s.uploadIDs(t, "drums", 2)
		var kit kitJSON
		s.sendJSON("POST", "/api/v1/kits", `{"name":"Beat Tape"}`).json(t, &kit)
		base := fmt.Sprintf("/api/v1/kits/%d", kit.ID)
		s.sendJSON("PUT", base+"/pads/A/1", fmt.Sprintf(`{"sample_id":%d}`, ids[0]))
		s.sendJSON("PUT", base+"/pads/A/14", fmt.Sprintf(`{"sample_id":%d,"settings":{"loop":true}}`, ids[1]))

		// A dry run returns the plan and writes nothing; the SX has no pad 14.
		r := s.sendJSON("POST", base+"/export", `{"target":"sx","dry_run":true}`)
		if r.status != 200 || !strings.Contains(string(r.body), "A14") || !strings.Contains(string(r.body), "A0000001.WAV") {
			t.Fatalf("dry run = %d %s", r.status, r.body)
		}
		for _, bad := range []string{`{"target":"mpc"}`, `{"target":"mk2-project","slot":17}`} {
			if r := s.sendJSON("POST", base+"/export", bad); r.status != 422 {
				t.Errorf("%s = %d, want 422", bad, r.status)
			}
		}
		if r := s.sendJSON("POST", "/api/v1/kits/999999/export", `{"target":"mk2"}`); r.status != 404 {
			t.Errorf("unknown kit = %d", r.status)
		}

		r = s.sendJSON("POST", base+"/export", `{"target":"mk2"}`)
		if r.status != http.StatusAccepted {
			t.Fatalf("export = %d %s", r.status, r.body)
		}
		var queued struct {
			Export struct{ ID int64 }
		}
		r.json(t, &queued)
		var e struct {
			State, Error string
			Done, Total  int
			Files        []struct{ Path string }
		}
		deadline := time.Now().Add(30 * time.Second)
		for {
			s.getJSON(fmt.Sprintf("/api/v1/exports/%d", queued.Export.ID), &e)
			if e.State == "done" || e.State == "failed" || time.Now().After(deadline) {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		if e.State != "done" || e.Done != e.Total || len(e.Files) == 0 {
			t.Fatalf("export ended %+v", e)
		}
		r = s.do("GET", fmt.Sprintf("/api/v1/exports/%d/download", queued.Export.ID), nil, nil)
		if r.status != 200 || r.header.Get("Content-Type") != "application/zip" || !strings.Contains(r.header.Get("Content-Disposition"), "Beat_Tape-mk2.zip") {
			t.Fatalf("download = %d %v", r.status, r.header)
		}
		zr, err := zip.NewReader(bytes.NewReader(r.body), int64(len(r.body)))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, f := range zr.File {
			names = append(names, f.Name)
		}
		joined := strings.Join(names, " ")
		if !strings.Contains(joined, "A01_") || !strings.Contains(joined, "A14_") || !strings.Contains(joined, "kit.txt") {
			t.Fatalf("zip entries = %v", names)
		}
		if st := s.getJSON("/api/v1/exports/999999", nil); st != 404 {
			t.Errorf("unknown export = %d", st)
		}
	})
}

// exportZIP runs an export over the API and returns the ZIP.
func exportZIP(t *testing.T, s *server, kitID int64, body string) []byte {
	t.Helper()
	r := s.sendJSON("POST", fmt.Sprintf("/api/v1/kits/%d/export", kitID), body)
	if r.status != http.StatusAccepted {
		t.Fatalf("export = %d %s", r.status, r.body)
	}
	var q struct{ Export struct{ ID int64 } }
	r.json(t, &q)
	var e struct{ State string }
	deadline := time.Now().Add(30 * time.Second)
	for e.State != "done" && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		s.getJSON(fmt.Sprintf("/api/v1/exports/%d", q.Export.ID), &e)
	}
	if e.State != "done" {
		t.Fatalf("export state %q", e.State)
	}
	return s.do("GET", fmt.Sprintf("/api/v1/exports/%d/download", q.Export.ID), nil, nil).body
}

func zipEntry(t *testing.T, data []byte, suffix string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if strings.HasSuffix(f.Name, suffix) {
			rc, _ := f.Open()
			defer rc.Close()
			var b bytes.Buffer
			b.ReadFrom(rc)
			return b.Bytes()
		}
	}
	t.Fatalf("no %s in the ZIP", suffix)
	return nil
}

func TestImportKitOverTheAPIRoundTrips(t *testing.T) {
	s := startApp(t, storetest.NewTarget(t, "sqlite"), nil)
	ids := s.uploadIDs(t, "rt", 2)
	var kit kitJSON
	s.sendJSON("POST", "/api/v1/kits", `{"name":"Round Trip","bpm":96}`).json(t, &kit)
	s.sendJSON("PUT", fmt.Sprintf("/api/v1/kits/%d/pads/A/1", kit.ID), fmt.Sprintf(`{"sample_id":%d,"settings":{"level":100,"pitch":-2}}`, ids[0]))
	s.sendJSON("PUT", fmt.Sprintf("/api/v1/kits/%d/pads/C/9", kit.ID), fmt.Sprintf(`{"sample_id":%d,"settings":{"loop":true}}`, ids[1]))
	first := exportZIP(t, s, kit.ID, `{"target":"mk2-project","project_name":"ROUND TRIP"}`)

	body, ct := multipartBody(t, part{"file", "project.zip", first}, part{"name", "", []byte("Imported")})
	r := s.do("POST", "/api/v1/kits/import", body, map[string]string{"Content-Type": ct})
	if r.status != http.StatusCreated {
		t.Fatalf("import = %d %s", r.status, r.body)
	}
	var imp struct{ Kit kitJSON }
	r.json(t, &imp)
	if imp.Kit.Name != "Imported" || imp.Kit.PadCount != 2 || imp.Kit.pad("C", 9) == nil || !imp.Kit.pad("C", 9).Settings.Loop {
		t.Fatalf("imported kit = %+v", imp.Kit)
	}
	again := exportZIP(t, s, imp.Kit.ID, `{"target":"mk2-project","project_name":"ROUND TRIP"}`)
	if !bytes.Equal(zipEntry(t, first, "PADCONF.BIN"), zipEntry(t, again, "PADCONF.BIN")) {
		t.Fatal("PADCONF.BIN differs after import and export again")
	}
	for _, bad := range []part{{"file", "x.zip", []byte("not a zip")}, {"name", "", []byte("no file")}} {
		body, ct := multipartBody(t, bad)
		if r := s.do("POST", "/api/v1/kits/import", body, map[string]string{"Content-Type": ct}); r.status != 422 {
			t.Errorf("bad import = %d %s", r.status, r.body)
		}
	}
}
