package store

// SetGatherLimit changes how many matches a list gathers in one statement, with words to find
// or without, so tests reach the other paths with a small library.
func SetGatherLimit(s *Store, n int) { s.gatherLimit, s.wordGatherLimit = n, n }

// StoredSearchText is the search words stored for a sample, as the full-text indexes see them.
func StoredSearchText(db *DB, id int64) (string, error) {
	var text string
	err := db.read.QueryRow(db.rebind(`SELECT search_terms FROM samples WHERE id = ?`), id).Scan(&text)
	return text, err
}
