package analysis

import (
	"math"

	"github.com/sp404agent/sp404agent/internal/dsp"
)

// Input features of the trained category model (catmodel.go). The descriptors are the classic
// ones of drum-sound classification (Herrera, Yeterian & Gouyon 2002, "Automatic
// classification of drum sounds: a comparison of feature selection methods and classification
// techniques", ICMAI; Herrera, Dehamel & Gouyon 2003, "Automatic labeling of unpitched
// percussion sounds", AES 114): the cepstrum of the attack and of the body, band energies,
// spectral centroid and flatness, attack and decay times per band, temporal centroid, and
// pitch salience. Every value is level independent (ratios, logs of times, cepstral shape
// without c0), so the gain a sample was normalised to does not matter.
//
// The order is part of the model: the trainer writes the names next to the weights and a test
// fails when they no longer match this list.
var classFeatureNames = [...]string{
	// Envelope (1 ms blocks).
	"log_len40", "log_len20", "log_attack", "sustain", "log_tcentre", "bursts", "end_db", "gap_db",
	"log_duration",
	// Attack window: the first 100 ms after the start.
	"att_cep1", "att_cep2", "att_cep3", "att_cep4", "att_cep5", "att_cep6", "att_cep7", "att_cep8",
	"att_band_low", "att_band_lowmid", "att_band_mid", "att_band_high", "att_log_centroid", "att_flatness",
	// Body: from 100 ms after the start to the −40 dB end (the attack window again when shorter).
	"body_cep1", "body_cep2", "body_cep3", "body_cep4", "body_cep5", "body_cep6", "body_cep7", "body_cep8",
	"body_band_low", "body_band_lowmid", "body_band_mid", "body_band_high", "body_log_centroid", "body_flatness",
	// Per-band decay: time from the band's peak to 20 dB below it.
	"decay_low", "decay_lowmid", "decay_mid", "decay_high",
	// Pitch and harmony.
	"pitch_salience", "pitch_voiced", "log_f0", "chroma_flatness",
	// Rhythm (what tells a drum loop from a held chord).
	"log_onset_rate", "log_onsets", "pulse_clarity", "has_tempo", "ioi_regularity", "flux_ratio",
}

// nClassFeatures is the length of the model's input vector.
const nClassFeatures = len(classFeatureNames)

// attackWindow is the length of the attack window in seconds.
const attackWindow = 0.1

// classFeatures builds the category model's input from what the analysis has already
// measured: the envelope, the STFT frames (mel energies, band energies, centroid, flatness),
// the pitch, the chroma and the onsets. It costs a pass over the frames of the sound.
func classFeatures(fe *frontend, env envelope, p pitchInfo, t tonalInfo, onsets []float64, rh rhythm, dur float64) [nClassFeatures]float64 {
	var x [nClassFeatures]float64
	lg := func(v, floor float64) float64 { return math.Log10(math.Max(v, floor)) }
	i := 0
	put := func(v float64) {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			v = 0
		}
		x[i] = v
		i++
	}
	sustain := 0.0
	if env.len40 > 0 {
		sustain = env.len20 / env.len40
	}
	put(lg(env.len40, 0.005))
	put(lg(env.len20, 0.005))
	put(lg(env.attack+0.001, 0.001))
	put(sustain)
	put(lg(env.tcentreS, 0.002))
	put(math.Min(float64(env.bursts), 5))
	put(math.Max(-60, env.endDB) / 20)
	put(math.Max(-60, env.gapDB) / 20)
	put(lg(dur, 0.01))

	// Frame ranges of the attack window and the body.
	f0 := min(fe.n, int(env.start*fe.frameRate))
	fa := min(fe.n, f0+max(1, int(math.Round(attackWindow*fe.frameRate))))
	fb := min(fe.n, int((env.start+env.len40)*fe.frameRate)+1)
	att := fe.windowShape(f0, fa)
	body := att
	if fb > fa {
		body = fe.windowShape(fa, fb)
	}
	for _, w := range []windowShape{att, body} {
		for _, c := range w.cep {
			put(c)
		}
		for _, b := range w.bands {
			put(b)
		}
		put(lg(w.centroid, 20))
		put(w.flatness)
	}
	for _, d := range fe.bandDecays(f0) {
		put(lg(d, 0.005))
	}

	lf0 := 0.0
	if p.f0 > 0 {
		lf0 = math.Log2(p.f0 / 110)
	}
	put(p.salience)
	put(p.voiced)
	put(lf0)
	put(t.flatness)

	rate := float64(len(onsets)) / math.Max(dur, 1e-3)
	tempo := 0.0
	if rh.bpm > 0 {
		tempo = 1
	}
	put(math.Log10(1 + rate))
	put(math.Log10(1 + float64(len(onsets))))
	put(rh.clarity)
	put(tempo)
	put(ioiRegularity(onsets))
	put(fe.fluxRatio())
	return x
}

