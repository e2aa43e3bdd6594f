package jobs

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"
	"github.com/riverqueue/river/rivertype"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/sp404agent/sp404agent/internal/config"
)

// Defaults for zero Options fields.
const (
	DefaultPerJobTimeout = 2 * time.Minute
	DefaultBatchTimeout  = 10 * time.Minute
	DefaultMaxAttempts   = 5
	DefaultStopTimeout   = 10 * time.Second
)

// hardStopGrace is how long Run waits, after StopTimeout has cancelled the running jobs, for them
// to return before it gives up on them.
const hardStopGrace = 5 * time.Second

// migrateLockKey is the PostgreSQL advisory lock that serialises River migrations across
// processes starting together. Any constant works as long as nothing else uses it.
const migrateLockKey int64 = 0x53503430345f7276 // "SP404_rv"

// Options configure NewRiver.
type Options struct {
	// Kind is config.SQLite or config.Postgres.
	Kind string

	// DB is the store's database/sql pool: the transactions given to the *Tx methods come from it.
	//
	// On SQLite it must be the single-connection write pool (with busy_timeout, WAL and
	// _txlock=immediate, as the store opens it), and River runs every statement of its own on
	// it too: riversqlite's package doc asks for one connection ("set the maximum pool size to one
	// connection like dbPool.SetMaxOpenConns(1)") and SQLite has one writer anyway, so River and
	// the store queue for the same connection in Go rather than fight over the file lock. The
	// API's reads use the store's separate read pool and never wait for River.
	//
	// On PostgreSQL, River inserts jobs through it with its database/sql driver
	// (riverdatabasesql) so that a job joins the caller's *sql.Tx; River works jobs through its own
	// pgx pool (riverpgxv5). When nil, a database/sql pool is made over that pgx pool.
	DB *sql.DB

	// DSN is the SQLite file path or the PostgreSQL URL (the DSN of config.ParseDatabaseURL).
	// SQLite uses it only when DB is nil, to open a write connection of its own; PostgreSQL opens
	// River's pgx pool from it unless Pool is set.
	DSN string

	// Pool is River's pgx pool on PostgreSQL. When nil, NewRiver opens one from DSN and closes it
	// in Close.
	Pool *pgxpool.Pool

	// Workers is how many analyses (and vibe analyses) run at once in this process; import and
	// export batches run in a queue of their own with up to two at once. 0 makes an insert-only
	// queue: Run does nothing and other processes work the jobs.
	Workers int

	// Handlers are what the workers call. Workers > 0 needs at least one.
	Handlers Handlers

	// Logger receives River's logs and the workers'. Nil discards them.
	Logger *slog.Logger

	// PerJobTimeout bounds one attempt of an analysis or vibe job (DefaultPerJobTimeout).
	PerJobTimeout time.Duration
	// BatchTimeout bounds one attempt of a folder import or kit export (DefaultBatchTimeout). An
	// import yields after library.Limits.BatchSlice and is rescheduled, so this bounds its scan
	// and one slice, and a dead process's import is rescued after it rather than hours later.
	BatchTimeout time.Duration

	// MaxAttempts is how often a job runs before River gives up (DefaultMaxAttempts). It is
	// stored on each job when it is inserted.
	MaxAttempts int

	// RetryPolicy schedules retries; nil keeps River's default (attempt⁴ seconds: 1 s, 16 s,
	// 81 s, 256 s).
	RetryPolicy river.ClientRetryPolicy

	// RescueStuckJobsAfter is how long a job may stay running before River's rescuer, on the
	// elected leader, assumes its process died and schedules it again (PerJobTimeout + 1 minute).
	// The rescuer also waits for each kind's own timeout, so batches are not rescued early.
	RescueStuckJobsAfter time.Duration

	// StopTimeout is how long Run lets running jobs finish after its context ends before it
	// cancels them (DefaultStopTimeout). A cancelled job goes back to the queue without using up
	// an attempt.
	StopTimeout time.Duration

	// FetchCooldown is the least time between two fetches of one queue (River's default, 100 ms,
	// when zero). A queue takes at most as many jobs per fetch as it has free workers, so it also
	// caps throughput at Workers per FetchCooldown: 40 jobs/s for 4 workers at the default, far
	// above what real analyses reach, but lower it for many very short jobs.
	FetchCooldown time.Duration

	// FetchPollInterval is how often an idle worker looks for jobs when no insert notification
	// arrives (River's default, 1 s, when zero).
	FetchPollInterval time.Duration

	// SkipMigrate leaves River's tables alone; by default NewRiver brings them up to date.
	SkipMigrate bool

	// TestOnly turns off River's jittered start-up delays for maintenance (tests only).
	TestOnly bool
}

