package store

// SetGatherLimit changes how many matches a list gathers in one statement, so tests reach the
// count-then-page path with a small library.
func SetGatherLimit(s *Store, n int) { s.gatherLimit = n }
