package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/sp404agent/sp404agent/internal/analysis"
	"github.com/sp404agent/sp404agent/internal/library"
)

// Store implements library.Store.
type Store struct {
	db *DB
	// gatherLimit and wordGatherLimit are the constants of those names, lowered by tests to take
	// the other paths with few samples.
	gatherLimit, wordGatherLimit int
}

// New returns the repositories over db.
func New(db *DB) *Store {
	return &Store{db: db, gatherLimit: gatherLimit, wordGatherLimit: wordGatherLimit}
}

var _ library.Store = (*Store)(nil)

// Ping checks the database.
func (s *Store) Ping(ctx context.Context) error { return s.db.Ping(ctx) }

const sampleColumns = `id, content_hash, file_name, blob_key, format, size_bytes, duration_s, frames,
 sample_rate, channels, bit_depth, sample_type, category, category_confidence, bpm, bpm_confidence,
 bpm_alternates, bpm_source, musical_key, scale, key_confidence, root_note, loudness_lufs,
 true_peak_dbtp, peak_dbfs, spectral, analysis_version, analysis_state, analysis_error, favorite,
 rating, notes, created_at, updated_at, analyzed_at, source_id, region_start, region_end`

type scanner interface{ Scan(dest ...any) error }

func scanSample(row scanner) (*library.Sample, error) {
	var (
		s                    library.Sample
		alternates           string
		spectral             sql.NullString
		typ, cat, key, scale sql.NullString
		root, version        sql.NullString
		bpm, lufs, tp, peak  sql.NullFloat64
		analyzed             sql.NullTime
		source, start, end   sql.NullInt64
	)
	err := row.Scan(&s.ID, &s.ContentHash, &s.FileName, &s.BlobKey, &s.Format, &s.SizeBytes,
		&s.DurationS, &s.Frames, &s.SampleRate, &s.Channels, &s.BitDepth, &typ, &cat,
		&s.CategoryConfidence, &bpm, &s.BPMConfidence, &alternates, &s.BPMSource, &key, &scale,
		&s.KeyConfidence, &root, &lufs, &tp, &peak, &spectral, &version, &s.AnalysisState,
		&s.AnalysisError, &s.Favorite, &s.Rating, &s.Notes, &s.CreatedAt, &s.UpdatedAt, &analyzed,
		&source, &start, &end)
	if err != nil {
		return nil, err
	}
	s.Type, s.Category, s.Key, s.Scale = nullString(typ), nullString(cat), nullString(key), nullString(scale)
	s.RootNote, s.AnalysisVersion = nullString(root), nullString(version)
	s.BPM, s.LoudnessLUFS, s.TruePeakDBTP, s.PeakDBFS = nullFloat(bpm), nullFloat(lufs), nullFloat(tp), nullFloat(peak)
	s.CreatedAt, s.UpdatedAt = s.CreatedAt.UTC(), s.UpdatedAt.UTC()
	if analyzed.Valid {
		t := analyzed.Time.UTC()
		s.AnalyzedAt = &t
	}
	s.SourceID, s.RegionStart, s.RegionEnd = nullInt(source), nullInt(start), nullInt(end)
	if err := json.Unmarshal([]byte(alternates), &s.BPMAlternates); err != nil {
		return nil, fmt.Errorf("sample %d bpm_alternates: %w", s.ID, err)
	}
	if s.BPMAlternates == nil {
		s.BPMAlternates = []float64{}
	}
	if spectral.Valid && spectral.String != "" {
		s.Spectral = new(analysis.Spectral)
		if err := json.Unmarshal([]byte(spectral.String), s.Spectral); err != nil {
			return nil, fmt.Errorf("sample %d spectral: %w", s.ID, err)
		}
	}
	s.Tags = []string{}
	return &s, nil
}

func nullString(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	return &v.String
}

