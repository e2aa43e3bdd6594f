package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river/rivertype"

	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/library"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// The queue fits the library's queue interfaces, and the library's service fits the workers'.
var (
	_ library.Queue       = (*RiverQueue)(nil)
	_ library.BatchQueue  = (*RiverQueue)(nil)
	_ library.ExportQueue = (*RiverQueue)(nil)
	_ library.VibeQueue   = (*RiverQueue)(nil)
	_ Analyzer            = (*library.Service)(nil)
	_ FolderImporter      = (*library.Service)(nil)
	_ KitExporter         = (*library.Service)(nil)
	_ VibeAnalyzer        = (*library.Service)(nil)
)

// testDB is one fresh database and the pools a test uses on it: on SQLite a single-connection
// writer (shared with River, as the app shares the store's) and a read pool; on PostgreSQL one
// database/sql pool.
type testDB struct {
	kind string
	dsn  string
	db   *sql.DB
	read *sql.DB
}

// eachDB runs fn as parallel subtests "sqlite" and "postgres", each on a fresh database.
func eachDB(t *testing.T, fn func(t *testing.T, d *testDB)) {
	t.Helper()
	for _, kind := range []string{config.SQLite, config.Postgres} {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			fn(t, newTestDB(t, kind))
		})
	}
}

func newTestDB(t testing.TB, kind string) *testDB {
	t.Helper()
	target := storetest.NewTarget(t, kind)
	kind, dsn, err := config.ParseDatabaseURL(target.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	d := &testDB{kind: kind, dsn: dsn}
	d.db = d.openWriter(t)
	d.read = d.db
	if kind == config.SQLite {
		d.read = openSQLiteReader(t, dsn)
	}
	return d
}

// openWriter opens another write pool, as a second process would.
func (d *testDB) openWriter(t testing.TB) *sql.DB {
	t.Helper()
	var db *sql.DB
	var err error
	if d.kind == config.SQLite {
		db, err = OpenSQLiteWriter(d.dsn)
	} else {
		db, err = sql.Open("pgx", d.dsn)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// openSQLiteReader opens a read pool like the store's: several connections, query_only.
func openSQLiteReader(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+(&url.URL{Path: path}).EscapedPath()+
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=query_only(1)&_time_format=sqlite")
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	t.Cleanup(func() { db.Close() })
	return db
}

// bind writes '?' placeholders as the dialect wants them.
func (d *testDB) bind(q string) string {
	if d.kind != config.Postgres {
		return q
	}
	var b strings.Builder
	n := 0
	for _, c := range q {
		if c == '?' {
			n++
			fmt.Fprintf(&b, "$%d", n)
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (d *testDB) exec(t testing.TB, q string, args ...any) {
	t.Helper()
	if _, err := d.db.ExecContext(context.Background(), d.bind(q), args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func (d *testDB) count(t testing.TB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.read.QueryRowContext(context.Background(), d.bind(q), args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

// testOptions are quick settings for tests: short polls and retries, no start-up jitter.
func testOptions(t testing.TB, workers int, h Handlers) Options {
	return Options{
		Workers:           workers,
		Handlers:          h,
		Logger:            testLogger(t),
		PerJobTimeout:     5 * time.Second,
		BatchTimeout:      5 * time.Second,
		RetryPolicy:       fixedRetry(20 * time.Millisecond),
		StopTimeout:       2 * time.Second,
		FetchPollInterval: 100 * time.Millisecond,
		TestOnly:          true,
	}
}

// newQueue builds a queue on d's database with d's write pool (or db when given).
func (d *testDB) newQueue(t testing.TB, db *sql.DB, opts Options) *RiverQueue {
	t.Helper()
	opts.Kind, opts.DSN = d.kind, d.dsn
	opts.DB = cmpDB(db, d.db)
	q, err := NewRiver(context.Background(), opts)
	if err != nil {
		t.Fatalf("new queue: %v", err)
	}
	t.Cleanup(func() {
		if err := q.Close(); err != nil {
			t.Errorf("close queue: %v", err)
		}
	})
	return q
}

func cmpDB(a, b *sql.DB) *sql.DB {
	if a != nil {
		return a
	}
	return b
}

// runQueue runs q until the test ends (or the returned stop is called) and checks that Run stops
// cleanly.
func runQueue(t testing.TB, q *RiverQueue) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- q.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// fixedRetry retries after a fixed delay.
type fixedRetry time.Duration

func (d fixedRetry) NextRetry(*rivertype.JobRow) time.Time { return time.Now().Add(time.Duration(d)) }

// fakeAnalyzer counts calls per sample and answers with fn.
type fakeAnalyzer struct {
	mu    sync.Mutex
	calls map[int64]int
	fn    func(ctx context.Context, id int64, call int) error
}

func newFakeAnalyzer(fn func(ctx context.Context, id int64, call int) error) *fakeAnalyzer {
	return &fakeAnalyzer{calls: map[int64]int{}, fn: fn}
}

func (f *fakeAnalyzer) AnalyzeSample(ctx context.Context, id int64) error {
	f.mu.Lock()
	f.calls[id]++
	n := f.calls[id]
	f.mu.Unlock()
	if f.fn == nil {
		return nil
	}
	return f.fn(ctx, id, n)
}

func (f *fakeAnalyzer) count(id int64) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[id]
}

func (f *fakeAnalyzer) snapshot() map[int64]int {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make(map[int64]int, len(f.calls))
	for k, v := range f.calls {
		out[k] = v
	}
	return out
}

// fakeFailer remembers the messages of given-up analyses.
type fakeFailer struct {
	mu   sync.Mutex
	msgs map[int64]string
}

func (f *fakeFailer) FailAnalysis(_ context.Context, id int64, msg string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.msgs == nil {
		f.msgs = map[int64]string{}
	}
	f.msgs[id] = msg
	return nil
}

func (f *fakeFailer) message(id int64) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.msgs[id]
}

// waitJob waits until the job is in state and returns it.
func waitJob(t testing.TB, q *RiverQueue, id int64, state rivertype.JobState, within time.Duration) *rivertype.JobRow {
	t.Helper()
	deadline := time.Now().Add(within)
	var last *rivertype.JobRow
	for time.Now().Before(deadline) {
		j, err := q.Job(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if j.State == state {
			return j
		}
		last = j
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("job %d: state %s after %s, want %s (errors %v)", id, last.State, within, state, last.Errors)
	return nil
}

func waitFor(t testing.TB, within time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if ok() {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("timed out after %s waiting for %s", within, what)
}

func enqueueAnalysis(t testing.TB, q *RiverQueue, sampleID int64) *rivertype.JobRow {
	t.Helper()
	res, err := q.Enqueue(context.Background(), AnalyzeSampleArgs{SampleID: sampleID})
	if err != nil {
		t.Fatal(err)
	}
	return res.Job
}

// testLogger sends warnings and errors to the test log until the test ends; River's goroutines
// may still log while the queue shuts down in cleanup.
func testLogger(t testing.TB) *slog.Logger {
	w := &testLogWriter{t: t}
	t.Cleanup(w.close)
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

type testLogWriter struct {
	mu     sync.Mutex
	t      testing.TB
	closed bool
}

func (w *testLogWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.closed {
		w.t.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

func (w *testLogWriter) close() { w.mu.Lock(); w.closed = true; w.mu.Unlock() }

var _ io.Writer = (*testLogWriter)(nil)

func TestRiverMigrationsAreIdempotentBesideTheStoreSchema(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, d *testDB) {
		storetest.Open(t, storetest.Target{Kind: d.kind, URL: targetURL(d)}) // the app's own tables
		d.newQueue(t, nil, testOptions(t, 0, Handlers{}))
		versions := d.count(t, "SELECT count(*) FROM river_migration")
		if versions == 0 {
			t.Fatal("no River migrations recorded")
		}
		d.newQueue(t, nil, testOptions(t, 0, Handlers{})) // migrates again
		if again := d.count(t, "SELECT count(*) FROM river_migration"); again != versions {
			t.Fatalf("second migration changed river_migration: %d rows, then %d", versions, again)
		}
		if n := d.count(t, "SELECT count(*) FROM samples"); n != 0 {
			t.Fatalf("samples: %d rows", n)
		}
	})
}

func targetURL(d *testDB) string {
	if d.kind == config.SQLite {
		return "sqlite://" + d.dsn
	}
	return d.dsn
}

func TestRiverJobInsertedInTransaction(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, d *testDB) {
		ctx := context.Background()
		d.exec(t, "CREATE TABLE rows_t (id BIGINT PRIMARY KEY)")
		an := newFakeAnalyzer(nil)
		q := d.newQueue(t, nil, testOptions(t, 2, Handlers{Analyzer: an}))

		insert := func(id int64) *sql.Tx {
			tx, err := d.db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := tx.ExecContext(ctx, d.bind("INSERT INTO rows_t (id) VALUES (?)"), id); err != nil {
				t.Fatal(err)
			}
			if err := q.EnqueueAnalysisTx(ctx, tx, id); err != nil {
				t.Fatal(err)
			}
			return tx
		}
		if err := insert(1).Rollback(); err != nil {
			t.Fatal(err)
		}
		tx := insert(2)
		res, err := q.EnqueueTx(ctx, tx, AnalyzeSampleArgs{SampleID: 2})
		if err != nil {
			t.Fatal(err)
		}
		if !res.UniqueSkippedAsDuplicate {
			t.Fatal("a second analysis of sample 2 in the same transaction was inserted, want skipped")
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		runQueue(t, q)
		waitJob(t, q, res.Job.ID, rivertype.JobStateCompleted, 30*time.Second)

		if n := d.count(t, "SELECT count(*) FROM river_job"); n != 1 {
			t.Fatalf("river_job has %d rows, want 1: the rolled-back job must be gone", n)
		}
		if n := an.count(1); n != 0 {
			t.Fatalf("rolled-back sample 1 analysed %d times", n)
		}
		if n := an.count(2); n != 1 {
			t.Fatalf("committed sample 2 analysed %d times, want once", n)
		}
	})
}

func TestRiverAnalysisIsUniqueWhileUnfinished(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, d *testDB) {
		ctx := context.Background()
		an := newFakeAnalyzer(nil)
		q := d.newQueue(t, nil, testOptions(t, 1, Handlers{Analyzer: an}))
		first := enqueueAnalysis(t, q, 7)
		res, err := q.Enqueue(ctx, AnalyzeSampleArgs{SampleID: 7})
		if err != nil {
			t.Fatal(err)
		}
		if !res.UniqueSkippedAsDuplicate || res.Job.ID != first.ID {
			t.Fatalf("second enqueue of a queued sample: skipped=%v id=%d, want the first job %d",
				res.UniqueSkippedAsDuplicate, res.Job.ID, first.ID)
		}
		other := enqueueAnalysis(t, q, 8)
		if other.ID == first.ID {
			t.Fatal("another sample shares the job")
		}
		runQueue(t, q)
		waitJob(t, q, first.ID, rivertype.JobStateCompleted, 30*time.Second)
		again := enqueueAnalysis(t, q, 7) // a re-analysis after the first finished
		if again.ID == first.ID {
			t.Fatal("re-analysis after completion was skipped as a duplicate")
		}
		waitJob(t, q, again.ID, rivertype.JobStateCompleted, 30*time.Second)
		if n := an.count(7); n != 2 {
			t.Fatalf("sample 7 analysed %d times, want 2", n)
		}
	})
}

// errTransient is an ordinary failure: River retries it.
var errTransient = errors.New("database is busy")

func TestRiverRetriesTransientFailuresThenSucceeds(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, d *testDB) {
		an := newFakeAnalyzer(func(_ context.Context, _ int64, call int) error {
			if call < 3 {
				return errTransient
			}
			return nil
		})
		q := d.newQueue(t, nil, testOptions(t, 1, Handlers{Analyzer: an}))
		job := enqueueAnalysis(t, q, 1)
		if job.MaxAttempts != DefaultMaxAttempts {
			t.Fatalf("max attempts %d, want %d", job.MaxAttempts, DefaultMaxAttempts)
		}
		runQueue(t, q)
		j := waitJob(t, q, job.ID, rivertype.JobStateCompleted, 30*time.Second)
		if j.Attempt != 3 || len(j.Errors) != 2 || an.count(1) != 3 {
			t.Fatalf("attempt %d, %d errors, %d calls; want 3, 2, 3", j.Attempt, len(j.Errors), an.count(1))
		}
		if !strings.Contains(j.Errors[0].Error, errTransient.Error()) {
			t.Fatalf("recorded error %q", j.Errors[0].Error)
		}
	})
}

func TestRiverGivesUpAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, d *testDB) {
		an := newFakeAnalyzer(func(context.Context, int64, int) error { return errTransient })
		failer := &fakeFailer{}
		opts := testOptions(t, 1, Handlers{Analyzer: an, Failer: failer})
		opts.MaxAttempts = 3
		q := d.newQueue(t, nil, opts)
		job := enqueueAnalysis(t, q, 4)
		runQueue(t, q)
		j := waitJob(t, q, job.ID, rivertype.JobStateDiscarded, 30*time.Second)
		if j.Attempt != 3 || an.count(4) != 3 {
			t.Fatalf("attempt %d, %d calls; want 3", j.Attempt, an.count(4))
		}
		if msg := failer.message(4); !strings.Contains(msg, "after 3 attempts") {
			t.Fatalf("failure recorded on the sample: %q", msg)
		}
	})
}

// permanentErr says so itself, the way a domain error type can.
type permanentErr struct{ msg string }

func (e permanentErr) Error() string   { return e.msg }
func (e permanentErr) Permanent() bool { return true }

func TestRiverPermanentFailureIsNotRetried(t *testing.T) {
	t.Parallel()
	failures := map[int64]error{
		1: &library.Error{Code: library.CodeUnsupported, Message: "cannot decode audio: bad header"},
		2: Permanent(errors.New("unsupported sample format")),
		3: fmt.Errorf("analyse: %w", permanentErr{"corrupt file"}),
	}
	eachDB(t, func(t *testing.T, d *testDB) {
		an := newFakeAnalyzer(func(_ context.Context, id int64, _ int) error { return failures[id] })
		failer := &fakeFailer{}
		q := d.newQueue(t, nil, testOptions(t, 2, Handlers{Analyzer: an, Failer: failer}))
		jobs := map[int64]*rivertype.JobRow{}
		for id := range failures {
			jobs[id] = enqueueAnalysis(t, q, id)
		}
		runQueue(t, q)
		for id, job := range jobs {
			j := waitJob(t, q, job.ID, rivertype.JobStateCancelled, 30*time.Second)
			if j.Attempt != 1 || an.count(id) != 1 {
				t.Errorf("sample %d: attempt %d, %d calls; want exactly one", id, j.Attempt, an.count(id))
			}
			if len(j.Errors) != 1 || !strings.Contains(j.Errors[0].Error, failures[id].Error()) {
				t.Errorf("sample %d: recorded errors %v", id, j.Errors)
			}
			if msg := failer.message(id); msg != "" {
				t.Errorf("sample %d: the failer was called (%q); the analyzer records permanent failures itself", id, msg)
			}
		}
	})
}

func TestRiverPanicFailsThatJobAndTheWorkerGoesOn(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, d *testDB) {
		an := newFakeAnalyzer(func(_ context.Context, id int64, _ int) error {
			if id == 1 {
				panic("index out of range in a hostile file")
			}
			return nil
		})
		failer := &fakeFailer{}
		q := d.newQueue(t, nil, testOptions(t, 1, Handlers{Analyzer: an, Failer: failer})) // one worker slot
		bad := enqueueAnalysis(t, q, 1)
		runQueue(t, q)
		j := waitJob(t, q, bad.ID, rivertype.JobStateCancelled, 30*time.Second)
		if j.Attempt != 1 || an.count(1) != 1 {
			t.Fatalf("panicking job: attempt %d, %d calls; want one", j.Attempt, an.count(1))
		}
		if len(j.Errors) != 1 || j.Errors[0].Trace == "" || !strings.Contains(j.Errors[0].Error, "hostile file") {
			t.Fatalf("panic not recorded with its trace: %+v", j.Errors)
		}
		if msg := failer.message(1); !strings.Contains(msg, "crashed") {
			t.Fatalf("failure recorded on the sample: %q", msg)
		}
		next := enqueueAnalysis(t, q, 2)
		waitJob(t, q, next.ID, rivertype.JobStateCompleted, 30*time.Second)
	})
}

func TestRiverPerJobTimeout(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, d *testDB) {
		var mu sync.Mutex
		var seen []error
		an := newFakeAnalyzer(func(ctx context.Context, _ int64, _ int) error {
			<-ctx.Done() // a file that never finishes
			mu.Lock()
			seen = append(seen, ctx.Err())
			mu.Unlock()
			return ctx.Err()
		})
		failer := &fakeFailer{}
		opts := testOptions(t, 1, Handlers{Analyzer: an, Failer: failer})
		opts.PerJobTimeout = 300 * time.Millisecond
		opts.MaxAttempts = 2
		q := d.newQueue(t, nil, opts)
		job := enqueueAnalysis(t, q, 9)
		begun := time.Now()
		runQueue(t, q)
		j := waitJob(t, q, job.ID, rivertype.JobStateDiscarded, 30*time.Second)
		if took := time.Since(begun); took < 2*opts.PerJobTimeout {
			t.Fatalf("two timed-out attempts took only %s", took)
		}
		mu.Lock()
		defer mu.Unlock()
		if j.Attempt != 2 || len(seen) != 2 || !errors.Is(seen[0], context.DeadlineExceeded) {
			t.Fatalf("attempt %d, handler saw %v; want 2 deadline errors", j.Attempt, seen)
		}
		if msg := failer.message(9); !strings.Contains(msg, "did not finish in time") {
			t.Fatalf("failure recorded on the sample: %q", msg)
		}
	})
}

