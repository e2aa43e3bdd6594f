package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/sp404agent/sp404agent/internal/app"
	"github.com/sp404agent/sp404agent/internal/backup"
	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// libraryView is what a user sees of a library, for comparing before and after a restore.
func libraryView(t *testing.T, s *server) string {
	t.Helper()
	var out bytes.Buffer
	for _, p := range []string{"/api/v1/samples?sort=name&limit=500", "/api/v1/samples?q=dusty%20-1&sort=name",
		"/api/v1/samples?q=key&sort=name", "/api/v1/search?q=dust", "/api/v1/kits", "/api/v1/collections", "/api/v1/preferences"} {
		r := s.do("GET", p, nil, nil)
		if r.status != 200 {
			t.Fatalf("GET %s = %d", p, r.status)
		}
		var v any
		json.Unmarshal(r.body, &v)
		b, _ := json.Marshal(v)
		out.Write(b)
	}
	var kits struct{ Items []struct{ ID int64 } }
	s.getJSON("/api/v1/kits", &kits)
	for _, k := range kits.Items {
		out.Write(s.do("GET", fmt.Sprintf("/api/v1/kits/%d", k.ID), nil, nil).body)
	}
	var page pageJSON
	s.getJSON("/api/v1/samples?limit=500", &page)
	for _, smp := range page.Items {
		out.Write(s.do("GET", fmt.Sprintf("/api/v1/samples/%d/audio", smp.ID), nil, nil).body)
	}
	return out.String()
}

