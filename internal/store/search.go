package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/library"
)

// A list with words to find is answered by the databases' full-text engines: FTS5 on SQLite,
// a GIN index over a tsvector on PostgreSQL (migrations/*/00012_full_text.sql). Both index the
// words Go made for each sample (library.SearchTerms, in samples.search_terms) and are asked for
// the same words, so they match exactly the same samples.
//
// A filter that matches few samples (up to gatherLimit, or wordGatherLimit with words to find)
// is answered in one statement: the matches are gathered in whatever order is cheapest, counted
// with a window and sorted for the page. Past that, the matches are counted (often from an index
// alone) and the page is read in order, along an index where one serves the sort; a window over
// many rows costs more than the second pass (both databases buffer every row for it).

// sortColumns maps the API's sort names to columns; only these reach SQL.
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

// match is a filter as SQL: the conditions on samples. Only fixed SQL text is concatenated;
// every user value is a bound argument.
type match struct {
	// words is set when there are words to find: the full-text index picks the samples.
	words bool
	// fts is SQLite's full-text query of the words to find (and those to exclude with them).
	fts string
	// walk has SQLite read a page along the sort's index, testing each sample against the
	// words, instead of sorting every sample that has them (see Samples).
	walk bool
	// none is set when a word to find cannot match anything.
	none   bool
	sqlite bool
	conds  []string
	args   []any
}

// newMatch turns a filter (and the rules of its collection, if any) into a match.
func (s *Store) newMatch(f library.SampleFilter, extra []library.Rules, scope string, scopeArg any) *match {
	m := &match{sqlite: s.db.kind == config.SQLite}
	var (
		words  []library.QueryTerm
		facets [][]string
	)
	for _, r := range append([]library.Rules{f.Rules}, extra...) {
		words = append(words, library.ParseQuery(r.Text)...)
		facets = appendFacets(appendFacets(facets, typeFacet, r.Types), categoryFacet, r.Categories)
		m.rules(r)
	}
	m.addWords(words, facets)
	if f.State != "" {
		m.add("analysis_state = ?", string(f.State))
	}
	if scope != "" {
		m.add(strings.ReplaceAll(scope, "{id}", "samples.id"), scopeArg)
	}
	return m
}

// appendFacets adds the facets of one rule's values (any of them) as a group; nothing when a
// value has no facet, since the group would then miss samples the rule selects.
func appendFacets(groups [][]string, prefix string, values []string) [][]string {
	var g []string
	for _, v := range values {
		f, ok := facet(prefix, v)
		if !ok {
			return groups
		}
		g = append(g, f)
	}
	if len(g) == 0 {
		return groups
	}
	return append(groups, g)
}

// addWords adds the words to find and to exclude as one full-text query. With words to find, the
// facets of the type and category rules join it (each group: any of its facets), so the index
// hands over only the samples those rules keep; their SQL conditions stay, and decide. Words
// and facets hold only letters, digits and '_' (library.Tokenize, facet), so quoting them needs
// no escapes.
func (m *match) addWords(words []library.QueryTerm, facets [][]string) {
	var find, skip []string
	for _, w := range words {
		if len(w.Term) > library.MaxTermLen {
			// Longer than any indexed word: nothing has it.
			if !w.Exclude {
				m.none = true
			}
			continue
		}
		q := ftsWord(w, m.sqlite)
		m.words = m.words || !w.Exclude
		if w.Exclude {
			skip = append(skip, q)
		} else {
			find = append(find, q)
		}
	}
	if len(find) > 0 {
		or := " OR "
		if !m.sqlite {
			or = " | "
		}
		for _, g := range facets {
			alts := make([]string, len(g))
			for i, f := range g {
				alts[i] = ftsWord(library.QueryTerm{Term: f}, m.sqlite)
			}
			find = append(find, "("+strings.Join(alts, or)+")")
		}
	}
	if !m.sqlite {
		if len(find)+len(skip) > 0 {
			for i := range skip {
				skip[i] = "!" + skip[i]
			}
			m.add("search_vector @@ CAST(? AS tsquery)",
				strings.Join(append(find, skip...), " & "))
		}
		return
	}
	// FTS5's NOT needs something on its left; exclusions alone are a NOT IN.
	switch {
	case len(find) > 0 && len(skip) > 0:
		m.fts = "(" + strings.Join(find, " AND ") + ") NOT (" + strings.Join(skip, " OR ") + ")"
	case len(find) > 0:
		m.fts = strings.Join(find, " AND ")
	}
	switch {
	case m.fts != "":
		m.add(ftsMatch, m.fts)
	case len(skip) > 0:
		m.add("samples.id NOT IN (SELECT rowid FROM sample_fts WHERE sample_fts MATCH ?)", strings.Join(skip, " OR "))
	}
}

// ftsMatch selects the samples that have the words of an FTS5 query.
const ftsMatch = "samples.id IN (SELECT rowid FROM sample_fts WHERE sample_fts MATCH ?)"