func nullInt(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

func nullFloat(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	return &v.Float64
}

// InsertSample adds a sample, or loads the existing one with the same content hash. then runs in
// the same transaction for a new sample only. A new sample is read back from its INSERT, with
// its search words: an import adds thousands, and each round trip costs the database server CPU
// that the analyses need.
func (s *Store) InsertSample(ctx context.Context, smp *library.Sample, then library.EnqueueTx) (bool, error) {
	var existing bool
	err := s.db.withTx(ctx, func(tx *sql.Tx) (err error) {
		existing, err = s.insertSampleTx(ctx, tx, smp, then)
		return err
	})
	return existing, err
}

// insertSampleTx is InsertSample inside tx. The file's properties (frames, rate…) are written
// as given: zero for an upload, which its analysis fills in; a slice's region for a slice.
func (s *Store) insertSampleTx(ctx context.Context, tx *sql.Tx, smp *library.Sample, then library.EnqueueTx) (existing bool, err error) {
	tags := slices.Sorted(slices.Values(smp.Tags))
	terms := SearchText(&library.Sample{FileName: smp.FileName, Tags: tags})
	got, err := scanSample(tx.QueryRowContext(ctx, s.db.rebind(`INSERT INTO samples (content_hash, file_name,
 name_lower, blob_key, format, size_bytes, duration_s, frames, sample_rate, channels, bit_depth,
 analysis_state, bpm_source, created_at, updated_at, source_id, region_start, region_end, search_terms)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (content_hash) DO NOTHING RETURNING `+sampleColumns),
		smp.ContentHash, smp.FileName, strings.ToLower(smp.FileName), smp.BlobKey, smp.Format,
		smp.SizeBytes, smp.DurationS, smp.Frames, smp.SampleRate, smp.Channels, smp.BitDepth,
		smp.AnalysisState, smp.BPMSource, smp.CreatedAt, smp.UpdatedAt, smp.SourceID, smp.RegionStart, smp.RegionEnd, terms))
	switch {
	case errors.Is(err, sql.ErrNoRows):
		existing = true
		var id int64
		if err := tx.QueryRowContext(ctx, s.db.rebind(`SELECT id FROM samples WHERE content_hash = ?`),
			smp.ContentHash).Scan(&id); err != nil {
			return false, fmt.Errorf("find duplicate: %w", err)
		}
		if got, err = s.sampleTx(ctx, tx, id); err != nil {
			return false, err
		}
	case err != nil:
		return false, fmt.Errorf("insert sample: %w", err)
	default:
		got.Tags = append(got.Tags, tags...) // scanSample's empty list: JSON [] without tags
		if err := addTags(ctx, s.db, tx, got.ID, got.Tags); err != nil {
			return false, err
		}
		if err := runHook(ctx, tx, then, got.ID); err != nil {
			return false, err
		}
	}
	*smp = *got
	return existing, nil
}

// InsertSlices writes the slices of a chop and puts them on a kit's pads, all or nothing: a
// slice whose content hash (its original and region) is stored already is reused, a new one is
// inserted with its analysis job (then).
func (s *Store) InsertSlices(ctx context.Context, kitID int64, slices []*library.Sample, pads []library.Pad, then library.EnqueueTx) ([]int64, error) {
	if len(slices) != len(pads) {
		return nil, fmt.Errorf("insert slices: %d slices for %d pads", len(slices), len(pads))
	}
	var created []int64
	err := s.db.withTx(ctx, func(tx *sql.Tx) error {
		created = created[:0]
		if _, err := s.kitTx(ctx, tx, kitID); err != nil {
			return err
		}
		for i, smp := range slices {
			if !smp.IsSlice() {
				return fmt.Errorf("insert slices: %s is not a slice", smp)
			}
			existing, err := s.insertSampleTx(ctx, tx, smp, then)
			if err != nil {
				return err
			}
			if !existing {
				created = append(created, smp.ID)
			}
			pads[i].SampleID = smp.ID
		}
		return s.writePadsTx(ctx, tx, kitID, pads, true)
	})
	return created, err
}

// setTags replaces a sample's tags.
func setTags(ctx context.Context, db *DB, tx *sql.Tx, id int64, tags []string) error {
	if _, err := tx.ExecContext(ctx, db.rebind(`DELETE FROM sample_tags WHERE sample_id = ?`), id); err != nil {
		return fmt.Errorf("clear tags: %w", err)
	}
	return addTags(ctx, db, tx, id, tags)
}

// addTags adds tags the sample does not have yet, in one statement.
func addTags(ctx context.Context, db *DB, tx *sql.Tx, id int64, tags []string) error {
	if len(tags) == 0 {
		return nil
	}
	args := make([]any, 0, 2*len(tags))
	for _, t := range tags {
		args = append(args, id, t)
	}
	q := `INSERT INTO sample_tags (sample_id, tag) VALUES ` + strings.TrimSuffix(strings.Repeat("(?, ?), ", len(tags)), ", ")
	if _, err := tx.ExecContext(ctx, db.rebind(q), args...); err != nil {
		return fmt.Errorf("add tags: %w", err)
	}
	return nil
}

// Sample loads one sample.
func (s *Store) Sample(ctx context.Context, id int64) (*library.Sample, error) {
	return s.sampleTx(ctx, s.db.read, id)
}

func (s *Store) sampleTx(ctx context.Context, q querier, id int64) (*library.Sample, error) {
	smp, err := scanSample(q.QueryRowContext(ctx, s.db.rebind(`SELECT `+sampleColumns+` FROM samples WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, library.Errorf(library.CodeNotFound, "sample %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load sample %d: %w", id, err)
	}
	if err := s.loadTags(ctx, q, []*library.Sample{smp}); err != nil {
		return nil, err
	}
	return smp, nil
}

// Storage counts samples, and files once each by their blob key (chopped slices share one).
func (s *Store) Storage(ctx context.Context) (library.StorageStats, error) {
	var st library.StorageStats
	err := s.db.read.QueryRowContext(ctx, `SELECT
 (SELECT count(*) FROM samples),
 count(*), coalesce(sum(size_bytes), 0)
 FROM (SELECT blob_key, max(size_bytes) AS size_bytes FROM samples GROUP BY blob_key) AS files`).
		Scan(&st.Samples, &st.Files, &st.Bytes)
	if err != nil {
		return st, fmt.Errorf("count storage: %w", err)
	}
	return st, nil
}

// loadTags fills the tags of a page of samples with one query.
func (s *Store) loadTags(ctx context.Context, q querier, smps []*library.Sample) error {
	if len(smps) == 0 {
		return nil
	}
	byID := make(map[int64]*library.Sample, len(smps))
	args := make([]any, len(smps))
	for i, smp := range smps {
		byID[smp.ID] = smp
		args[i] = smp.ID
	}
	rows, err := q.QueryContext(ctx, s.db.rebind(`SELECT sample_id, tag FROM sample_tags WHERE sample_id IN (`+
		placeholders(len(smps))+`) ORDER BY sample_id, tag`), args...)
	if err != nil {
		return fmt.Errorf("load tags: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var tag string
		if err := rows.Scan(&id, &tag); err != nil {
			return fmt.Errorf("load tags: %w", err)
		}
		byID[id].Tags = append(byID[id].Tags, tag)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load tags: %w", err)
	}
	// Byte order on both databases, whatever PostgreSQL's collation, as a new sample's tags are.
	for _, smp := range smps {
		slices.Sort(smp.Tags)
	}
	return nil
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// UpdateSample applies a validated patch.
func (s *Store) UpdateSample(ctx context.Context, id int64, p library.SamplePatch) (*library.Sample, error) {
	var out *library.Sample
	err := s.db.withTx(ctx, func(tx *sql.Tx) error {
		sets := []string{"updated_at = ?"}
		args := []any{stamp()}
		set := func(col string, v any) {
			sets = append(sets, col+" = ?")
			args = append(args, v)
		}
		if p.FileName != nil {
			set("file_name", *p.FileName)
			set("name_lower", strings.ToLower(*p.FileName))
		}
		if p.Favorite != nil {
			set("favorite", *p.Favorite)
		}
		if p.Rating != nil {
			set("rating", *p.Rating)
		}
		if p.Notes != nil {
			set("notes", *p.Notes)
		}
		if p.BPM != nil {
			set("bpm", *p.BPM)
			set("bpm_source", "user")
			set("bpm_confidence", 1.0)
		}
		if p.Key != nil {
			set("musical_key", *p.Key)
			set("key_confidence", 1.0)
		}
		if p.Scale != nil {
			set("scale", *p.Scale)
		}
		if p.Category != nil {
			set("category", *p.Category)
			set("category_confidence", 1.0)
		}
		args = append(args, id)
		res, err := tx.ExecContext(ctx, s.db.rebind(`UPDATE samples SET `+strings.Join(sets, ", ")+` WHERE id = ?`), args...)
		if err != nil {
			return fmt.Errorf("update sample %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return library.Errorf(library.CodeNotFound, "sample %d not found", id)
		}
		if p.Tags != nil {
			if err := setTags(ctx, s.db, tx, id, *p.Tags); err != nil {
				return err
			}
		}
		if out, err = s.sampleTx(ctx, tx, id); err != nil {
			return err
		}
		return s.indexTerms(ctx, tx, out)
	})
	return out, err
}

// DeleteSample removes a sample, with its slices when withSlices is set (else slices are a
// conflict), and returns the removed rows, the sample first.
func (s *Store) DeleteSample(ctx context.Context, id int64, withSlices bool) ([]library.Sample, error) {
	var out []library.Sample
	err := s.db.withTx(ctx, func(tx *sql.Tx) error {
		out = out[:0]
		smp, err := s.sampleTx(ctx, tx, id)
		if err != nil {
			return err
		}
		out = append(out, *smp)
		slices, err := s.slicesOf(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(slices) > 0 && !withSlices {
			return library.Errorf(library.CodeConflict, "sample %d has %d slice(s) that play its file (%s); delete with force=true to delete them too",
				id, len(slices), sliceNames(slices))
		}
		out = append(out, slices...)
		// Slices first: their key points at the sample.
		for _, q := range []string{`DELETE FROM samples WHERE source_id = ?`, `DELETE FROM samples WHERE id = ?`} {
			if _, err := tx.ExecContext(ctx, s.db.rebind(q), id); err != nil {
				return fmt.Errorf("delete sample %d: %w", id, err)
			}
		}
		return nil
	})
	return out, err
}

// slicesOf loads the slices of an original, oldest first.
func (s *Store) slicesOf(ctx context.Context, q querier, id int64) ([]library.Sample, error) {
	rows, err := q.QueryContext(ctx, s.db.rebind(`SELECT `+sampleColumns+` FROM samples WHERE source_id = ? ORDER BY id`), id)
	if err != nil {
		return nil, fmt.Errorf("slices of sample %d: %w", id, err)
	}
	defer rows.Close()
	var out []library.Sample
	for rows.Next() {
		smp, err := scanSample(rows)
		if err != nil {
			return nil, fmt.Errorf("slices of sample %d: %w", id, err)
		}
		out = append(out, *smp)
	}
	return out, rows.Err()
}

// sliceNames lists a few slices for a message.
func sliceNames(smps []library.Sample) string {
	const show = 3
	names := make([]string, 0, show+1)
	for i, smp := range smps {
		if i == show {
			names = append(names, fmt.Sprintf("and %d more", len(smps)-show))
			break
		}
		names = append(names, fmt.Sprintf("%d %s", smp.ID, smp.FileName))
	}
	return strings.Join(names, ", ")
}

// UnusedBlobs returns those of keys that no sample refers to.
func (s *Store) UnusedBlobs(ctx context.Context, keys []string) ([]string, error) {
	if len(keys) == 0 {
		return nil, nil
	}
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k
	}
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(`SELECT DISTINCT blob_key FROM samples WHERE blob_key IN (`+
		placeholders(len(keys))+`)`), args...)
	if err != nil {
		return nil, fmt.Errorf("sample files in use: %w", err)
	}
	defer rows.Close()
	used := map[string]bool{}
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, fmt.Errorf("sample files in use: %w", err)
		}
		used[k] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sample files in use: %w", err)
	}
	var out []string
	for _, k := range keys {
		if !used[k] && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out, nil
}

// SetAnalysisState records where a sample's analysis is.
func (s *Store) SetAnalysisState(ctx context.Context, id int64, state library.AnalysisState, errText string) error {
	res, err := s.db.write.ExecContext(ctx, s.db.rebind(`UPDATE samples SET analysis_state = ?, analysis_error = ?,
 updated_at = ? WHERE id = ?`), string(state), errText, stamp(), id)
	if err != nil {
		return fmt.Errorf("set analysis state of sample %d: %w", id, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return library.Errorf(library.CodeNotFound, "sample %d not found", id)
	}
	return nil
}

// StartAnalysis marks a sample analyzing and returns what reading its audio needs, in one
// statement: an import runs it once per file.
func (s *Store) StartAnalysis(ctx context.Context, id int64) (library.AnalysisSource, error) {
	var src library.AnalysisSource
	var start, end sql.NullInt64
	err := s.db.write.QueryRowContext(ctx, s.db.rebind(`UPDATE samples SET analysis_state = ?,
 analysis_error = '', updated_at = ? WHERE id = ? RETURNING file_name, blob_key, region_start, region_end`),
		string(library.StateAnalyzing), stamp(), id).Scan(&src.Name, &src.BlobKey, &start, &end)
	if errors.Is(err, sql.ErrNoRows) {
		return src, library.Errorf(library.CodeNotFound, "sample %d not found", id)
	}
	if err != nil {
		return src, fmt.Errorf("start analysis of sample %d: %w", id, err)
	}
	src.RegionStart, src.RegionEnd = start.Int64, end.Int64
	return src, nil
}

// SaveAnalysis stores a finished analysis and marks the sample done, running then in the same
// transaction. Corrections the user made (bpm_source "user") are kept.
func (s *Store) SaveAnalysis(ctx context.Context, id int64, a *library.Analysis, then library.EnqueueTx) error {
	f := a.Features
	alternates, err := json.Marshal(nonNil(f.BPMAlternates))
	if err != nil {
		return fmt.Errorf("save analysis: %w", err)
	}
	spectral, err := json.Marshal(f.Spectral)
	if err != nil {
		return fmt.Errorf("save analysis: %w", err)
	}
	peaks, err := json.Marshal(f.Peaks)
	if err != nil {
		return fmt.Errorf("save analysis: %w", err)
	}
	onsets, err := json.Marshal(nonNil(f.Onsets))
	if err != nil {
		return fmt.Errorf("save analysis: %w", err)
	}
	now := stamp()
	return s.db.withTx(ctx, func(tx *sql.Tx) error {
		smp, err := scanSample(tx.QueryRowContext(ctx, s.db.rebind(`UPDATE samples SET
 format = ?, sample_rate = ?, channels = ?, bit_depth = ?, frames = ?, duration_s = ?,
 sample_type = ?, category = ?, category_confidence = ?,
 bpm = CASE WHEN bpm_source = 'user' THEN bpm ELSE ? END,
 bpm_confidence = CASE WHEN bpm_source = 'user' THEN bpm_confidence ELSE ? END,
 bpm_alternates = ?,
 bpm_source = CASE WHEN bpm_source = 'user' THEN bpm_source ELSE ? END,
 musical_key = ?, scale = ?, key_confidence = ?, root_note = ?,
 loudness_lufs = ?, true_peak_dbtp = ?, peak_dbfs = ?, spectral = ?, brightness = ?,
 peaks = ?, onsets = ?, similarity = ?, analysis_version = ?, audio_hash = ?, fingerprint = ?,
 analysis_state = 'done', analysis_error = '', analyzed_at = ?, updated_at = ?
 WHERE id = ? RETURNING `+sampleColumns),
			string(a.Format), a.SampleRate, a.Channels, a.BitDepth, a.Frames, a.DurationS,
			f.Type, f.Category, f.CategoryConfidence,
			f.BPM, f.BPMConfidence, string(alternates), f.BPMSource,
			f.Key, f.Scale, f.KeyConfidence, f.RootNote,
			finite(f.LoudnessLUFS), finite(f.TruePeakDBTP), finite(f.PeakDBFS), string(spectral), f.Spectral.Brightness,
			string(peaks), string(onsets), encodeVector(f.Similarity), f.AnalysisVersion, nullIfEmpty(a.AudioHash), encodeVector(a.Fingerprint),
			now, now, id))
		if errors.Is(err, sql.ErrNoRows) {
			return library.Errorf(library.CodeNotFound, "sample %d not found", id)
		}
		if err != nil {
			return fmt.Errorf("save analysis of sample %d: %w", id, err)
		}
		if err := s.loadTags(ctx, tx, []*library.Sample{smp}); err != nil {
			return err
		}
		if err := s.indexTerms(ctx, tx, smp); err != nil {
			return err
		}
		return runHook(ctx, tx, then, id)
	})
}

// RequeueAnalysis marks a sample pending and runs then (its analysis job) in one transaction.
func (s *Store) RequeueAnalysis(ctx context.Context, id int64, then library.EnqueueTx) error {
	return s.db.withTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.db.rebind(`UPDATE samples SET analysis_state = ?, analysis_error = '',
 updated_at = ? WHERE id = ?`), string(library.StatePending), stamp(), id)
		if err != nil {
			return fmt.Errorf("requeue analysis of sample %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return library.Errorf(library.CodeNotFound, "sample %d not found", id)
		}
		return runHook(ctx, tx, then, id)
	})
}

// runHook runs a job-inserting hook inside tx, if there is one.
func runHook(ctx context.Context, tx *sql.Tx, then library.EnqueueTx, id int64) error {
	if then == nil {
		return nil
	}
	if err := then(ctx, tx, id); err != nil {
		return fmt.Errorf("queue job for %d: %w", id, err)
	}
	return nil
}

// indexTerms stores the words a sample is found by. The full-text index follows them: a trigger
// updates FTS5 on SQLite, and PostgreSQL's index is over the column itself.
func (s *Store) indexTerms(ctx context.Context, tx *sql.Tx, smp *library.Sample) error {
	text := SearchText(smp)
	if _, err := tx.ExecContext(ctx, s.db.rebind(`UPDATE samples SET search_terms = ? WHERE id = ? AND search_terms <> ?`),
		text, smp.ID, text); err != nil {
		return fmt.Errorf("index sample %d: %w", smp.ID, err)
	}
	return nil
}

// ReindexSearch stores the search words of the samples that have none: a backup made before
// full-text search restores its samples without them. It returns how many it indexed.
func (s *Store) ReindexSearch(ctx context.Context) (int, error) {
	ids, err := s.idsIn(ctx, "samples", "search_terms", []any{""})
	if err != nil {
		return 0, fmt.Errorf("reindex search: %w", err)
	}
	for _, id := range ids {
		if err := s.db.withTx(ctx, func(tx *sql.Tx) error {
			smp, err := s.sampleTx(ctx, tx, id)
			if err != nil {
				return err
			}
			return s.indexTerms(ctx, tx, smp)
		}); err != nil {
			return 0, err
		}
	}
	return len(ids), nil
}

// SearchText is what samples.search_terms holds: a sample's search words, space-separated,
// then its type and category as facets ("_type_loop", "_cat_hat_closed"). A facet starts with
// '_', which no word of a query does (library.Tokenize), so only a filter on type or category
// asks for one: the full-text index then hands over fewer samples to check (see addWords).
func SearchText(smp *library.Sample) string {
	words := library.SearchTerms(smp)
	if smp.Type != nil {
		words = appendFacet(words, typeFacet, *smp.Type)
	}
	if smp.Category != nil {
		words = appendFacet(words, categoryFacet, *smp.Category)
	}
	return strings.Join(words, " ")
}

// Facet prefixes; the migration that fills search_terms writes the same.
const (
	typeFacet     = "_type_"
	categoryFacet = "_cat_"
)

// appendFacet appends the facet for value when it can be one: lower-case letters, digits and '_'
// once any '-' is dropped ("one-shot" → "_type_oneshot"). Other values (none are valid) get no
// facet, and a filter on them no facet either.
func appendFacet(words []string, prefix, value string) []string {
	if f, ok := facet(prefix, value); ok {
		return append(words, f)
	}
	return words
}

func facet(prefix, value string) (string, bool) {
	v := strings.ReplaceAll(value, "-", "")
	if v == "" || len(v) > library.MaxTermLen || strings.Trim(v, "abcdefghijklmnopqrstuvwxyz0123456789_") != "" {
		return "", false
	}
	return prefix + v, true
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// finite maps NaN and ±Inf (which neither JSON nor PostgreSQL comparisons handle well) to NULL.
func finite(v float64) *float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}

// encodeVector stores float32s little-endian: compact, and identical on both databases.
func encodeVector(v []float32) []byte {
	if len(v) == 0 {
		return nil
	}
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// SamplePeaks loads the waveform peaks; nil before analysis.
func (s *Store) SamplePeaks(ctx context.Context, id int64) (*analysis.Peaks, error) {
	var raw sql.NullString
	err := s.db.read.QueryRowContext(ctx, s.db.rebind(`SELECT peaks FROM samples WHERE id = ?`), id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, library.Errorf(library.CodeNotFound, "sample %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load peaks of sample %d: %w", id, err)
	}
	if !raw.Valid || raw.String == "" {
		return nil, nil
	}
	var p analysis.Peaks
	if err := json.Unmarshal([]byte(raw.String), &p); err != nil {
		return nil, fmt.Errorf("peaks of sample %d: %w", id, err)
	}
	return &p, nil
}

// SampleIDsInState lists the samples in any of the given states, oldest first.
func (s *Store) SampleIDsInState(ctx context.Context, states ...library.AnalysisState) ([]int64, error) {
	args := make([]any, len(states))
	for i, st := range states {
		args[i] = string(st)
	}
	return s.idsIn(ctx, "samples", "analysis_state", args)
}

// idsIn lists the ids of a table's rows whose column is one of values, oldest first. Table and
// column names come from our code only.
func (s *Store) idsIn(ctx context.Context, table, column string, values []any) ([]int64, error) {
	if len(values) == 0 {
		return nil, nil
	}
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(`SELECT id FROM `+table+` WHERE `+column+` IN (`+
		placeholders(len(values))+`) ORDER BY id`), values...)
	if err != nil {
		return nil, fmt.Errorf("list %s by %s: %w", table, column, err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// BulkEdit applies a validated bulk edit in one transaction.
func (s *Store) BulkEdit(ctx context.Context, b library.BulkEdit) error {
	return s.db.withTx(ctx, func(tx *sql.Tx) error {
		if err := s.samplesExist(ctx, tx, b.SampleIDs); err != nil {
			return err
		}
		now := stamp()
		for _, id := range b.SampleIDs {
			sets, args := []string{"updated_at = ?"}, []any{now}
			if b.Favorite != nil {
				sets, args = append(sets, "favorite = ?"), append(args, *b.Favorite)
			}
			if b.Rating != nil {
				sets, args = append(sets, "rating = ?"), append(args, *b.Rating)
			}
			if _, err := tx.ExecContext(ctx, s.db.rebind(`UPDATE samples SET `+strings.Join(sets, ", ")+` WHERE id = ?`), append(args, id)...); err != nil {
				return fmt.Errorf("bulk edit sample %d: %w", id, err)
			}
			if len(b.AddTags) == 0 && len(b.RemoveTags) == 0 {
				continue
			}
			smp, err := s.sampleTx(ctx, tx, id)
			if err != nil {
				return err
			}
			tags := slices.DeleteFunc(smp.Tags, func(t string) bool { return slices.Contains(b.RemoveTags, t) })
			for _, t := range b.AddTags {
				if !slices.Contains(tags, t) {
					tags = append(tags, t)
				}
			}
			if len(tags) > library.MaxTags {
				return library.Errorf(library.CodeInvalid, "sample %d would have more than %d tags", id, library.MaxTags)
			}
			slices.Sort(tags)
			if err := setTags(ctx, s.db, tx, id, tags); err != nil {
				return err
			}
			smp.Tags = tags
			if err := s.indexTerms(ctx, tx, smp); err != nil {
				return err
			}
		}
		return nil
	})
}

// SimilarityVectors streams every stored similarity vector.
func (s *Store) SimilarityVectors(ctx context.Context, fn func(id int64, v []float32)) error {
	return s.vectors(ctx, "similarity", fn)
}

// vectors streams a float32 vector column of every sample that has one, by id. fn must copy a
// vector it keeps: the slice is reused.
func (s *Store) vectors(ctx context.Context, column string, fn func(id int64, v []float32)) error {
	rows, err := s.db.read.QueryContext(ctx, `SELECT id, `+column+` FROM samples WHERE `+column+` IS NOT NULL ORDER BY id`)
	if err != nil {
		return fmt.Errorf("load %s vectors: %w", column, err)
	}
	defer rows.Close()
	var buf []float32
	for rows.Next() {
		var id int64
		var b []byte
		if err := rows.Scan(&id, &b); err != nil {
			return fmt.Errorf("load %s vectors: %w", column, err)
		}
		buf = decodeVector(buf[:0], b)
		fn(id, buf)
	}
	return rows.Err()
}

func decodeVector(dst []float32, b []byte) []float32 {
	for i := 0; i+4 <= len(b); i += 4 {
		dst = append(dst, math.Float32frombits(binary.LittleEndian.Uint32(b[i:])))
	}
	return dst
}

// ExactDuplicates groups the samples whose decoded audio hashes alike.
func (s *Store) ExactDuplicates(ctx context.Context) ([][]int64, error) {
	rows, err := s.db.read.QueryContext(ctx, `SELECT audio_hash, id FROM samples WHERE audio_hash IN
 (SELECT audio_hash FROM samples WHERE audio_hash IS NOT NULL GROUP BY audio_hash HAVING COUNT(*) > 1)
 ORDER BY audio_hash, id`)
	if err != nil {
		return nil, fmt.Errorf("exact duplicates: %w", err)
	}
	defer rows.Close()
	var out [][]int64
	var last string
	for rows.Next() {
		var hash string
		var id int64
		if err := rows.Scan(&hash, &id); err != nil {
			return nil, err
		}
		if hash != last || len(out) == 0 {
			out = append(out, nil)
			last = hash
		}
		out[len(out)-1] = append(out[len(out)-1], id)
	}
	return out, rows.Err()
}

// Fingerprints streams every stored fingerprint.
func (s *Store) Fingerprints(ctx context.Context, fn func(id int64, fp []float32)) error {
	return s.vectors(ctx, "fingerprint", fn)
}

// MergeSamples moves pads and collection memberships from remove to keep, then deletes remove.
func (s *Store) MergeSamples(ctx context.Context, keep int64, remove []int64) ([]library.Sample, error) {
	var removed []library.Sample
	err := s.db.withTx(ctx, func(tx *sql.Tx) error {
		if err := s.samplesExist(ctx, tx, append([]int64{keep}, remove...)); err != nil {
			return err
		}
		for _, id := range remove {
			smp, err := s.sampleTx(ctx, tx, id)
			if err != nil {
				return err
			}
			// Slices play a region of their original's file: removing it would leave them
			// pointing at another file (near duplicates differ in length and trim).
			slices, err := s.slicesOf(ctx, tx, id)
			if err != nil {
				return err
			}
			if len(slices) > 0 {
				return library.Errorf(library.CodeConflict, "sample %d has %d slice(s) that play its file (%s); keep it, or delete the slices first",
					id, len(slices), sliceNames(slices))
			}
			stmts := []string{
				`UPDATE kit_pads SET sample_id = ? WHERE sample_id = ?`,
				`INSERT INTO collection_samples (collection_id, sample_id, position, added_at)
 SELECT collection_id, ?, position, added_at FROM collection_samples WHERE sample_id = ?
 ON CONFLICT (collection_id, sample_id) DO NOTHING`,
			}
			for _, q := range stmts {
				if _, err := tx.ExecContext(ctx, s.db.rebind(q), keep, id); err != nil {
					return fmt.Errorf("merge sample %d into %d: %w", id, keep, err)
				}
			}
			if _, err := tx.ExecContext(ctx, s.db.rebind(`DELETE FROM samples WHERE id = ?`), id); err != nil {
				return fmt.Errorf("merge sample %d into %d: %w", id, keep, err)
			}
			removed = append(removed, *smp)
		}
		return nil
	})
	return removed, err
}

// SampleOnsets loads the onset times (seconds) found by the analysis.
func (s *Store) SampleOnsets(ctx context.Context, id int64) ([]float64, error) {
	var raw sql.NullString
	err := s.db.read.QueryRowContext(ctx, s.db.rebind(`SELECT onsets FROM samples WHERE id = ?`), id).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, library.Errorf(library.CodeNotFound, "sample %d not found", id)
	}
	if err != nil {
		return nil, fmt.Errorf("load onsets of sample %d: %w", id, err)
	}
	var out []float64
	if raw.Valid && raw.String != "" {
		if err := json.Unmarshal([]byte(raw.String), &out); err != nil {
			return nil, fmt.Errorf("onsets of sample %d: %w", id, err)
		}
	}
	return out, nil
}

// CoarsePeaks loads the coarse waveform of each of the samples that have one.
func (s *Store) CoarsePeaks(ctx context.Context, ids []int64) (map[int64][]int8, error) {
	out := map[int64][]int8{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(`SELECT id, peaks FROM samples WHERE peaks IS NOT NULL AND id IN (`+
		placeholders(len(ids))+`)`), args...)
	if err != nil {
		return nil, fmt.Errorf("load peaks: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var raw string
		if err := rows.Scan(&id, &raw); err != nil {
			return nil, err
		}
		var p analysis.Peaks
		if err := json.Unmarshal([]byte(raw), &p); err != nil {
			return nil, fmt.Errorf("peaks of sample %d: %w", id, err)
		}
		out[id] = p.Coarse
	}
	return out, rows.Err()
}
