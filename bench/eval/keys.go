package main

import (
	"fmt"
	"math/rand/v2"

	"github.com/sp404agent/sp404agent/bench/internal/midi"
)

// pitchNames are the key names the analysis reports (sharps).
var pitchNames = [12]string{"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"}

// GM programs (0-based) used for key clips and pitched one-shots.
var (
	chordPrograms = []struct {
		Program int
		Name    string
	}{{0, "piano"}, {4, "epiano"}, {48, "strings"}, {16, "organ"}, {24, "nylon"}, {89, "warmpad"}, {11, "vibes"}, {5, "epiano2"}}
	bassPrograms = []struct {
		Program int
		Name    string
	}{{33, "fingerbass"}, {38, "synthbass"}, {32, "acousticbass"}, {34, "pickbass"}}
	leadPrograms = []struct {
		Program int
		Name    string
	}{{80, "squarelead"}, {73, "flute"}, {56, "trumpet"}, {65, "altosax"}}
)

// KeyCase names a kind of key clip; the hard ones are those that trip key estimators.
type KeyCase struct {
	Name  string
	Modes []string // scales the case is generated in
	Hard  bool
}

// KeyCases lists the key-clip kinds. Every case with both modes covers all 24 keys.
func KeyCases() []KeyCase {
	return []KeyCase{
		{Name: "prog", Modes: []string{"major", "minor"}},             // I–IV–V–I family; harmonic minor i–iv–V–i
		{Name: "pop", Modes: []string{"major"}},                       // I–V–vi–IV
		{Name: "natural-minor", Modes: []string{"minor"}, Hard: true}, // i–VI–III–VII, i–iv–v–i: relative-major pitch set
		{Name: "bass-alone", Modes: []string{"major", "minor"}, Hard: true},
		{Name: "one-bar", Modes: []string{"major", "minor"}, Hard: true},
		{Name: "modal-vamp", Modes: []string{"major", "minor"}, Hard: true}, // mixolydian I–bVII / dorian i7–IV7
		{Name: "melody-drums", Modes: []string{"major", "minor"}, Hard: true},
	}
}

// KeyClip is a composed key clip before rendering.
type KeyClip struct {
	Case       string
	Tonic      int // pitch class
	Scale      string
	BPM        float64
	Bars       int
	Instrument string
	Detune     float64 // cents
	Song       *midi.Song
	Category   string // expected category: melodic, bass, or "" (mixed, not scored)
}

// chord is a chord as semitone offsets from the key's tonic.
type chord []int

// ComposeKeyClip writes the MIDI for one key clip.
func ComposeKeyClip(r *rand.Rand, kc KeyCase, tonic int, scale string, detune float64) *KeyClip {
	c := &KeyClip{Case: kc.Name, Tonic: tonic, Scale: scale, BPM: float64(80 + r.IntN(46)), Bars: 4, Detune: detune, Category: "melodic"}
	s := &midi.Song{BPM: c.BPM}
	c.Song = s
	cp := chordPrograms[r.IntN(len(chordPrograms))]
	bp := bassPrograms[r.IntN(len(bassPrograms))]
	lp := leadPrograms[r.IntN(len(leadPrograms))]
	s.Program(0, cp.Program)
	s.Program(1, bp.Program)
	s.Program(2, lp.Program)
	c.Instrument = cp.Name
	if detune != 0 {
		for ch := 0; ch < 3; ch++ {
			s.Detune(ch, detune)
		}
	}
	major := scale == "major"
	I, IV, V := chord{0, 4, 7}, chord{5, 9, 12}, chord{7, 11, 14}
	i, iv, v := chord{0, 3, 7}, chord{5, 8, 12}, chord{7, 10, 14}
	vi, VI, III, VII := chord{9, 12, 16}, chord{8, 12, 15}, chord{3, 7, 10}, chord{10, 14, 17}
	var prog []chord
	perBar := 1
	switch kc.Name {
	case "prog":
		if major {
			prog = [][]chord{{I, IV, V, I}, {I, vi, IV, V}, {I, IV, I, V}}[r.IntN(3)]
		} else {
			prog = [][]chord{{i, iv, V, i}, {i, iv, i, V}}[r.IntN(2)]
		}
	case "pop":
		prog = []chord{I, V, vi, IV}
	case "natural-minor":
		prog = [][]chord{{i, VI, III, VII}, {i, iv, v, i}, {i, VII, VI, VII}}[r.IntN(3)]
	case "modal-vamp":
		if major { // mixolydian I–bVII
			prog = []chord{I, {10, 14, 17}, I, {10, 14, 17}}
		} else { // dorian i7–IV7
			prog = []chord{{0, 3, 7, 10}, {5, 9, 12, 15}, {0, 3, 7, 10}, {5, 9, 12, 15}}
		}
	case "one-bar":
		c.Bars = 1
		perBar = 2
		if major {
			prog = [][]chord{{I, V}, {I, IV}, {I, I}}[r.IntN(3)]
		} else {
			prog = [][]chord{{i, v}, {i, iv}, {i, i}}[r.IntN(3)]
		}
	case "bass-alone":
		c.Category = "bass"
		c.Instrument = bp.Name
		c.Bars = 2 + 2*r.IntN(2)
		bassLine(r, s, tonic, major, c.Bars)
		return c
	case "melody-drums":
		c.Category = ""
		c.Instrument = lp.Name + "+drums"
		melodyOverDrums(r, s, tonic, major)
		return c
	default:
		panic(fmt.Sprintf("unknown key case %q", kc.Name))
	}
	if kc.Name != "one-bar" && r.IntN(3) == 0 { // two chords per bar, two bars
		perBar, c.Bars = 2, 2
	}
	root := 60 + tonic
	if root > 66 {
		root -= 12
	}
	beats := 4.0 / float64(perBar)
	arp := r.IntN(3) == 0
	for k, ch := range prog {
		start := float64(k) * beats
		for j, iv := range ch {
			if arp { // broken chord in 8ths
				for t := 0.0; t < beats; t += 0.5 {
					n := ch[int(t*2)%len(ch)]
					s.Note(0, root+n, start+t, 0.5, 70+r.IntN(20))
				}
				break
			}
			s.Note(0, root+iv, start+0.01*float64(j), beats*0.95, 75+r.IntN(20))
		}
		// Bass on the chord root, octave 2.
		bass := 36 + (tonic+ch[0])%12
		s.Note(1, bass, start, beats*0.9, 90)
	}
	return c
}

