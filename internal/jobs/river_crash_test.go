package jobs

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river/rivertype"
)

// The crash test re-runs this test binary as a worker process that it kills with SIGKILL.
const (
	envCrashKind = "SP404_RIVER_CRASH_KIND"
	envCrashDSN  = "SP404_RIVER_CRASH_DSN"
	envCrashHang = "SP404_RIVER_CRASH_HANG"
)

// crashHang are the samples whose analysis never ends in the child, so that the kill is certain
// to find jobs running.
var crashHang = [...]int64{100, 101}

// crashWork analyses a sample by recording it in crash_done, keyed by sample so that a run
// repeated after a crash adds no row; runs counts the runs and pids lists the processes.
func crashWork(d *testDB, hang bool) func(ctx context.Context, id int64, _ int) error {
	upsert := "INSERT INTO crash_done (sample_id, runs, pids) VALUES (?, 1, ?) " +
		"ON CONFLICT (sample_id) DO UPDATE SET runs = crash_done.runs + 1, pids = crash_done.pids || ' ' || excluded.pids"

	return func(ctx context.Context, id int64, _ int) error {
		if hang && (id == crashHang[0] || id == crashHang[1]) {
			<-ctx.Done()
			return ctx.Err()
		}
		select {
		case <-time.After(10 * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
		_, err := d.db.ExecContext(ctx, d.bind(upsert), id, fmt.Sprint(os.Getpid()))
		return err
	}
}

// TestRiverCrashHelperProcess is the worker process of TestRiverCrashRecovery; run alone it skips.
func TestRiverCrashHelperProcess(t *testing.T) {
	kind, dsn := os.Getenv(envCrashKind), os.Getenv(envCrashDSN)
	if kind == "" {
		t.Skip("runs only as the child process of TestRiverCrashRecovery")
	}
	d := &testDB{kind: kind, dsn: dsn}
	d.db = d.openWriter(t)
	d.read = d.db
	opts := Options{
		Kind: kind, DSN: dsn, DB: d.db, Workers: 4,
		Handlers: Handlers{Analyzer: newFakeAnalyzer(crashWork(d, os.Getenv(envCrashHang) != ""))},
		// Logs go straight to stderr: this process dies before a test log would be printed.
		Logger:        slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})),
		PerJobTimeout: time.Minute, RetryPolicy: fixedRetry(20 * time.Millisecond),
		FetchPollInterval: 100 * time.Millisecond, TestOnly: true,
	}
	q, err := NewRiver(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	fmt.Fprintln(os.Stderr, "child: working as", os.Getpid())
	if err := q.Run(context.Background()); err != nil { // until killed
		t.Fatal(err)
	}
}

