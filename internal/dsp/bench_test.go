package dsp

import (
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/dsp/fourier"
)

func benchSignal(n int) []float32 {
	r := rand.New(rand.NewPCG(9, 10))
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(r.NormFloat64() * 0.2)
	}
	return x
}

func BenchmarkSTFTPowerFrame(b *testing.B) {
	for _, n := range []int{1024, 2048, 4096} {
		s, _ := NewSTFT(n, n/4)
		x := benchSignal(4 * n)
		dst := make([]float32, s.Bins())
		b.Run(itoaB(n), func(b *testing.B) {
			for b.Loop() {
				s.PowerFrame(dst, x, 4)
			}
		})
	}
}

func BenchmarkMeasureLoudness(b *testing.B) {
	for _, secs := range []int{1, 8, 30} {
		x := benchSignal(secs * 44100)
		ch := [][]float32{x, x}
		b.Run(itoaB(secs)+"s_stereo", func(b *testing.B) {
			for b.Loop() {
				MeasureLoudness(ch, 44100)
			}
		})
	}
}

func BenchmarkTruePeak(b *testing.B) {
	tp := NewTruePeak()
	for _, secs := range []int{1, 8, 30} {
		x := benchSignal(secs * 44100)
		b.Run(itoaB(secs)+"s", func(b *testing.B) {
			for b.Loop() {
				tp.Max(x)
			}
		})
	}
}

func itoaB(n int) string {
	s := ""
	for {
		s = string(rune('0'+n%10)) + s
		n /= 10
		if n == 0 {
			return s
		}
	}
}

func BenchmarkFFT2048(b *testing.B) {
	x := benchSignal(2048)
	x64 := make([]float64, 2048)
	for i, v := range x {
		x64[i] = float64(v)
	}
	dst := make([]float32, 1025)
	f := newRealFFT32(2048, nil)
	b.Run("float32", func(b *testing.B) {
		for b.Loop() {
			f.power(dst, x, 1, 0)
		}
	})
	g := newRealFFT32(2048, nil)
	g.width = 1
	b.Run("float32-generic", func(b *testing.B) {
		for b.Loop() {
			g.power(dst, x, 1, 0)
		}
	})
	ref := fourier.NewFFT(2048)
	c := make([]complex128, 1025)
	b.Run("gonum", func(b *testing.B) {
		for b.Loop() {
			ref.Coefficients(c, x64)
		}
	})
}

// BenchmarkRealFFT32 covers the sizes the analysis uses: 1024–4096 for the shared STFT
// (depending on the sample rate), 2048–4096 for the key, 16384 for the long pitch frame.
func BenchmarkRealFFT32(b *testing.B) {
	for _, n := range []int{1024, 2048, 4096, 16384} {
		x := benchSignal(n)
		dst := make([]float32, n/2+1)
		for path, f := range fftPlans(n, nil) {
			b.Run(itoaB(n)+"/"+path, func(b *testing.B) {
				for b.Loop() {
					f.power(dst, x, 1, 0)
				}
			})
		}
	}
}

// BenchmarkSTFTPower8s is the analysis front end's STFT of an 8 s mono signal at 44.1 kHz:
// 2048 points, hop 512, every frame into one reused row.
func BenchmarkSTFTPower8s(b *testing.B) {
	s, _ := NewSTFT(2048, 512)
	x := benchSignal(8 * 44100)
	row := make([]float32, s.Bins())
	for b.Loop() {
		for i := range s.Frames(len(x)) {
			row = s.PowerFrame(row, x, i)
		}
	}
}
