package library

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/sp404agent/sp404agent/internal/analysis"
)

// Duplicate kinds.
const (
	DuplicateExact = "exact" // the same decoded audio
	DuplicateNear  = "near"  // fingerprints nearly equal: same sound after gain, trim or re-encoding
)

// DuplicateGroup is a set of samples that are the same sound.
type DuplicateGroup struct {
	Kind    string   `json:"kind" enum:"exact,near"`
	Score   float64  `json:"score" doc:"1 for exact duplicates; the lowest fingerprint similarity in the group for near ones"`
	Samples []Sample `json:"samples"`
}

// FingerprintStore lists what duplicate detection compares.
type FingerprintStore interface {
	ExactDuplicates(ctx context.Context) ([][]int64, error)
	Fingerprints(ctx context.Context, fn func(id int64, fp []float32)) error
	// MergeSamples moves the pads and collection memberships of remove onto keep and deletes
	// remove, in one transaction; it returns the removed samples.
	MergeSamples(ctx context.Context, keep int64, remove []int64) ([]Sample, error)
}

// Duplicates finds groups of exact and near duplicates. Nothing is deleted: the user resolves a
// group with ResolveDuplicates.
func (s *Service) Duplicates(ctx context.Context) ([]DuplicateGroup, error) {
	exact, err := s.store.ExactDuplicates(ctx)
	if err != nil {
		return nil, err
	}
	grouped := map[int64]bool{}
	var out []DuplicateGroup
	for _, ids := range exact {
		g, err := s.group(ctx, DuplicateExact, 1, ids)
		if err != nil {
			return nil, err
		}
		for _, id := range ids[1:] {
			grouped[id] = true // compare only one of each exact group for near duplicates
		}
		out = append(out, g)
	}
	var ids []int64
	var fps [][]float32
	err = s.store.Fingerprints(ctx, func(id int64, fp []float32) {
		if !grouped[id] && len(fp) == analysis.FingerprintDims {
			ids, fps = append(ids, id), append(fps, slices.Clone(fp))
		}
	})
	if err != nil {
		return nil, err
	}
	for _, c := range nearGroups(ids, fps) {
		g, err := s.group(ctx, DuplicateNear, c.score, c.ids)
		if err != nil {
			return nil, err
		}
		out = append(out, g)
	}
	if out == nil {
		out = []DuplicateGroup{}
	}
	return out, nil
}

func (s *Service) group(ctx context.Context, kind string, score float64, ids []int64) (DuplicateGroup, error) {
	g := DuplicateGroup{Kind: kind, Score: math.Round(score*1e4) / 1e4}
	for _, id := range ids {
		smp, err := s.store.Sample(ctx, id)
		if err != nil {
			return g, err
		}
		g.Samples = append(g.Samples, *smp)
	}
	return g, nil
}

type nearGroup struct {
	ids   []int64
	score float64
}

// nearGroups clusters fingerprints whose similarity passes the threshold. Comparing every pair is
// quadratic, so candidates come from locality-sensitive hashing: random hyperplanes (fixed seed)
// put each fingerprint in one bucket per table; pairs sharing a bucket are compared exactly. With
// 12 tables of 14 bits a pair at the threshold shares some bucket with probability above 99 %.
func nearGroups(ids []int64, fps [][]float32) []nearGroup {
	const tables, bits = 12, 14
	dims := analysis.FingerprintDims + 1
	rng := rand.New(rand.NewPCG(404, 2026))
	planes := make([]float32, tables*bits*dims)
	for i := range planes {
		planes[i] = float32(rng.NormFloat64())
	}
	// Hash the fingerprints' shape vectors (whose cosine is analysis.FingerprintSimilarity).
	unit := make([][]float32, len(fps))
	for i, fp := range fps {
		u := analysis.FingerprintVector(fp)
		n := float32(norm(u))
		if n == 0 {
			continue
		}
		for k := range u {
			u[k] /= n
		}
		unit[i] = u
	}
	parent := make([]int, len(ids))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	checked := map[[2]int]bool{}
	for t := range tables {
		buckets := map[uint32][]int{}
		for i, u := range unit {
			if u == nil {
				continue
			}
			var key uint32
			for b := range bits {
				p := planes[(t*bits+b)*dims : (t*bits+b+1)*dims]
				if dot(u, p) >= 0 {
					key |= 1 << b
				}
			}
			buckets[key] = append(buckets[key], i)
		}
		for _, members := range buckets {
			for x := 0; x < len(members); x++ {
				for y := x + 1; y < len(members); y++ {
					i, j := members[x], members[y]
					pair := [2]int{min(i, j), max(i, j)}
					if checked[pair] {
						continue
					}
					checked[pair] = true
					if analysis.NearDuplicate(fps[i], fps[j]) {
						parent[find(j)] = find(i)
					}
				}
			}
		}
	}
	members := map[int][]int{}
	for i := range ids {
		r := find(i)
		members[r] = append(members[r], i)
	}
	var out []nearGroup
	for _, m := range members {
		if len(m) < 2 {
			continue
		}
		// The group's score is its weakest pair (groups are small).
		g := nearGroup{score: 1}
		for x, i := range m {
			g.ids = append(g.ids, ids[i])
			for _, j := range m[x+1:] {
				g.score = min(g.score, float64(dot(unit[i], unit[j])))
			}
		}
		slices.Sort(g.ids)
		out = append(out, g)
	}
	slices.SortFunc(out, func(a, b nearGroup) int { return int(a.ids[0] - b.ids[0]) })
	return out
}

// ResolveDuplicates keeps one sample of a group and removes the others from the library, after
// the user confirmed it. Their kit pads and collection memberships move to the kept sample.
func (s *Service) ResolveDuplicates(ctx context.Context, keep int64, remove []int64, confirm bool) ([]int64, error) {
	if !confirm {
		return nil, Errorf(CodeInvalid, "confirm must be true: the other samples are removed from the library")
	}
	if err := checkIDs(remove); err != nil {
		return nil, err
	}
	if slices.Contains(remove, keep) {
		return nil, Errorf(CodeInvalid, "keep_id %d is also in remove_ids", keep)
	}
	removed, err := s.store.MergeSamples(ctx, keep, remove)
	if err != nil {
		return nil, err
	}
	s.dropFiles(ctx, removed)
	ids := make([]int64, 0, len(removed))
	for _, smp := range removed {
		ids = append(ids, smp.ID)
	}
	return ids, nil
}