// retryAfterErr asks to be tried again later, like a rate-limited API.
type retryAfterErr time.Duration

func (e retryAfterErr) Error() string             { return "rate limited" }
func (e retryAfterErr) RetryAfter() time.Duration { return time.Duration(e) }

func TestRiverRetryAfterSnoozesWithoutUsingAttempts(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, d *testDB) {
		an := newFakeAnalyzer(func(_ context.Context, _ int64, call int) error {
			if call <= 3 {
				return retryAfterErr(50 * time.Millisecond)
			}
			return nil
		})
		opts := testOptions(t, 1, Handlers{Analyzer: an})
		opts.MaxAttempts = 2 // three snoozes would exhaust it if they counted
		q := d.newQueue(t, nil, opts)
		job := enqueueAnalysis(t, q, 5)
		runQueue(t, q)
		j := waitJob(t, q, job.ID, rivertype.JobStateCompleted, 30*time.Second)
		if j.Attempt != 1 || an.count(5) != 4 {
			t.Fatalf("attempt %d after %d calls; want attempt 1 after 4 calls", j.Attempt, an.count(5))
		}
	})
}

// An import that yields its time slice runs again at once, without using up attempts.
func TestRiverImportSlicesRunAgainWithoutUsingAttempts(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, d *testDB) {
		fb := &fakeBatches{more: 3}
		opts := testOptions(t, 1, Handlers{Importer: fb})
		opts.MaxAttempts = 2 // three yields would exhaust it if they counted
		q := d.newQueue(t, nil, opts)
		res, err := q.Enqueue(context.Background(), ImportFolderArgs{BatchID: 21})
		if err != nil {
			t.Fatal(err)
		}
		runQueue(t, q)
		j := waitJob(t, q, res.Job.ID, rivertype.JobStateCompleted, 30*time.Second)
		fb.mu.Lock()
		defer fb.mu.Unlock()
		if j.Attempt != 1 || fmt.Sprint(fb.batches) != "[21 21 21 21]" {
			t.Fatalf("attempt %d after runs %v; want attempt 1 after four runs of batch 21", j.Attempt, fb.batches)
		}
	})
}

