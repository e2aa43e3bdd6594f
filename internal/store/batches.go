package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/sp404agent/sp404agent/internal/library"
)

// CreateBatch records a queued batch, sets its id and runs then (its job) in the same transaction.
func (s *Store) CreateBatch(ctx context.Context, b *library.Batch, then library.EnqueueTx) error {
	tags, err := jsonString(nonNil(b.Tags))
	if err != nil {
		return err
	}
	now := stamp()
	return s.db.withTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.db.rebind(`INSERT INTO batches (root, tags, tags_from_folders, state,
 created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`), b.Root, tags, b.TagsFromFolders, b.State, now, now).Scan(&b.ID)
		if err != nil {
			return fmt.Errorf("create batch: %w", err)
		}
		return runHook(ctx, tx, then, b.ID)
	})
}

const batchColumns = `b.id, b.root, b.tags, b.tags_from_folders, b.state, b.error, b.created_at, b.started_at,
 b.finished_at, b.updated_at,
 (SELECT COUNT(*) FROM batch_items i WHERE i.batch_id = b.id),
 (SELECT COUNT(*) FROM batch_items i WHERE i.batch_id = b.id AND i.state = 'added'),
 (SELECT COUNT(*) FROM batch_items i WHERE i.batch_id = b.id AND i.state = 'duplicate'),
 (SELECT COUNT(*) FROM batch_items i WHERE i.batch_id = b.id AND i.state = 'failed'),
 (SELECT COUNT(*) FROM batch_items i WHERE i.batch_id = b.id AND i.state = 'skipped')`

func scanBatch(row scanner) (*library.Batch, error) {
	var (
		b                 library.Batch
		tags              string
		started, finished sql.NullTime
	)
	if err := row.Scan(&b.ID, &b.Root, &tags, &b.TagsFromFolders, &b.State, &b.Error, &b.CreatedAt, &started, &finished,
		&b.UpdatedAt, &b.Total, &b.Added, &b.Duplicates, &b.Failed, &b.Skipped); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(tags), &b.Tags); err != nil {
		return nil, fmt.Errorf("batch %d tags: %w", b.ID, err)
	}
	b.CreatedAt, b.UpdatedAt = b.CreatedAt.UTC(), b.UpdatedAt.UTC()
	if started.Valid {
		t := started.Time.UTC()
		b.StartedAt = &t
	}
	if finished.Valid {
		t := finished.Time.UTC()
		b.FinishedAt = &t
	}
	b.Done = b.Added + b.Duplicates + b.Failed + b.Skipped
	if b.StartedAt != nil && b.Done > 0 {
		end := time.Now()
		if b.FinishedAt != nil {
			end = *b.FinishedAt
		}
		if secs := end.Sub(*b.StartedAt).Seconds(); secs > 0 {
			b.Rate = float64(b.Done) / secs
			if !b.Finished() && b.Rate > 0 {
				eta := float64(b.Total-b.Done) / b.Rate
				b.ETASeconds = &eta
			}
		}
	}
	b.Failures = []library.BatchItem{}
	return &b, nil
}

// Batch loads a batch with its counts and (up to 100) failures.
func (s *Store) Batch(ctx context.Context, id int64) (*library.Batch, error) {
	b, err := scanBatch(s.db.read.QueryRowContext(ctx, s.db.rebind(`SELECT `+batchColumns+` FROM batches b WHERE b.id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, library.Errorf(library.CodeNotFound, "batch %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load batch %d: %w", id, err)
	}
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(`SELECT path, state, sample_id, reason FROM batch_items
 WHERE batch_id = ? AND state IN ('failed', 'skipped') ORDER BY path LIMIT 100`), id)
	if err != nil {
		return nil, fmt.Errorf("load batch %d failures: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var it library.BatchItem
		var sample sql.NullInt64
		if err := rows.Scan(&it.Path, &it.State, &sample, &it.Reason); err != nil {
			return nil, err
		}
		b.Failures = append(b.Failures, it)
	}
	return b, rows.Err()
}

// Batches lists batches, newest first.
func (s *Store) Batches(ctx context.Context, page, limit int) ([]library.Batch, int, error) {
	var total int
	if err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM batches`).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count batches: %w", err)
	}
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(`SELECT `+batchColumns+` FROM batches b ORDER BY b.id DESC LIMIT ? OFFSET ?`),
		limit, (page-1)*limit)
	if err != nil {
		return nil, 0, fmt.Errorf("list batches: %w", err)
	}
	defer rows.Close()
	var out []library.Batch
	for rows.Next() {
		b, err := scanBatch(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("list batches: %w", err)
		}
		out = append(out, *b)
	}
	return out, total, rows.Err()
}

