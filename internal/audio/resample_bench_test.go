package audio

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// BenchmarkResample converts stereo noise of several lengths; the 30 s cases are the export
// budget (≤ 40 ms for 44.1→48 kHz on one core, docs/performance.md).
func BenchmarkResample(b *testing.B) {
	for _, tc := range []struct {
		in, out int
		seconds float64
	}{
		{44100, 48000, 1}, {44100, 48000, 30}, {48000, 44100, 30}, {96000, 48000, 30}, {44100, 96000, 30},
	} {
		b.Run(fmt.Sprintf("%d_to_%d_%gs_stereo", tc.in, tc.out, tc.seconds), func(b *testing.B) {
			r, err := NewResampler(tc.in, tc.out, QualityHigh)
			if err != nil {
				b.Fatal(err)
			}
			rng := rand.New(rand.NewPCG(1, 2))
			n := int(tc.seconds * float64(tc.in))
			src := [2][]float32{make([]float32, n), make([]float32, n)}
			for _, ch := range src {
				for i := range ch {
					ch[i] = float32(rng.Float64()*2 - 1)
				}
			}
			dst := [2][]float32{make([]float32, r.OutLen(n)), make([]float32, r.OutLen(n))}
			b.SetBytes(int64(2 * n * 4))
			b.ResetTimer()
			for b.Loop() {
				for c := range src {
					dst[c] = r.Process(dst[c], src[c])
				}
			}
		})
	}
}

func BenchmarkNewResampler(b *testing.B) {
	for b.Loop() {
		if _, err := NewResampler(44100, 48000, QualityHigh); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkConvolveKernel runs each kernel on one 2048-frame block shaped like 44.1→48 kHz
// (160 taps, 160 phases, visited phase by phase), to compare the SIMD paths with the
// portable one.
func BenchmarkConvolveKernel(b *testing.B) {
	r, err := NewResampler(44100, 48000, QualityHigh)
	if err != nil {
		b.Fatal(err)
	}
	src := make([]float32, 4000)
	for i := range src {
		src[i] = float32(i%97) / 97
	}
	const nb = blockSize
	co, xo, do := make([]int32, nb), make([]int32, nb), make([]int32, nb)
	b0 := 0
	for s := range int(r.l) { // phase-ordered, as exactRun visits them
		for j := s; j < nb; j += int(r.l) {
			t := int64(j) * r.m
			co[b0] = int32(t % r.l * int64(r.k))
			xo[b0] = int32(t / r.l)
			do[b0] = int32(j)
			b0++
		}
	}
	dst := make([]float32, nb)
	kernels := cpuKernels()
	kernels["generic"] = testKernel{convolveGeneric, 1}
	for name, k := range kernels {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				k.f(dst, r.coef, src, co, xo, do, r.k)
			}
		})
	}
}

// BenchmarkResampleKernel is the 30 s stereo 44.1→48 kHz conversion with each kernel the CPU
// can run, to show what machines without AVX-512 (or without amd64 assembly) can expect.
func BenchmarkResampleKernel(b *testing.B) {
	kernels := cpuKernels()
	kernels["generic"] = testKernel{convolveGeneric, 1}
	for name, k := range kernels {
		b.Run(name, func(b *testing.B) {
			r, err := NewResampler(44100, 48000, QualityHigh)
			if err != nil {
				b.Fatal(err)
			}
			if r.k%k.multiple != 0 {
				b.Skip("taps not a multiple of the kernel width")
			}
			r.convolve = k.f
			n := 30 * 44100
			src := [2][]float32{make([]float32, n), make([]float32, n)}
			rng := rand.New(rand.NewPCG(1, 2))
			for _, ch := range src {
				for i := range ch {
					ch[i] = float32(rng.Float64()*2 - 1)
				}
			}
			dst := [2][]float32{make([]float32, r.OutLen(n)), make([]float32, r.OutLen(n))}
			for b.Loop() {
				for c := range src {
					dst[c] = r.Process(dst[c], src[c])
				}
			}
		})
	}
}
