package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/library"
)

// A list is answered from one of two places.
//
// With a word to find, the rows come from the term index: sample_terms holds one row per
// (term, sample) with a copy of the fields lists filter and sort on (kept by triggers, see
// migrations/*/00010_search_fields.sql). The rows of the rarest-looking word are read as one
// range of its primary key (SQLite) or of a covering index (PostgreSQL), and every other
// condition is checked on those narrow rows, so no samples row is read but the page's own.
//
// Without one, the rows come from samples, whose indexes serve the filters and sorts.
//
// Either way, a filter that matches few samples (up to gatherLimit) is answered in one
// statement: the matches are gathered in whatever order is cheapest, counted with a window and
// sorted for the page. Past that, the matches are counted (often from an index alone) and the
// page is read in order, along an index where one serves the sort; a window over many rows
// costs more than the second pass (both databases buffer every row for it).

// sortColumns maps the API's sort names to columns; only these reach SQL. The term index
// carries each of them.
var sortColumns = map[string]string{
	"name": "name_lower", "created": "created_at", "bpm": "bpm", "key": "musical_key",
	"duration": "duration_s", "loudness": "loudness_lufs",
}

// nullableSort are the sort columns that may be NULL.
var nullableSort = map[string]bool{"bpm": true, "musical_key": true, "loudness_lufs": true}

// orderBy sorts by col with the sample id (id) breaking ties, so pages never overlap. Missing
// values sort last in both directions on both databases; the expressions match the migration's
// indexes exactly, so a page is read from an index instead of sorting the table.
func orderBy(col, id string, desc bool) string {
	switch {
	case !nullableSort[col] && !desc:
		return " ORDER BY " + col + ", " + id
	case !nullableSort[col]:
		return " ORDER BY " + col + " DESC, " + id + " DESC"
	case !desc:
		return " ORDER BY (" + col + " IS NULL), " + col + ", " + id
	}
	return " ORDER BY (" + col + " IS NOT NULL) DESC, " + col + " DESC, " + id + " DESC"
}

// prefixEnd closes a prefix range: every term starting with the prefix sorts below
// prefix+prefixEnd byte-wise (U+10FFFF is the largest code point).
const prefixEnd = "\U0010FFFF"

// match is a filter as SQL: the rows it reads and the conditions on them. Only fixed SQL text
// is concatenated; every user value is a bound argument.
type match struct {
	// from is samples, or the term index as d when a word is to be found.
	from string
	// id is the sample id of a row: samples.id or d.sample_id.
	id string
	// distinct is set when one sample can have several rows (a prefix of several terms).
	distinct bool
	// none is set when the word read by cannot match anything.
	none bool
	// sqlite selects SQLite's form where the dialects are best served differently.
	sqlite bool
	conds  []string
	args   []any
}

// newMatch turns a filter (and the rules of its collection, if any) into a match.
func (s *Store) newMatch(ctx context.Context, f library.SampleFilter, extra []library.Rules, scope string, scopeArg any) (*match, error) {
	m := &match{from: "samples", id: "samples.id", sqlite: s.db.kind == config.SQLite}
	all := append([]library.Rules{f.Rules}, extra...)
	driver, byTerm := driverTerm(all)
	if byTerm {
		m.from, m.id = "sample_terms d", "d.sample_id"
		if !driver.Prefix {
			m.add("d.term = ?", driver.Term)
		} else {
			// A prefix usually stands for one indexed term (a word typed in full); then it is
			// read as that term, and a sample cannot come up twice.
			first, last, err := s.termRange(ctx, driver.Term)
			switch {
			case err != nil:
				return nil, err
			case first == "":
				m.none = true
			case first == last:
				m.add("d.term = ?", first)
			default:
				m.distinct = true
				m.add("d.term >= ? AND d.term < ?", driver.Term, driver.Term+prefixEnd)
			}
		}
	}
	skipped := !byTerm
	for _, r := range all {
		for _, qt := range library.ParseQuery(r.Text) {
			if !skipped && qt == driver {
				skipped = true // the rows are read by it
				continue
			}
			m.term(qt)
		}
		m.rules(r)
	}
	if f.State != "" {
		m.add("analysis_state = ?", string(f.State))
	}
	if scope != "" {
		m.add(strings.ReplaceAll(scope, "{id}", m.id), scopeArg)
	}
	return m, nil
}