// windowShape is the spectral shape of a stretch of frames.
type windowShape struct {
	cep      [8]float64      // cepstrum c1…c8 of the mean spectrum on shapeGrid (c0, the level, dropped)
	bands    [nBands]float64 // fractions of the power in the four classifier bands
	centroid float64         // Hz, power weighted
	flatness float64         // power-weighted mean spectral flatness
}

// shapeGrid is the number of points of the fixed frequency grid the cepstrum is taken on:
// equally spaced in mel from shapeLowHz to shapeHighHz. The frontend's mel bands end at
// min(fs/2, 16 kHz), so a 22.05 kHz file has other bands than a 44.1 kHz one; resampling
// both onto one grid that every rate covers makes their cepstra comparable.
const (
	shapeGrid   = 24
	shapeLowHz  = 50
	shapeHighHz = 10000
)

// windowShape averages the power spectrum of frames [a, b) on the mel bands and in the four
// bands. The cepstrum is taken of the averaged spectrum (log of the mean mel energies,
// interpolated onto shapeGrid), not averaged over frames, so near-silent frames and their log
// floor do not weigh in. Only c1…c8 are kept: the spectral envelope, not the level.
func (fe *frontend) windowShape(a, b int) windowShape {
	var w windowShape
	var mel [melBands]float64
	var tot, cen, fl float64
	for i := a; i < b; i++ {
		e := float64(fe.energy[i])
		tot += e
		cen += e * float64(fe.centroid[i])
		fl += e * float64(fe.flat[i])
		for k := range w.bands {
			w.bands[k] += float64(fe.band[k][i])
		}
		row := fe.mel[i*fe.melBands : (i+1)*fe.melBands]
		for k, v := range row {
			mel[k] += float64(v)
		}
	}
	if tot <= 0 {
		return w
	}
	for k := range w.bands {
		w.bands[k] /= tot
	}
	w.centroid = cen / tot
	w.flatness = fl / tot
	var ms float64
	for _, v := range mel[:fe.melBands] {
		ms += v
	}
	if ms <= 0 {
		return w
	}
	var logMel [melBands]float64
	for k, v := range mel[:fe.melBands] {
		logMel[k] = math.Log(v/ms + 1e-9)
	}
	var grid [shapeGrid]float32
	lo, hi := dsp.HzToMel(shapeLowHz), dsp.HzToMel(shapeHighHz)
	j := 0
	for g := range grid {
		f := dsp.MelToHz(lo + (hi-lo)*float64(g)/(shapeGrid-1))
		for j+1 < fe.melBands-1 && fe.melHz[j+1] < f {
			j++
		}
		// Linear interpolation between the mel centres around f, clamped at the ends.
		f0, f1 := fe.melHz[j], fe.melHz[min(j+1, fe.melBands-1)]
		t := 0.0
		if f1 > f0 {
			t = math.Max(0, math.Min(1, (f-f0)/(f1-f0)))
		}
		grid[g] = float32(logMel[j] + t*(logMel[min(j+1, fe.melBands-1)]-logMel[j]))
	}
	var c [9]float32
	dsp.NewDCT(shapeGrid, 9).Transform(c[:], grid[:])
	for k := range w.cep {
		w.cep[k] = float64(c[k+1]) / 10
	}
	return w
}

// bandDecays returns, for each of the four classifier bands, the time in seconds from the
// band's loudest frame at or after frame from to the first later frame 20 dB below it (the
// end of the sound when it never gets there). Hats lose their top within tens of
// milliseconds, cymbals ring for seconds, kicks keep their low end longer than their click.
func (fe *frontend) bandDecays(from int) [nBands]float64 {
	var d [nBands]float64
	for k := range d {
		band := fe.band[k]
		pk, pi := float32(0), from
		for i := from; i < fe.n; i++ {
			if band[i] > pk {
				pk, pi = band[i], i
			}
		}
		if pk <= 0 {
			continue
		}
		end := fe.n
		for i := pi + 1; i < fe.n; i++ {
			if band[i] < pk*0.01 {
				end = i
				break
			}
		}
		d[k] = float64(end-pi) / fe.frameRate
	}
	return d
}

// fluxRatio is the mean positive log-mel flux per frame (the sum over the onset band groups)
// relative to its largest value: near 0 when one attack dominates (a hit, a held chord), larger
// when attacks keep coming at full strength (a drum loop, a riff).
func (fe *frontend) fluxRatio() float64 {
	var sum, top float64
	for i := 0; i < fe.n; i++ {
		var v float64
		for g := range fe.onset {
			v += float64(fe.onset[g][i])
		}
		sum += v
		top = math.Max(top, v)
	}
	if top <= 0 || fe.n == 0 {
		return 0
	}
	return sum / float64(fe.n) / top
}
