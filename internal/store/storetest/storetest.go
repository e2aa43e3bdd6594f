// Package storetest opens real, empty, migrated databases for tests: a SQLite file in a temp folder
// and, when SP404_TEST_POSTGRES_URL names a server, a fresh PostgreSQL database that is dropped
// when the test ends. EachDB runs one test body on both, so every suite covers both dialects.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/store"
)

// EnvPostgres names the admin URL of the PostgreSQL server for tests.
const EnvPostgres = "SP404_TEST_POSTGRES_URL"

// Target is one database a suite runs against.
type Target struct {
	Kind string // config.SQLite or config.Postgres
	URL  string // DATABASE_URL form
}

// EachDB runs fn as subtests "sqlite" and "postgres", each with a fresh migrated database.
// The postgres subtest is skipped (loudly) when SP404_TEST_POSTGRES_URL is unset.
func EachDB(t *testing.T, fn func(t *testing.T, target Target, db *store.DB)) {
	t.Helper()
	for _, kind := range []string{config.SQLite, config.Postgres} {
		t.Run(kind, func(t *testing.T) {
			target := NewTarget(t, kind)
			fn(t, target, Open(t, target))
		})
	}
}

// NewTarget makes an empty database of the kind and returns its URL.
func NewTarget(t testing.TB, kind string) Target {
	t.Helper()
	if kind == config.SQLite {
		return Target{Kind: kind, URL: "sqlite://" + filepath.Join(t.TempDir(), "sp404.db")}
	}
	admin := os.Getenv(EnvPostgres)
	if admin == "" {
		t.Skip(EnvPostgres + " is not set: PostgreSQL suite skipped")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	adm, err := sql.Open("pgx", admin)
	if err != nil {
		t.Fatalf("open postgres admin: %v", err)
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "sp404_test_" + hex.EncodeToString(b[:])
	if _, err := adm.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		adm.Close()
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := adm.ExecContext(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("drop test database %s: %v", name, err)
		}
		adm.Close()
	})
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("parse %s: %v", EnvPostgres, err)
	}
	u.Path = "/" + name
	return Target{Kind: kind, URL: u.String()}
}

// Open opens and migrates the target's database, closing it when the test ends.
func Open(t testing.TB, target Target) *store.DB {
	t.Helper()
	ctx := context.Background()
	kind, dsn, err := config.ParseDatabaseURL(target.URL, "")
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(ctx, kind, dsn)
	if err != nil {
		t.Fatalf("open %s: %v", kind, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.MigrateUp(ctx); err != nil {
		t.Fatalf("migrate %s: %v", kind, err)
	}
	return db
}
