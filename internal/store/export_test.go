package store

import (
	"strings"

	"github.com/sp404agent/sp404agent/internal/config"
)

// SetGatherLimit changes how many matches a list gathers in one statement, so tests reach the
// count-then-page path with a small library.
func SetGatherLimit(s *Store, n int) { s.gatherLimit = n }

// TermRows counts a sample's search-term rows, and those whose copies of the sample's fields
// differ from the sample's own.
func TermRows(db *DB, id int64) (rows, stale int, err error) {
	ne := "IS DISTINCT FROM"
	if db.kind == config.SQLite {
		ne = "IS NOT"
	}
	var conds []string
	for _, f := range strings.Split(termFields, ",") {
		f = strings.TrimSpace(f)
		conds = append(conds, "t."+f+" "+ne+" s."+f)
	}
	err = db.read.QueryRow(db.rebind(`SELECT COUNT(*), COALESCE(SUM(CASE WHEN `+strings.Join(conds, " OR ")+
		` THEN 1 ELSE 0 END), 0) FROM sample_terms t JOIN samples s ON s.id = t.sample_id WHERE t.sample_id = ?`), id).Scan(&rows, &stale)
	return rows, stale, err
}