// RiverQueue is the persistent job queue on River: jobs live in the application's database, are
// inserted in the same transaction as the rows that need them, and survive crashes.
type RiverQueue struct {
	inserter    *river.Client[*sql.Tx] // riversqlite, or riverdatabasesql on PostgreSQL
	worker      riverClient            // nil when insert-only
	stopTimeout time.Duration
	closers     []func() error // what NewRiver opened, in opening order
}

// riverClient is what Run needs of a working River client of either transaction type.
type riverClient interface {
	Start(ctx context.Context) error
	Stopped() <-chan struct{}
	ID() string
}

// NewRiver builds the queue, applying River's migrations unless told not to. It starts nothing:
// Run works the jobs.
func NewRiver(ctx context.Context, opts Options) (_ *RiverQueue, err error) {
	if opts.Workers < 0 {
		return nil, fmt.Errorf("job queue: workers %d < 0", opts.Workers)
	}
	opts.PerJobTimeout = cmp.Or(opts.PerJobTimeout, DefaultPerJobTimeout)
	opts.BatchTimeout = cmp.Or(opts.BatchTimeout, DefaultBatchTimeout)
	opts.MaxAttempts = cmp.Or(opts.MaxAttempts, DefaultMaxAttempts)
	opts.StopTimeout = cmp.Or(opts.StopTimeout, DefaultStopTimeout)
	opts.RescueStuckJobsAfter = cmp.Or(opts.RescueStuckJobsAfter, opts.PerJobTimeout+time.Minute)
	if opts.RescueStuckJobsAfter <= opts.PerJobTimeout {
		return nil, fmt.Errorf("job queue: RescueStuckJobsAfter %s must exceed PerJobTimeout %s",
			opts.RescueStuckJobsAfter, opts.PerJobTimeout)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	var workers *river.Workers
	if opts.Workers > 0 {
		if workers, err = newWorkers(opts.Handlers, opts.PerJobTimeout, opts.BatchTimeout); err != nil {
			return nil, err
		}
		h := opts.Handlers
		if h.Analyzer == nil && h.Importer == nil && h.Exporter == nil && h.Vibe == nil {
			return nil, errors.New("job queue: workers > 0 but no handler to run")
		}
	}

	q := &RiverQueue{stopTimeout: opts.StopTimeout}
	defer func() {
		if err != nil {
			_ = q.Close()
		}
	}()
	switch opts.Kind {
	case config.SQLite:
		err = q.openSQLite(ctx, opts, workers)
	case config.Postgres:
		err = q.openPostgres(ctx, opts, workers)
	default:
		err = fmt.Errorf("job queue: unknown database kind %q", opts.Kind)
	}
	if err != nil {
		return nil, err
	}
	return q, nil
}

func (q *RiverQueue) openSQLite(ctx context.Context, opts Options, workers *river.Workers) error {
	db := opts.DB
	if db == nil {
		var err error
		if db, err = OpenSQLiteWriter(opts.DSN); err != nil {
			return err
		}
		q.closers = append(q.closers, db.Close)
	}
	driver := riversqlite.New(db)
	if !opts.SkipMigrate {
		if err := migrate(ctx, driver, opts.Logger); err != nil {
			return err
		}
	}
	// One client both inserts and works: it has the *sql.Tx type the store's transactions have.
	c, err := river.NewClient(driver, riverConfig(opts, workers))
	if err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	q.inserter = c
	if workers != nil {
		q.worker = c
	}
	return nil
}

func (q *RiverQueue) openPostgres(ctx context.Context, opts Options, workers *river.Workers) error {
	pool := opts.Pool
	if pool == nil {
		var err error
		if pool, err = pgxpool.New(ctx, opts.DSN); err != nil {
			return fmt.Errorf("job queue: open postgres: %w", err)
		}
		q.closers = append(q.closers, func() error { pool.Close(); return nil })
	}
	db := opts.DB
	if db == nil {
		db = stdlib.OpenDBFromPool(pool)
		q.closers = append(q.closers, db.Close)
	}
	if !opts.SkipMigrate {
		if err := migratePostgres(ctx, pool, opts.Logger); err != nil {
			return err
		}
	}
	// Inserts go through database/sql so they can join the store's *sql.Tx; River's insert path
	// is the same for every driver and sends its NOTIFY inside that transaction
	// (client.go, maybeNotifyInsertForQueues), so working clients hear of the job on commit.
	// Unique keys and MaxAttempts are computed at insert time from the args and this config, the
	// same for both clients.
	ins, err := river.NewClient(riverdatabasesql.New(db), riverConfig(opts, nil))
	if err != nil {
		return fmt.Errorf("job queue: %w", err)
	}
	q.inserter = ins
	if workers != nil {
		w, err := river.NewClient(riverpgxv5.New(pool), riverConfig(opts, workers))
		if err != nil {
			return fmt.Errorf("job queue: %w", err)
		}
		q.worker = w
	}
	return nil
}

// riverConfig is the client configuration; workers == nil makes an insert-only client.
func riverConfig(opts Options, workers *river.Workers) *river.Config {
	cfg := &river.Config{
		Logger:               opts.Logger,
		MaxAttempts:          opts.MaxAttempts,
		RetryPolicy:          opts.RetryPolicy,
		JobTimeout:           opts.PerJobTimeout,
		RescueStuckJobsAfter: opts.RescueStuckJobsAfter,
		SoftStopTimeout:      opts.StopTimeout,
		FetchCooldown:        opts.FetchCooldown,
		FetchPollInterval:    opts.FetchPollInterval,
		ErrorHandler:         &errorHandler{log: opts.Logger, failer: opts.Handlers.Failer},
		// Another process may work kinds this one has no handler for.
		SkipUnknownJobCheck: true,
		TestOnly:            opts.TestOnly,
	}
	if workers != nil {
		cfg.Workers = workers
		cfg.FetchOnlyKnownKinds = true
		cfg.Queues = map[string]river.QueueConfig{
			QueueAnalysis: {MaxWorkers: opts.Workers},
			QueueBatch:    {MaxWorkers: min(2, opts.Workers)},
		}
	}
	return cfg
}

// migrate applies River's pending migrations. rivermigrate records applied versions in
// river_migration and applies only the missing ones, so it is idempotent
// (rivermigrate/river_migrate.go, Migrator.Migrate).
func migrate[TTx any](ctx context.Context, driver riverdriver.Driver[TTx], log *slog.Logger) error {
	m, err := rivermigrate.New(driver, &rivermigrate.Config{Logger: log})
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	if _, err := m.Migrate(ctx, rivermigrate.DirectionUp, nil); err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	return nil
}

// migratePostgres migrates under a session advisory lock, so that API and worker processes
// starting together do not apply the same version twice. Migrate runs each version in its own
// transaction on other connections of the pool; MigrateTx, which would let one transaction hold
// the lock, is deprecated because some versions cannot share a transaction.
func migratePostgres(ctx context.Context, pool *pgxpool.Pool, log *slog.Logger) error {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("job queue migrations: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", migrateLockKey); err != nil {
		return fmt.Errorf("job queue migrations: lock: %w", err)
	}
	defer func() {
		_, _ = conn.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrateLockKey)
	}()
	return migrate(ctx, riverpgxv5.New(pool), log)
}

