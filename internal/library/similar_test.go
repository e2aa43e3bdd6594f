package library

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sort"
	"testing"

	"github.com/sp404agent/sp404agent/internal/analysis"
)

func randomVectors(n int, seed uint64) [][]float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([][]float32, n)
	for i := range out {
		v := make([]float32, analysis.SimilarityDims)
		for k := range v {
			// Different scales per dimension, as real features have.
			v[k] = float32(rng.NormFloat64() * float64(k+1))
		}
		out[i] = v
	}
	return out
}

// bruteForce ranks by cosine of z-scored vectors computed directly in float64.
func bruteForce(vecs [][]float32, q int, lo, hi, k int) []int64 {
	n, d := len(vecs), len(vecs[0])
	mean, std := make([]float64, d), make([]float64, d)
	for _, v := range vecs {
		for j := range d {
			mean[j] += float64(v[j]) / float64(n)
		}
	}
	for _, v := range vecs {
		for j := range d {
			std[j] += (float64(v[j]) - mean[j]) * (float64(v[j]) - mean[j]) / float64(n)
		}
	}
	z := func(i, j int) float64 { return (float64(vecs[i][j]) - mean[j]) / math.Sqrt(std[j]) }
	type sc struct {
		id    int64
		score float64
	}
	var all []sc
	for i := range n {
		if i == q {
			continue
		}
		var dot, a, b float64
		for j := lo; j < hi; j++ {
			dot += z(q, j) * z(i, j)
			a += z(q, j) * z(q, j)
			b += z(i, j) * z(i, j)
		}
		all = append(all, sc{int64(i + 1), dot / math.Sqrt(a*b)})
	}
	sort.Slice(all, func(x, y int) bool { return all[x].score > all[y].score })
	out := make([]int64, k)
	for i := range k {
		out[i] = all[i].id
	}
	return out
}

func TestSimilarMatchesBruteForceInEveryAspect(t *testing.T) {
	vecs := randomVectors(500, 7)
	x := NewSimilarityIndex()
	for i, v := range vecs {
		x.Put(int64(i+1), v)
	}
	for aspect, rng := range Aspects {
		got, err := x.Similar(1, aspect, 10, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := bruteForce(vecs, 0, rng[0], rng[1], 10)
		ids := make([]int64, len(got))
		for i, m := range got {
			ids[i] = m.SampleID
		}
		if !slices.Equal(ids, want) {
			t.Errorf("%s: got %v, want %v", aspect, ids, want)
		}
		for i := 1; i < len(got); i++ {
			if got[i].Score > got[i-1].Score {
				t.Errorf("%s: not sorted by score", aspect)
			}
		}
	}
}

func TestSimilarFindsTheNearCopyAndHonoursDeleteAndExclude(t *testing.T) {
	vecs := randomVectors(200, 3)
	x := NewSimilarityIndex()
	for i, v := range vecs {
		x.Put(int64(i+1), v)
	}
	near := slices.Clone(vecs[41])
	for k := range near {
		near[k] *= 1.001
	}
	x.Put(1000, near)
	got, _ := x.Similar(42, "overall", 3, nil)
	if got[0].SampleID != 1000 || got[0].Score < 0.99 {
		t.Fatalf("near copy not first: %+v", got)
	}
	got, _ = x.Similar(42, "overall", 3, map[int64]bool{1000: true})
	if got[0].SampleID == 1000 {
		t.Fatal("excluded sample returned")
	}
	x.Delete(1000)
	if got, _ = x.Similar(42, "overall", 3, nil); got[0].SampleID == 1000 {
		t.Fatal("deleted sample returned")
	}
	if _, err := x.Similar(1000, "overall", 3, nil); ErrorCode(err) != CodeConflict {
		t.Fatalf("deleted query sample: %v", err)
	}
	if _, err := x.Similar(42, "loudness", 3, nil); ErrorCode(err) != CodeInvalid {
		t.Fatalf("unknown aspect: %v", err)
	}
	x.Put(5, []float32{1, 2}) // wrong length: ignored
	if x.Len() != 200 {
		t.Fatalf("len = %d", x.Len())
	}
}

// BenchmarkSimilar100k measures a top-20 query over 100,000 vectors (issue target ≤ 20 ms on one
// core, index memory ≤ 64 MB).
func BenchmarkSimilar100k(b *testing.B) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	x := NewSimilarityIndex()
	for i, v := range randomVectors(100_000, 1) {
		x.Put(int64(i+1), v)
	}
	if _, err := x.Similar(1, "overall", 20, nil); err != nil { // builds the z-scored copy
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	indexMB := float64(after.HeapAlloc-before.HeapAlloc) / (1 << 20)
	for _, aspect := range []string{"overall", "timbre"} {
		b.Run(aspect, func(b *testing.B) {
			for i := 0; b.Loop(); i++ {
				if _, err := x.Similar(int64(i%100_000+1), aspect, 20, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(indexMB, "index-MB")
		})
	}
}
