package main

import (
	"fmt"
	"math"
	"path/filepath"

	"github.com/sp404agent/sp404agent/internal/audio"
)

// tech3341Case is an EBU Tech 3341 (v4, 2016) test signal the generator can synthesise
// exactly: stereo 1 kHz tone segments for the integrated-loudness cases, and a −6 dBTP
// (or +3 dBTP) tone at fs/4 with a phase offset for the true-peak cases.
type tech3341Case struct {
	Name     string
	Segments [][2]float64 // {level dBFS (sine peak), seconds}
	LUFS     *float64     // expected integrated loudness
	Phase    float64      // true-peak cases: phase of the fs/4 tone in degrees
	TPLevel  float64      // true-peak cases: true peak in dBTP (the tone's amplitude)
	TP       *float64     // expected true peak
}

func ptr(v float64) *float64 { return &v }

// tech3341Cases lists the cases; names follow the Tech 3341 numbering.
func tech3341Cases() []tech3341Case {
	return []tech3341Case{
		{Name: "case1", Segments: [][2]float64{{-23, 20}}, LUFS: ptr(-23)},
		{Name: "case2", Segments: [][2]float64{{-33, 20}}, LUFS: ptr(-33)},
		{Name: "case3", Segments: [][2]float64{{-36, 10}, {-23, 60}, {-36, 10}}, LUFS: ptr(-23)},
		{Name: "case4", Segments: [][2]float64{{-72, 10}, {-36, 10}, {-23, 60}, {-36, 10}, {-72, 10}}, LUFS: ptr(-23)},
		{Name: "case5", Segments: [][2]float64{{-26, 20}, {-20, 20.1}, {-26, 20}}, LUFS: ptr(-23)},
		{Name: "case15", Phase: 0, TPLevel: -6, TP: ptr(-6)},
		{Name: "case16", Phase: 45, TPLevel: -6, TP: ptr(-6)},
		{Name: "case17", Phase: 60, TPLevel: -6, TP: ptr(-6)},
		{Name: "case18", Phase: 67.5, TPLevel: -6, TP: ptr(-6)},
		{Name: "case19", Phase: 45, TPLevel: 3, TP: ptr(3)},
	}
}

// loudness writes the Tech 3341 cases at each configured rate: loudness cases as 24-bit WAV,
// true-peak cases as float WAV (case 19 has +3 dBTP, so its samples reach 0 dBFS).
func (g *Generator) loudness([]KitSample) ([]Item, error) {
	want := map[string]bool{}
	for _, n := range g.Sizes.LoudnessCases {
		want[n] = true
	}
	var items []Item
	for _, rate := range g.Sizes.LoudnessRates {
		for _, c := range tech3341Cases() {
			if len(want) > 0 && !want[c.Name] {
				continue
			}
			var buf *audio.Buffer
			enc := audio.PCM24
			if c.TP != nil {
				buf = fsQuarterTone(rate, c.Phase, c.TPLevel)
				enc = audio.Float32
			} else {
				buf = toneSegments(rate, c.Segments)
			}
			name := fmt.Sprintf("loudness/tech3341_%s_%dk.wav", c.Name, rate/1000)
			if err := writeWAV(filepath.Join(g.Dir, name), buf, enc); err != nil {
				return nil, err
			}
			items = append(items, Item{File: name, Set: "loudness", Style: c.Name, Format: "wav", Rate: rate, Channels: 2, LUFS: c.LUFS, TruePeak: c.TP})
		}
	}
	fmt.Fprintf(g.log, "generated %d loudness cases\n", len(items))
	return items, nil
}

// toneSegments is a stereo 1 kHz sine whose peak level follows the segments, phase-continuous.
func toneSegments(rate int, segs [][2]float64) *audio.Buffer {
	total := 0
	for _, s := range segs {
		total += int(math.Round(s[1] * float64(rate)))
	}
	b := audio.NewBuffer(rate, 2, total)
	i := 0
	for _, s := range segs {
		a := math.Pow(10, s[0]/20)
		n := int(math.Round(s[1] * float64(rate)))
		for k := 0; k < n; k++ {
			v := float32(a * math.Sin(2*math.Pi*1000*float64(i)/float64(rate)))
			b.Data[0][i], b.Data[1][i] = v, v
			i++
		}
	}
	return b
}

// fsQuarterTone is 4 s of a stereo sine at fs/4 whose continuous peak is levelDB, sampled at
// the given phase, with 10 ms raised-cosine fades so the edges do not ring above the tone.
func fsQuarterTone(rate int, phaseDeg, levelDB float64) *audio.Buffer {
	n := 4 * rate
	b := audio.NewBuffer(rate, 2, n)
	a := math.Pow(10, levelDB/20)
	ph := phaseDeg * math.Pi / 180
	fade := rate / 100
	for i := 0; i < n; i++ {
		g := 1.0
		if i < fade {
			g = 0.5 - 0.5*math.Cos(math.Pi*float64(i)/float64(fade))
		} else if n-1-i < fade {
			g = 0.5 - 0.5*math.Cos(math.Pi*float64(n-1-i)/float64(fade))
		}
		v := float32(g * a * math.Sin(math.Pi/2*float64(i)+ph))
		b.Data[0][i], b.Data[1][i] = v, v
	}
	return b
}