func TestRiverStopReturnsInterruptedJobsToTheQueue(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, d *testDB) {
		running := make(chan struct{}, 1)
		an := newFakeAnalyzer(func(ctx context.Context, _ int64, _ int) error {
			running <- struct{}{}
			<-ctx.Done()
			return ctx.Err()
		})
		opts := testOptions(t, 1, Handlers{Analyzer: an})
		opts.StopTimeout = 200 * time.Millisecond
		q := d.newQueue(t, nil, opts)
		job := enqueueAnalysis(t, q, 3)
		stop := runQueue(t, q)
		select {
		case <-running:
		case <-time.After(30 * time.Second):
			t.Fatal("job never started")
		}
		begun := time.Now()
		stop()
		if took := time.Since(begun); took > opts.StopTimeout+hardStopGrace {
			t.Fatalf("stop took %s", took)
		}
		j, err := q.Job(context.Background(), job.ID)
		if err != nil {
			t.Fatal(err)
		}
		if j.State != rivertype.JobStateAvailable || j.Attempt != 0 {
			t.Fatalf("interrupted job: state %s attempt %d; want available with no attempt used", j.State, j.Attempt)
		}
	})
}

func TestRiverInsertOnlyQueueRunsNothing(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, d *testDB) {
		q := d.newQueue(t, nil, testOptions(t, 0, Handlers{}))
		job := enqueueAnalysis(t, q, 1)
		stop := runQueue(t, q)
		an := newFakeAnalyzer(nil)
		w := d.newQueue(t, d.openWriter(t), testOptions(t, 1, Handlers{Analyzer: an}))
		runQueue(t, w)
		j := waitJob(t, q, job.ID, rivertype.JobStateCompleted, 30*time.Second)
		stop()
		if q.ClientID() != "" || w.ClientID() == "" {
			t.Fatalf("client ids: insert-only %q, worker %q", q.ClientID(), w.ClientID())
		}
		if len(j.AttemptedBy) != 1 || j.AttemptedBy[0] != w.ClientID() {
			t.Fatalf("job attempted by %v, want only the worker %q", j.AttemptedBy, w.ClientID())
		}
	})
}

