//go:build !amd64

package dsp

// haveFFTSIMD reports vector FFT kernels: none off amd64, so plans never call loadVec or
// splitVec there.
const haveFFTSIMD = false

func loadVec(re, im, x, wre, wim []float32, rev []int32, lanes *[5][8]float32) {
	panic("dsp: no vector FFT kernels on this architecture")
}

func splitVec(dst, re, im, sre, sim []float32, scale, floor float32) int {
	panic("dsp: no vector FFT kernels on this architecture")
}

func radix4(re, im, tw []float32, l int, simd bool) { radix4Generic(re, im, tw, l) }

func radix2(re, im, tw []float32, l int, simd bool) { radix2Generic(re, im, tw, l) }
