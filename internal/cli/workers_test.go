package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/sp404agent/sp404agent/internal/audio"
	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// TestWorkersShareTheJobs runs one API process that only inserts jobs and two `sp404agent worker`
// processes on one PostgreSQL database: every analysis runs exactly once, both workers take part,
// and a socket on the API streams the import's progress as the workers make it.
func TestWorkersShareTheJobs(t *testing.T) {
	target := storetest.NewTarget(t, config.Postgres)
	dataDir := t.TempDir() // one sample folder shared by the three processes
	pack := filepath.Join(dataDir, "import", "pack")
	if err := os.MkdirAll(pack, 0o755); err != nil {
		t.Fatal(err)
	}
	const files = 80
	for i := range files {
		buf := audio.NewBuffer(22050, 1, 4000+i)
		for j := range buf.Data[0] {
			buf.Data[0][j] = float32(0.5 * math.Sin(float64(j)*float64(i+1)/30) * math.Exp(-float64(j)/1500))
		}
		var out bytes.Buffer
		if err := audio.EncodeWAV(&out, buf, audio.PCM16); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pack, fmt.Sprintf("w%03d.wav", i)), out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := "DATABASE_URL=" + target.URL
	api := startServer(t, dataDir, db, "WORKERS=0")
	// The import is queued and watched before any worker runs, so the socket sees all of it.
	res, err := http.Post(api.base+"/api/v1/batches", "application/json", strings.NewReader(fmt.Sprintf(`{"path":%q}`, pack)))
	if err != nil || res.StatusCode != http.StatusAccepted {
		t.Fatalf("start import: %v %v", res, err)
	}
	var batch struct{ ID int64 }
	err = json.NewDecoder(res.Body).Decode(&batch)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(api.base, "http")+fmt.Sprintf("/ws/batches/%d", batch.ID), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.CloseNow()
	watched := make(chan []string, 1) // the files named by progress messages, in order
	go func() {
		var current []string
		defer func() { watched <- current }()
		for {
			_, data, err := ws.Read(ctx)
			if err != nil {
				return
			}
			var m struct {
				Type string
				Data struct{ Current string }
			}
			if json.Unmarshal(data, &m) != nil || m.Type == "complete" {
				return
			}
			if m.Data.Current != "" {
				current = append(current, m.Data.Current)
			}
		}
	}()
	for range 2 {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperServe$", "-test.count=1")
		cmd.Env = append(os.Environ(), "SP404_HELPER_SERVE=1", "SP404_HELPER_CMD=worker", "DATA_DIR="+dataDir, db, "WORKERS=2")
		var logs bytes.Buffer
		cmd.Stdout, cmd.Stderr = &logs, &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	}
	var page struct{ Total int }
	deadline := time.Now().Add(5 * time.Minute)
	for time.Now().Before(deadline) {
		getJSON(t, api.base+"/api/v1/samples?limit=1&analysis_state=done", &page)
		if page.Total == files {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if page.Total != files {
		t.Fatalf("%d of %d samples analysed", page.Total, files)
	}
	// Only the worker doing the import knows the current file: the API heard it from there.
	if current := <-watched; len(current) == 0 || !strings.HasPrefix(current[0], "w0") {
		t.Fatalf("the API's socket named no file being imported by a worker: %q", current)
	} else {
		t.Logf("the API's socket relayed %d progress messages from a worker", len(current))
	}
	conn, err := sql.Open("pgx", target.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT attempted_by[1], COUNT(*), MAX(attempt) FROM river_job
 WHERE kind = 'analyze_sample' GROUP BY 1 ORDER BY 1`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var clients, jobs, maxAttempt int
	for rows.Next() {
		var client string
		var n, attempt int
		if err := rows.Scan(&client, &n, &attempt); err != nil {
			t.Fatal(err)
		}
		t.Logf("worker %s ran %d analyses", client, n)
		clients++
		jobs += n
		maxAttempt = max(maxAttempt, attempt)
	}
	if jobs != files || clients != 2 || maxAttempt != 1 {
		t.Fatalf("%d analyses by %d workers (most attempts %d), want %d by 2, each once", jobs, clients, maxAttempt, files)
	}
}