// bassLine writes a bass line alone over a I–IV–V–I (or i–iv–v–i) movement, one chord per
// bar, on channel 2 (whose program is the clip's bass instrument). Each bar walks the
// diatonic triad of its degree (root, third, fifth, octave), so the line carries the mode.
func bassLine(r *rand.Rand, s *midi.Song, tonic int, major bool, bars int) {
	sc := scaleSteps(major)
	base := 36 + tonic
	if base > 43 {
		base -= 12
	}
	degrees := []int{0, 3, 4, 0} // I IV V I as scale degrees
	if bars == 2 {
		degrees = []int{0, 4}
	}
	// tone is the k-th triad tone above degree d (0 root, 1 third, 2 fifth, 3 octave).
	tone := func(d, k int) int {
		if k == 3 {
			return sc[d] + 12
		}
		i := d + 2*k
		return sc[i%7] + 12*(i/7)
	}
	for b, d := range degrees {
		pattern := [][]int{{0, 1, 2, 1}, {0, 2, 3, 1}, {0, 0, 1, 2}}[r.IntN(3)]
		for k, t := range pattern {
			s.Note(1, base+tone(d, t), float64(b*4+k), 0.85, 95)
		}
	}
}

// melodyOverDrums writes a 4-bar monophonic melody (chord tones on strong beats, scale steps
// between, ending on the tonic) over a GM drum kit on channel 10.
func melodyOverDrums(r *rand.Rand, s *midi.Song, tonic int, major bool) {
	sc := scaleSteps(major)
	base := 60 + tonic
	if base > 67 {
		base -= 12
	}
	degreesPerBar := [][]int{{0, 2, 4}, {3, 5, 0}, {4, 6, 1}, {0, 2, 4}} // I IV V I chord tones
	for bar := 0; bar < 4; bar++ {
		for beat := 0; beat < 4; beat++ {
			t := float64(bar*4 + beat)
			var deg int
			if beat%2 == 0 {
				ct := degreesPerBar[bar]
				deg = ct[r.IntN(len(ct))]
			} else {
				deg = r.IntN(7)
			}
			if bar == 3 && beat >= 2 {
				deg = 0
			}
			n := base + sc[deg%7]
			if r.IntN(3) == 0 && beat != 3 { // two 8ths
				s.Note(2, n, t, 0.45, 90)
				s.Note(2, base+sc[(deg+1)%7], t+0.5, 0.45, 80)
			} else {
				s.Note(2, n, t, 0.9, 95)
			}
		}
		for beat := 0; beat < 4; beat++ {
			t := float64(bar*4 + beat)
			if beat%2 == 0 {
				s.Note(9, 36, t, 0.2, 110)
			} else {
				s.Note(9, 38, t, 0.2, 105)
			}
			s.Note(9, 42, t, 0.1, 70)
			s.Note(9, 42, t+0.5, 0.1, 60)
		}
	}
}

// scaleSteps returns the semitone offsets of the major or natural-minor scale.
func scaleSteps(major bool) []int {
	if major {
		return []int{0, 2, 4, 5, 7, 9, 11}
	}
	return []int{0, 2, 3, 5, 7, 8, 10}
}

// ComposeNote writes a pitched one-shot: one note of a bass or melodic instrument.
func ComposeNote(r *rand.Rand, bass bool) (s *midi.Song, note int, instrument string, dur float64) {
	s = &midi.Song{BPM: 120}
	dur = 1 + r.Float64()
	if bass {
		p := bassPrograms[r.IntN(len(bassPrograms))]
		s.Program(0, p.Program)
		note, instrument = 28+r.IntN(22), p.Name
	} else {
		p := chordPrograms[r.IntN(len(chordPrograms))]
		s.Program(0, p.Program)
		note, instrument = 48+r.IntN(30), p.Name
	}
	s.Note(0, note, 0, dur*2, 100) // beats at 120 BPM: dur seconds
	return s, note, instrument, dur
}

// noteName is scientific pitch notation with sharps (MIDI 60 = C4).
func noteName(n int) string { return fmt.Sprintf("%s%d", pitchNames[n%12], n/12-1) }
