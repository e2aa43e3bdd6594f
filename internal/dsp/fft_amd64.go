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

func loadVec(re, im, x, wre, wim []float32, rev []int32, lanes *[5][8]float32) {
	loadAVX2(re, im, x, wre, wim, rev, lanes)
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
