package dsp

import "golang.org/x/sys/cpu"

// fftWidth is the widest FFT kernel this CPU runs, in floats: 16 with AVX-512, 8 with AVX2 and
// FMA (fft_amd64.s), 1 for the pure-Go kernels; read-only after package initialisation.
var fftWidth = func() int {
	switch {
	case !cpu.X86.HasAVX2 || !cpu.X86.HasFMA:
		return 1
	case cpu.X86.HasAVX512F:
		return 16
	}
	return 8
}()

// loadAVX2 is loadGeneric followed by first8Generic without gathers: it reads the inputs of
// eight blocks at once, eight consecutive points at each of the eight strides M/8 that make up
// a block, does the eight-point DFTs across registers (a lane per block) and transposes them
// into place. M = len(re) must be a power of two ≥ 64, len(im) ≥ M, len(x) and len(win) ≥ 2M,
// and rev the bit reversal of M points.
//
//go:noescape
func loadAVX2(re, im, x, win []float32, rev []int32)

// radix4AVX2 is radix4Generic eight butterflies at a time; l must be a multiple of 8.
//
//go:noescape
func radix4AVX2(re, im, tw []float32, l int)

// radix4AVX512 is radix4Generic sixteen butterflies at a time; l must be a multiple of 16.
//
//go:noescape
func radix4AVX512(re, im, tw []float32, l int)

// radix2AVX2 is radix2Generic eight butterflies at a time; l must be a multiple of 8.
//
//go:noescape
func radix2AVX2(re, im, tw []float32, l int)

// radix2AVX512 is radix2Generic sixteen butterflies at a time; l must be a multiple of 16.
//
//go:noescape
func radix2AVX512(re, im, tw []float32, l int)

// splitAVX2 is splitGeneric for bins 1 … 8·⌊(M−1)/8⌋ (M = len(re) ≥ 9), eight at a time, the
// mirrored bins M−k read with a lane reversal.
//
//go:noescape
func splitAVX2(dst, re, im, sre, sim []float32, scale, floor float32)

// splitAVX512 is splitAVX2 sixteen bins at a time: bins 1 … 16·⌊(M−1)/16⌋, M ≥ 17.
//
//go:noescape
func splitAVX512(dst, re, im, sre, sim []float32, scale, floor float32)

func loadVec(re, im, x, win []float32, rev []int32) {
	loadAVX2(re, im, x, win, rev)
}

// splitVec runs the split kernel of the given width and returns the first bin it left to
// splitGeneric.
func splitVec(dst, re, im, sre, sim []float32, scale, floor float32, width int) int {
	if width >= 16 && len(re) >= 17 {
		splitAVX512(dst, re, im, sre, sim, scale, floor)
		return 1 + 16*((len(re)-1)/16)
	}
	splitAVX2(dst, re, im, sre, sim, scale, floor)
	return 1 + 8*((len(re)-1)/8)
}

func radix4(re, im, tw []float32, l, width int) {
	switch {
	case width >= 16 && l%16 == 0:
		radix4AVX512(re, im, tw, l)
	case width >= 8 && l%8 == 0:
		radix4AVX2(re, im, tw, l)
	default:
		radix4Generic(re, im, tw, l)
	}
}

func radix2(re, im, tw []float32, l, width int) {
	switch {
	case width >= 16 && l%16 == 0:
		radix2AVX512(re, im, tw, l)
	case width >= 8 && l%8 == 0:
		radix2AVX2(re, im, tw, l)
	default:
		radix2Generic(re, im, tw, l)
	}
}
