package store

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/sp404agent/sp404agent/internal/config"
)

// BackupTables are the tables a backup carries, parents before children (restore inserts in
// this order). Exports are left out: their files are build products, not library data.
var BackupTables = []string{
	"samples", "sample_tags", "collections", "collection_samples", "kits", "kit_pads",
	"sample_vibes", "ai_calls", "preferences", "batches", "batch_items",
}

// Snapshot is a consistent read of the database: every table as of one moment.
type Snapshot struct {
	db *DB
	tx *sql.Tx
}

// Snapshot opens a read transaction that sees one consistent state while writers go on
// (WAL on SQLite, REPEATABLE READ on PostgreSQL).
func (db *DB) Snapshot(ctx context.Context) (*Snapshot, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.kind == config.Postgres {
		opts.Isolation = sql.LevelRepeatableRead
	}
	tx, err := db.read.BeginTx(ctx, opts)
	if err != nil {
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	// SQLite starts the read transaction at the first read; make it now.
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM samples`).Scan(&n); err != nil {
		tx.Rollback()
		return nil, fmt.Errorf("snapshot: %w", err)
	}
	return &Snapshot{db: db, tx: tx}, nil
}

// Close ends the snapshot.
func (s *Snapshot) Close() error { return s.tx.Rollback() }

// SchemaVersion is the migration version the snapshot's database is at.
func (s *Snapshot) SchemaVersion(ctx context.Context) (int64, error) {
	var v int64
	err := s.tx.QueryRowContext(ctx, `SELECT MAX(version_id) FROM goose_db_version WHERE is_applied`).Scan(&v)
	return v, err
}

// BlobKeys lists the sample files the snapshot refers to.
func (s *Snapshot) BlobKeys(ctx context.Context) ([]string, error) {
	rows, err := s.tx.QueryContext(ctx, `SELECT DISTINCT blob_key FROM samples ORDER BY blob_key`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var keys []string
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	return keys, rows.Err()
}

// WriteTable writes a table as JSON lines, one object per row; binary values are base64 and
// times RFC 3339, so the file reads back into either database. It returns the row count.
func (s *Snapshot) WriteTable(ctx context.Context, table string, w io.Writer) (int, error) {
	cols, err := s.columns(ctx, table)
	if err != nil {
		return 0, err
	}
	// Table and column names come from BackupTables and the database's own catalogue only.
	rows, err := s.tx.QueryContext(ctx, `SELECT `+strings.Join(cols, ", ")+` FROM `+table)
	if err != nil {
		return 0, fmt.Errorf("read %s: %w", table, err)
	}
	defer rows.Close()
	enc := json.NewEncoder(w)
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, fmt.Errorf("read %s: %w", table, err)
		}
		row := make(map[string]any, len(cols))
		for i, c := range cols {
			switch v := vals[i].(type) {
			case time.Time:
				row[c] = v.UTC().Format(time.RFC3339Nano)
			default:
				row[c] = v // []byte becomes base64 in JSON
			}
		}
		if err := enc.Encode(row); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// columns lists a table's columns but those the database generates (PostgreSQL's search
// vector), which the database makes again on restore.
func (s *Snapshot) columns(ctx context.Context, table string) ([]string, error) {
	q := `SELECT name FROM pragma_table_info(?) ORDER BY cid`
	if s.db.kind == config.Postgres {
		q = `SELECT column_name FROM information_schema.columns
 WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`
	}
	rows, err := s.tx.QueryContext(ctx, q, table)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, fmt.Errorf("columns of %s: %w", table, err)
		}
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	if len(cols) == 0 {
		return nil, fmt.Errorf("columns of %s: no such table", table)
	}
	return cols, nil
}

// RestoreTable inserts JSON-lines rows written by WriteTable into an empty table, converting
// each value to the column's type in this database.
func (db *DB) RestoreTable(ctx context.Context, table string, r io.Reader) (int, error) {
	types, err := db.columnTypes(ctx, table)
	if err != nil {
		return 0, err
	}
	dec := json.NewDecoder(r)
	dec.UseNumber()
	n := 0
	err = db.withTx(ctx, func(tx *sql.Tx) error {
		for dec.More() {
			var row map[string]any
			if err := dec.Decode(&row); err != nil {
				return fmt.Errorf("restore %s row %d: %w", table, n+1, err)
			}
			cols := make([]string, 0, len(row))
			args := make([]any, 0, len(row))
			for c, v := range row {
				typ, ok := types[c]
				if !ok {
					return fmt.Errorf("restore %s: column %q does not exist here", table, c)
				}
				val, err := convertValue(v, typ)
				if err != nil {
					return fmt.Errorf("restore %s.%s: %w", table, c, err)
				}
				cols = append(cols, c)
				args = append(args, val)
			}
			q := `INSERT INTO ` + table + ` (` + strings.Join(cols, ", ") + `) VALUES (` + placeholders(len(cols)) + `)`
			if _, err := tx.ExecContext(ctx, db.rebind(q), args...); err != nil {
				return fmt.Errorf("restore %s row %d: %w", table, n+1, err)
			}
			n++
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	if db.kind == config.Postgres && types["id"] != "" {
		// Inserting explicit ids does not move an identity's sequence.
		if _, err := db.write.ExecContext(ctx, `SELECT setval(pg_get_serial_sequence('`+table+`', 'id'),
 GREATEST((SELECT COALESCE(MAX(id), 0) FROM `+table+`), 1), (SELECT COUNT(*) > 0 FROM `+table+`))`); err != nil {
			return n, fmt.Errorf("restore %s: reset id sequence: %w", table, err)
		}
	}
	return n, nil
}

// columnTypes maps a table's columns to their database type names.
func (db *DB) columnTypes(ctx context.Context, table string) (map[string]string, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT * FROM `+table+` WHERE 1 = 0`)
	if err != nil {
		return nil, fmt.Errorf("columns of %s: %w", table, err)
	}
	defer rows.Close()
	cts, err := rows.ColumnTypes()
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(cts))
	for _, ct := range cts {
		out[ct.Name()] = strings.ToUpper(ct.DatabaseTypeName())
	}
	return out, nil
}

