// Package store keeps the library in SQLite (embedded, the default) or PostgreSQL, over
// database/sql with hand-written SQL. Statements are written once with '?' placeholders and
// rebound for PostgreSQL; where the dialects differ, the variants sit side by side.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/sp404agent/sp404agent/internal/config"
)

//go:embed migrations
var migrations embed.FS

// DB is an open database with the pools the service needs.
type DB struct {
	kind string
	// write takes every statement that changes data. On SQLite it is one connection: SQLite allows
	// one writer at a time, and queueing writers in Go is cheaper and fairer than SQLITE_BUSY
	// retries. On PostgreSQL it is a pool of its own, planned differently from reads.
	write *sql.DB
	// read serves queries; on SQLite several connections read concurrently under WAL.
	read *sql.DB
}

// Open opens the database of kind config.SQLite or config.Postgres. It does not migrate.
func Open(ctx context.Context, kind, dsn string) (*DB, error) {
	switch kind {
	case config.SQLite:
		return openSQLite(ctx, dsn)
	case config.Postgres:
		return openPostgres(ctx, dsn)
	}
	return nil, fmt.Errorf("open database: unknown kind %q", kind)
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
	}
	// WAL lets readers run while the writer writes; busy_timeout makes a reader wait for a
	// checkpoint instead of failing; foreign_keys is off by default in SQLite; synchronous=NORMAL
	// is durable across application crashes in WAL mode and much faster than FULL. Times are
	// written in SQLite's own format so they sort and compare as text.
	base := "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)" +
		"&_pragma=synchronous(NORMAL)&_time_format=sqlite"
	// BEGIN IMMEDIATE takes the write lock up front, so a transaction never fails half way when
	// it first writes.
	write, err := sql.Open("sqlite", base+"&_txlock=immediate")
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	// Readers map the first 256 MiB of the file instead of copying pages into each connection's
	// own 2 MiB cache: a list that checks a few thousand samples rows reads pages all over the
	// table, and with read() calls that cost about half its time. The mapped pages are the
	// kernel's page cache, shared by the connections; they count in RSS as the file is read.
	read, err := sql.Open("sqlite", base+"&_pragma=query_only(1)&_pragma=mmap_size(268435456)")
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	db := &DB{kind: config.SQLite, write: write, read: read}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open sqlite %s: %w", path, err)
	}
	return db, nil
}

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	// Statements are prepared and cached per connection. Writes look rows up by key, and
	// PostgreSQL's generic plans save them the planning an import's dozen statements per file
	// would otherwise repeat (30 % of the server's statement time there). Reads plan each query
	// for its values: after a few runs a generic plan would ignore the actual filter values,
	// which for user-driven filters (a prefix that matches 10 rows or 10,000) picks badly.
	writeCfg := cfg.Copy()
	if _, ok := cfg.RuntimeParams["plan_cache_mode"]; !ok {
		cfg.RuntimeParams["plan_cache_mode"] = "force_custom_plan"
	}
	write := stdlib.OpenDB(*writeCfg)
	write.SetMaxOpenConns(8)
	write.SetMaxIdleConns(4)
	read := stdlib.OpenDB(*cfg)
	read.SetMaxOpenConns(16)
	read.SetMaxIdleConns(6)
	db := &DB{kind: config.Postgres, write: write, read: read}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	return db, nil
}

// Kind is config.SQLite or config.Postgres.
func (db *DB) Kind() string { return db.kind }

// Ping checks that the database answers.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return err
	}
	return db.read.PingContext(ctx)
}

// Close closes the pools.
func (db *DB) Close() error {
	return errors.Join(db.write.Close(), db.read.Close())
}

// rebind turns '?' placeholders into PostgreSQL's $1, $2, …. Our SQL never has a literal '?'.
func (db *DB) rebind(q string) string {
	if db.kind != config.Postgres {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// withTx runs fn in one write transaction, committing when it returns nil.
func (db *DB) withTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

func (db *DB) migrationProvider() (*goose.Provider, error) {
	dialect, dir := goose.DialectSQLite3, "migrations/sqlite"
	if db.kind == config.Postgres {
		dialect, dir = goose.DialectPostgres, "migrations/postgres"
	}
	fsys, err := fs.Sub(migrations, dir)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	p, err := goose.NewProvider(dialect, db.write, fsys)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// MigrateUp applies every pending migration and returns the versions applied.
func (db *DB) MigrateUp(ctx context.Context) ([]int64, error) {
	p, err := db.migrationProvider()
	if err != nil {
		return nil, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate up: %w", err)
	}
	var applied []int64
	for _, r := range res {
		applied = append(applied, r.Source.Version)
	}
	return applied, nil
}

// MigrateDown rolls back the newest migration and returns its version.
func (db *DB) MigrateDown(ctx context.Context) (int64, error) {
	p, err := db.migrationProvider()
	if err != nil {
		return 0, err
	}
	res, err := p.Down(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate down: %w", err)
	}
	return res.Source.Version, nil
}

// MigrationStatus is one migration and whether it is applied.
type MigrationStatus struct {
	Version int64
	Name    string
	Applied bool
}

// MigrateStatus lists every migration the binary knows.
func (db *DB) MigrateStatus(ctx context.Context) ([]MigrationStatus, error) {
	p, err := db.migrationProvider()
	if err != nil {
		return nil, err
	}
	st, err := p.Status(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate status: %w", err)
	}
	out := make([]MigrationStatus, 0, len(st))
	for _, s := range st {
		out = append(out, MigrationStatus{
			Version: s.Source.Version,
			Name:    filepath.Base(s.Source.Path),
			Applied: s.State == goose.StateApplied,
		})
	}
	return out, nil
}

// CheckSchema refuses a database whose schema is newer than this binary knows: running old code
// on a newer schema can lose data.
func (db *DB) CheckSchema(ctx context.Context) error {
	p, err := db.migrationProvider()
	if err != nil {
		return err
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("schema version: %w", err)
	}
	srcs := p.ListSources()
	if len(srcs) > 0 && current > srcs[len(srcs)-1].Version {
		return fmt.Errorf("database schema version %d is newer than this binary knows (%d): upgrade sp404agent",
			current, srcs[len(srcs)-1].Version)
	}
	return nil
}

// Pools returns the connection pools by name, for metrics.
func (db *DB) Pools() map[string]*sql.DB {
	return map[string]*sql.DB{"write": db.write, "read": db.read}
}

// stamp is the time stamps are written with: UTC, to the microsecond, the precision PostgreSQL
// keeps, so both databases give back the same values.
func stamp() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// WriteDB is the pool writes go through: the single connection on SQLite, the pool on
// PostgreSQL. The job queue shares it, so a job can be inserted in the same transaction as the
// row that needs it.
func (db *DB) WriteDB() *sql.DB { return db.write }

// QueueDepth counts the jobs waiting in the queue's table (0 before the queue's tables exist).
func (db *DB) QueueDepth(ctx context.Context) (int64, error) {
	var n int64
	err := db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM river_job WHERE state IN ('available', 'retryable', 'scheduled')`).Scan(&n)
	return n, err
}
