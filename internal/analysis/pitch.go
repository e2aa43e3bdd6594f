package analysis

import (
	"math"
	"slices"

	"github.com/sp404agent/sp404agent/internal/dsp"
)

// Pitch search range for root notes: E1 (41.2 Hz, a low kick or 4-string bass) to C7.
const (
	pitchMinHz = 40.0
	pitchMaxHz = 2100.0
)

// pitchInfo is the fundamental of a sound's sustain.
type pitchInfo struct {
	f0 float64 // Hz, 0 when unvoiced
	// root is f0 with the octave checked for the root note: in the bass register against a
	// longer window (see bassOctave); f0 keeps the shared-frame check (raiseOctave) that the
	// category rules were tuned with.
	root     float64
	salience float64 // 1 − median YIN aperiodicity over the analysed frames (0–1)
	voiced   float64 // fraction of frames with aperiodicity below 0.2
}

// estimatePitch runs YIN (dsp.YIN) on up to maxFrames frames spaced 20 ms apart, starting
// 10 ms after the envelope peak (past the attack transient) and staying within the −40 dB
// length; it stops after three frames when all three are clearly aperiodic (noise: snares,
// hats, claps), which keeps drum hits cheap.
// The root is the energy-weighted median f0 of the voiced frames after the first third. YIN reports the common
// period of a chord (C–E–G gives the "missing fundamental" two octaves below C), so the f0
// is raised by octaves until a spectral peak stands there (see raiseOctave and bassOctave).
func estimatePitch(full []float32, fullSR float64, env envelope, fe *frontend, maxFrames int) pitchInfo {
	// YIN runs on the sound decimated to 16–32 kHz (a [1 2 1]/4 low-pass before each halving):
	// the pitch range ends at 2.1 kHz, and the FFT correlation shrinks with the rate.
	mono, sr := full, fullSR
	// Only the analysed stretch is needed: up to maxFrames frames 20 ms apart after the peak.
	if end := int((env.peakTime + 0.02*float64(maxFrames) + 0.2) * sr); end < len(mono) {
		mono = mono[:end]
	}
	for sr >= 32000 {
		mono, sr = halve(mono), sr/2
	}
	w := fftSize(sr) / 2
	maxLag := int(math.Ceil(sr / pitchMinHz))
	minLag := int(sr / pitchMaxHz)
	y, err := dsp.NewYIN(w, maxLag)
	if err != nil {
		return pitchInfo{}
	}
	fl := y.FrameLen()
	first := int((env.peakTime + 0.01) * sr)
	last := int((env.start + math.Max(env.len40, 0.05)) * sr)
	if last > len(mono) {
		last = len(mono)
	}
	step := int(0.02 * sr)
	type obs struct{ f0, ap, w float64 }
	var obsv []obs
	for s := first; s+fl <= len(mono) && s < last && len(obsv) < maxFrames; s += step {
		if len(obsv) == 3 && obsv[0].ap > 0.5 && obsv[1].ap > 0.5 && obsv[2].ap > 0.5 {
			break
		}
		period, ap := y.Estimate(mono[s:s+fl], minLag)
		var en float64
		for _, v := range mono[s : s+w] {
			en += float64(v) * float64(v)
		}
		if en == 0 {
			continue
		}
		f := 0.0
		if period > 0 {
			f = sr / period
		}
		obsv = append(obsv, obs{f0: f, ap: ap, w: math.Sqrt(en)})
	}
	if len(obsv) == 0 && len(mono) >= fl {
		// Very short sounds: one frame from the start.
		s := max(0, min(len(mono)-fl, first-fl/2))
		period, ap := y.Estimate(mono[s:s+fl], minLag)
		if period > 0 {
			obsv = append(obsv, obs{f0: sr / period, ap: ap, w: 1})
		}
	}
	if len(obsv) == 0 {
		return pitchInfo{}
	}
	aps := make([]float64, len(obsv))
	var voiced []obs
	for i, o := range obsv {
		aps[i] = o.ap
		if o.ap < 0.2 && o.f0 > 0 {
			voiced = append(voiced, o)
		}
	}
	slices.Sort(aps)
	pi := pitchInfo{salience: 1 - aps[len(aps)/2], voiced: float64(len(voiced)) / float64(len(obsv))}
	if len(voiced) == 0 {
		return pi
	}
	// The later voiced frames decide: a kick's pitch sweeps down to the note it is tuned to,
	// and a held note is the same throughout.
	voiced = voiced[len(voiced)/3:]
	slices.SortFunc(voiced, func(a, b obs) int {
		if a.f0 != b.f0 {
			if a.f0 < b.f0 {
				return -1
			}
			return 1
		}
		return 0
	})
	var tw float64
	for _, o := range voiced {
		tw += o.w
	}
	var acc float64
	for _, o := range voiced {
		acc += o.w
		if acc >= tw/2 {
			pi.f0 = o.f0
			break
		}
	}
	t := env.peakTime + 0.1
	i := min(fe.n-1, max(0, int(math.Round(t*fe.frameRate))))
	yin := pi.f0
	pi.f0 = raiseOctave(yin, fe.peaks[fe.peakOff[i]:fe.peakOff[i+1]])
	pi.root = pi.f0
	if yin < lineMinHz {
		pk, binHz := longPeaks(mono, sr, t)
		pi.root = bassOctave(yin, pk, binHz)
	}
	return pi
}

