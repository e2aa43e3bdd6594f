//go:build !amd64

package audio

// convolve sets dst[do[b]] = Σ_{i<k} coef[co[b]+i]·x[xo[b]+i] for every b.
func convolve(dst, coef, x []float32, co, xo, do []int32, k int) {
	convolveGeneric(dst, coef, x, co, xo, do, k)
}
