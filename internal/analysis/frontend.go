package analysis

import (
	"math"

	"github.com/sp404agent/sp404agent/internal/dsp"
)

// Frame-level analysis parameters. The STFT size scales with the sample rate so a frame is
// always ≈46 ms and a hop ≈11.6 ms (2048/512 at 44.1 and 48 kHz, 1024/256 at 22.05 kHz,
// 4096/1024 at 88.2/96 kHz), and bin frequencies are k·fs/N at the file's own rate.
const (
	mfccCoeffs = 13
	melBands   = 40
	// Band edges in Hz for the per-frame band energies used by the classifier.
	bandLowHz     = 150
	bandLowMidHz  = 800
	bandMidHz     = 4000
	brightnessHz  = 1500 // Spectral.Brightness
	rolloffFrac   = 0.85
	onsetLowHz    = 200
	onsetHighHz   = 5000
	nBands        = 4
	nOnsetBands   = 3
	silencePowerF = 1e-10 // frames with less total power are ignored in averages
)

// frontend holds everything computed from the one STFT of a file: per-frame energies,
// spectral descriptors, band energies, onset strength, MFCCs and spectral peaks for chroma.
type frontend struct {
	mono      []float32 // the analysed signal (the key analysis runs its own transform on it)
	sr        float64
	nfft, hop int
	bins, n   int
	frameRate float64

	energy                       []float32 // Σ P[k], k ≥ 1
	centroid, rolloff, flat, brt []float32
	band                         [nBands][]float32
	onset                        [nOnsetBands][]float32
	mfcc                         []float32 // n × mfccCoeffs
	mel                          []float32 // n × melBands (band energies, see dsp.Mel)
	melBands                     int
	melHz                        []float64 // centre frequency of each mel band
	peaks                        []dsp.SpectralPeak
	peakOff                      []int32 // frame i's peaks are peaks[peakOff[i]:peakOff[i+1]]
	tuning                       dsp.TuningAccumulator
	chroma                       *dsp.Chroma
}

// fftSize is the STFT frame length for sample rate sr: the power of two whose duration lies
// within a factor 1.45 of 46.5 ms (2048 at 44.1 kHz).
func fftSize(sr float64) int {
	n := 2048
	for float64(n)/sr > 0.0465*1.45 && n > 256 {
		n /= 2
	}
	for float64(n)/sr < 0.0465/1.45 {
		n *= 2
	}
	return n
}

// newFrontend runs the one STFT over mono and computes every per-frame quantity.
func newFrontend(mono []float32, sr float64) (*frontend, error) {
	nfft := fftSize(sr)
	stft, err := dsp.NewSTFT(nfft, nfft/4)
	if err != nil {
		return nil, err
	}
	fe := &frontend{mono: mono, sr: sr, nfft: nfft, hop: nfft / 4, bins: nfft/2 + 1}
	fe.frameRate = sr / float64(fe.hop)
	fe.n = stft.Frames(len(mono))
	n := fe.n
	alloc := func() []float32 { return make([]float32, n) }
	fe.energy, fe.centroid, fe.rolloff, fe.flat, fe.brt = alloc(), alloc(), alloc(), alloc(), alloc()
	for b := range fe.band {
		fe.band[b] = alloc()
	}
	for b := range fe.onset {
		fe.onset[b] = alloc()
	}
	fe.mfcc = make([]float32, n*mfccCoeffs)
	fe.peakOff = make([]int32, n+1)

	fmax := math.Min(sr/2, 16000)
	mfcc, err := dsp.NewMFCC(mfccCoeffs, melBands, nfft, sr, 0, fmax)
	if err != nil {
		return nil, err
	}
	mel := mfcc.Mel()
	edges := []int{0}
	for _, split := range []float64{onsetLowHz, onsetHighHz} {
		j := edges[len(edges)-1] + 1
		for j < mel.Bands()-1 && mel.CentreHz(j) < split {
			j++
		}
		edges = append(edges, j)
	}
	edges = append(edges, mel.Bands())
	od, err := dsp.NewOnsetDetector(edges...)
	if err != nil {
		return nil, err
	}
	fe.melBands = mel.Bands()
	fe.melHz = make([]float64, fe.melBands)
	for b := range fe.melHz {
		fe.melHz[b] = mel.CentreHz(b)
	}
	fe.mel = make([]float32, n*fe.melBands)
	fe.chroma = dsp.NewChroma(nfft, sr)

	binHz := sr / float64(nfft)
	freqs := make([]float32, fe.bins)
	bandOf := make([]uint8, fe.bins)
	brtFrom := fe.bins
	for k := range freqs {
		f := float64(k) * binHz
		freqs[k] = float32(f)
		switch {
		case f < bandLowHz:
			bandOf[k] = 0
		case f < bandLowMidHz:
			bandOf[k] = 1
		case f < bandMidHz:
			bandOf[k] = 2
		default:
			bandOf[k] = 3
		}
		if f > brightnessHz && brtFrom == fe.bins {
			brtFrom = k
		}
	}
	// Bands are ascending frequency ranges: band b is bins [bandEnd[b-1], bandEnd[b]).
	var bandEnd [nBands]int
	for k, b := range bandOf {
		bandEnd[b] = k + 1
	}
	for b := 1; b < nBands; b++ {
		bandEnd[b] = max(bandEnd[b], bandEnd[b-1])
	}
	pw := make([]float32, fe.bins)
	ob := make([]float32, nOnsetBands)
	var pk []dsp.SpectralPeak
	nb := float32(fe.bins - 1)
	for i := 0; i < n; i++ {
		pw = stft.PowerFrame(pw, mono, i)
		var tot, wsum, hi float32
		var be [nBands]float32
		// Band by band over the bands' contiguous bin ranges: the same sums in the same order
		// as indexing be per bin, without a store and reload of be[b] for every bin.
		k := 1
		for b := range be {
			var sum float32
			for ; k < bandEnd[b]; k++ {
				p := pw[k]
				tot += p
				wsum += p * freqs[k]
				sum += p
			}
			be[b] = sum
		}
		lnSum := float32(sumLog(pw[1:], 1e-12))
		for k := brtFrom; k < fe.bins; k++ {
			hi += pw[k]
		}
		fe.energy[i] = tot
		for b := range be {
			fe.band[b][i] = be[b]
		}
		if tot > silencePowerF {
			fe.centroid[i] = wsum / tot
			fe.brt[i] = hi / tot
			target := rolloffFrac * tot
			var c float32
			k := 1
			for ; k < fe.bins-1; k++ {
				c += pw[k]
				if c >= target {
					break
				}
			}
			fe.rolloff[i] = freqs[k]
			gm := float32(math.Exp(float64(lnSum / nb)))
			fe.flat[i] = min(1, gm/(tot/nb))
		}
		melE := mel.Apply(fe.mel[i*fe.melBands:(i+1)*fe.melBands], pw)
		ob = od.Next(ob, melE)
		for b := range ob {
			fe.onset[b][i] = ob[b]
		}
		mfcc.FromMel(fe.mfcc[i*mfccCoeffs:(i+1)*mfccCoeffs], melE)
		pk = fe.chroma.Peaks(pk, pw)
		fe.peaks = append(fe.peaks, pk...)
		fe.peakOff[i+1] = int32(len(fe.peaks))
		fe.tuning.Add(pk)
	}
	return fe, nil
}

