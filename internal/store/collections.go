package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/sp404agent/sp404agent/internal/library"
)

const collectionColumns = `id, name, description, kind, rules, parent_id, created_at, updated_at`

func scanCollection(row scanner) (*library.Collection, error) {
	var (
		c      library.Collection
		rules  sql.NullString
		parent sql.NullInt64
	)
	if err := row.Scan(&c.ID, &c.Name, &c.Description, &c.Kind, &rules, &parent, &c.CreatedAt, &c.UpdatedAt); err != nil {
		return nil, err
	}
	c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	if parent.Valid {
		c.ParentID = &parent.Int64
	}
	if rules.Valid && rules.String != "" {
		c.Rules = new(library.Rules)
		if err := json.Unmarshal([]byte(rules.String), c.Rules); err != nil {
			return nil, fmt.Errorf("collection %d rules: %w", c.ID, err)
		}
	}
	return &c, nil
}

func encodeRules(r *library.Rules) (any, error) {
	if r == nil {
		return nil, nil
	}
	b, err := json.Marshal(r)
	if err != nil {
		return nil, fmt.Errorf("encode rules: %w", err)
	}
	return string(b), nil
}

// CreateCollection stores a validated collection.
func (s *Store) CreateCollection(ctx context.Context, in library.CollectionInput) (*library.Collection, error) {
	rules, err := encodeRules(in.Rules)
	if err != nil {
		return nil, err
	}
	var id int64
	err = s.db.withTx(ctx, func(tx *sql.Tx) error {
		if in.ParentID != nil {
			if err := collectionExists(ctx, s.db, tx, *in.ParentID, "parent collection"); err != nil {
				return err
			}
		}
		now := stamp()
		return tx.QueryRowContext(ctx, s.db.rebind(`INSERT INTO collections (name, description, kind, rules,
 parent_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`),
			in.Name, in.Description, in.Kind, rules, in.ParentID, now, now).Scan(&id)
	})
	if err != nil {
		return nil, fmt.Errorf("create collection: %w", err)
	}
	return s.Collection(ctx, id)
}

func collectionExists(ctx context.Context, db *DB, q querier, id int64, what string) error {
	var one int
	err := q.QueryRowContext(ctx, db.rebind(`SELECT 1 FROM collections WHERE id = ?`), id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return library.Errorf(library.CodeNotFound, "%s %d not found", what, id)
	}
	return err
}