// ftsWord is one word in FTS5's query syntax ("kick", "kic"*) or PostgreSQL's tsquery
// ('kick', 'kic':*).
func ftsWord(w library.QueryTerm, sqlite bool) string {
	switch {
	case sqlite && w.Prefix:
		return `"` + w.Term + `"*`
	case sqlite:
		return `"` + w.Term + `"`
	case w.Prefix:
		return "'" + w.Term + "':*"
	}
	return "'" + w.Term + "'"
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

// rules adds the conditions of r but its words.
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
		m.add("EXISTS (SELECT 1 FROM sample_tags t WHERE t.sample_id = samples.id AND t.tag = ?)", t)
	}
	if len(r.TagsAny) > 0 {
		m.add("EXISTS (SELECT 1 FROM sample_tags t WHERE t.sample_id = samples.id AND t.tag IN ("+
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
	var n int
	if err := s.db.read.QueryRowContext(ctx, s.db.rebind(`SELECT COUNT(*) FROM samples`+m.where()), m.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count samples: %w", err)
	}
	return n, nil
}

// ftsCount counts the samples that have the words of an FTS5 query.
func (s *Store) ftsCount(ctx context.Context, q string) (int, error) {
	var n int
	if err := s.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM sample_fts WHERE sample_fts MATCH ?`, q).Scan(&n); err != nil {
		return 0, fmt.Errorf("search: %w", err)
	}
	return n, nil
}

// CountRules counts the samples that rules select.
func (s *Store) CountRules(ctx context.Context, r library.Rules) (int, error) {
	return s.count(ctx, s.newMatch(library.SampleFilter{Rules: r}, nil, "", nil))
}

// gatherLimit is the most matches a list gathers, counts and sorts in one statement.
const gatherLimit = 1000

// wordGatherLimit is gatherLimit for a list with words to find. The full-text index hands
// over the word's samples at once, and each of them is read to check the other conditions
// whichever way the list goes on: counting them and then reading the page would read them
// twice. (PostgreSQL also misjudges how many samples a prefix matches, and may then walk the
// sort's index testing every sample's words, many times slower.)
const wordGatherLimit = 20 * gatherLimit

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
	m := s.newMatch(f, extra, scope, scopeArg)
	if m.none {
		return nil, 0, nil
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
		total    = -1
		gathered bool
	)
	limit := s.gatherLimit
	if m.words {
		limit = s.wordGatherLimit
	}
	if m.fts != "" {
		// FTS5 counts the samples that have the words from its index alone. When there are
		// more than a list gathers, a page is found sooner along the sort's index, testing
		// each sample against them; with no other condition, that count is the total.
		n, err := s.ftsCount(ctx, m.fts)
		if err != nil || n == 0 {
			return nil, 0, err
		}
		if n > limit {
			m.walk = true
			if len(m.conds) == 1 {
				total = n
			}
		}
	}
	if len(m.conds) > 0 && !m.walk {
		var n int
		if ids, n, gathered, err = s.gatherPage(ctx, m, f, order, limit); err != nil {
			return nil, 0, err
		}
		if gathered {
			total = n
		}
	}
	if !gathered {
		if total < 0 {
			if total, err = s.count(ctx, m); err != nil {
				return nil, 0, err
			}
		}
		if total == 0 {
			return nil, 0, nil
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

// gatherPage gathers up to limit+1 matches in whatever order is cheapest, counts them
// with a window and sorts them for the page. ok is false when there are more (or the page is
// past the end, where no row carries the count).
func (s *Store) gatherPage(ctx context.Context, m *match, f library.SampleFilter, order func(string) (string, []any), limit int) (ids []int64, total int, ok bool, err error) {
	cols := "samples.id AS id"
	if col := sortColumns[f.Sort]; col != "" {
		cols += ", " + col
	}
	ord, ordArgs := order("id")
	args := append(append(append(append([]any{}, m.args...), limit+1), ordArgs...), f.Limit, (f.Page-1)*f.Limit)
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(`SELECT id, COUNT(*) OVER () FROM (SELECT `+cols+
		` FROM samples`+m.where()+` LIMIT ?) m`+ord+` LIMIT ? OFFSET ?`), args...)
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
	if total > limit || (len(ids) == 0 && f.Page > 1) {
		return nil, 0, false, nil
	}
	return ids, total, true, nil
}

// pageIDs reads the page's ids in order: along the narrowest index that serves the filter and
// sort where there is one, without reading whole rows.
func (s *Store) pageIDs(ctx context.Context, m *match, f library.SampleFilter, order func(string) (string, []any)) ([]int64, error) {
	// Written as the samples indexes are, so the sort can be read from one.
	ord, ordArgs := order("id")
	args := append(append(append([]any{}, m.args...), ordArgs...), f.Limit, (f.Page-1)*f.Limit)
	where := m.where()
	if m.walk {
		// A unary + keeps SQLite from reading the matches by id: it tests each sample on the
		// way along the sort's index against the list of matches, built once.
		where = strings.Replace(where, ftsMatch, "+"+ftsMatch, 1)
	}
	rows, err := s.db.read.QueryContext(ctx, s.db.rebind(`SELECT id FROM samples`+where+ord+` LIMIT ? OFFSET ?`), args...)
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