func backupOf(t *testing.T, cfg config.Config) []byte {
	t.Helper()
	st := openStores(t, cfg)
	var buf bytes.Buffer
	if _, err := backup.Write(context.Background(), st.DB, st.Blobs, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func openStores(t *testing.T, cfg config.Config) *app.Stores {
	t.Helper()
	db, blobs, err := app.OpenStores(context.Background(), cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return &app.Stores{DB: db, Blobs: blobs}
}

func restoreInto(t *testing.T, data []byte, target storetest.Target) config.Config {
	t.Helper()
	dir := t.TempDir()
	cfg, err := config.Load(func(k string) string {
		return map[string]string{"DATA_DIR": dir, "DATABASE_URL": target.URL}[k]
	})
	if err != nil {
		t.Fatal(err)
	}
	cfg.Finish()
	st := openStores(t, cfg)
	if _, err := backup.Restore(context.Background(), st.DB, st.Blobs, bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatal(err)
	}
	// Restoring again into the now full database is refused.
	if _, err := backup.Restore(context.Background(), st.DB, st.Blobs, bytes.NewReader(data), int64(len(data))); err == nil {
		t.Fatal("restore into a database with data succeeded")
	}
	return cfg
}

func TestBackupAndRestoreAcrossDatabases(t *testing.T) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		t.Skip(storetest.EnvPostgres + " is not set: the SQLite → PostgreSQL → SQLite round trip needs both")
	}
	src := startApp(t, storetest.NewTarget(t, config.SQLite), nil)
	ids := src.uploadIDs(t, "dusty,keys", 3)
	for _, id := range ids {
		src.waitAnalysed(id)
	}
	src.sendJSON("PATCH", fmt.Sprintf("/api/v1/samples/%d", ids[0]), `{"favorite":true,"rating":4,"notes":"über"}`)
	var kit kitJSON
	src.sendJSON("POST", "/api/v1/kits", `{"name":"Backup Kit","bpm":93}`).json(t, &kit)
	src.sendJSON("PUT", fmt.Sprintf("/api/v1/kits/%d/pads/B/7", kit.ID), fmt.Sprintf(`{"sample_id":%d,"settings":{"pitch":-2,"chops":[0,100]}}`, ids[1]))
	var coll collectionJSON
	src.sendJSON("POST", "/api/v1/collections", `{"name":"Set"}`).json(t, &coll)
	src.sendJSON("POST", fmt.Sprintf("/api/v1/collections/%d/samples", coll.ID), fmt.Sprintf(`{"sample_ids":[%d,%d]}`, ids[2], ids[0]))
	src.sendJSON("POST", "/api/v1/collections", `{"name":"Smart","rules":{"tags_all":["keys"],"bpm_half_double":true,"bpm_min":80}}`)
	src.sendJSON("PATCH", "/api/v1/preferences", `{"auto_vibe":true,"export_target":"sx"}`)
	// Slices share their original's file: the backup carries it once, and they play after.
	if r := src.sendJSON("POST", fmt.Sprintf("/api/v1/samples/%d/chop", ids[2]), fmt.Sprintf(`{"mode":"equal","slices":2,"kit_id":%d,"bank":"C"}`, kit.ID)); r.status != 200 {
		t.Fatalf("chop = %d %s", r.status, r.body)
	}
	var chopped kitJSON
	src.getJSON(fmt.Sprintf("/api/v1/kits/%d", kit.ID), &chopped)
	for _, p := range chopped.Pads {
		src.waitAnalysed(p.SampleID)
	}
	want := libraryView(t, src)
	var found pageJSON
	// s0, s2 and s2's two slices (which keep its tags); s1 is excluded.
	if src.getJSON("/api/v1/samples?q=dusty%20-1", &found); found.Total != 4 {
		t.Fatalf("search before the backup found %d samples, want 4", found.Total)
	}

	// SQLite → PostgreSQL.
	pg := storetest.NewTarget(t, config.Postgres)
	pgCfg := restoreInto(t, backupOf(t, src.app.Config), pg)
	onPG := startApp(t, pg, func(c *config.Config) { c.DataDir, c.Workers = pgCfg.DataDir, 0 })
	if got := libraryView(t, onPG); got != want {
		for i := range min(len(got), len(want)) {
			if got[i] != want[i] {
				t.Fatalf("the library on PostgreSQL differs from the SQLite one at %d:\n%s\n%s", i, want[max(0, i-200):min(len(want), i+100)], got[max(0, i-200):min(len(got), i+100)])
			}
		}
		t.Fatalf("the library on PostgreSQL differs in length: %d vs %d", len(got), len(want))
	}
	// New rows after the restore get fresh ids (the sequences moved).
	var k2 kitJSON
	onPG.sendJSON("POST", "/api/v1/kits", `{"name":"After"}`).json(t, &k2)
	if k2.ID <= kit.ID {
		t.Fatalf("new kit id %d reuses a restored one (%d)", k2.ID, kit.ID)
	}
	onPG.do("DELETE", fmt.Sprintf("/api/v1/kits/%d", k2.ID), nil, nil)
	// An update moves the original's row behind its slices' in PostgreSQL's heap, so the next
	// backup lists a slice before its original; the restore takes rows in any order.
	onPG.sendJSON("PATCH", fmt.Sprintf("/api/v1/samples/%d", ids[2]), `{"notes":"moved"}`)
	want = libraryView(t, onPG)

	// And back to SQLite.
	lite := storetest.NewTarget(t, config.SQLite)
	liteCfg := restoreInto(t, backupOf(t, onPG.app.Config), lite)
	back := startApp(t, lite, func(c *config.Config) { c.DataDir, c.Workers = liteCfg.DataDir, 0 })
	if got := libraryView(t, back); got != want {
		t.Fatalf("the library back on SQLite differs from the original")
	}
	if _, err := os.Stat(filepath.Join(liteCfg.DataDir, "samples")); err != nil {
		t.Fatal(err)
	}

	// A backup made before full-text search has no search words in its samples: the restore
	// makes them again, and search finds what it found before.
	old := storetest.NewTarget(t, config.SQLite)
	oldCfg := restoreInto(t, withoutSearchWords(t, backupOf(t, onPG.app.Config)), old)
	fromOld := startApp(t, old, func(c *config.Config) { c.DataDir, c.Workers = oldCfg.DataDir, 0 })
	if got := libraryView(t, fromOld); got != want {
		i := 0
		for i < min(len(got), len(want)) && got[i] == want[i] {
			i++
		}
		t.Fatalf("the library restored from a backup without search words differs from the original at %d:\n%s\n%s",
			i, want[max(0, i-200):min(len(want), i+100)], got[max(0, i-200):min(len(got), i+100)])
	}
}

// withoutSearchWords rewrites a backup as one made before full-text search: its samples have
// no search_terms.
func withoutSearchWords(t *testing.T, data []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	dropped := 0
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "db/samples.jsonl" {
			var lines [][]byte
			for _, line := range bytes.Split(bytes.TrimSpace(body), []byte("\n")) {
				var row map[string]any
				if err := json.Unmarshal(line, &row); err != nil {
					t.Fatal(err)
				}
				if _, ok := row["search_terms"]; ok {
					dropped++
				}
				delete(row, "search_terms")
				b, _ := json.Marshal(row)
				lines = append(lines, b)
			}
			body = append(bytes.Join(lines, []byte("\n")), '\n')
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(body)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if dropped == 0 {
		t.Fatal("the backup's samples had no search_terms to drop")
	}
	return out.Bytes()
}
