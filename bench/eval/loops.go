package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sort"

	"github.com/sp404agent/sp404agent/internal/audio"
)

// Hit is one drum hit in a pattern: when (in beats from the loop start), what, how hard.
type Hit struct {
	Beat     float64
	Category string  // kick snare clap hat_closed hat_open tom cymbal perc
	Velocity float64 // 0–1
}

// Style describes one drum-loop style: its tempo range, swing and the bar generator.
type Style struct {
	Name         string
	MinBPM       float64
	MaxBPM       float64
	Swing        [2]float64 // range of the 16th-note swing ratio (0.5 = straight)
	AlwaysLofi   bool
	AlwaysHuman  bool
	Bar          func(r *rand.Rand, bar, bars int) []Hit
	Descriptions string
}

// step returns the hit at 16th-note step s (0–15) of a bar.
func step(s int, cat string, vel float64) Hit {
	return Hit{Beat: float64(s) / 4, Category: cat, Velocity: vel}
}

// hats16 places closed hats on every 16th (every 8th when eighths), with accents on beats.
func hats16(r *rand.Rand, eighths bool) []Hit {
	var h []Hit
	for s := 0; s < 16; s++ {
		if eighths && s%2 == 1 {
			continue
		}
		v := 0.55 + 0.1*r.Float64()
		if s%4 == 0 {
			v = 0.8
		}
		h = append(h, step(s, "hat_closed", v))
	}
	return h
}

