package dsp

import "golang.org/x/sys/cpu"

// haveFFTSIMD selects the AVX2/FMA FFT kernels (fft_amd64.s); read-only after package
// initialisation.
var haveFFTSIMD = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// loadAVX2 is loadGeneric followed by the radix-2 stages L = 1, 2, 4, done in registers on
// each block of eight points (lane shuffles pair the butterfly inputs, lanes holds the
// per-lane twiddles). len(re) must be a multiple of 8, im, wre, wim and rev at least as long,
// every rev[j] < len(re) and len(x) ≥ 2·len(re).
//
//go:noescape
func loadAVX2(re, im, x, wre, wim []float32, rev []int32, lanes *[5][8]float32)

// radix4AVX2 is radix4Generic eight butterflies at a time; l must be a multiple of 8.
//
//go:noescape
func radix4AVX2(re, im, tw []float32, l int)

// radix2AVX2 is radix2Generic eight butterflies at a time; l must be a multiple of 8.
//
//go:noescape
func radix2AVX2(re, im, tw []float32, l int)

// splitAVX2 is splitGeneric for bins 1 … 8·⌊(M−1)/8⌋ (M = len(re) ≥ 9), eight at a time, the
// mirrored bins M−k read with a lane reversal.
//
//go:noescape
func splitAVX2(dst, re, im, sre, sim []float32, scale, floor float32)

func loadVec(re, im, x, wre, wim []float32, rev []int32, lanes *[5][8]float32) {
	loadAVX2(re, im, x, wre, wim, rev, lanes)
}

// splitVec runs splitAVX2 and returns the first bin it left to splitGeneric.
func splitVec(dst, re, im, sre, sim []float32, scale, floor float32) int {
	splitAVX2(dst, re, im, sre, sim, scale, floor)
	return 1 + 8*((len(re)-1)/8)
}

func radix4(re, im, tw []float32, l int, simd bool) {
	if simd && l%8 == 0 {
		radix4AVX2(re, im, tw, l)
		return
	}
	radix4Generic(re, im, tw, l)
}

func radix2(re, im, tw []float32, l int, simd bool) {
	if simd && l%8 == 0 {
		radix2AVX2(re, im, tw, l)
		return
	}
	radix2Generic(re, im, tw, l)
}
