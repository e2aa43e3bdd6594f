package dsp

import (
	"math"
	"math/cmplx"
)

// BiquadCoeffs are the coefficients of a second-order IIR section normalised so a0 = 1:
// H(z) = (B0 + B1·z⁻¹ + B2·z⁻²) / (1 + A1·z⁻¹ + A2·z⁻²).
type BiquadCoeffs struct {
	B0, B1, B2, A1, A2 float64
}

// rbj normalises cookbook coefficients by a0.
func rbj(b0, b1, b2, a0, a1, a2 float64) BiquadCoeffs {
	return BiquadCoeffs{B0: b0 / a0, B1: b1 / a0, B2: b2 / a0, A1: a1 / a0, A2: a2 / a0}
}

func rbjW(fs, f0, q float64) (cosw, alpha float64) {
	w0 := 2 * math.Pi * f0 / fs
	return math.Cos(w0), math.Sin(w0) / (2 * q)
}

// LowPass is the RBJ cookbook second-order low-pass at f0 Hz with quality q (R. Bristow-Johnson,
// "Cookbook formulae for audio EQ biquad filter coefficients", 2005; W3C Audio EQ Cookbook).
func LowPass(fs, f0, q float64) BiquadCoeffs {
	c, a := rbjW(fs, f0, q)
	return rbj((1-c)/2, 1-c, (1-c)/2, 1+a, -2*c, 1-a)
}

// HighPass is the RBJ cookbook second-order high-pass at f0 Hz with quality q.
func HighPass(fs, f0, q float64) BiquadCoeffs {
	c, a := rbjW(fs, f0, q)
	return rbj((1+c)/2, -(1 + c), (1+c)/2, 1+a, -2*c, 1-a)
}

// BandPass is the RBJ cookbook band-pass with 0 dB peak gain at f0 Hz and quality q.
func BandPass(fs, f0, q float64) BiquadCoeffs {
	c, a := rbjW(fs, f0, q)
	return rbj(a, 0, -a, 1+a, -2*c, 1-a)
}

// Notch is the RBJ cookbook notch at f0 Hz with quality q.
func Notch(fs, f0, q float64) BiquadCoeffs {
	c, a := rbjW(fs, f0, q)
	return rbj(1, -2*c, 1, 1+a, -2*c, 1-a)
}

// Peaking is the RBJ cookbook peaking EQ at f0 Hz, quality q and gain gainDB decibels.
func Peaking(fs, f0, q, gainDB float64) BiquadCoeffs {
	c, a := rbjW(fs, f0, q)
	A := math.Pow(10, gainDB/40)
	return rbj(1+a*A, -2*c, 1-a*A, 1+a/A, -2*c, 1-a/A)
}

// LowShelf is the RBJ cookbook low shelf at f0 Hz, quality q and gain gainDB decibels.
func LowShelf(fs, f0, q, gainDB float64) BiquadCoeffs {
	c, a := rbjW(fs, f0, q)
	A := math.Pow(10, gainDB/40)
	s := 2 * math.Sqrt(A) * a
	return rbj(A*((A+1)-(A-1)*c+s), 2*A*((A-1)-(A+1)*c), A*((A+1)-(A-1)*c-s),
		(A+1)+(A-1)*c+s, -2*((A-1)+(A+1)*c), (A+1)+(A-1)*c-s)
}

// HighShelf is the RBJ cookbook high shelf at f0 Hz, quality q and gain gainDB decibels.
func HighShelf(fs, f0, q, gainDB float64) BiquadCoeffs {
	c, a := rbjW(fs, f0, q)
	A := math.Pow(10, gainDB/40)
	s := 2 * math.Sqrt(A) * a
	return rbj(A*((A+1)+(A-1)*c+s), -2*A*((A-1)+(A+1)*c), A*((A+1)+(A-1)*c-s),
		(A+1)-(A-1)*c+s, 2*((A-1)-(A+1)*c), (A+1)-(A-1)*c-s)
}

// Response is the complex frequency response H(e^{jω}) at f Hz for sample rate fs.
func (c BiquadCoeffs) Response(f, fs float64) complex128 {
	z1 := cmplx.Exp(complex(0, -2*math.Pi*f/fs))
	z2 := z1 * z1
	return (complex(c.B0, 0) + complex(c.B1, 0)*z1 + complex(c.B2, 0)*z2) /
		(1 + complex(c.A1, 0)*z1 + complex(c.A2, 0)*z2)
}

// Biquad is a running second-order section in transposed direct form II with float64 state
// (float32 state loses ~20 dB of noise floor on low-frequency filters at 48 kHz).
type Biquad struct {
	BiquadCoeffs
	z1, z2 float64
}

// NewBiquad returns a filter with zero state.
func NewBiquad(c BiquadCoeffs) *Biquad { return &Biquad{BiquadCoeffs: c} }

// Reset clears the filter state.
func (b *Biquad) Reset() { b.z1, b.z2 = 0, 0 }

// Process filters src into dst (which may be src itself) and returns dst.
func (b *Biquad) Process(dst, src []float32) []float32 {
	dst = resize32(dst, len(src))
	b0, b1, b2, a1, a2 := b.B0, b.B1, b.B2, b.A1, b.A2
	z1, z2 := b.z1, b.z2
	for i, v := range src {
		x := float64(v)
		y := b0*x + z1
		z1 = b1*x - a1*y + z2
		z2 = b2*x - a2*y
		if z2 > -1e-200 && z2 < 1e-200 { // flush: keep the state out of subnormal range
			z2 = 0
		}
		dst[i] = float32(y)
	}
	b.z1, b.z2 = z1, z2
	return dst
}