func TestRiverTwoClientsShareTheWorkExactlyOnce(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, d *testDB) {
		// 200 on PostgreSQL; 100 on SQLite, whose pure-Go engine is slow under the race detector.
		jobs := 200
		if d.kind == config.SQLite {
			jobs = 100
		}
		// Each client's first job waits until the other client has begun one too, so a client that
		// starts late still gets its share and the split below says something.
		began := [2]chan struct{}{make(chan struct{}), make(chan struct{})}
		var once [2]sync.Once
		work := func(me int) func(ctx context.Context, _ int64, _ int) error {
			return func(ctx context.Context, _ int64, _ int) error {
				once[me].Do(func() { close(began[me]) })
				select {
				case <-began[1-me]:
				case <-time.After(30 * time.Second):
				case <-ctx.Done():
					return ctx.Err()
				}
				select {
				case <-time.After(5 * time.Millisecond):
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			}
		}
		a, b := newFakeAnalyzer(work(0)), newFakeAnalyzer(work(1))
		// Two "processes": each has its own write pool (on SQLite its own connection to the file).
		optsA, optsB := testOptions(t, 3, Handlers{Analyzer: a}), testOptions(t, 3, Handlers{Analyzer: b})
		optsA.PerJobTimeout, optsB.PerJobTimeout = time.Minute, time.Minute
		qa := d.newQueue(t, d.openWriter(t), optsA)
		qb := d.newQueue(t, d.openWriter(t), optsB)
		runQueue(t, qa)
		runQueue(t, qb)
		ins := d.newQueue(t, nil, testOptions(t, 0, Handlers{}))
		for id := int64(1); id <= int64(jobs); id++ {
			enqueueAnalysis(t, ins, id)
		}
		// Generous: two SQLite clients take turns at the file lock, and under the race detector on
		// a busy machine (load 13) 100 jobs once needed more than two minutes.
		waitFor(t, 5*time.Minute, "all jobs completed", func() bool {
			return d.count(t, "SELECT count(*) FROM river_job WHERE state = 'completed'") == jobs
		})
		ca, cb := a.snapshot(), b.snapshot()
		for id := int64(1); id <= int64(jobs); id++ {
			if n := ca[id] + cb[id]; n != 1 {
				t.Errorf("sample %d analysed %d times (client a %d, b %d)", id, n, ca[id], cb[id])
			}
		}
		t.Logf("client a ran %d jobs, client b %d", len(ca), len(cb))
		if len(ca) == 0 || len(cb) == 0 {
			t.Fatalf("one client did all the work: a %d, b %d", len(ca), len(cb))
		}
	})
}