// Collection loads one collection with its sample count.
func (s *Store) Collection(ctx context.Context, id int64) (*library.Collection, error) {
	c, err := scanCollection(s.db.read.QueryRowContext(ctx, s.db.rebind(`SELECT `+collectionColumns+` FROM collections WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, library.Errorf(library.CodeNotFound, "collection %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load collection %d: %w", id, err)
	}
	if err := s.countCollection(ctx, c); err != nil {
		return nil, err
	}
	return c, nil
}

func (s *Store) countCollection(ctx context.Context, c *library.Collection) error {
	if c.Kind == library.KindSmart {
		n, err := s.CountRules(ctx, *c.Rules)
		c.SampleCount = n
		return err
	}
	err := s.db.read.QueryRowContext(ctx, s.db.rebind(`SELECT COUNT(*) FROM collection_samples WHERE collection_id = ?`), c.ID).Scan(&c.SampleCount)
	if err != nil {
		return fmt.Errorf("count collection %d: %w", c.ID, err)
	}
	return nil
}

// Collections lists collections by name, all or the children of parentID (0 = top level).
func (s *Store) Collections(ctx context.Context, parentID *int64, page, limit int) ([]library.Collection, int, error) {
	where, args := "", []any{}
	switch {
	case parentID == nil:
	case *parentID == 0:
		where = " WHERE parent_id IS NULL"
	default:
		where, args = " WHERE parent_id = ?", []any{*parentID}
	}
	var total int
	if err := s.db.read.QueryRowContext(ctx, s.db.rebind(`SELECT COUNT(*) FROM collections`+where), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count collections: %w", err)
	}
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(`SELECT `+collectionColumns+` FROM collections`+where+
		` ORDER BY LOWER(name), id LIMIT ? OFFSET ?`), append(args, limit, (page-1)*limit)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list collections: %w", err)
	}
	var out []library.Collection
	for rows.Next() {
		c, err := scanCollection(rows)
		if err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("list collections: %w", err)
		}
		out = append(out, *c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list collections: %w", err)
	}
	for i := range out {
		if err := s.countCollection(ctx, &out[i]); err != nil {
			return nil, 0, err
		}
	}
	return out, total, nil
}

// UpdateCollection applies a validated patch, refusing a move that would make a cycle.
func (s *Store) UpdateCollection(ctx context.Context, id int64, p library.CollectionPatch) (*library.Collection, error) {
	err := s.db.withTx(ctx, func(tx *sql.Tx) error {
		cur, err := scanCollection(tx.QueryRowContext(ctx, s.db.rebind(`SELECT `+collectionColumns+` FROM collections WHERE id = ?`), id))
		if errors.Is(err, sql.ErrNoRows) {
			return library.Errorf(library.CodeNotFound, "collection %d not found", id)
		}
		if err != nil {
			return fmt.Errorf("load collection %d: %w", id, err)
		}
		sets := []string{"updated_at = ?"}
		args := []any{stamp()}
		if p.Name != nil {
			sets, args = append(sets, "name = ?"), append(args, *p.Name)
		}
		if p.Description != nil {
			sets, args = append(sets, "description = ?"), append(args, *p.Description)
		}
		if p.Rules != nil {
			if cur.Kind != library.KindSmart {
				return library.Errorf(library.CodeInvalid, "a manual collection has no rules")
			}
			rules, err := encodeRules(p.Rules)
			if err != nil {
				return err
			}
			sets, args = append(sets, "rules = ?"), append(args, rules)
		}
		if p.ParentID != nil {
			var parent any
			if *p.ParentID != 0 {
				if err := s.checkNoCycle(ctx, tx, id, *p.ParentID); err != nil {
					return err
				}
				parent = *p.ParentID
			}
			sets, args = append(sets, "parent_id = ?"), append(args, parent)
		}
		_, err = tx.ExecContext(ctx, s.db.rebind(`UPDATE collections SET `+strings.Join(sets, ", ")+` WHERE id = ?`), append(args, id)...)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("update collection %d: %w", id, err)
	}
	return s.Collection(ctx, id)
}

// checkNoCycle walks up from the new parent; meeting id means id would become its own ancestor.
func (s *Store) checkNoCycle(ctx context.Context, tx *sql.Tx, id, parent int64) error {
	seen := map[int64]bool{}
	for cur := parent; ; {
		if cur == id {
			return library.Errorf(library.CodeConflict, "collection %d cannot be moved inside itself or one of its descendants", id)
		}
		if seen[cur] {
			return library.Errorf(library.CodeConflict, "collection hierarchy has a cycle at %d", cur)
		}
		seen[cur] = true
		var next sql.NullInt64
		err := tx.QueryRowContext(ctx, s.db.rebind(`SELECT parent_id FROM collections WHERE id = ?`), cur).Scan(&next)
		if errors.Is(err, sql.ErrNoRows) {
			return library.Errorf(library.CodeNotFound, "parent collection %d not found", cur)
		}
		if err != nil {
			return err
		}
		if !next.Valid {
			return nil
		}
		cur = next.Int64
	}
}

// DeleteCollection removes a collection; its samples stay in the library.
func (s *Store) DeleteCollection(ctx context.Context, id int64) error {
	res, err := s.db.write.ExecContext(ctx, s.db.rebind(`DELETE FROM collections WHERE id = ?`), id)
	if err != nil {
		return fmt.Errorf("delete collection %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return library.Errorf(library.CodeNotFound, "collection %d not found", id)
	}
	return nil
}

// CollectionKind returns whether a collection is manual or smart, without counting its samples.
func (s *Store) CollectionKind(ctx context.Context, id int64) (string, error) {
	return s.collectionKind(ctx, s.db.read, id)
}

func (s *Store) collectionKind(ctx context.Context, q querier, id int64) (string, error) {
	var kind string
	err := q.QueryRowContext(ctx, s.db.rebind(`SELECT kind FROM collections WHERE id = ?`), id).Scan(&kind)
	if errors.Is(err, sql.ErrNoRows) {
		return "", library.Errorf(library.CodeNotFound, "collection %d not found", id)
	}
	if err != nil {
		return "", fmt.Errorf("load collection %d: %w", id, err)
	}
	return kind, nil
}

func (s *Store) manualCollection(ctx context.Context, q querier, id int64) error {
	kind, err := s.collectionKind(ctx, q, id)
	if err != nil {
		return err
	}
	if kind != library.KindManual {
		return library.Errorf(library.CodeConflict, "collection %d is smart: its rules decide its samples", id)
	}
	return nil
}

// AddToCollection appends samples to a manual collection; unknown samples refuse the whole call.
func (s *Store) AddToCollection(ctx context.Context, id int64, sampleIDs []int64) error {
	return s.db.withTx(ctx, func(tx *sql.Tx) error {
		if err := s.manualCollection(ctx, tx, id); err != nil {
			return err
		}
		if err := s.samplesExist(ctx, tx, sampleIDs); err != nil {
			return err
		}
		var next int
		if err := tx.QueryRowContext(ctx, s.db.rebind(`SELECT COALESCE(MAX(position), 0) FROM collection_samples WHERE collection_id = ?`), id).Scan(&next); err != nil {
			return fmt.Errorf("add to collection: %w", err)
		}
		now := stamp()
		for _, sid := range sampleIDs {
			res, err := tx.ExecContext(ctx, s.db.rebind(`INSERT INTO collection_samples (collection_id, sample_id, position, added_at)
 VALUES (?, ?, ?, ?) ON CONFLICT (collection_id, sample_id) DO NOTHING`), id, sid, next+1, now)
			if err != nil {
				return fmt.Errorf("add to collection: %w", err)
			}
			if n, _ := res.RowsAffected(); n > 0 {
				next++
			}
		}
		_, err := tx.ExecContext(ctx, s.db.rebind(`UPDATE collections SET updated_at = ? WHERE id = ?`), now, id)
		return err
	})
}

func (s *Store) samplesExist(ctx context.Context, q querier, ids []int64) error {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := q.QueryContext(ctx, s.db.rebind(`SELECT id FROM samples WHERE id IN (`+placeholders(len(ids))+`)`), args...)
	if err != nil {
		return fmt.Errorf("check samples: %w", err)
	}
	defer rows.Close()
	found := map[int64]bool{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		found[id] = true
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, id := range ids {
		if !found[id] {
			return library.Errorf(library.CodeNotFound, "sample %d not found", id)
		}
	}
	return nil
}

// RemoveFromCollection takes samples out of a manual collection.
func (s *Store) RemoveFromCollection(ctx context.Context, id int64, sampleIDs []int64) error {
	return s.db.withTx(ctx, func(tx *sql.Tx) error {
		if err := s.manualCollection(ctx, tx, id); err != nil {
			return err
		}
		args := []any{id}
		for _, sid := range sampleIDs {
			args = append(args, sid)
		}
		_, err := tx.ExecContext(ctx, s.db.rebind(`DELETE FROM collection_samples WHERE collection_id = ? AND sample_id IN (`+
			placeholders(len(sampleIDs))+`)`), args...)
		if err != nil {
			return fmt.Errorf("remove from collection: %w", err)
		}
		return nil
	})
}

// collectionScope returns what restricts a list to a collection: a smart collection's rules,
// or for a manual one a condition on the sample id (written {id}) taking the collection id.
func (s *Store) collectionScope(ctx context.Context, id int64) (extra []library.Rules, cond string, err error) {
	c, err := scanCollection(s.db.read.QueryRowContext(ctx, s.db.rebind(`SELECT `+collectionColumns+` FROM collections WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", library.Errorf(library.CodeNotFound, "collection %d not found", id)
	}
	if err != nil {
		return nil, "", fmt.Errorf("load collection %d: %w", id, err)
	}
	if c.Kind == library.KindSmart {
		return []library.Rules{*c.Rules}, "", nil
	}
	return nil, "EXISTS (SELECT 1 FROM collection_samples cs WHERE cs.collection_id = ? AND cs.sample_id = {id})", nil
}