// termRange returns the first and last indexed terms that start with prefix ("" when none).
func (s *Store) termRange(ctx context.Context, prefix string) (first, last string, err error) {
	var f, l sql.NullString
	err = s.db.read.QueryRowContext(ctx, s.db.rebind(`SELECT
 (SELECT MIN(term) FROM sample_terms WHERE term >= ? AND term < ?),
 (SELECT MAX(term) FROM sample_terms WHERE term >= ? AND term < ?)`),
		prefix, prefix+prefixEnd, prefix, prefix+prefixEnd).Scan(&f, &l)
	if err != nil {
		return "", "", fmt.Errorf("search terms: %w", err)
	}
	return f.String, l.String, nil
}

// driverTerm picks the word whose rows a text search reads: the longest word to find (longer
// words are rarer), a whole word before a prefix of the same length. ok is false when the
// rules find no word (none, or only words to exclude).
func driverTerm(rules []library.Rules) (best library.QueryTerm, ok bool) {
	for _, r := range rules {
		for _, qt := range library.ParseQuery(r.Text) {
			if qt.Exclude {
				continue
			}
			if !ok || len(qt.Term) > len(best.Term) || (len(qt.Term) == len(best.Term) && best.Prefix && !qt.Prefix) {
				best, ok = qt, true
			}
		}
	}
	return best, ok
}