func TestNewRiverRejectsBadOptions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	an := newFakeAnalyzer(nil)
	for name, opts := range map[string]Options{
		"unknown kind":                   {Kind: "mysql"},
		"negative workers":               {Kind: config.SQLite, Workers: -1},
		"workers without handlers":       {Kind: config.SQLite, Workers: 2, Handlers: Handlers{Failer: &fakeFailer{}}},
		"rescue sooner than job timeout": {Kind: config.SQLite, Workers: 1, Handlers: Handlers{Analyzer: an}, PerJobTimeout: time.Minute, RescueStuckJobsAfter: time.Second},
	} {
		t.Run(name, func(t *testing.T) {
			opts.DSN = t.TempDir() + "/x.db"
			if q, err := NewRiver(ctx, opts); err == nil {
				q.Close()
				t.Fatal("accepted")
			}
		})
	}
}

func TestRiverEnqueueAnalysesSkipsQueuedSamples(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, d *testDB) {
		q := d.newQueue(t, nil, testOptions(t, 0, Handlers{}))
		enqueueAnalysis(t, q, 2)
		ids := make([]int64, 0, 600) // more than one InsertMany chunk
		for id := int64(1); id <= 600; id++ {
			ids = append(ids, id)
		}
		n, err := q.EnqueueAnalyses(context.Background(), ids)
		if err != nil {
			t.Fatal(err)
		}
		if n != 599 {
			t.Fatalf("queued %d, want 599 (sample 2 was already queued)", n)
		}
		if got := d.count(t, "SELECT count(*) FROM river_job WHERE kind = ?", KindAnalyzeSample); got != 600 {
			t.Fatalf("%d analysis jobs, want 600", got)
		}
	})
}

