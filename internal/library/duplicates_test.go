package library

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/sp404agent/sp404agent/internal/analysis"
)

func TestNearGroupsFindsPlantedCopiesAmongMany(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	random := func() []float32 {
		fp := make([]float32, analysis.FingerprintDims)
		for i := range fp[:analysis.FingerprintDims/2] {
			fp[i] = float32(rng.NormFloat64() * 6)
		}
		base := float32(25 + rng.Float64()*10)
		for i := analysis.FingerprintDims / 2; i < analysis.FingerprintDims; i++ {
			fp[i] = base + float32(rng.NormFloat64())
		}
		return fp
	}
	var ids []int64
	var fps [][]float32
	for i := range 3000 {
		ids, fps = append(ids, int64(i+1)), append(fps, random())
	}
	// Plant 10 near copies: small perturbations of existing fingerprints.
	want := map[int64]int64{}
	for k := range 10 {
		src := k * 97
		cp := slices.Clone(fps[src])
		for i := range cp {
			cp[i] += float32(rng.NormFloat64() * 0.1)
		}
		id := int64(10_000 + k)
		ids, fps = append(ids, id), append(fps, cp)
		want[ids[src]] = id
	}
	got := nearGroups(ids, fps)
	found := 0
	for _, g := range got {
		if len(g.ids) == 2 && want[g.ids[0]] == g.ids[1] {
			found++
			continue
		}
		t.Errorf("unexpected group %v (score %.4f)", g.ids, g.score)
	}
	if found != len(want) {
		t.Errorf("found %d of %d planted near duplicates", found, len(want))
	}
}