// lockedBuffer collects a child's output.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestRiverCrashRecovery(t *testing.T) {
	t.Parallel()
	const total = 300
	eachDB(t, func(t *testing.T, d *testDB) {
		ctx := context.Background()
		d.exec(t, "CREATE TABLE crash_done (sample_id BIGINT PRIMARY KEY, runs INTEGER NOT NULL, pids TEXT NOT NULL)")
		ins := d.newQueue(t, nil, testOptions(t, 0, Handlers{}))
		sampleOfJob := map[int64]int64{}
		var hangJobs []int64
		for id := int64(1); id <= total; id++ {
			j := enqueueAnalysis(t, ins, id)
			sampleOfJob[j.ID] = id
			if id == crashHang[0] || id == crashHang[1] {
				hangJobs = append(hangJobs, j.ID)
			}
		}

		// A worker process works through the jobs and is killed half way.
		var out lockedBuffer
		cmd := exec.Command(os.Args[0], "-test.run=^TestRiverCrashHelperProcess$", "-test.count=1")
		cmd.Env = append(os.Environ(), envCrashKind+"="+d.kind, envCrashDSN+"="+d.dsn, envCrashHang+"=1")
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := false
		t.Cleanup(func() {
			if !exited {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
			}
			if t.Failed() {
				t.Logf("child output:\n%s", out.String())
			}
		})
		hangQuery := fmt.Sprintf("SELECT count(*) FROM river_job WHERE state = 'running' AND id IN (%d, %d)", hangJobs[0], hangJobs[1])
		waitFor(t, 120*time.Second, "the child to be half way", func() bool {
			return d.count(t, "SELECT count(*) FROM crash_done") >= total/5 && d.count(t, hangQuery) == 2
		})
		if err := cmd.Process.Kill(); err != nil { // SIGKILL: no clean-up runs in the child
			t.Fatal(err)
		}
		err := cmd.Wait()
		exited = true
		if ee, ok := err.(*exec.ExitError); !ok || ee.ProcessState.String() != "signal: killed" {
			t.Fatalf("child ended with %v, want killed", err)
		}
		doneAtKill := d.count(t, "SELECT count(*) FROM crash_done")
		runningAtKill := map[int64]bool{}
		rows, err := d.read.QueryContext(ctx, "SELECT id FROM river_job WHERE state = 'running'")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				t.Fatal(err)
			}
			runningAtKill[sampleOfJob[id]] = true
		}
		rows.Close()
		if doneAtKill >= total || len(runningAtKill) == 0 {
			t.Fatalf("kill was not half way: %d of %d done, %d running", doneAtKill, total, len(runningAtKill))
		}
		t.Logf("killed the child with %d of %d done and %d jobs running", doneAtKill, total, len(runningAtKill))

		// A fresh process: its rescuer returns the dead process's running jobs to the queue once
		// they are older than RescueStuckJobsAfter and the dead leader's term has lapsed.
		opts := testOptions(t, 4, Handlers{Analyzer: newFakeAnalyzer(crashWork(d, false))})
		// Short, so that the first rescue after this process is elected leader (which waits for the
		// dead leader's term to lapse, up to 15 s) finds the dead process's jobs old enough; the
		// rescuer runs only every 30 s after that. Should a live job here be slow enough to be
		// rescued too, it records an error and the run-count check below allows for it.
		opts.PerJobTimeout = 2 * time.Second
		opts.RescueStuckJobsAfter = 3 * time.Second
		q := d.newQueue(t, nil, opts)
		begun := time.Now()
		runQueue(t, q)
		waitFor(t, 150*time.Second, "every job to complete after the restart", func() bool {
			return d.count(t, "SELECT count(*) FROM river_job WHERE state = 'completed'") == total
		})
		t.Logf("recovered in %s", time.Since(begun).Round(time.Millisecond))

		if n := d.count(t, "SELECT count(*) FROM river_job WHERE state <> 'completed'"); n != 0 {
			t.Fatalf("%d jobs not completed", n)
		}
		if n := d.count(t, "SELECT count(DISTINCT sample_id) FROM crash_done WHERE sample_id BETWEEN 1 AND ?", total); n != total {
			t.Fatalf("%d of %d samples recorded done", n, total)
		}
		// Only work cut off by the kill may run twice: nothing finished and nothing not yet
		// started is repeated.
		runs := map[int64][]string{} // sample → pids of its runs
		rows, err = d.read.QueryContext(ctx, "SELECT sample_id, runs, pids FROM crash_done")
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var n int
			var pids string
			if err := rows.Scan(&id, &n, &pids); err != nil {
				t.Fatal(err)
			}
			runs[id] = strings.Fields(pids)
			if len(runs[id]) != n {
				t.Fatalf("sample %d: %d runs but pids %q", id, n, pids)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		// A job runs again only after an attempt that did not finish: one cut off by the kill (the
		// rescuer records "Stuck job rescued") or one that failed. Nothing that finished, and
		// nothing that had not started, is repeated.
		jobOfSample := map[int64]int64{}
		for job, sample := range sampleOfJob {
			jobOfSample[sample] = job
		}
		failed := 0
		for id := range runs {
			j, err := q.Job(ctx, jobOfSample[id])
			if err != nil {
				t.Fatal(err)
			}
			if len(j.Errors) > 0 && !rescued(j) {
				failed++
				t.Logf("sample %d had failed attempts: %v", id, j.Errors)
			}
		}
		t.Logf("%d samples ran more than once, %d had failed attempts", countMulti(runs), failed)
		for id, pids := range runs {
			if len(pids) == 1 {
				continue
			}
			j, err := q.Job(ctx, jobOfSample[id])
			if err != nil {
				t.Fatal(err)
			}
			if len(pids) > 1+len(j.Errors) {
				t.Errorf("sample %d ran %d times (pids %v, child %d) after %d unfinished attempts %v; running at the kill: %v",
					id, len(pids), pids, cmd.Process.Pid, len(j.Errors), j.Errors, runningAtKill[id])
			}
		}
		for _, id := range hangJobs {
			j, err := q.Job(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if !rescued(j) {
				t.Errorf("job %d was not rescued: errors %v", id, j.Errors)
			}
		}
	})
}

func rescued(j *rivertype.JobRow) bool {
	for _, e := range j.Errors {
		if strings.Contains(e.Error, "Stuck job rescued") {
			return true
		}
	}
	return false
}

func countMulti(runs map[int64][]string) int {
	n := 0
	for _, pids := range runs {
		if len(pids) > 1 {
			n++
		}
	}
	return n
}
