package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/sp404agent/sp404agent/internal/analysis"
	"github.com/sp404agent/sp404agent/internal/audio"
	"github.com/sp404agent/sp404agent/internal/dsp"
)

// synthRate is the sample rate of the synthesized training sounds.
const synthRate = 44100.0

// synthSounds synthesizes perVariant sounds of each kind drum machines, synthesizers and
// sample packs are full of and the recorded sets lack: analogue-style (808-like) kicks,
// snares, claps, hats, cymbals, toms and cowbells; sine, triangle and saw bass notes; chord
// stabs and pads; risers, downlifters and zaps (fx); and bass and chord loops. Parameters
// are drawn from wide ranges with a fixed seed (deterministic). They form one
// cross-validation group.
func synthSounds(perVariant int) ([]example, error) {
	r := rand.New(rand.NewPCG(2024, 7))
	u := func(a, b float64) float64 { return a + (b-a)*r.Float64() }
	type gen struct {
		label string
		f     func() []float32
	}
	gens := []gen{
		{"kick", func() []float32 {
			return sweepTone(u(0.25, 1.2), u(40, 65), u(80, 250), u(0.01, 0.05), u(0.08, 0.4), u(0, 0.3), r)
		}},
		{"tom", func() []float32 {
			f := u(80, 320)
			return sweepTone(u(0.4, 1), f, f*u(1.1, 1.5), u(0.03, 0.08), u(0.1, 0.35), u(0, 0.15), r)
		}},
		{"snare", func() []float32 {
			return snareLike(u(0.15, 0.6), u(150, 280), u(0.03, 0.15), u(0.03, 0.08), u(0.3, 1), r)
		}},
		{"clap", func() []float32 { return clapLike(2+r.IntN(3), u(0.006, 0.014), u(800, 2000), u(0.04, 0.25), r) }},
		{"hat_closed", func() []float32 { return metalNoise(u(0.04, 0.12), u(5000, 9000), u(0.008, 0.035), r) }},
		{"hat_open", func() []float32 { return metalNoise(u(0.3, 1), u(5000, 9000), u(0.08, 0.3), r) }},
		{"cymbal", func() []float32 { return metalNoise(u(1.5, 5), u(2500, 9000), u(0.4, 1.8), r) }},
		{"perc", func() []float32 {
			f := u(400, 900)
			return partials(u(0.2, 0.6), []float64{f, f * u(1.4, 1.6), f * u(2.8, 3.1)}, u(0.02, 0.12), 0.001, r)
		}},
		{"bass", func() []float32 {
			return note(u(0.6, 2.5), midiHz(28+r.IntN(24)), r.IntN(3), u(0.005, 0.03), u(0.5, 4), r)
		}},
		{"melodic", func() []float32 {
			root := 55 + r.IntN(20)
			ch := [][]int{{0, 4, 7}, {0, 3, 7}, {0, 4, 7, 11}, {0, 3, 7, 10}, {0}}[r.IntN(5)]
			return chordOf(u(0.7, 3), root, ch, r.IntN(3), u(0.005, 0.4), u(0.6, 5), r)
		}},
		{"fx", func() []float32 {
			switch r.IntN(3) {
			case 0:
				return sweepNoise(u(1.5, 6), u(150, 400), u(5000, 12000), true, r)
			case 1:
				return sweepNoise(u(1, 4), u(6000, 12000), u(150, 400), false, r)
			}
			return sweepTone(u(0.15, 0.6), u(80, 300), u(1500, 5000), u(0.05, 0.2), u(0.1, 0.3), 0, r)
		}},
	}
	var out []example
	add := func(label, name string, x []float32) error {
		peak := 0.0
		for _, v := range x {
			peak = math.Max(peak, math.Abs(float64(v)))
		}
		if peak == 0 {
			return nil
		}
		g := float32(u(0.3, 0.95) / peak)
		for i := range x {
			x[i] *= g
		}
		buf := &audio.Buffer{SampleRate: synthRate, Data: [][]float32{x, append([]float32(nil), x...)}}
		f, fv, err := analysis.AnalyzeForTraining(context.Background(), buf, analysis.Hints{Name: "sample.wav"})
		if err != nil {
			return err
		}
		out = append(out, example{Sample: Sample{X: fv, Label: label, Group: "synth", Name: name}, Type: f.Type, Set: "synth"})
		return nil
	}
	for _, g := range gens {
		for i := 0; i < perVariant; i++ {
			if err := add(g.label, fmt.Sprintf("synth %s %d", g.label, i), g.f()); err != nil {
				return nil, err
			}
		}
	}
	// Loops: bass lines and chord progressions of the same voices.
	for i := 0; i < perVariant; i++ {
		bpm := u(75, 150)
		beat := 60 / bpm
		var bass, chords []float32
		base := 28 + r.IntN(12)
		wave := r.IntN(3)
		for k := 0; k < 8; k++ {
			bass = append(bass, note(beat*u(0.5, 1)*float64(1+r.IntN(2)), midiHz(base+[]int{0, 3, 5, 7, 10, 12}[r.IntN(6)]), wave, 0.005, u(0.3, 2), r)...)
		}
		root := 55 + r.IntN(12)
		for k := 0; k < 4; k++ {
			deg := []int{0, 5, 7, 9, 3, 10}[r.IntN(6)]
			chords = append(chords, chordOf(2*beat, root+deg, [][]int{{0, 4, 7}, {0, 3, 7}}[r.IntN(2)], wave, u(0.005, 0.2), u(1, 5), r)...)
		}
		if err := add("bass", fmt.Sprintf("synth bass loop %d", i), bass); err != nil {
			return nil, err
		}
		if err := add("melodic", fmt.Sprintf("synth chord loop %d", i), chords); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func midiHz(m int) float64 { return 440 * math.Pow(2, float64(m-69)/12) }

// sweepTone is a sine whose frequency falls (or rises) exponentially from f1 to f0 with time
// constant sweep, decaying with time constant decay, plus a click of noise of relative level
// click.
func sweepTone(dur, f0, f1, sweep, decay, click float64, r *rand.Rand) []float32 {
	x := make([]float32, int(dur*synthRate))
	var ph float64
	for i := range x {
		t := float64(i) / synthRate
		f := f0 + (f1-f0)*math.Exp(-t/sweep)
		ph += 2 * math.Pi * f / synthRate
		v := math.Sin(ph)*math.Exp(-t/decay) + click*(2*r.Float64()-1)*math.Exp(-t/0.004)
		x[i] = float32(v * math.Min(1, t/0.001))
	}
	return x
}

// snareLike is a tone body at f plus band-limited noise, each with its own decay.
func snareLike(dur, f, bodyDecay, noiseDecay, noiseLevel float64, r *rand.Rand) []float32 {
	n := int(dur * synthRate)
	nz := white(n, r)
	dsp.NewBiquad(dsp.HighPass(synthRate, 800+1500*r.Float64(), 0.7)).Process(nz, nz)
	x := make([]float32, n)
	for i := range x {
		t := float64(i) / synthRate
		x[i] = float32(math.Sin(2*math.Pi*f*t)*math.Exp(-t/bodyDecay) + noiseLevel*float64(nz[i])*math.Exp(-t/noiseDecay))
	}
	return x
}

// clapLike is bursts of band-passed noise gap seconds apart and a reverberant tail.
func clapLike(bursts int, gap, centre, tail float64, r *rand.Rand) []float32 {
	n := int((float64(bursts)*gap + tail*5) * synthRate)
	nz := white(n, r)
	dsp.NewBiquad(dsp.BandPass(synthRate, centre, 1.2)).Process(nz, nz)
	x := make([]float32, n)
	for i := range x {
		t := float64(i) / synthRate
		var env float64
		for b := 0; b < bursts; b++ {
			if d := t - float64(b)*gap; d >= 0 {
				env = math.Max(env, math.Exp(-d/0.003))
			}
		}
		if d := t - float64(bursts-1)*gap; d >= 0 {
			env = math.Max(env, 0.5*math.Exp(-d/tail))
		}
		x[i] = float32(float64(nz[i]) * env)
	}
	return x
}

// metalNoise is high-passed noise mixed with six inharmonic square partials (the 808 hat
// and cymbal recipe) decaying with time constant decay.
func metalNoise(dur, hp, decay float64, r *rand.Rand) []float32 {
	n := int(dur * synthRate)
	x := white(n, r)
	base := 200 + 200*r.Float64()
	ratios := []float64{1, 1.48, 1.65, 2.14, 2.52, 3.47}
	for i := range x {
		t := float64(i) / synthRate
		var m float64
		for _, q := range ratios {
			if math.Sin(2*math.Pi*base*q*t) > 0 {
				m++
			} else {
				m--
			}
		}
		x[i] = float32(0.7*float64(x[i]) + 0.1*m)
	}
	for _, c := range []dsp.BiquadCoeffs{dsp.HighPass(synthRate, hp, 0.7), dsp.HighPass(synthRate, hp, 0.7)} {
		dsp.NewBiquad(c).Process(x, x)
	}
	for i := range x {
		t := float64(i) / synthRate
		x[i] *= float32(math.Exp(-t/decay) * math.Min(1, t/0.0005))
	}
	return x
}

// partials is a sum of sines at freqs with decay and attack time constants.
func partials(dur float64, freqs []float64, decay, attack float64, r *rand.Rand) []float32 {
	x := make([]float32, int(dur*synthRate))
	ph := make([]float64, len(freqs))
	for k := range ph {
		ph[k] = 2 * math.Pi * r.Float64()
	}
	for i := range x {
		t := float64(i) / synthRate
		var v float64
		for k, f := range freqs {
			v += math.Sin(2*math.Pi*f*t+ph[k]) / float64(k+1)
		}
		x[i] = float32(v * math.Exp(-t/decay) * math.Min(1, t/attack))
	}
	return x
}

// note is one pitched note: wave 0 sine, 1 triangle-like (odd harmonics falling as 1/k²),
// 2 saw-like (all harmonics, 1/k), eight harmonics, with an attack and a slow decay.
func note(dur, f float64, wave int, attack, decay float64, r *rand.Rand) []float32 {
	var freqs []float64
	amps := []float64{}
	for k := 1; k <= 8 && f*float64(k) < 8000; k++ {
		switch wave {
		case 0:
			if k > 1 {
				continue
			}
			amps = append(amps, 1)
		case 1:
			if k%2 == 0 {
				continue
			}
			amps = append(amps, 1/float64(k*k))
		default:
			amps = append(amps, 1/float64(k))
		}
		freqs = append(freqs, f*float64(k))
	}
	x := make([]float32, int(dur*synthRate))
	ph := 2 * math.Pi * r.Float64()
	for i := range x {
		t := float64(i) / synthRate
		var v float64
		for k, fk := range freqs {
			v += amps[k] * math.Sin(2*math.Pi*fk*t+ph*float64(k+1))
		}
		rel := math.Min(1, (dur-t)/0.01)
		x[i] = float32(v * math.Exp(-t/decay) * math.Min(1, t/attack) * rel)
	}
	return x
}

// chordOf mixes notes on root+offsets (MIDI) of one waveform.
func chordOf(dur float64, root int, offsets []int, wave int, attack, decay float64, r *rand.Rand) []float32 {
	var x []float32
	for _, o := range offsets {
		y := note(dur, midiHz(root+o), wave, attack, decay, r)
		if x == nil {
			x = y
			continue
		}
		for i := range x {
			x[i] += y[i]
		}
	}
	return x
}

// sweepNoise is noise through a band-pass whose centre moves exponentially from f0 to f1,
// swelling in (rise) or fading out (fall).
func sweepNoise(dur, f0, f1 float64, rise bool, r *rand.Rand) []float32 {
	n := int(dur * synthRate)
	x := white(n, r)
	bq := dsp.NewBiquad(dsp.BandPass(synthRate, f0, 2))
	for s := 0; s < n; s += 256 {
		t := float64(s) / synthRate
		bq.BiquadCoeffs = dsp.BandPass(synthRate, f0*math.Pow(f1/f0, t/dur), 2)
		e := min(n, s+256)
		bq.Process(x[s:e], x[s:e])
	}
	for i := range x {
		t := float64(i) / synthRate
		g := t / dur
		if !rise {
			g = 1 - g
		}
		x[i] *= float32(g * math.Min(1, (dur-t)/0.01) * math.Min(1, t/0.01))
	}
	return x
}

func white(n int, r *rand.Rand) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(2*r.Float64() - 1)
	}
	return x
}
