package analysis

import "math"

// SimilarityVersion names the layout of Features.Similarity; vectors of different versions
// must not be compared.
const SimilarityVersion = "1"

// Similarity vector layout: [Start, End) index ranges of each aspect, so a search can weight
// or restrict to timbre, pitch, envelope or rhythm. Every value is scaled to roughly [−1, 1]
// or [0, 1] so plain Euclidean or cosine distance over any range is meaningful.
const (
	// SimTimbreStart…SimTimbreEnd: 13 MFCC means then 13 MFCC standard deviations over the
	// non-silent frames (energy-weighted), c₀ divided by 100 and the others by 20.
	SimTimbreStart = 0
	SimTimbreEnd   = 26
	// SimPitchStart…SimPitchEnd: the 12-bin chroma (C…B, sums to 1) scaled ×3, then chroma
	// flatness and pitch salience.
	SimPitchStart = 26
	SimPitchEnd   = 40
	// SimEnvelopeStart…SimEnvelopeEnd: log attack, log −20 dB and −40 dB lengths, temporal
	// centroid, end level, burst count, the four band fractions, spectral centroid (log),
	// flatness, brightness and rolloff (log).
	SimEnvelopeStart = 40
	SimEnvelopeEnd   = 54
	// SimRhythmStart…SimRhythmEnd: onset rate (log), tempo (log2 re 120 BPM, 0 when none),
	// pulse clarity, bpm confidence, a loop flag, log duration, inter-onset-interval regularity,
	// onset strength mean and spread, and one spare zero.
	SimRhythmStart = 54
	SimRhythmEnd   = 64
	// SimilarityDims is the vector length.
	SimilarityDims = 64
)

// similarityVector builds the SimilarityVersion vector; the layout is in the Sim* constants.
func similarityVector(fe *frontend, odf []float32, env envelope, p pitchInfo, t tonalInfo, rh rhythm, f *Features, dur float64) []float32 {
	v := make([]float32, SimilarityDims)
	// Timbre.
	var w float64
	var mean, sq [mfccCoeffs]float64
	for i := 0; i < fe.n; i++ {
		e := float64(fe.energy[i])
		if e <= silencePowerF {
			continue
		}
		w += e
		for k := 0; k < mfccCoeffs; k++ {
			c := float64(fe.mfcc[i*mfccCoeffs+k])
			mean[k] += e * c
			sq[k] += e * c * c
		}
	}
	if w > 0 {
		for k := 0; k < mfccCoeffs; k++ {
			m := mean[k] / w
			sd := math.Sqrt(math.Max(0, sq[k]/w-m*m))
			s := 20.0
			if k == 0 {
				s = 100
			}
			v[SimTimbreStart+k] = float32(m / s)
			v[SimTimbreStart+mfccCoeffs+k] = float32(sd / s)
		}
	}
	// Pitch.
	for k := 0; k < 12; k++ {
		v[SimPitchStart+k] = float32(3 * t.chroma[k])
	}
	v[SimPitchStart+12] = float32(t.flatness)
	v[SimPitchStart+13] = float32(p.salience)
	// Envelope.
	lg := func(x, floor float64) float32 { return float32(math.Log10(math.Max(x, floor)) / 3) }
	e := []float32{
		lg(env.attack, 1e-3), lg(env.len20, 1e-3), lg(env.len40, 1e-3), float32(env.tcentre),
		float32(math.Max(-60, env.endDB) / 60), float32(math.Min(float64(env.bursts), 5) / 5),
		float32(env.bandFrac[0]), float32(env.bandFrac[1]), float32(env.bandFrac[2]), float32(env.bandFrac[3]),
		float32(math.Log10(math.Max(f.Spectral.CentroidHz, 20)) / 4.5), float32(f.Spectral.Flatness),
		float32(f.Spectral.Brightness), float32(math.Log10(math.Max(f.Spectral.RolloffHz, 20)) / 4.5),
	}
	copy(v[SimEnvelopeStart:SimEnvelopeEnd], e)
	// Rhythm.
	rate := float64(len(f.Onsets)) / math.Max(dur, 1e-3)
	tempo := 0.0
	if rh.bpm > 0 {
		tempo = math.Log2(rh.bpm / 120)
	}
	loop := 0.0
	if f.Type == TypeLoop {
		loop = 1
	}
	reg, omean, ostd := ioiRegularity(f.Onsets), 0.0, 0.0
	for _, x := range odf {
		omean += float64(x)
	}
	if len(odf) > 0 {
		omean /= float64(len(odf))
		for _, x := range odf {
			ostd += (float64(x) - omean) * (float64(x) - omean)
		}
		ostd = math.Sqrt(ostd / float64(len(odf)))
	}
	r := []float32{
		float32(math.Log10(1+rate) / 1.5), float32(tempo), float32(rh.clarity), float32(rh.confidence),
		float32(loop), float32(math.Log10(math.Max(dur, 0.01)) / 2), float32(reg),
		float32(math.Min(omean, 5) / 5), float32(math.Min(ostd, 5) / 5), 0,
	}
	copy(v[SimRhythmStart:SimRhythmEnd], r)
	for i, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			v[i] = 0
		}
	}
	return v
}

// ioiRegularity is 1 − the coefficient of variation of inter-onset intervals (clamped to
// [0, 1]); 0 with fewer than three onsets.
func ioiRegularity(on []float64) float64 {
	if len(on) < 3 {
		return 0
	}
	var m, s float64
	for i := 1; i < len(on); i++ {
		m += on[i] - on[i-1]
	}
	m /= float64(len(on) - 1)
	for i := 1; i < len(on); i++ {
		d := on[i] - on[i-1] - m
		s += d * d
	}
	cv := math.Sqrt(s/float64(len(on)-1)) / m
	return math.Max(0, math.Min(1, 1-cv))
}
