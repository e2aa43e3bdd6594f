package analysis

import (
	"math"
	"math/rand/v2"

	"github.com/sp404agent/sp404agent/internal/audio"
	"github.com/sp404agent/sp404agent/internal/dsp"
)

// Test signal synthesis. Every generator is deterministic (fixed PCG seeds) and writes mono
// float32 at sample rate sr; stereo() wraps a mono signal into a Buffer.

const testSR = 44100

func stereo(sr int, x []float32) *audio.Buffer {
	l := make([]float32, len(x))
	r := make([]float32, len(x))
	copy(l, x)
	copy(r, x)
	return &audio.Buffer{SampleRate: sr, Data: [][]float32{l, r}}
}

func mono(sr int, x []float32) *audio.Buffer {
	return &audio.Buffer{SampleRate: sr, Data: [][]float32{x}}
}

// kick is a sine sweeping exponentially from 150 to 50 Hz with a fast exponential decay.
func kick(sr float64, dur float64, amp float64) []float32 {
	n := int(dur * sr)
	x := make([]float32, n)
	var ph float64
	for i := range x {
		t := float64(i) / sr
		f := 50 + 100*math.Exp(-t/0.03)
		ph += 2 * math.Pi * f / sr
		x[i] = float32(amp * math.Sin(ph) * math.Exp(-t/0.12) * math.Min(1, t/0.002))
	}
	return x
}

func noise(r *rand.Rand, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(r.Float64()*2 - 1)
	}
	return x
}

// snare is white noise plus a 200 Hz tone, both decaying (noise τ 60 ms, tone τ 40 ms).
func snare(sr, dur, amp float64, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 11))
	n := int(dur * sr)
	x := noise(r, n)
	for i := range x {
		t := float64(i) / sr
		x[i] = float32(amp * (0.6*float64(x[i])*math.Exp(-t/0.06) + 0.6*math.Sin(2*math.Pi*200*t)*math.Exp(-t/0.04)))
	}
	return x
}

// hat is noise high-passed at 7 kHz (or 0.35·sr at low rates; two RBJ stages) with
// exponential decay tau.
func hat(sr, dur, tau, amp float64, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 12))
	n := int(dur * sr)
	x := noise(r, n)
	fc := math.Min(7000, 0.35*sr)
	for _, c := range []dsp.BiquadCoeffs{dsp.HighPass(sr, fc, 0.7), dsp.HighPass(sr, fc, 0.7)} {
		dsp.NewBiquad(c).Process(x, x)
	}
	for i := range x {
		t := float64(i) / sr
		x[i] = float32(amp * 1.5 * float64(x[i]) * math.Exp(-t/tau))
	}
	return x
}

// clap is four band-passed noise bursts 10 ms apart (τ 3 ms each) and a 60 ms tail.
func clap(sr, amp float64, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 13))
	n := int(0.35 * sr)
	src := noise(r, n)
	dsp.NewBiquad(dsp.BandPass(sr, 1500, 0.8)).Process(src, src)
	x := make([]float32, n)
	for i := range x {
		t := float64(i) / sr
		var g float64
		for b := 0; b < 4; b++ {
			if tb := t - 0.01*float64(b); tb >= 0 {
				g += math.Exp(-tb / 0.003)
			}
		}
		if tb := t - 0.03; tb >= 0 {
			g += 0.5 * math.Exp(-tb/0.06)
		}
		x[i] = float32(amp * 2 * g * float64(src[i]))
	}
	return x
}

// tone is a harmonic tone (partials 1…6 at 1/h amplitude) of frequency f with attack and
// release ramps, optionally decaying with tau (0 = sustained). Each partial is a recursive
// sine oscillator (y[n] = 2cos ω·y[n−1] − y[n−2]), much cheaper than math.Sin per sample.
func tone(sr, dur, f, amp, tau float64) []float32 {
	n := int(dur * sr)
	x := make([]float32, n)
	acc := make([]float64, n)
	for h := 1; h <= 6; h++ {
		w := 2 * math.Pi * f * float64(h) / sr
		if f*float64(h) >= sr/2 {
			break
		}
		c := 2 * math.Cos(w)
		ph := float64(h)
		y1, y2 := math.Sin(ph-w), math.Sin(ph-2*w)
		g := 1 / float64(h)
		for i := range acc {
			y := c*y1 - y2
			acc[i] += g * y
			y2, y1 = y1, y
		}
	}
	for i := range x {
		t := float64(i) / sr
		g := math.Min(1, t/0.005) * math.Min(1, (dur-t)/0.02)
		if tau > 0 {
			g *= math.Exp(-t / tau)
		}
		x[i] = float32(amp * 0.5 * acc[i] * g)
	}
	return x
}

// midiHz is the frequency of MIDI note m with a detune in cents.
func midiHz(m int, cents float64) float64 {
	return 440 * math.Exp2((float64(m)-69)/12+cents/1200)
}

// chord sums tones for the MIDI notes.
func chord(sr, dur float64, notes []int, cents, amp float64) []float32 {
	x := make([]float32, int(dur*sr))
	for _, m := range notes {
		t := tone(sr, dur, midiHz(m, cents), amp/float64(len(notes)), 0)
		for i := range x {
			x[i] += t[i]
		}
	}
	return x
}

// mixAt adds src into dst starting at sample off (clipped to dst).
func mixAt(dst, src []float32, off int) {
	for i, v := range src {
		if j := off + i; j >= 0 && j < len(dst) {
			dst[j] += v
		}
	}
}