// SetBatchState moves a batch to a state, stamping its start and end.
func (s *Store) SetBatchState(ctx context.Context, id int64, state, errText string) error {
	return s.setBatchState(ctx, s.db.write, id, state, errText)
}

// setBatchState is SetBatchState through q, so a transaction can include it.
func (s *Store) setBatchState(ctx context.Context, q querier, id int64, state, errText string) error {
	now := stamp()
	sets := []string{"state = ?", "error = ?", "updated_at = ?"}
	args := []any{state, errText, now}
	switch state {
	case library.BatchScanning, library.BatchRunning:
		sets = append(sets, "started_at = COALESCE(started_at, ?)", "finished_at = NULL")
		args = append(args, now)
	case library.BatchDone, library.BatchCancelled, library.BatchFailed:
		sets = append(sets, "finished_at = ?")
		args = append(args, now)
	}
	res, err := q.ExecContext(ctx, s.db.rebind(`UPDATE batches SET `+strings.Join(sets, ", ")+` WHERE id = ?`), append(args, id)...)
	if err != nil {
		return fmt.Errorf("set batch %d state: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return library.Errorf(library.CodeNotFound, "batch %d not found", id)
	}
	return nil
}

// AddBatchItems records files found by the scan; files already recorded are left alone.
func (s *Store) AddBatchItems(ctx context.Context, id int64, paths []string) error {
	if len(paths) == 0 {
		return nil
	}
	args := make([]any, 0, 2*len(paths))
	for _, p := range paths {
		args = append(args, id, p)
	}
	q := `INSERT INTO batch_items (batch_id, path, state) VALUES ` +
		strings.TrimSuffix(strings.Repeat("(?, ?, 'pending'), ", len(paths)), ", ") + ` ON CONFLICT (batch_id, path) DO NOTHING`
	if _, err := s.db.write.ExecContext(ctx, s.db.rebind(q), args...); err != nil {
		return fmt.Errorf("add batch %d items: %w", id, err)
	}
	return nil
}

// PendingBatchItems lists files not yet processed, in path order.
func (s *Store) PendingBatchItems(ctx context.Context, id int64, limit int) ([]string, error) {
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(`SELECT path FROM batch_items WHERE batch_id = ? AND state = 'pending'
 ORDER BY path LIMIT ?`), id, limit)
	if err != nil {
		return nil, fmt.Errorf("pending batch %d items: %w", id, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// SetBatchItem records what became of a file.
func (s *Store) SetBatchItem(ctx context.Context, id int64, it library.BatchItem) error {
	// One transaction, so one commit (one WAL flush on PostgreSQL) per imported file.
	return s.db.withTx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, s.db.rebind(`UPDATE batch_items SET state = ?, sample_id = ?, reason = ?
 WHERE batch_id = ? AND path = ?`), it.State, it.SampleID, it.Reason, id, it.Path)
		if err != nil {
			return fmt.Errorf("record batch %d item: %w", id, err)
		}
		if _, err = tx.ExecContext(ctx, s.db.rebind(`UPDATE batches SET updated_at = ? WHERE id = ?`), stamp(), id); err != nil {
			return fmt.Errorf("record batch %d item: %w", id, err)
		}
		return nil
	})
}

// RetryBatchItems makes the failed files pending again and returns how many.
func (s *Store) RetryBatchItems(ctx context.Context, id int64, then library.EnqueueTx) (int, error) {
	var n int64
	err := s.db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.db.rebind(`UPDATE batch_items SET state = 'pending', reason = ''
 WHERE batch_id = ? AND state = 'failed'`), id)
		if err != nil {
			return fmt.Errorf("retry batch %d: %w", id, err)
		}
		if n, _ = res.RowsAffected(); n == 0 {
			return nil
		}
		if err := s.setBatchState(ctx, tx, id, library.BatchRunning, ""); err != nil {
			return err
		}
		return runHook(ctx, tx, then, id)
	})
	if err != nil {
		return 0, err
	}
	return int(n), nil
}

// BatchIDsInState lists batches in any of the states, oldest first.
func (s *Store) BatchIDsInState(ctx context.Context, states ...string) ([]int64, error) {
	return s.idsIn(ctx, "batches", "state", toAny(states))
}
