package library

import (
	"cmp"
	"context"
	"math"
	"slices"
	"sync"

	"github.com/sp404agent/sp404agent/internal/analysis"
)

// Similarity aspects: which part of the analysis vector a search compares.
var Aspects = map[string][2]int{
	"overall":  {0, analysis.SimilarityDims},
	"timbre":   {analysis.SimTimbreStart, analysis.SimTimbreEnd},
	"pitch":    {analysis.SimPitchStart, analysis.SimPitchEnd},
	"envelope": {analysis.SimEnvelopeStart, analysis.SimEnvelopeEnd},
	"rhythm":   {analysis.SimRhythmStart, analysis.SimRhythmEnd},
}

// SimilarityIndex holds every analysed sample's similarity vector in memory, z-scored over the
// library (so no feature dominates by its units) for cosine search. It is loaded at start and
// kept current as samples are analysed or deleted.
type SimilarityIndex struct {
	mu    sync.RWMutex
	dims  int
	ids   []int64
	pos   map[int64]int
	raw   []float32 // len(ids)*dims, as analysed
	z     []float32 // z-scored copy, rebuilt when the statistics drift
	mean  []float64
	std   []float64
	norms map[string][]float32 // per aspect, the norm of each z-scored vector's slice
	stale int                  // changes since z was rebuilt
}

// NewSimilarityIndex returns an empty index for vectors of analysis.SimilarityDims.
func NewSimilarityIndex() *SimilarityIndex {
	return &SimilarityIndex{dims: analysis.SimilarityDims, pos: map[int64]int{}}
}

// Len is the number of indexed samples.
func (x *SimilarityIndex) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.ids)
}

// Put adds or replaces a sample's vector; vectors of another length are ignored (an older
// analysis version), so the sample simply is not searchable until re-analysed.
func (x *SimilarityIndex) Put(id int64, v []float32) {
	if len(v) != x.dims {
		return
	}
	x.mu.Lock()
	defer x.mu.Unlock()
	if i, ok := x.pos[id]; ok {
		copy(x.raw[i*x.dims:], v)
	} else {
		x.pos[id] = len(x.ids)
		x.ids = append(x.ids, id)
		x.raw = append(x.raw, v...)
	}
	x.stale++
}

// Delete removes a sample.
func (x *SimilarityIndex) Delete(id int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	i, ok := x.pos[id]
	if !ok {
		return
	}
	last := len(x.ids) - 1
	if i != last {
		x.ids[i] = x.ids[last]
		x.pos[x.ids[i]] = i
		copy(x.raw[i*x.dims:(i+1)*x.dims], x.raw[last*x.dims:])
	}
	x.ids = x.ids[:last]
	x.raw = x.raw[:last*x.dims]
	delete(x.pos, id)
	x.stale++
}

// rebuild recomputes the statistics and the z-scored copy. Callers hold the write lock.
func (x *SimilarityIndex) rebuild() {
	n, d := len(x.ids), x.dims
	x.mean, x.std = make([]float64, d), make([]float64, d)
	for i := range n {
		for k, v := range x.raw[i*d : (i+1)*d] {
			x.mean[k] += float64(v)
		}
	}
	for k := range x.mean {
		x.mean[k] /= math.Max(1, float64(n))
	}
	for i := range n {
		for k, v := range x.raw[i*d : (i+1)*d] {
			dv := float64(v) - x.mean[k]
			x.std[k] += dv * dv
		}
	}
	for k := range x.std {
		// A constant feature carries no information: a unit std keeps it at zero after centring.
		x.std[k] = math.Sqrt(x.std[k] / math.Max(1, float64(n)))
		if x.std[k] < 1e-9 {
			x.std[k] = 1
		}
	}
	x.z = slices.Grow(x.z[:0], n*d)[:n*d]
	for i := range n {
		for k, v := range x.raw[i*d : (i+1)*d] {
			x.z[i*d+k] = float32((float64(v) - x.mean[k]) / x.std[k])
		}
	}
	x.norms = make(map[string][]float32, len(Aspects))
	for aspect, rng := range Aspects {
		ns := make([]float32, n)
		for i := range n {
			ns[i] = float32(norm(x.z[i*d+rng[0] : i*d+rng[1]]))
		}
		x.norms[aspect] = ns
	}
	x.stale = 0
}