// spectralSummary averages the per-frame descriptors weighted by frame energy.
func (fe *frontend) spectralSummary() Spectral {
	var w, c, r, fl, b float64
	for i := 0; i < fe.n; i++ {
		e := float64(fe.energy[i])
		if e <= silencePowerF {
			continue
		}
		w += e
		c += e * float64(fe.centroid[i])
		r += e * float64(fe.rolloff[i])
		fl += e * float64(fe.flat[i])
		b += e * float64(fe.brt[i])
	}
	if w == 0 {
		return Spectral{}
	}
	return Spectral{
		CentroidHz: round(c/w, 0.1),
		RolloffHz:  round(r/w, 0.1),
		Flatness:   round(fl/w, 0.0001),
		Brightness: round(b/w, 0.0001),
	}
}

// onsetEnvelope is the onset detection function used for tempo and onsets: the three band
// groups' fluxes (below 200 Hz, 200 Hz–5 kHz, above) each divided by its own maximum, so
// kicks, snares and hats all reach 1, then summed with weights 1, 1 and ½ (kicks and snares
// carry the beat, hats subdivide it). A group whose maximum is under 5 % of the largest
// group's is divided by that floor instead, so an empty band's noise is not amplified.
func (fe *frontend) onsetEnvelope() []float32 {
	var mx [nOnsetBands]float32
	var top float32
	for g := range fe.onset {
		for _, v := range fe.onset[g] {
			mx[g] = max(mx[g], v)
		}
		top = max(top, mx[g])
	}
	o := make([]float32, fe.n)
	if top == 0 {
		return o
	}
	weights := [nOnsetBands]float32{1, 1, 0.5}
	for g := range fe.onset {
		sc := weights[g] / max(mx[g], 0.05*top)
		for i, v := range fe.onset[g] {
			o[i] += sc * v
		}
	}
	return o
}

// sumLog returns Σ ln(x[k] + eps) cheaply: the float32 exponents are summed as integers
// and the mantissas (in [1, 2)) multiplied in float64, renormalised every 256 factors, so
// there is one logarithm per call instead of one per bin. eps must be a normal float32 > 0.
func sumLog(x []float32, eps float32) float64 {
	exp := 0
	prod := 1.0
	for i, v := range x {
		b := math.Float32bits(v + eps)
		exp += int(b>>23&0xff) - 127
		prod *= float64(math.Float32frombits(b&0x007fffff | 0x3f800000))
		if i&255 == 255 {
			fr, e := math.Frexp(prod)
			prod = fr
			exp += e
		}
	}
	return math.Log(prod) + float64(exp)*math.Ln2
}
