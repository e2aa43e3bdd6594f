package dsp

import (
	"fmt"

	"gonum.org/v1/gonum/dsp/fourier"
)

// STFT is a reusable short-time Fourier transform plan (a float32 FFT for power-of-two
// sizes, gonum's fourier.FFT otherwise) of size N with a periodic Hann window
// and hop H. Frames are centred: frame i covers samples [i·H − N/2, i·H + N/2), with zeros
// outside the signal (the librosa "center=True" convention), so a signal of L samples has
// 1 + L/H frames and an onset at sample 0 is seen by frame 0.
//
// The power spectrum it produces is normalised by the window sum: P[k] = |Σ w[n]·x[n]·e^{−2πikn/N}|² / (Σw)²,
// k = 0…N/2, so a full-scale sinusoid centred on a bin reads 0.25 there. Bin k is at
// k·fs/N Hz. Powers below 1e-30 (−300 dB) are stored as 0.
type STFT struct {
	n, hop int
	win    []float64
	norm   float64
	fft    *fourier.FFT // sizes that are not a power of two
	in     []float64
	coef   []complex128
	fft32  *realFFT32 // power-of-two sizes, with the window
	in32   []float32  // a zero-padded edge frame
}

// powerFloor is the power below which a bin is stored as exactly 0 (−300 dB re full scale).
const powerFloor = 1e-30

// NewSTFT returns a plan for frames of n samples (a power of two is fastest) with hop hop.
func NewSTFT(n, hop int) (*STFT, error) {
	if n < 2 || hop < 1 {
		return nil, fmt.Errorf("dsp: invalid STFT size %d hop %d", n, hop)
	}
	s := &STFT{n: n, hop: hop, win: Hann(nil, n)}
	if !isPow2(n) {
		s.fft, s.in, s.coef = fourier.NewFFT(n), make([]float64, n), make([]complex128, n/2+1)
	}
	sum := 0.0
	for _, w := range s.win {
		sum += w
	}
	s.norm = 1 / (sum * sum)
	if isPow2(n) {
		win32 := make([]float32, n)
		for i, w := range s.win {
			win32[i] = float32(w)
		}
		s.fft32 = newRealFFT32(n, win32)
		s.in32 = make([]float32, n)
	}
	return s, nil
}

// Size is the frame length N in samples.
func (s *STFT) Size() int { return s.n }

// Hop is the hop H in samples.
func (s *STFT) Hop() int { return s.hop }

// Bins is the number of non-negative-frequency bins, N/2+1.
func (s *STFT) Bins() int { return s.n/2 + 1 }

// Frames is the number of centred frames for a signal of length samples: 1 + length/H.
func (s *STFT) Frames(length int) int {
	if length <= 0 {
		return 0
	}
	return 1 + length/s.hop
}

// PowerFrame writes the normalised power spectrum (Bins values) of frame i of src into dst.
func (s *STFT) PowerFrame(dst []float32, src []float32, i int) []float32 {
	dst = resize32(dst, s.Bins())
	start := i*s.hop - s.n/2
	if s.fft32 != nil {
		x := s.in32
		if start >= 0 && start+s.n <= len(src) {
			x = src[start : start+s.n]
		} else {
			for j := range x {
				k := start + j
				if k < 0 || k >= len(src) {
					x[j] = 0
					continue
				}
				x[j] = src[k]
			}
		}
		s.fft32.power(dst, x, float32(s.norm), powerFloor)
		return dst
	}
	in := s.in
	for j := range in {
		k := start + j
		if k < 0 || k >= len(src) {
			in[j] = 0
			continue
		}
		in[j] = float64(src[k]) * s.win[j]
	}
	s.fft.Coefficients(s.coef, in)
	for k, c := range s.coef {
		re, im := real(c), imag(c)
		p := (re*re + im*im) * s.norm
		if p < powerFloor {
			p = 0 // keep subnormal float32s (100× slower arithmetic) out of every consumer
		}
		dst[k] = float32(p)
	}
	return dst
}

// Power writes the power spectrogram of src into dst, row-major: frame i occupies
// dst[i·Bins : (i+1)·Bins]. It returns the spectrogram and the number of frames.
func (s *STFT) Power(dst []float32, src []float32) ([]float32, int) {
	frames := s.Frames(len(src))
	b := s.Bins()
	dst = resize32(dst, frames*b)
	for i := 0; i < frames; i++ {
		s.PowerFrame(dst[i*b:(i+1)*b], src, i)
	}
	return dst, frames
}