// Styles returns the drum-loop styles of the corpus.
func Styles() []Style {
	return []Style{
		{Name: "boombap", MinBPM: 80, MaxBPM: 100, Swing: [2]float64{0.5, 0.6}, Descriptions: "kick 1 + syncopated, snare 2/4, 8th hats, 16th swing",
			Bar: func(r *rand.Rand, bar, bars int) []Hit {
				h := []Hit{step(0, "kick", 1), step(4, "snare", 0.95), step(12, "snare", 0.95)}
				kicks := [][]int{{7, 10}, {10}, {3, 10}, {8, 10, 11}, {6, 10}}
				for _, s := range kicks[r.IntN(len(kicks))] {
					h = append(h, step(s, "kick", 0.8+0.2*r.Float64()))
				}
				if r.IntN(3) == 0 {
					h = append(h, step(15, "snare", 0.4))
				}
				return append(h, hats16(r, true)...)
			}},
		{Name: "house", MinBPM: 118, MaxBPM: 130, Swing: [2]float64{0.5, 0.54}, Descriptions: "four-on-the-floor, clap 2/4, open hat off-beats, 16th hats",
			Bar: func(r *rand.Rand, bar, bars int) []Hit {
				var h []Hit
				for b := 0; b < 4; b++ {
					h = append(h, step(4*b, "kick", 1), step(4*b+2, "hat_open", 0.7))
					h = append(h, step(4*b+1, "hat_closed", 0.45), step(4*b+3, "hat_closed", 0.45))
				}
				h = append(h, step(4, "clap", 0.9), step(12, "clap", 0.9))
				if r.IntN(2) == 0 {
					h = append(h, step(14, "perc", 0.5))
				}
				return h
			}},
		{Name: "trap", MinBPM: 130, MaxBPM: 160, Descriptions: "snare/clap on 3 (half-time feel), 808-style kicks, 8th hats with 1/32 and triplet rolls",
			Bar: func(r *rand.Rand, bar, bars int) []Hit {
				h := []Hit{step(0, "kick", 1), step(8, "snare", 1), step(8, "clap", 0.7)}
				kicks := [][]int{{3, 11}, {6, 14}, {10}, {3, 7, 11}}
				for _, s := range kicks[r.IntN(len(kicks))] {
					h = append(h, step(s, "kick", 0.9))
				}
				for s := 0; s < 16; s += 2 {
					switch {
					case (s == 6 || s == 14) && r.IntN(2) == 0: // 1/32 roll over an 8th
						for i := 0; i < 4; i++ {
							h = append(h, Hit{Beat: float64(s)/4 + float64(i)/8, Category: "hat_closed", Velocity: 0.4 + 0.1*float64(i)})
						}
					case s == 12 && r.IntN(2) == 0: // 16th triplets over a beat
						for i := 0; i < 6; i++ {
							h = append(h, Hit{Beat: 3 + float64(i)/6, Category: "hat_closed", Velocity: 0.45})
						}
						s += 2
					default:
						h = append(h, step(s, "hat_closed", 0.6+0.2*float64(1-s%4/2)))
					}
				}
				return h
			}},
		{Name: "breakbeat", MinBPM: 120, MaxBPM: 140, Swing: [2]float64{0.5, 0.55}, Descriptions: "amen-like syncopated kick/snare with ghost notes, ride or hats",
			Bar: func(r *rand.Rand, bar, bars int) []Hit {
				h := []Hit{step(0, "kick", 1), step(2, "kick", 0.9), step(4, "snare", 1), step(7, "snare", 0.5),
					step(9, "snare", 0.5), step(10, "kick", 0.9), step(11, "kick", 0.7), step(12, "snare", 1), step(15, "snare", 0.5)}
				if bar%2 == 1 {
					h = []Hit{step(0, "kick", 1), step(2, "kick", 0.9), step(4, "snare", 1), step(7, "snare", 0.5),
						step(9, "snare", 0.5), step(10, "kick", 0.9), step(14, "snare", 1), step(12, "snare", 0.5)}
				}
				cat := "hat_closed"
				if r.IntN(3) == 0 {
					cat = "cymbal"
				}
				for s := 0; s < 16; s += 2 {
					h = append(h, step(s, cat, 0.55))
				}
				return h
			}},
		{Name: "halftime", MinBPM: 130, MaxBPM: 175, Descriptions: "kick 1, snare on 3 only, 8th hats (half-time dubstep/dnb feel)",
			Bar: func(r *rand.Rand, bar, bars int) []Hit {
				h := []Hit{step(0, "kick", 1), step(8, "snare", 1)}
				if r.IntN(2) == 0 {
					h = append(h, step(11, "kick", 0.8))
				}
				return append(h, hats16(r, true)...)
			}},
		{Name: "dnb", MinBPM: 160, MaxBPM: 180, Descriptions: "two-step: kick 1 and 2&, snare 2/4, 8th or 16th hats",
			Bar: func(r *rand.Rand, bar, bars int) []Hit {
				h := []Hit{step(0, "kick", 1), step(10, "kick", 0.9), step(4, "snare", 1), step(12, "snare", 1)}
				if r.IntN(2) == 0 {
					h = append(h, step(7, "snare", 0.4), step(15, "snare", 0.35))
				}
				return append(h, hats16(r, r.IntN(2) == 0)...)
			}},
		{Name: "swing", MinBPM: 60, MaxBPM: 120, Swing: [2]float64{0.62, 0.68}, AlwaysHuman: true, Descriptions: "triplet-swung ride pattern, feathered kick, snare 2/4, pedal hat 2/4; humanised",
			Bar: func(r *rand.Rand, bar, bars int) []Hit {
				h := []Hit{step(4, "snare", 0.7), step(12, "snare", 0.7), step(4, "hat_closed", 0.5), step(12, "hat_closed", 0.5)}
				for b := 0; b < 4; b++ {
					h = append(h, step(4*b, "kick", 0.45), step(4*b, "cymbal", 0.7))
					if b%2 == 1 {
						h = append(h, step(4*b+2, "cymbal", 0.5))
					}
				}
				return h
			}},
		{Name: "lofi", MinBPM: 60, MaxBPM: 90, Swing: [2]float64{0.54, 0.62}, AlwaysLofi: true, AlwaysHuman: true, Descriptions: "lazy boom bap, humanised, bit-crushed, low-passed, hiss",
			Bar: func(r *rand.Rand, bar, bars int) []Hit {
				h := []Hit{step(0, "kick", 1), step(4, "snare", 0.9), step(12, "snare", 0.9), step(10, "kick", 0.8)}
				if r.IntN(2) == 0 {
					h = append(h, step(7, "kick", 0.6))
				}
				return append(h, hats16(r, true)...)
			}},
	}
}

// LoopSpec is everything that determines one generated drum loop.
type LoopSpec struct {
	Style    Style
	BPM      float64
	Bars     int
	Rate     int
	Channels int
	Swing    float64
	Human    bool // ±10 ms uniform timing jitter
	Lofi     bool // bit-crush + low-pass + noise
	Wrap     bool // tails wrap to the loop start (seamless loop) instead of being cut
}

