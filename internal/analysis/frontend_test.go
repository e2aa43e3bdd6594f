package analysis

import (
	"math"
	"testing"
)

func TestSumLogMatchesDirectSum(t *testing.T) {
	x := make([]float32, 1025)
	for i := range x {
		x[i] = float32(math.Exp(-float64(i%97) * 0.7))
	}
	var want float64
	for _, v := range x {
		want += math.Log(float64(v + 1e-12))
	}
	if got := sumLog(x, 1e-12); math.Abs(got-want) > 1e-6*math.Abs(want) {
		t.Fatalf("sumLog %v want %v", got, want)
	}
}
