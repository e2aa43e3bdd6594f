package audio

import "golang.org/x/sys/cpu"

// CPU features that select the convolution kernel; read-only after package initialisation.
var (
	haveFMA    = cpu.X86.HasAVX2 && cpu.X86.HasFMA
	haveAVX512 = cpu.X86.HasAVX512F && cpu.X86.HasAVX512DQ
)

// convolveFMA is convolveGeneric in AVX2/FMA assembly (resample_amd64.s): eight lanes, four
// accumulators, unaligned loads. k must be a multiple of 8, and every co[b]+k and xo[b]+k
// must lie inside coef and x and every do[b] inside dst; the caller guarantees all three.
//
//go:noescape
func convolveFMA(dst, coef, x []float32, co, xo, do []int32, k int)

// convolveAVX512 is convolveFMA with sixteen lanes; k must be a multiple of 16.
//
//go:noescape
func convolveAVX512(dst, coef, x []float32, co, xo, do []int32, k int)

// convolve sets dst[do[b]] = Σ_{i<k} coef[co[b]+i]·x[xo[b]+i] for every b.
func convolve(dst, coef, x []float32, co, xo, do []int32, k int) {
	if haveAVX512 && k%16 == 0 {
		convolveAVX512(dst, coef, x, co, xo, do, k)
		return
	}
	if haveFMA {
		convolveFMA(dst, coef, x, co, xo, do, k)
		return
	}
	convolveGeneric(dst, coef, x, co, xo, do, k)
}