// Kit is the set of one-shots a loop is played with, resampled to the loop's rate.
type Kit map[string][]*audio.Buffer

// RenderLoop places the kit's one-shots at the pattern's times and returns the loop, exactly
// Bars bars long, peak-normalised to a level between −1 and −6 dBFS.
func RenderLoop(r *rand.Rand, spec LoopSpec, kit Kit) (*audio.Buffer, error) {
	beatSec := 60 / spec.BPM
	n := int(math.Round(float64(spec.Bars*4) * beatSec * float64(spec.Rate)))
	out := audio.NewBuffer(spec.Rate, spec.Channels, n)
	// One sample per category for the whole loop, as a producer would pick them.
	pick := map[string]*audio.Buffer{}
	pan := map[string]float64{}
	cats := make([]string, 0, len(kit))
	for cat := range kit {
		cats = append(cats, cat)
	}
	sort.Strings(cats) // a fixed order keeps the random draws, and so the corpus, reproducible
	for _, cat := range cats {
		if list := kit[cat]; len(list) > 0 {
			pick[cat] = list[r.IntN(len(list))]
			pan[cat] = 0.5 + 0.3*(r.Float64()-0.5)
		}
	}
	for bar := 0; bar < spec.Bars; bar++ {
		for _, h := range spec.Style.Bar(r, bar, spec.Bars) {
			smp := pick[h.Category]
			if smp == nil {
				continue
			}
			beat := h.Beat
			// Swing delays the second 16th of each 8th-note pair.
			if frac := math.Mod(beat*4, 2); math.Abs(frac-1) < 1e-9 && spec.Swing > 0.5 {
				beat += (spec.Swing - 0.5) * 0.5
			}
			t := (float64(bar*4) + beat) * beatSec
			if spec.Human {
				t += (r.Float64()*2 - 1) * 0.010
			}
			at := int(math.Round(t * float64(spec.Rate)))
			gain := h.Velocity * (0.9 + 0.1*r.Float64())
			mix(out, smp, at, gain, pan[h.Category], spec.Wrap)
		}
	}
	if spec.Lofi {
		lofi(r, out)
	}
	peak := audio.Peak(out)
	if peak == 0 {
		return nil, fmt.Errorf("silent loop")
	}
	target := -1 - 5*r.Float64()
	g := float32(audio.DBToGain(target) / peak)
	for _, ch := range out.Data {
		for i := range ch {
			ch[i] *= g
		}
	}
	return out, nil
}

// mix adds src into dst at frame at (negative or past the end: wrapped or dropped), with a
// constant-power pan for stereo output.
func mix(dst, src *audio.Buffer, at int, gain, pan float64, wrap bool) {
	n := dst.Frames()
	for c := range dst.Data {
		g := gain
		if len(dst.Data) == 2 {
			if c == 0 {
				g *= math.Cos(pan * math.Pi / 2)
			} else {
				g *= math.Sin(pan * math.Pi / 2)
			}
			g *= math.Sqrt2
		}
		var s []float32
		if len(src.Data) == len(dst.Data) {
			s = src.Data[c]
		} else {
			s = src.Mono()
		}
		d := dst.Data[c]
		for i, v := range s {
			j := at + i
			if j < 0 || j >= n {
				if !wrap {
					continue
				}
				j = ((j % n) + n) % n
			}
			d[j] += float32(g) * v
		}
	}
}

// lofi degrades a loop the way lo-fi producers do: a 2-pole low-pass at 3–5 kHz, 8-bit
// requantisation and hiss 40–50 dB below full scale.
func lofi(r *rand.Rand, b *audio.Buffer) {
	cut := 3000 + 2000*r.Float64()
	w := 2 * math.Pi * cut / float64(b.SampleRate)
	a := w / (w + 1) // one-pole coefficient, applied twice
	noise := audio.DBToGain(-40 - 10*r.Float64())
	peak := audio.Peak(b)
	const steps = 128.0 // 8 bits
	for _, ch := range b.Data {
		var y1, y2 float64
		for i, v := range ch {
			y1 += a * (float64(v) - y1)
			y2 += a * (y1 - y2)
			x := y2/peak + noise*(r.Float64()*2-1)
			ch[i] = float32(math.Round(x*steps) / steps * peak)
		}
	}
}