// where is the WHERE clause, empty when nothing is filtered.
func (m *match) where() string {
	if len(m.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(m.conds, " AND ")
}

func (m *match) add(cond string, a ...any) {
	m.conds = append(m.conds, cond)
	m.args = append(m.args, a...)
}

// term adds a word to find or to exclude: a check of the sample's own terms.
func (m *match) term(qt library.QueryTerm) {
	cond, args := "st.term = ?", []any{qt.Term}
	if qt.Prefix {
		cond, args = "st.term >= ? AND st.term < ?", []any{qt.Term, qt.Term + prefixEnd}
	}
	switch {
	case !qt.Exclude:
		m.add("EXISTS (SELECT 1 FROM sample_terms st WHERE st.sample_id = "+m.id+" AND "+cond+")", args...)
	case m.sqlite:
		// An exclusion usually keeps most rows: SQLite checks them against a list of the word's
		// samples built once (2-3 times faster over 100,000 rows than probing the index for each).
		m.add(m.id+" NOT IN (SELECT st.sample_id FROM sample_terms st WHERE "+cond+")", args...)
	default:
		// PostgreSQL plans NOT EXISTS as an anti-join; NOT IN it can only run as a subplan,
		// hashed while the list fits in work_mem and rescanned for every row when it does not.
		m.add("NOT EXISTS (SELECT 1 FROM sample_terms st WHERE st.sample_id = "+m.id+" AND "+cond+")", args...)
	}
}

// rules adds the conditions of r but its words. Column names are left bare: they name the same
// fields in samples and in the term index.
func (m *match) rules(r library.Rules) {
	if ranges := r.BPMRanges(); len(ranges) > 0 {
		var ors []string
		var args []any
		for _, rg := range ranges {
			var parts []string
			if rg[0] != nil {
				parts = append(parts, "bpm >= ?")
				args = append(args, *rg[0])
			}
			if rg[1] != nil {
				parts = append(parts, "bpm <= ?")
				args = append(args, *rg[1])
			}
			ors = append(ors, "("+strings.Join(parts, " AND ")+")")
		}
		m.add("("+strings.Join(ors, " OR ")+")", args...)
	}
	if keys := r.KeyMatches(); len(keys) > 0 {
		var ors []string
		var args []any
		for _, k := range keys {
			if k.Scale == "" {
				ors = append(ors, "musical_key = ?")
				args = append(args, k.Key)
				continue
			}
			ors = append(ors, "(musical_key = ? AND scale = ?)")
			args = append(args, k.Key, k.Scale)
		}
		m.add("("+strings.Join(ors, " OR ")+")", args...)
	} else if r.Scale != "" {
		m.add("scale = ?", r.Scale)
	}
	if len(r.Types) > 0 {
		m.add("sample_type IN ("+placeholders(len(r.Types))+")", toAny(r.Types)...)
	}
	if len(r.Categories) > 0 {
		m.add("category IN ("+placeholders(len(r.Categories))+")", toAny(r.Categories)...)
	}
	for _, t := range r.TagsAll {
		m.add("EXISTS (SELECT 1 FROM sample_tags t WHERE t.sample_id = "+m.id+" AND t.tag = ?)", t)
	}
	if len(r.TagsAny) > 0 {
		m.add("EXISTS (SELECT 1 FROM sample_tags t WHERE t.sample_id = "+m.id+" AND t.tag IN ("+
			placeholders(len(r.TagsAny))+"))", toAny(r.TagsAny)...)
	}
	if r.DurationMin != nil {
		m.add("duration_s >= ?", *r.DurationMin)
	}
	if r.DurationMax != nil {
		m.add("duration_s <= ?", *r.DurationMax)
	}
	if r.LoudnessMin != nil {
		m.add("loudness_lufs >= ?", *r.LoudnessMin)
	}
	if r.LoudnessMax != nil {
		m.add("loudness_lufs <= ?", *r.LoudnessMax)
	}
	if r.Favorite != nil {
		m.add("favorite = ?", *r.Favorite)
	}
	if r.RatingMin > 0 {
		m.add("rating >= ?", r.RatingMin)
	}
	if r.AddedSince != nil {
		m.add("created_at >= ?", r.AddedSince.UTC())
	}
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// count counts the samples that match.
func (s *Store) count(ctx context.Context, m *match) (int, error) {
	if m.none {
		return 0, nil
	}
	what := "COUNT(*)"
	if m.distinct {
		what = "COUNT(DISTINCT d.sample_id)"
	}
	var n int
	if err := s.db.read.QueryRowContext(ctx, s.db.rebind(`SELECT `+what+` FROM `+m.from+m.where()), m.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count samples: %w", err)
	}
	return n, nil
}

// CountRules counts the samples that rules select.
func (s *Store) CountRules(ctx context.Context, r library.Rules) (int, error) {
	m, err := s.newMatch(ctx, library.SampleFilter{Rules: r}, nil, "", nil)
	if err != nil {
		return 0, err
	}
	return s.count(ctx, m)
}

// gatherLimit is the most matches a list gathers, counts and sorts in one statement.
const gatherLimit = 1000

// Samples lists one page of samples and the total that match.
func (s *Store) Samples(ctx context.Context, f library.SampleFilter) ([]library.Sample, int, error) {
	var (
		extra    []library.Rules
		scope    string
		scopeArg any
		err      error
	)
	if f.CollectionID != nil {
		if extra, scope, err = s.collectionScope(ctx, *f.CollectionID); err != nil {
			return nil, 0, err
		}
		scopeArg = *f.CollectionID
	}
	if f.Sort == "position" && scope == "" {
		return nil, 0, library.Errorf(library.CodeInvalid, "sort position needs a manual collection")
	}
	if _, ok := sortColumns[f.Sort]; !ok && f.Sort != "position" {
		return nil, 0, library.Errorf(library.CodeInvalid, "sort %q is not supported", f.Sort)
	}
	m, err := s.newMatch(ctx, f, extra, scope, scopeArg)
	if err != nil || m.none {
		return nil, 0, err
	}
	order := func(id string) (string, []any) {
		if f.Sort == "position" {
			dir := ""
			if f.Desc {
				dir = " DESC"
			}
			return " ORDER BY (SELECT cs.position FROM collection_samples cs WHERE cs.collection_id = ? AND cs.sample_id = " +
				id + ")" + dir + ", " + id + dir, []any{*f.CollectionID}
		}
		return orderBy(sortColumns[f.Sort], id, f.Desc), nil
	}

	var (
		ids      []int64
		total    int
		gathered bool
	)
	if len(m.conds) > 0 {
		if ids, total, gathered, err = s.gatherPage(ctx, m, f, order); err != nil {
			return nil, 0, err
		}
	}
	if !gathered {
		if total, err = s.count(ctx, m); err != nil || total == 0 {
			return nil, total, err
		}
		if ids, err = s.pageIDs(ctx, m, f, order); err != nil {
			return nil, 0, err
		}
	}
	if len(ids) == 0 {
		return nil, total, nil
	}
	out, err := s.samplesByID(ctx, ids, order)
	return out, total, err
}

// gatherPage gathers up to s.gatherLimit+1 matches in whatever order is cheapest, counts them
// with a window and sorts them for the page. ok is false when there are more (or the page is
// past the end, where no row carries the count).
func (s *Store) gatherPage(ctx context.Context, m *match, f library.SampleFilter, order func(string) (string, []any)) (ids []int64, total int, ok bool, err error) {
	cols := m.id + " AS id"
	if col := sortColumns[f.Sort]; col != "" {
		cols += ", " + col
	}
	if m.distinct {
		cols = "DISTINCT " + cols
	}
	ord, ordArgs := order("id")
	args := append(append(append(append([]any{}, m.args...), s.gatherLimit+1), ordArgs...), f.Limit, (f.Page-1)*f.Limit)
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(`SELECT id, COUNT(*) OVER () FROM (SELECT `+cols+
		` FROM `+m.from+m.where()+` LIMIT ?) m`+ord+` LIMIT ? OFFSET ?`), args...)
	if err != nil {
		return nil, 0, false, fmt.Errorf("list samples: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id, &total); err != nil {
			return nil, 0, false, fmt.Errorf("list samples: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, false, fmt.Errorf("list samples: %w", err)
	}
	if total > s.gatherLimit || (len(ids) == 0 && f.Page > 1) {
		return nil, 0, false, nil
	}
	return ids, total, true, nil
}

// pageIDs reads the page's ids in order: along the narrowest index that serves the filter and
// sort where there is one, without reading whole rows.
func (s *Store) pageIDs(ctx context.Context, m *match, f library.SampleFilter, order func(string) (string, []any)) ([]int64, error) {
	group := ""
	if m.distinct {
		group = " GROUP BY d.sample_id"
		if col := sortColumns[f.Sort]; col != "" {
			group += ", " + col
		}
	}
	// Written as the samples indexes are, so the sort can be read from one.
	sortID := "id"
	if m.from != "samples" {
		sortID = m.id
	}
	ord, ordArgs := order(sortID)
	args := append(append(append([]any{}, m.args...), ordArgs...), f.Limit, (f.Page-1)*f.Limit)
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(`SELECT `+m.id+` FROM `+m.from+m.where()+group+ord+` LIMIT ? OFFSET ?`), args...)
	if err != nil {
		return nil, fmt.Errorf("list samples: %w", err)
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("list samples: %w", err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list samples: %w", err)
	}
	return ids, nil
}

// samplesByID loads whole samples, with their tags, in the list's order.
func (s *Store) samplesByID(ctx context.Context, ids []int64, order func(string) (string, []any)) ([]library.Sample, error) {
	ord, ordArgs := order("id")
	args := make([]any, 0, len(ids)+len(ordArgs))
	for _, id := range ids {
		args = append(args, id)
	}
	args = append(args, ordArgs...)
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(`SELECT `+sampleColumns+` FROM samples WHERE id IN (`+
		placeholders(len(ids))+`)`+ord), args...)
	if err != nil {
		return nil, fmt.Errorf("list samples: %w", err)
	}
	defer rows.Close()
	out := make([]library.Sample, 0, len(ids))
	for rows.Next() {
		smp, err := scanSample(rows)
		if err != nil {
			return nil, fmt.Errorf("list samples: %w", err)
		}
		out = append(out, *smp)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list samples: %w", err)
	}
	ptrs := make([]*library.Sample, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	if err := s.loadTags(ctx, s.db.read, ptrs); err != nil {
		return nil, err
	}
	return out, nil
}
