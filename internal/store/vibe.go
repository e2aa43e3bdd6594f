package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/sp404agent/sp404agent/internal/library"
	"github.com/sp404agent/sp404agent/internal/vibe"
)

// RecordCall stores one AI call.
func (s *Store) RecordCall(ctx context.Context, c vibe.Call) error {
	_, err := s.db.write.ExecContext(ctx, s.db.rebind(`INSERT INTO ai_calls (time, model, operation, sample_id,
 input_tokens, output_tokens, cost_usd, cost_source, latency_ms, outcome, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		c.Time.UTC(), c.Model, c.Operation, c.SampleID, c.InputTokens, c.OutputTokens, c.CostUSD, c.CostSource,
		c.Latency.Milliseconds(), c.Outcome, c.Error)
	if err != nil {
		return fmt.Errorf("record AI call: %w", err)
	}
	return nil
}

// SpentThisMonth sums the cost of this calendar month's calls (UTC).
func (s *Store) SpentThisMonth(ctx context.Context, now time.Time) (float64, error) {
	var usd float64
	err := s.db.read.QueryRowContext(ctx, s.db.rebind(`SELECT COALESCE(SUM(cost_usd), 0) FROM ai_calls WHERE time >= ?`),
		vibe.MonthStart(now)).Scan(&usd)
	if err != nil {
		return 0, fmt.Errorf("monthly AI spend: %w", err)
	}
	return usd, nil
}

// TokensToday sums today's tokens (UTC).
func (s *Store) TokensToday(ctx context.Context, now time.Time) (int64, error) {
	var n int64
	err := s.db.read.QueryRowContext(ctx, s.db.rebind(`SELECT COALESCE(SUM(input_tokens + output_tokens), 0) FROM ai_calls WHERE time >= ?`),
		vibe.DayStart(now)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("daily AI tokens: %w", err)
	}
	return n, nil
}

const callColumns = `time, model, operation, sample_id, input_tokens, output_tokens, cost_usd, cost_source, latency_ms, outcome, error`

func (s *Store) calls(ctx context.Context, q string, args ...any) ([]vibe.Call, error) {
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(q), args...)
	if err != nil {
		return nil, fmt.Errorf("list AI calls: %w", err)
	}
	defer rows.Close()
	out := []vibe.Call{}
	for rows.Next() {
		var c vibe.Call
		var sample sql.NullInt64
		var ms int64
		if err := rows.Scan(&c.Time, &c.Model, &c.Operation, &sample, &c.InputTokens, &c.OutputTokens, &c.CostUSD,
			&c.CostSource, &ms, &c.Outcome, &c.Error); err != nil {
			return nil, fmt.Errorf("list AI calls: %w", err)
		}
		c.Time, c.Latency = c.Time.UTC(), time.Duration(ms)*time.Millisecond
		if sample.Valid {
			c.SampleID = &sample.Int64
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CallsBetween lists calls with from ≤ time < to, oldest first.
func (s *Store) CallsBetween(ctx context.Context, from, to time.Time) ([]vibe.Call, error) {
	return s.calls(ctx, `SELECT `+callColumns+` FROM ai_calls WHERE time >= ? AND time < ? ORDER BY time, id`, from.UTC(), to.UTC())
}

// RecentCalls lists the newest calls first.
func (s *Store) RecentCalls(ctx context.Context, limit int) ([]vibe.Call, error) {
	return s.calls(ctx, `SELECT `+callColumns+` FROM ai_calls ORDER BY time DESC, id DESC LIMIT ?`, limit)
}

// SaveVibe stores a sample's vibe, replacing the previous one.
func (s *Store) SaveVibe(ctx context.Context, sampleID int64, v *library.SampleVibe) error {
	raw, err := json.Marshal(v.Vibe)
	if err != nil {
		return err
	}
	v.UpdatedAt = stamp()
	_, err = s.db.write.ExecContext(ctx, s.db.rebind(`INSERT INTO sample_vibes (sample_id, vibe, fallback, updated_at)
 VALUES (?, ?, ?, ?) ON CONFLICT (sample_id) DO UPDATE SET vibe = excluded.vibe, fallback = excluded.fallback,
 updated_at = excluded.updated_at`), sampleID, string(raw), v.Fallback, v.UpdatedAt)
	if err != nil {
		return fmt.Errorf("save vibe of sample %d: %w", sampleID, err)
	}
	return nil
}

// SampleVibe loads a sample's vibe; nil when it has none.
func (s *Store) SampleVibe(ctx context.Context, sampleID int64) (*library.SampleVibe, error) {
	var raw string
	v := &library.SampleVibe{}
	err := s.db.read.QueryRowContext(ctx, s.db.rebind(`SELECT vibe, fallback, updated_at FROM sample_vibes WHERE sample_id = ?`),
		sampleID).Scan(&raw, &v.Fallback, &v.UpdatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load vibe of sample %d: %w", sampleID, err)
	}
	v.UpdatedAt = v.UpdatedAt.UTC()
	if err := json.Unmarshal([]byte(raw), &v.Vibe); err != nil {
		return nil, fmt.Errorf("vibe of sample %d: %w", sampleID, err)
	}
	return v, nil
}

// VibeCandidates streams what vibe search ranks: every analysed sample with its tags and vibe.
func (s *Store) VibeCandidates(ctx context.Context, fn func(c vibe.Candidate)) error {
	rows, err := s.db.read.QueryContext(ctx, `SELECT s.id, s.file_name, s.sample_type, s.category, s.bpm, s.musical_key, s.scale,
 v.vibe FROM samples s LEFT JOIN sample_vibes v ON v.sample_id = s.id WHERE s.analysis_state = 'done' ORDER BY s.id`)
	if err != nil {
		return fmt.Errorf("vibe candidates: %w", err)
	}
	var cands []vibe.Candidate
	for rows.Next() {
		var (
			c                    vibe.Candidate
			typ, cat, key, scale sql.NullString
			bpm                  sql.NullFloat64
			raw                  sql.NullString
		)
		if err := rows.Scan(&c.ID, &c.Name, &typ, &cat, &bpm, &key, &scale, &raw); err != nil {
			rows.Close()
			return fmt.Errorf("vibe candidates: %w", err)
		}
		c.Type, c.Category, c.Key, c.Scale, c.BPM = typ.String, cat.String, key.String, scale.String, nullFloat(bpm)
		if raw.Valid {
			c.Vibe = new(vibe.Vibe)
			if err := json.Unmarshal([]byte(raw.String), c.Vibe); err != nil {
				rows.Close()
				return fmt.Errorf("vibe of sample %d: %w", c.ID, err)
			}
		}
		cands = append(cands, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	// Tags in one pass, then hand the candidates over.
	byID := make(map[int64]*vibe.Candidate, len(cands))
	for i := range cands {
		byID[cands[i].ID] = &cands[i]
	}
	trows, err := s.db.read.QueryContext(ctx, `SELECT sample_id, tag FROM sample_tags ORDER BY sample_id, tag`)
	if err != nil {
		return fmt.Errorf("vibe candidates: %w", err)
	}
	for trows.Next() {
		var id int64
		var tag string
		if err := trows.Scan(&id, &tag); err != nil {
			trows.Close()
			return err
		}
		if c := byID[id]; c != nil {
			c.Tags = append(c.Tags, tag)
		}
	}
	trows.Close()
	for _, c := range cands {
		fn(c)
	}
	return trows.Err()
}

// Preferences loads the stored preferences; nil when none were saved.
func (s *Store) Preferences(ctx context.Context) (*library.Preferences, error) {
	var raw string
	err := s.db.read.QueryRowContext(ctx, `SELECT data FROM preferences WHERE id = 1`).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load preferences: %w", err)
	}
	var p library.Preferences
	if err := json.Unmarshal([]byte(raw), &p); err != nil {
		return nil, fmt.Errorf("preferences: %w", err)
	}
	return &p, nil
}

// SavePreferences stores the preferences.
func (s *Store) SavePreferences(ctx context.Context, p *library.Preferences) error {
	raw, err := json.Marshal(p)
	if err != nil {
		return err
	}
	_, err = s.db.write.ExecContext(ctx, s.db.rebind(`INSERT INTO preferences (id, data, updated_at) VALUES (1, ?, ?)
 ON CONFLICT (id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at`), string(raw), stamp())
	if err != nil {
		return fmt.Errorf("save preferences: %w", err)
	}
	return nil
}