// pattern is a drum pattern over one bar of 4 beats, positions in beats.
type pattern struct {
	name                string
	kicks, snares, hats []float64
	swing               float64 // delay of off-beat eighths as a fraction of an eighth
}

var patterns = []pattern{
	{name: "basic", kicks: []float64{0, 2, 2.5}, snares: []float64{1, 3}, hats: eighths()},
	// Half-time feel as in trap or drum & bass: snare on beat 3 only, sixteenth hats. Used at
	// 100 BPM and above (a half-time feel at 70 would be a 35 BPM pulse).
	{name: "halftime", kicks: []float64{0, 0.75, 2.5}, snares: []float64{2}, hats: sixteenths()},
	{name: "swing", kicks: []float64{0, 1.5, 2}, snares: []float64{1, 3}, hats: eighths(), swing: 0.33},
	{name: "sixteenths", kicks: []float64{0, 2.75, 3.5}, snares: []float64{1, 3}, hats: sixteenths()},
	{name: "boombap", kicks: []float64{0, 0.75, 2.5}, snares: []float64{1, 3}, hats: eighths(), swing: 0.15},
}

func eighths() []float64 {
	var h []float64
	for i := 0; i < 8; i++ {
		h = append(h, float64(i)/2)
	}
	return h
}

func sixteenths() []float64 {
	var h []float64
	for i := 0; i < 16; i++ {
		h = append(h, float64(i)/4)
	}
	return h
}

// drumLoop renders bars of pattern p at bpm; the result is exactly bars·4 beats long.
func drumLoop(sr, bpm float64, bars int, p pattern, seed uint64) []float32 {
	beat := 60 / bpm
	n := int(math.Round(float64(bars) * 4 * beat * sr))
	x := make([]float32, n)
	k := kick(sr, 0.5, 0.8)
	s := snare(sr, 0.3, 0.5, seed)
	h := hat(sr, 0.06, 0.015, 0.3, seed+1)
	place := func(src []float32, pos float64) {
		if e := pos * 2; e == math.Trunc(e) && int(e)%2 == 1 {
			pos += p.swing * 0.5 // off-beat eighth: swung late
		}
		mixAt(x, src, int(math.Round(pos*beat*sr)))
	}
	for b := 0; b < bars; b++ {
		off := float64(b) * 4
		for _, q := range p.kicks {
			place(k, off+q)
		}
		for _, q := range p.snares {
			place(s, off+q)
		}
		for _, q := range p.hats {
			place(h, off+q)
		}
	}
	return x
}

// tom is a pitched drum: a sine gliding from 1.3·f to f (τ 40 ms) with a little noise,
// decaying with τ 150 ms.
func tom(sr, f, amp float64, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 14))
	n := int(0.7 * sr)
	x := make([]float32, n)
	var ph float64
	for i := range x {
		t := float64(i) / sr
		ph += 2 * math.Pi * f * (1 + 0.3*math.Exp(-t/0.04)) / sr
		v := math.Sin(ph)*math.Exp(-t/0.15) + 0.1*(r.Float64()*2-1)*math.Exp(-t/0.02)
		x[i] = float32(amp * v * math.Min(1, t/0.001))
	}
	return x
}

// cowbell is two square-ish partials at 560 and 845 Hz decaying with τ 40 ms.
func cowbell(sr, amp float64) []float32 {
	n := int(0.4 * sr)
	x := make([]float32, n)
	for i := range x {
		t := float64(i) / sr
		v := math.Sin(2*math.Pi*560*t) + math.Sin(2*math.Pi*845*t) + 0.3*math.Sin(2*math.Pi*1680*t)
		x[i] = float32(amp * 0.4 * v * math.Exp(-t/0.04) * math.Min(1, t/0.001))
	}
	return x
}

// riser is noise through a band-pass sweeping from 200 Hz to 8 kHz over dur seconds with a
// crescendo: a typical transition effect.
func riser(sr, dur, amp float64, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 15))
	n := int(dur * sr)
	x := noise(r, n)
	bq := dsp.NewBiquad(dsp.BandPass(sr, 200, 2))
	blk := 256
	for s := 0; s < n; s += blk {
		t := float64(s) / sr
		f := 200 * math.Pow(40, t/dur)
		c := dsp.BandPass(sr, f, 2)
		bq.BiquadCoeffs = c
		e := min(n, s+blk)
		bq.Process(x[s:e], x[s:e])
	}
	for i := range x {
		t := float64(i) / sr
		x[i] *= float32(amp * 3 * (t / dur) * math.Min(1, (dur-t)/0.01))
	}
	return x
}

// progression renders chords (MIDI note lists), each held for beats at bpm, as harmonic tones
// with a short release gap, optionally detuned by cents.
func progression(sr, bpm float64, chords [][]int, beats int, cents, amp float64) []float32 {
	seg := float64(beats) * 60 / bpm
	var x []float32
	for _, c := range chords {
		y := chord(sr, seg, c, cents, amp)
		x = append(x, y...)
	}
	return x
}

type metaT = audio.Metadata

// metaWith returns metadata with no chunks (RootNote and RLNDPad −1) modified by fn.
func metaWith(fn func(m *metaT)) audio.Metadata {
	m := audio.Metadata{RootNote: -1, RLNDPad: -1}
	fn(&m)
	return m
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 99)) }
