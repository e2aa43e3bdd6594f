package dsp

import (
	"fmt"
	"math"
)

// HzToMel converts Hz to mel on the Slaney/Auditory Toolbox scale: linear below 1 kHz
// (mel = 3·f/200) and logarithmic above (27/ln 6.4 mel per
// natural-log unit), as in Slaney 1998, "Auditory Toolbox" Tech. Rep. 1998-010, and librosa.
func HzToMel(f float64) float64 {
	const fsp = 200.0 / 3
	const minLogHz = 1000.0
	const minLogMel = minLogHz / fsp
	logStep := math.Log(6.4) / 27
	if f < minLogHz {
		return f / fsp
	}
	return minLogMel + math.Log(f/minLogHz)/logStep
}

// MelToHz is the inverse of HzToMel.
func MelToHz(m float64) float64 {
	const fsp = 200.0 / 3
	const minLogHz = 1000.0
	const minLogMel = minLogHz / fsp
	logStep := math.Log(6.4) / 27
	if m < minLogMel {
		return m * fsp
	}
	return minLogHz * math.Exp(logStep*(m-minLogMel))
}

// Mel is a triangular mel filterbank over the bins of an N-point power spectrum. Band b is a
// triangle rising from mel centre c[b−1] to c[b] and falling to c[b+1], with centres equally
// spaced on the Slaney mel scale between fmin and fmax. Triangles are area-normalised
// (height 2/(f[b+1]−f[b−1]), the Slaney normalisation) so a white spectrum gives
// equal band energies.
type Mel struct {
	bands  int
	centre []float64   // Hz
	start  []int       // first bin of band b
	w      [][]float32 // weights from start[b]
}

// NewMel builds a filterbank of bands triangles for an nfft-point spectrum at sampleRate.
func NewMel(bands, nfft int, sampleRate, fmin, fmax float64) (*Mel, error) {
	if bands < 1 || nfft < 2 || sampleRate <= 0 || fmin < 0 || fmax <= fmin || fmax > sampleRate/2 {
		return nil, fmt.Errorf("dsp: invalid mel filterbank (%d bands, %d fft, %g Hz, %g–%g Hz)", bands, nfft, sampleRate, fmin, fmax)
	}
	m := &Mel{bands: bands, start: make([]int, bands), w: make([][]float32, bands), centre: make([]float64, bands)}
	lo, hi := HzToMel(fmin), HzToMel(fmax)
	edges := make([]float64, bands+2)
	for i := range edges {
		edges[i] = MelToHz(lo + (hi-lo)*float64(i)/float64(bands+1))
	}
	binHz := sampleRate / float64(nfft)
	nb := nfft/2 + 1
	for b := 0; b < bands; b++ {
		fl, fc, fh := edges[b], edges[b+1], edges[b+2]
		m.centre[b] = fc
		height := 2 / (fh - fl)
		first, last := -1, -1
		var w []float32
		for k := 0; k < nb; k++ {
			f := float64(k) * binHz
			var v float64
			switch {
			case f > fl && f <= fc:
				v = (f - fl) / (fc - fl)
			case f > fc && f < fh:
				v = (fh - f) / (fh - fc)
			}
			if v <= 0 {
				if first >= 0 {
					break
				}
				continue
			}
			if first < 0 {
				first = k
			}
			last = k
			w = append(w, float32(v*height))
		}
		if first < 0 {
			// A band narrower than a bin: take the nearest bin so no band is empty.
			first = int(math.Round(fc / binHz))
			if first >= nb {
				first = nb - 1
			}
			w = []float32{float32(height * binHz)}
			last = first
		}
		m.start[b] = first
		m.w[b] = w[:last-first+1]
	}
	return m, nil
}

// Bands is the number of mel bands.
func (m *Mel) Bands() int { return m.bands }

// CentreHz is the centre frequency of band b in Hz.
func (m *Mel) CentreHz(b int) float64 { return m.centre[b] }

// Apply writes the mel band energies of the power spectrum power into dst (Bands values).
func (m *Mel) Apply(dst, power []float32) []float32 {
	dst = resize32(dst, m.bands)
	for b, w := range m.w {
		s := m.start[b]
		var acc float32
		for j, v := range w {
			acc += v * power[s+j]
		}
		dst[b] = acc
	}
	return dst
}

// DCT is an orthonormal DCT-II plan from n inputs to the first m coefficients:
// X[k] = s_k · Σ_n x[n]·cos(π(n+½)k/n), s_0 = √(1/n), s_k = √(2/n) (Ahmed, Natarajan & Rao 1974).
type DCT struct {
	n, m  int
	basis []float32
}

// NewDCT returns a DCT-II plan for n inputs keeping m ≤ n outputs.
func NewDCT(n, m int) *DCT {
	if m > n {
		m = n
	}
	d := &DCT{n: n, m: m, basis: make([]float32, n*m)}
	for k := 0; k < m; k++ {
		s := math.Sqrt(2 / float64(n))
		if k == 0 {
			s = math.Sqrt(1 / float64(n))
		}
		for i := 0; i < n; i++ {
			d.basis[k*n+i] = float32(s * math.Cos(math.Pi*(float64(i)+0.5)*float64(k)/float64(n)))
		}
	}
	return d
}

// Transform writes the first m DCT-II coefficients of src (length n) into dst.
func (d *DCT) Transform(dst, src []float32) []float32 {
	dst = resize32(dst, d.m)
	for k := 0; k < d.m; k++ {
		row := d.basis[k*d.n : (k+1)*d.n]
		var acc float32
		for i, v := range src[:d.n] {
			acc += row[i] * v
		}
		dst[k] = acc
	}
	return dst
}

// MFCC computes mel-frequency cepstral coefficients (Davis & Mermelstein 1980): the DCT-II of
// the natural log of mel band energies, ln(E_b + 1e-10).
type MFCC struct {
	mel  *Mel
	dct  *DCT
	bank []float32
}

// NewMFCC returns a plan producing coeffs coefficients from a bands-band mel filterbank.
func NewMFCC(coeffs, bands, nfft int, sampleRate, fmin, fmax float64) (*MFCC, error) {
	mel, err := NewMel(bands, nfft, sampleRate, fmin, fmax)
	if err != nil {
		return nil, err
	}
	return &MFCC{mel: mel, dct: NewDCT(bands, coeffs), bank: make([]float32, bands)}, nil
}

// Mel is the filterbank the plan uses.
func (c *MFCC) Mel() *Mel { return c.mel }

// Compute writes the MFCCs of one power spectrum into dst.
func (c *MFCC) Compute(dst, power []float32) []float32 {
	c.mel.Apply(c.bank, power)
	return c.FromMel(dst, c.bank)
}

// FromMel writes the MFCCs of already computed mel band energies into dst.
func (c *MFCC) FromMel(dst, bands []float32) []float32 {
	lg := c.bank
	for i, v := range bands {
		lg[i] = float32(math.Log(float64(v) + 1e-10))
	}
	return c.dct.Transform(dst, lg)
}
