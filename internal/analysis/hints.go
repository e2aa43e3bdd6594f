package analysis

import (
	"math"
	"regexp"
	"strconv"
	"strings"
)

// Tempo tags in file names: "92bpm", "92 BPM", "92_bpm", "bpm92", "BPM-92.5". A bare number
// between separators ("…-92-…") counts only when "bpm" occurs in the name as well.
var (
	reBPMAfter  = regexp.MustCompile(`(?i)(?:^|[^0-9.])(\d{2,3}(?:\.\d{1,2})?)\s*[-_ ]?\s*bpm`)
	reBPMBefore = regexp.MustCompile(`(?i)bpm\s*[-_ :=]?\s*(\d{2,3}(?:\.\d{1,2})?)(?:[^0-9]|$)`)
	reBareNum   = regexp.MustCompile(`(?:^|[-_ .(\[])(\d{2,3})(?:[-_ .)\]]|$)`)
)

// Plausible tempo range for names and metadata.
const (
	nameBPMMin = 50
	nameBPMMax = 220
)

// tempoFromName extracts a tempo from a file name; ok is false when there is none.
func tempoFromName(name string) (float64, bool) {
	base := name
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	for _, re := range []*regexp.Regexp{reBPMAfter, reBPMBefore} {
		if m := re.FindStringSubmatch(base); m != nil {
			if v, err := strconv.ParseFloat(m[1], 64); err == nil && v >= nameBPMMin && v <= nameBPMMax {
				return v, true
			}
		}
	}
	if !strings.Contains(strings.ToLower(base), "bpm") {
		return 0, false
	}
	for _, m := range reBareNum.FindAllStringSubmatch(base, -1) {
		if v, err := strconv.ParseFloat(m[1], 64); err == nil && v >= nameBPMMin && v <= nameBPMMax {
			return v, true
		}
	}
	return 0, false
}

// assignTempo fills the bpm fields: metadata tempo first (unless the file is flagged a
// one-shot), then the audio estimate for loops, then the file name for loops; one-shots and
// pulseless sounds get null.
func assignTempo(f *Features, h Hints, rh rhythm) {
	set := func(bpm, conf float64, src string, alts []float64) {
		b := round(bpm, 0.01)
		f.BPM = &b
		f.BPMConfidence = round(conf, 0.001)
		f.BPMSource = src
		f.BPMAlternates = []float64{}
		for _, a := range alts {
			f.BPMAlternates = append(f.BPMAlternates, round(a, 0.01))
		}
	}
	octaves := func(b float64) []float64 {
		var out []float64
		for _, m := range []float64{0.5, 2} {
			if v := b * m; v >= 30 && v <= 300 {
				out = append(out, v)
			}
		}
		return out
	}
	if m := h.Meta.TempoBPM; m > 0 && m <= 999 && !math.IsNaN(m) && !h.Meta.OneShot {
		set(m, 1, BPMSourceMetadata, octaves(m))
		return
	}
	if f.Type != TypeLoop {
		return
	}
	if rh.bpm > 0 {
		set(rh.bpm, rh.confidence, BPMSourceAudio, rh.alternates)
		return
	}
	if v, ok := tempoFromName(h.Name); ok {
		set(v, 0.5, BPMSourceFilename, octaves(v))
	}
}

// isDrumCategory reports whether c is a drum category (these have no key).
func isDrumCategory(c string) bool {
	switch c {
	case CategoryKick, CategorySnare, CategoryClap, CategoryHatClosed, CategoryHatOpen,
		CategoryTom, CategoryCymbal, CategoryPerc, CategoryDrums:
		return true
	}
	return false
}

// assignKey fills key, scale, key_confidence and root_note. A parseable key tag in the
// metadata wins (confidence 1); otherwise the pitch content decides, and a sound without
// tonal content (drums, noise) has none. Pitched one-shots, and held notes long enough to be
// typed loops, get a root note from YIN, else from the metadata root note (A4 = 440 Hz;
// MIDI 0 is taken as "absent" because a zero Metadata means no chunk).
func assignKey(f *Features, h Hints, t tonalInfo, p pitchInfo) {
	if tonic, scale, ok := parseKey(h.Meta.Key); ok {
		f.Key, f.Scale, f.KeyConfidence = ptr(noteNames[tonic]), ptr(scale), 1
	} else if k, ok := estimateKey(t.key); ok {
		f.Key, f.Scale = ptr(noteNames[k.tonic]), ptr(k.scale)
		f.KeyConfidence = round(math.Max(0, math.Min(1, k.corr)), 0.001)
	}
	if f.Type != TypeOneShot && !heldNote(p, t.key) {
		return
	}
	pitched := p.f0 > 0 && p.voiced >= 0.5 && (p.salience >= 0.7 || f.Category == CategoryKick || f.Category == CategoryTom)
	switch {
	case pitched:
		f.RootNote = ptr(noteName(midiFromHz(p.root)))
	case h.Meta.RootNote > 0 && h.Meta.RootNote <= 127 && !isDrumCategory(f.Category):
		f.RootNote = ptr(noteName(h.Meta.RootNote))
	}
}