// fakeBatches records the batch, export and vibe ids it runs.
type fakeBatches struct {
	mu      sync.Mutex
	more    int // RunBatch yields this many slices before it finishes
	batches []int64
	exports []int64
	vibes   []int64
}

func (f *fakeBatches) RunVibe(_ context.Context, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.vibes = append(f.vibes, id)
	return nil
}

func (f *fakeBatches) RunBatch(_ context.Context, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.batches = append(f.batches, id)
	if f.more > 0 {
		f.more--
		return library.ErrMoreToImport
	}
	return nil
}

func (f *fakeBatches) RunExport(_ context.Context, id int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.exports = append(f.exports, id)
	return nil
}

func TestRiverRunsImportExportAndVibeJobs(t *testing.T) {
	t.Parallel()
	eachDB(t, func(t *testing.T, d *testDB) {
		ctx := context.Background()
		fb := &fakeBatches{}
		q := d.newQueue(t, nil, testOptions(t, 2, Handlers{Importer: fb, Exporter: fb, Vibe: fb}))
		if _, err := q.Enqueue(ctx, VibeArgs{SampleID: 13}); err != nil {
			t.Fatal(err)
		}
		if _, err := q.Enqueue(ctx, ImportFolderArgs{BatchID: 11}); err != nil {
			t.Fatal(err)
		}
		tx, err := d.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := q.EnqueueExportTx(ctx, tx, 12); err != nil {
			t.Fatal(err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatal(err)
		}
		if err := q.EnqueueExport(ctx, 12); err != nil { // still queued: skipped
			t.Fatal(err)
		}
		runQueue(t, q)
		waitFor(t, 30*time.Second, "all jobs completed", func() bool {
			return d.count(t, "SELECT count(*) FROM river_job WHERE state = 'completed'") == 3
		})
		fb.mu.Lock()
		defer fb.mu.Unlock()
		if fmt.Sprint(fb.batches, fb.exports, fb.vibes) != "[11] [12] [13]" {
			t.Fatalf("ran batches %v, exports %v, vibes %v; want [11], [12], [13]", fb.batches, fb.exports, fb.vibes)
		}
		if n := d.count(t, "SELECT count(*) FROM river_job"); n != 3 {
			t.Fatalf("%d jobs, want 3", n)
		}
		if n := d.count(t, "SELECT count(*) FROM river_job WHERE queue = ?", QueueBatch); n != 2 {
			t.Fatalf("%d jobs in the batch queue, want the import and the export", n)
		}
	})
}
