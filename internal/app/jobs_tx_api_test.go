package app_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/jobs"
	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// A job is inserted in the transaction that writes its row: when the job cannot be inserted, the
// row is not written either, and when it can, each row has exactly one job.
func TestJobsAreInsertedWithTheirRows(t *testing.T) {
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		s := startApp(t, target, func(c *config.Config) { c.Workers = 0 }) // jobs stay queued
		db := s.app.DB.WriteDB()
		ctx := context.Background()
		count := func(query string) int {
			t.Helper()
			var n int
			if err := db.QueryRowContext(ctx, query).Scan(&n); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
			return n
		}
		exec := func(query string) {
			t.Helper()
			if _, err := db.ExecContext(ctx, query); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
		}
		jobsOf := func(kind string) int {
			return count(fmt.Sprintf(`SELECT COUNT(*) FROM river_job WHERE kind = '%s'`, kind))
		}

		r := s.upload(part{"file", "kick.wav", toneWAV(t, 0.3, 60, 1)})
		if r.status != 201 {
			t.Fatalf("upload = %d %s", r.status, r.body)
		}
		if n := jobsOf(jobs.KindAnalyzeSample); n != 1 {
			t.Fatalf("analysis jobs after one upload = %d, want 1", n)
		}
		root := filepath.Join(s.app.Config.ImportRoots[0], "pack")
		if err := os.MkdirAll(root, 0o755); err != nil {
			t.Fatal(err)
		}

		// With the job table gone, nothing that needs a job can be written.
		exec(`ALTER TABLE river_job RENAME TO river_job_away`)
		if r := s.upload(part{"file", "snare.wav", toneWAV(t, 0.3, 200, 1)}); r.status != 500 {
			t.Fatalf("upload without a job table = %d %s, want 500", r.status, r.body)
		}
		if r := s.sendJSON("POST", "/api/v1/batches", fmt.Sprintf(`{"path":%q}`, root)); r.status != 500 {
			t.Fatalf("batch without a job table = %d %s, want 500", r.status, r.body)
		}
		if r := s.sendJSON("POST", "/api/v1/samples/1/analyze", ""); r.status != 500 {
			t.Fatalf("re-analysis without a job table = %d %s, want 500", r.status, r.body)
		}
		if n := count(`SELECT COUNT(*) FROM samples`); n != 1 {
			t.Errorf("samples after failed upload = %d, want 1", n)
		}
		if n := count(`SELECT COUNT(*) FROM batches`); n != 0 {
			t.Errorf("batches after failed create = %d, want 0", n)
		}
		if n := count(`SELECT COUNT(*) FROM samples WHERE analysis_state = 'pending'`); n != 1 {
			t.Errorf("pending samples = %d, want the one uploaded", n)
		}
		exec(`ALTER TABLE river_job_away RENAME TO river_job`)

		if r := s.upload(part{"file", "snare.wav", toneWAV(t, 0.3, 200, 1)}); r.status != 201 {
			t.Fatalf("upload = %d %s", r.status, r.body)
		}
		if r := s.sendJSON("POST", "/api/v1/batches", fmt.Sprintf(`{"path":%q}`, root)); r.status != 202 {
			t.Fatalf("batch = %d %s", r.status, r.body)
		}
		if n := jobsOf(jobs.KindAnalyzeSample); n != 2 {
			t.Errorf("analysis jobs = %d, want one per sample (2)", n)
		}
		if n := jobsOf(jobs.KindImportFolder); n != 1 {
			t.Errorf("batch jobs = %d, want 1", n)
		}
	})
}