// Match is one similar sample.
type Match struct {
	SampleID int64   `json:"sample_id"`
	Score    float64 `json:"score" doc:"Cosine similarity of the z-scored vectors, -1 to 1"`
}

// Similar returns the k samples most like id in the given aspect, best first, excluding id and
// the samples in exclude.
func (x *SimilarityIndex) Similar(id int64, aspect string, k int, exclude map[int64]bool) ([]Match, error) {
	rng, ok := Aspects[aspect]
	if !ok {
		return nil, Errorf(CodeInvalid, "aspect %q is not one of overall, timbre, pitch, envelope, rhythm", aspect)
	}
	x.mu.Lock()
	// Rebuild the statistics once enough has changed to move them (or on first use).
	if x.z == nil || len(x.z) != len(x.raw) || x.stale > max(16, len(x.ids)/50) {
		x.rebuild()
	}
	x.mu.Unlock()

	x.mu.RLock()
	defer x.mu.RUnlock()
	qi, ok := x.pos[id]
	if !ok {
		return nil, Errorf(CodeConflict, "sample %d has no similarity vector yet (not analysed)", id)
	}
	d, lo, hi := x.dims, rng[0], rng[1]
	q := x.z[qi*d+lo : qi*d+hi]
	qn := norm(q)
	if qn == 0 {
		return []Match{}, nil
	}
	norms := x.norms[aspect]
	top := make([]Match, 0, k+1)
	for i, cand := range x.ids {
		vn := norms[i]
		if vn == 0 || cand == id {
			continue
		}
		score := float64(dot(q, x.z[i*d+lo:i*d+hi])) / (qn * float64(vn))
		if len(top) == k && score <= top[k-1].Score {
			continue
		}
		if exclude[cand] {
			continue
		}
		top = insertSorted(top, Match{SampleID: cand, Score: score}, k)
	}
	return top, nil
}

// insertSorted keeps top sorted by descending score (ties by id) and at most k long.
func insertSorted(top []Match, m Match, k int) []Match {
	i, _ := slices.BinarySearchFunc(top, m, func(a, b Match) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.SampleID, b.SampleID)
	})
	top = slices.Insert(top, i, m)
	if len(top) > k {
		top = top[:k]
	}
	return top
}

// dot is the inner product, four lanes at a time so the compiler keeps independent sums in
// registers.
func dot(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return s0 + s1 + s2 + s3
}

func norm(v []float32) float64 {
	var s float32
	for _, x := range v {
		s += x * x
	}
	return math.Sqrt(float64(s))
}

// VectorStore loads the vectors the index starts from.
type VectorStore interface {
	SimilarityVectors(ctx context.Context, fn func(id int64, v []float32)) error
}

// LoadSimilarity fills the index from the store.
func (s *Service) LoadSimilarity(ctx context.Context) error {
	return s.store.SimilarityVectors(ctx, s.similar.Put)
}

// SimilarResult is a similar sample with its score.
type SimilarResult struct {
	Score  float64 `json:"score"`
	Sample Sample  `json:"sample"`
}

// Similar finds the samples most like one, in an aspect.
func (s *Service) Similar(ctx context.Context, id int64, aspect string, limit int) ([]SimilarResult, error) {
	if limit < 1 || limit > 100 {
		return nil, Errorf(CodeInvalid, "limit must be between 1 and 100")
	}
	if _, err := s.store.Sample(ctx, id); err != nil {
		return nil, err
	}
	matches, err := s.similar.Similar(id, aspect, limit, nil)
	if err != nil {
		return nil, err
	}
	out := make([]SimilarResult, 0, len(matches))
	for _, m := range matches {
		smp, err := s.store.Sample(ctx, m.SampleID)
		if ErrorCode(err) == CodeNotFound {
			s.similar.Delete(m.SampleID) // deleted by another process
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, SimilarResult{Score: m.Score, Sample: *smp})
	}
	return out, nil
}
