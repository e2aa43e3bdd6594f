//go:build !amd64

package dsp

// fftWidth is the widest vector FFT kernel, in floats: none off amd64, so plans never call
// loadVec or splitVec there.
const fftWidth = 1

func loadVec(re, im, x, win []float32, rev []int32) {
	panic("dsp: no vector FFT kernels on this architecture")
}

func splitVec(dst, re, im, sre, sim []float32, scale, floor float32, width int) int {
	panic("dsp: no vector FFT kernels on this architecture")
}

func radix4(re, im, tw []float32, l, width int) { radix4Generic(re, im, tw, l) }

func radix2(re, im, tw []float32, l, width int) { radix2Generic(re, im, tw, l) }
