package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/sp404agent/sp404agent/internal/export"
	"github.com/sp404agent/sp404agent/internal/library"
)

// exportResult is what a finished export records.
type exportResult struct {
	Files      []export.PlannedFile `json:"files"`
	TotalBytes int64                `json:"total_bytes"`
	Skipped    []string             `json:"skipped"`
	Warnings   []string             `json:"warnings"`
}

// CreateExport records a queued export, sets its id and runs then (its job) in the same
// transaction.
func (s *Store) CreateExport(ctx context.Context, e *library.Export, then library.EnqueueTx) error {
	opts, err := jsonString(e.Request)
	if err != nil {
		return err
	}
	now := stamp()
	e.CreatedAt, e.UpdatedAt = now, now
	return s.db.withTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.db.rebind(`INSERT INTO exports (kit_id, kit_name, target, options, state,
 done, total, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			e.KitID, e.KitName, e.Target, opts, e.State, e.Done, e.Total, now, now).Scan(&e.ID)
		if err != nil {
			return fmt.Errorf("create export: %w", err)
		}
		return runHook(ctx, tx, then, e.ID)
	})
}

// Export loads one export.
func (s *Store) Export(ctx context.Context, id int64) (*library.Export, error) {
	var (
		e      library.Export
		kitID  sql.NullInt64
		opts   string
		result sql.NullString
	)
	err := s.db.read.QueryRowContext(ctx, s.db.rebind(`SELECT id, kit_id, kit_name, target, options, state, done, total,
 result, error, created_at, updated_at FROM exports WHERE id = ?`), id).Scan(&e.ID, &kitID, &e.KitName, &e.Target,
		&opts, &e.State, &e.Done, &e.Total, &result, &e.Error, &e.CreatedAt, &e.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, library.Errorf(library.CodeNotFound, "export %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load export %d: %w", id, err)
	}
	e.CreatedAt, e.UpdatedAt = e.CreatedAt.UTC(), e.UpdatedAt.UTC()
	if kitID.Valid {
		e.KitID = &kitID.Int64
	}
	if err := json.Unmarshal([]byte(opts), &e.Request); err != nil {
		return nil, fmt.Errorf("export %d options: %w", id, err)
	}
	var r exportResult
	if result.Valid {
		if err := json.Unmarshal([]byte(result.String), &r); err != nil {
			return nil, fmt.Errorf("export %d result: %w", id, err)
		}
	}
	e.Files, e.TotalBytes, e.Skipped, e.Warnings = nonNil(r.Files), r.TotalBytes, nonNil(r.Skipped), nonNil(r.Warnings)
	return &e, nil
}

// UpdateExport records an export's state, progress and result.
func (s *Store) UpdateExport(ctx context.Context, e *library.Export) error {
	result, err := jsonString(exportResult{Files: e.Files, TotalBytes: e.TotalBytes, Skipped: e.Skipped, Warnings: e.Warnings})
	if err != nil {
		return err
	}
	e.UpdatedAt = stamp()
	_, err = s.db.write.ExecContext(ctx, s.db.rebind(`UPDATE exports SET state = ?, done = ?, total = ?, result = ?,
 error = ?, updated_at = ? WHERE id = ?`), e.State, e.Done, e.Total, result, e.Error, e.UpdatedAt, e.ID)
	if err != nil {
		return fmt.Errorf("update export %d: %w", e.ID, err)
	}
	return nil
}

// ExportIDsInState lists exports in any of the states, oldest first.
func (s *Store) ExportIDsInState(ctx context.Context, states ...string) ([]int64, error) {
	return s.idsIn(ctx, "exports", "state", toAny(states))
}
