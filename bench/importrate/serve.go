package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver, for printSplit
)

// importThroughServer starts `serve` on a fresh data folder whose import root holds src, starts
// a folder import over the API and waits until every file is imported and analysed. Meanwhile
// one client lists the library's first page every 50 ms (as a user browsing during an import
// would) and the server's RSS is read every 250 ms. With procs > 0 (PostgreSQL only) that many
// `sp404agent worker` processes share the jobs, and the split is read from River's table.
func importThroughServer(bin, dir, src string, n, workers, procs int) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	cmd := exec.Command(bin, "serve")
	dbURL := os.Getenv("DATABASE_URL")
	if procs > 0 && !strings.HasPrefix(dbURL, "postgres") {
		return errors.New("-worker-procs needs DATABASE_URL=postgres://… (on SQLite one process owns the queue)")
	}
	env := append(os.Environ(), "DATA_DIR="+filepath.Join(dir, "data"), "IMPORT_ROOTS="+filepath.Dir(src),
		"PORT="+strconv.Itoa(port), "WORKERS="+strconv.Itoa(workers), "RATE_LIMIT_RPS=0", "DATABASE_URL="+dbURL)
	cmd.Env = env
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		return err
	}
	defer func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	}()
	if err := waitHealthy(base, 30*time.Second); err != nil {
		return fmt.Errorf("%w\n%s", err, logs.String())
	}
	for range procs {
		w := exec.Command(bin, "worker")
		w.Env = env
		if err := w.Start(); err != nil {
			return err
		}
		defer func() {
			_ = w.Process.Signal(os.Interrupt)
			_ = w.Wait()
		}()
	}
	idle, _ := rssKiB(cmd.Process.Pid)

	start := time.Now()
	var b struct {
		ID int64 `json:"id"`
	}
	if err := postJSON(base+"/api/v1/batches", map[string]any{"path": src}, &b); err != nil {
		return err
	}
	var (
		lat      []time.Duration
		maxRSS   int64
		failures int
	)
	// A stuck request counts as a failure after 10 s instead of stopping the measurement.
	client := &http.Client{Timeout: 10 * time.Second}
	list := time.NewTicker(50 * time.Millisecond)
	defer list.Stop()
	mem := time.NewTicker(250 * time.Millisecond)
	defer mem.Stop()
	check := time.NewTicker(time.Second)
	defer check.Stop()
	for done := false; !done; {
		select {
		case <-list.C:
			t := time.Now()
			r, err := client.Get(base + "/api/v1/samples?limit=100")
			if err != nil || r.StatusCode != http.StatusOK {
				failures++
			}
			if r != nil {
				_, _ = io.Copy(io.Discard, r.Body)
				r.Body.Close()
			}
			lat = append(lat, time.Since(t))
		case <-mem.C:
			if kib, err := rssKiB(cmd.Process.Pid); err == nil {
				maxRSS = max(maxRSS, kib)
			}
		case <-check.C:
			if done, err = finished(base, b.ID, n); err != nil {
				return err
			}
			if time.Since(start) > 2*time.Hour {
				return errors.New("the import did not finish in 2 hours")
			}
		}
	}
	el := time.Since(start)
	hwm, _ := statusKiB(cmd.Process.Pid, "VmHWM:")
	slices.Sort(lat)
	pct := func(p float64) time.Duration { return lat[min(len(lat)-1, int(p*float64(len(lat))))] }
	fmt.Printf("%d files imported and analysed through the server in %.1f s: %.1f files/s\n", n, el.Seconds(), float64(n)/el.Seconds())
	fmt.Printf("serve RSS: idle %.1f MiB, largest sample %.1f MiB, peak (VmHWM) %.1f MiB\n", float64(idle)/1024, float64(maxRSS)/1024, float64(hwm)/1024)
	fmt.Printf("GET /api/v1/samples?limit=100 during the import: %d requests, %d failed, p50 %s, p95 %s, p99 %s, max %s\n",
		len(lat), failures, pct(0.50).Round(10*time.Microsecond), pct(0.95).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond))
	if strings.HasPrefix(dbURL, "postgres") {
		return printSplit(dbURL)
	}
	return nil
}

// printSplit shows how many analyses each River client (one per process) ran.
func printSplit(dbURL string) error {
	db, err := sql.Open("pgx", dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.Query(`SELECT attempted_by[array_length(attempted_by, 1)], count(*) FROM river_job
 WHERE kind = 'analyze_sample' AND state = 'completed' GROUP BY 1 ORDER BY 2 DESC`)
	if err != nil {
		return err
	}
	defer rows.Close()
	fmt.Println("analyses per process (River client):")
	for rows.Next() {
		var client string
		var count int
		if err := rows.Scan(&client, &count); err != nil {
			return err
		}
		fmt.Printf("  %s: %d\n", client, count)
	}
	return rows.Err()
}

// finished reports whether the batch is done and nothing is left to analyse.
func finished(base string, id int64, n int) (bool, error) {
	var b struct {
		State  string `json:"state"`
		Done   int    `json:"done"`
		Failed int    `json:"failed"`
	}
	if err := getJSON(fmt.Sprintf("%s/api/v1/batches/%d", base, id), &b); err != nil {
		return false, err
	}
	switch b.State {
	case "failed", "cancelled":
		return false, fmt.Errorf("the import ended %s", b.State)
	case "done":
	default:
		return false, nil
	}
	if b.Failed > 0 {
		return false, fmt.Errorf("%d of %d files failed", b.Failed, n)
	}
	var done struct {
		Total int `json:"total"`
	}
	if err := getJSON(base+"/api/v1/samples?limit=1&analysis_state=done", &done); err != nil {
		return false, err
	}
	return done.Total >= n, nil
}

func getJSON(url string, out any) error {
	r, err := http.Get(url)
	if err != nil {
		return err
	}
	defer r.Body.Close()
	if r.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", url, r.Status)
	}
	return json.NewDecoder(r.Body).Decode(out)
}

func postJSON(url string, body, out any) error {
	data, err := json.Marshal(body)
	if err != nil {
		return err
	}
	r, err := http.Post(url, "application/json", bytes.NewReader(data))
	if err != nil {
		return err
	}
	defer r.Body.Close()
	if r.StatusCode/100 != 2 {
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(r.Body)
		return fmt.Errorf("POST %s: %s %s", url, r.Status, buf.String())
	}
	return json.NewDecoder(r.Body).Decode(out)
}

func waitHealthy(base string, within time.Duration) error {
	end := time.Now().Add(within)
	for time.Now().Before(end) {
		if r, err := http.Get(base + "/health"); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return errors.New("the server did not become healthy")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func rssKiB(pid int) (int64, error) { return statusKiB(pid, "VmRSS:") }

// statusKiB reads one "Name:   123 kB" line of /proc/PID/status.
func statusKiB(pid int, field string) (int64, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, field); ok {
			return strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
		}
	}
	return 0, fmt.Errorf("%s not in /proc/%d/status", field, pid)
}