// longPeakSeconds is the window of longPeaks: at 186 ms the partials of an E1 (41 Hz apart)
// are four bins apart, where the 46 ms frames of the shared transform merge them.
const longPeakSeconds = 0.186

// longPeaks returns the spectral peaks (25 Hz–3.5 kHz) of a Hann window of about
// longPeakSeconds centred on time t in x (rate sr), and the bin spacing in Hz.
func longPeaks(x []float32, sr, t float64) ([]dsp.SpectralPeak, float64) {
	n := 1
	for float64(n) < longPeakSeconds*sr {
		n *= 2
	}
	st, err := dsp.NewSTFT(n, 1)
	if err != nil {
		return nil, 0
	}
	c := min(len(x)-1, max(0, int(t*sr)))
	return dsp.NewChroma(n, sr).Peaks(nil, st.PowerFrame(nil, x, c)), sr / float64(n)
}

// hasPeak reports whether pk has a peak holding at least 10 % of the largest peak magnitude
// within ±0.03 octave of f or within tolHz of it.
func hasPeak(pk []dsp.SpectralPeak, f, tolHz float64) bool {
	var top float64
	for _, p := range pk {
		top = math.Max(top, p.Mag)
	}
	for _, p := range pk {
		near := math.Abs(math.Log2(p.Freq/f)) < 0.03 || math.Abs(p.Freq-f) < tolHz
		if near && p.Mag >= 0.1*top {
			return true
		}
	}
	return false
}

// raiseOctave returns f0·2^k for the smallest k in 0…4 such that pk has a peak there
// (hasPeak); f0 itself when there is none. YIN reports the common period of a chord (C–E–G
// gives the "missing fundamental" two octaves below C), which this undoes.
func raiseOctave(f0 float64, pk []dsp.SpectralPeak) float64 {
	if f0 <= 0 {
		return f0
	}
	for k := 0; k <= 4; k++ {
		if f := f0 * math.Exp2(float64(k)); hasPeak(pk, f, 0) {
			return f
		}
	}
	return f0
}

// bassOctave is raiseOctave for an f0 in the bass register, against the peaks of a longer
// window (longPeaks, bins binHz apart): a peak within one bin counts, and f0 itself is also
// confirmed by peaks at both 2·f0 and 3·f0, because a bass note's fundamental is often
// weaker than its first overtones while a chord's missing fundamental has neither (only its
// raised octaves can coincide with chord tones, so this applies to f0 itself).
func bassOctave(f0 float64, pk []dsp.SpectralPeak, binHz float64) float64 {
	if f0 <= 0 || len(pk) == 0 {
		return f0
	}
	if hasPeak(pk, 2*f0, binHz) && hasPeak(pk, 3*f0, binHz) {
		return f0
	}
	for k := 0; k <= 4; k++ {
		if f := f0 * math.Exp2(float64(k)); hasPeak(pk, f, binHz) {
			return f
		}
	}
	return f0
}

// halve low-passes x with the [1 2 1]/4 kernel (a zero at the Nyquist frequency) and keeps
// every second sample.
func halve(x []float32) []float32 {
	out := make([]float32, len(x)/2)
	for i := range out {
		j := 2 * i
		a := x[j]
		if j > 0 {
			a = x[j-1]
		}
		c := x[j]
		if j+1 < len(x) {
			c = x[j+1]
		}
		out[i] = 0.25*a + 0.5*x[j] + 0.25*c
	}
	return out
}

// noteNames are the pitch classes with sharps, C = 0.
var noteNames = [12]string{"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"}

// midiFromHz is the nearest MIDI note to f Hz (A4 = 440 Hz = 69).
func midiFromHz(f float64) int { return int(math.Round(69 + 12*math.Log2(f/440))) }

// noteName is the scientific pitch name of a MIDI note (60 = C4), with sharps.
func noteName(midi int) string {
	pc := ((midi % 12) + 12) % 12
	oct := int(math.Floor(float64(midi)/12)) - 1
	return noteNames[pc] + itoa(oct)
}

func itoa(i int) string {
	if i < 0 {
		return "-" + itoa(-i)
	}
	if i < 10 {
		return string(rune('0' + i))
	}
	return itoa(i/10) + string(rune('0'+i%10))
}