// OpenSQLiteWriter opens a single-connection write pool on the SQLite file at path with the
// settings the store's write pool has: WAL so readers proceed while it writes, busy_timeout so a
// second process waits for the file lock instead of failing, BEGIN IMMEDIATE so a transaction
// takes the write lock up front and never fails half way, and SQLite's own time format. Use it
// for a queue in a process that has no store, or a second client in tests.
func OpenSQLiteWriter(path string) (*sql.DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
	}
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_time_format=sqlite&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return db, nil
}

// Run works jobs until ctx ends, then stops gracefully: River stops fetching, gives running jobs
// StopTimeout to finish and then cancels their contexts (client.go, Config.SoftStopTimeout); a job
// cut short that way returns to the queue without using up an attempt (job_executor.go,
// isSoftStopCancelError). An insert-only queue just waits for ctx. Run is called at most once.
func (q *RiverQueue) Run(ctx context.Context) error {
	if q.worker == nil {
		<-ctx.Done()
		return nil
	}
	if err := q.worker.Start(ctx); err != nil {
		if ctx.Err() != nil {
			return nil // shutdown asked for while starting: nothing was running yet
		}
		return fmt.Errorf("start job queue: %w", err)
	}
	<-ctx.Done()
	t := time.NewTimer(q.stopTimeout + hardStopGrace)
	defer t.Stop()
	select {
	case <-q.worker.Stopped():
		return nil
	case <-t.C:
		return fmt.Errorf("job queue: workers still running %s after shutdown began", q.stopTimeout+hardStopGrace)
	}
}

// ClientID names this process's working River client (empty when insert-only).
func (q *RiverQueue) ClientID() string {
	if q.worker == nil {
		return ""
	}
	return q.worker.ID()
}

// Close releases the pools NewRiver opened. Call it after Run has returned.
func (q *RiverQueue) Close() error {
	var errs []error
	for i := len(q.closers) - 1; i >= 0; i-- {
		errs = append(errs, q.closers[i]())
	}
	q.closers = nil
	return errors.Join(errs...)
}