// convertValue turns a JSON value into what the column type takes.
func convertValue(v any, typ string) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch {
	case typ == "BOOL" || typ == "BOOLEAN":
		switch x := v.(type) {
		case bool:
			return x, nil
		case json.Number:
			return x.String() != "0", nil
		}
	case strings.Contains(typ, "INT"):
		switch x := v.(type) {
		case json.Number:
			return x.Int64()
		case bool:
			if x {
				return int64(1), nil
			}
			return int64(0), nil
		}
	case typ == "REAL" || strings.HasPrefix(typ, "FLOAT") || typ == "DOUBLE PRECISION" || typ == "NUMERIC":
		if x, ok := v.(json.Number); ok {
			return x.Float64()
		}
	case typ == "BLOB" || typ == "BYTEA":
		if x, ok := v.(string); ok {
			return base64.StdEncoding.DecodeString(x)
		}
	case strings.Contains(typ, "TIME") || typ == "DATE":
		if x, ok := v.(string); ok {
			if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return t, nil
			}
			return time.Parse("2006-01-02 15:04:05.999999999-07:00", x) // SQLite's own text form
		}
	default: // text
		switch x := v.(type) {
		case string:
			return x, nil
		case json.Number:
			return x.String(), nil
		}
	}
	return nil, fmt.Errorf("value %v does not fit a %s column", v, typ)
}

// Empty reports whether the library tables hold no rows (restore only goes into an empty one).
func (db *DB) Empty(ctx context.Context) (bool, error) {
	for _, t := range BackupTables {
		var one int
		err := db.read.QueryRowContext(ctx, `SELECT 1 FROM `+t+` LIMIT 1`).Scan(&one)
		if err == nil {
			return false, nil
		}
		if err != sql.ErrNoRows {
			return false, fmt.Errorf("check %s: %w", t, err)
		}
	}
	return true, nil
}