// Enqueue inserts a job in a transaction of its own. A duplicate of an unfinished unique job is
// skipped: the result's UniqueSkippedAsDuplicate says so and its Job is the existing one.
func (q *RiverQueue) Enqueue(ctx context.Context, args river.JobArgs) (*rivertype.JobInsertResult, error) {
	res, err := q.inserter.Insert(ctx, args, nil)
	if err != nil {
		return nil, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return res, nil
}

// EnqueueTx inserts a job in the caller's transaction, so it exists exactly when the rows it works
// on do: it is not worked before tx commits and vanishes if tx rolls back (client.go, InsertTx).
// tx must be on the same database, normally begun on Options.DB. On SQLite this is also the only safe way to enqueue while a
// write transaction is open: the write pool's one connection is held by tx.
func (q *RiverQueue) EnqueueTx(ctx context.Context, tx *sql.Tx, args river.JobArgs) (*rivertype.JobInsertResult, error) {
	res, err := q.inserter.InsertTx(ctx, tx, args, nil)
	if err != nil {
		return nil, fmt.Errorf("enqueue %s: %w", args.Kind(), err)
	}
	return res, nil
}

// EnqueueAnalysis queues a sample's analysis (library.Queue).
func (q *RiverQueue) EnqueueAnalysis(ctx context.Context, sampleID int64) error {
	_, err := q.Enqueue(ctx, AnalyzeSampleArgs{SampleID: sampleID})
	return err
}

// EnqueueAnalyses queues the analyses of many samples, skipping those that already have an
// unfinished job, and returns how many it queued. It suits a start-up sweep of samples left pending
// by the in-process Pool, whose queue did not survive the process.
func (q *RiverQueue) EnqueueAnalyses(ctx context.Context, sampleIDs []int64) (int, error) {
	const chunk = 500
	inserted := 0
	for len(sampleIDs) > 0 {
		n := min(chunk, len(sampleIDs))
		params := make([]river.InsertManyParams, n)
		for i, id := range sampleIDs[:n] {
			params[i] = river.InsertManyParams{Args: AnalyzeSampleArgs{SampleID: id}}
		}
		res, err := q.inserter.InsertMany(ctx, params)
		if err != nil {
			return inserted, fmt.Errorf("enqueue analyses: %w", err)
		}
		for _, r := range res {
			if !r.UniqueSkippedAsDuplicate {
				inserted++
			}
		}
		sampleIDs = sampleIDs[n:]
	}
	return inserted, nil
}

// EnqueueAnalysisTx queues a sample's analysis in the transaction that stores the sample.
func (q *RiverQueue) EnqueueAnalysisTx(ctx context.Context, tx *sql.Tx, sampleID int64) error {
	_, err := q.EnqueueTx(ctx, tx, AnalyzeSampleArgs{SampleID: sampleID})
	return err
}

// ResumeAnalyses queues fresh jobs for samples found half analysed at start-up, even while the
// jobs of a process that died still count as running.
func (q *RiverQueue) ResumeAnalyses(ctx context.Context, sampleIDs []int64) error {
	stamp := time.Now().UnixNano()
	for _, id := range sampleIDs {
		if _, err := q.Enqueue(ctx, AnalyzeSampleArgs{SampleID: id, Resume: stamp}); err != nil {
			return err
		}
	}
	return nil
}

// ResumeBatch queues a fresh job for an unfinished batch found at start-up, even while the job
// of a process that died still counts as running.
func (q *RiverQueue) ResumeBatch(ctx context.Context, batchID int64) error {
	_, err := q.Enqueue(ctx, ImportFolderArgs{BatchID: batchID, Resume: time.Now().UnixNano()})
	return err
}

// EnqueueBatchTx queues a folder import in the transaction that creates the batch.
func (q *RiverQueue) EnqueueBatchTx(ctx context.Context, tx *sql.Tx, batchID int64) error {
	_, err := q.EnqueueTx(ctx, tx, ImportFolderArgs{BatchID: batchID})
	return err
}

// EnqueueExport queues a kit export on its own (the start-up sweep of unfinished exports).
func (q *RiverQueue) EnqueueExport(ctx context.Context, exportID int64) error {
	_, err := q.Enqueue(ctx, ExportKitArgs{ExportID: exportID})
	return err
}

// EnqueueExportTx queues a kit export in the transaction that creates the export.
func (q *RiverQueue) EnqueueExportTx(ctx context.Context, tx *sql.Tx, exportID int64) error {
	_, err := q.EnqueueTx(ctx, tx, ExportKitArgs{ExportID: exportID})
	return err
}

// EnqueueVibeTx queues a sample's vibe analysis in the caller's transaction.
func (q *RiverQueue) EnqueueVibeTx(ctx context.Context, tx *sql.Tx, sampleID int64) error {
	_, err := q.EnqueueTx(ctx, tx, VibeArgs{SampleID: sampleID})
	return err
}

// Job returns a job by id: its state, attempts and errors (for batch and export status pages).
func (q *RiverQueue) Job(ctx context.Context, id int64) (*rivertype.JobRow, error) {
	j, err := q.inserter.JobGet(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("job %d: %w", id, err)
	}
	return j, nil
}
