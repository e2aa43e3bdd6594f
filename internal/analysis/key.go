package analysis

import (
	"math"
	"strings"

	"github.com/sp404agent/sp404agent/internal/dsp"
)

// Key profiles, index 0 the tonic: the probe-tone ratings of Krumhansl & Kessler 1982
// ("Tracing the dynamic changes in perceived tonal organization in a spatial representation
// of musical keys", Psychological Review 89(4)), the revised profiles of Temperley 1999
// ("What's key for key? The Krumhansl–Schmuckler key-finding algorithm reconsidered", Music
// Perception 17(1)), and the profiles Faraldo, Gómez, Jordà & Herrera 2016 ("Key estimation
// in electronic dance music", ECIR) measured on the chroma of electronic dance music (their
// "EDMA" profiles). The first two come from listeners and scores, the third from audio of
// the kind of material samples are cut from; averaging them (keyProfiles) keeps
// Krumhansl–Kessler's contrast between the thirds, Temperley's weight on the leading tone
// and Faraldo's weight on the fifth and the minor seventh.
var (
	kkMajor   = [12]float64{6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88}
	kkMinor   = [12]float64{6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17}
	tpMajor   = [12]float64{5.0, 2.0, 3.5, 2.0, 4.5, 4.0, 2.0, 4.5, 2.0, 3.5, 1.5, 4.0}
	tpMinor   = [12]float64{5.0, 2.0, 3.5, 4.5, 2.0, 4.0, 2.0, 4.5, 3.5, 2.0, 1.5, 4.0}
	edmaMajor = [12]float64{1.0000, 0.2875, 0.5020, 0.4048, 0.6050, 0.5614, 0.3205, 0.7966, 0.3159, 0.4506, 0.4202, 0.3889}
	edmaMinor = [12]float64{1.0000, 0.3096, 0.4415, 0.5827, 0.3262, 0.4948, 0.2889, 0.7804, 0.4328, 0.2903, 0.5331, 0.3217}
)

// Harmonics of the polyphonic profiles (Gómez 2006, "Tonal description of music audio
// signals", PhD thesis, UPF, §4.2): a note sounds its pitch class and those of its overtones,
// the h-th with weight profileSlope^(h−1), so a profile for audio chroma spreads each
// degree's weight over the pitch classes of its first profileHarmonics harmonics (the 3rd and
// 6th add the fifth above, the 5th the major third).
const (
	profileHarmonics = 6
	profileSlope     = 0.6
)

// keyProfiles returns the major and minor profiles: each source's profile made polyphonic,
// z-normalised, and the three averaged.
func keyProfiles() (major, minor [12]float64) {
	for _, p := range [3][2][12]float64{{kkMajor, kkMinor}, {tpMajor, tpMinor}, {edmaMajor, edmaMinor}} {
		a, b := zscore(polyphonic(p[0])), zscore(polyphonic(p[1]))
		for i := range major {
			major[i] += a[i] / 3
			minor[i] += b[i] / 3
		}
	}
	return major, minor
}

// polyphonic spreads each pitch class's weight over its harmonics (see profileHarmonics).
func polyphonic(p [12]float64) [12]float64 {
	var out [12]float64
	for i, v := range p {
		w := 1.0
		for h := 1; h <= profileHarmonics; h++ {
			pc := (i + int(math.Round(12*math.Log2(float64(h))))) % 12
			out[pc] += v * w
			w *= profileSlope
		}
	}
	return out
}

func zscore(x [12]float64) [12]float64 {
	var m, s float64
	for _, v := range x {
		m += v
	}
	m /= 12
	for _, v := range x {
		s += (v - m) * (v - m)
	}
	s = math.Sqrt(s / 12)
	var out [12]float64
	for i, v := range x {
		if s > 0 {
			out[i] = (v - m) / s
		}
	}
	return out
}

// keyResult is the outcome of profile matching.
type keyResult struct {
	tonic int    // pitch class, C = 0
	scale string // "major" | "minor"
	corr  float64
}

// Tonic evidence. Profiles alone cannot tell a key from its relative (A minor and C major
// share their notes) or a modal vamp from the key a fourth up (G–F is G mixolydian, all in
// C major), so the score adds what points at the tonic itself: the match of the opening
// with the key's tonic triad, the share of frames whose bass is the tonic, and for a
// melodic line the match of its last second with the tonic triad. Loops and chord
// progressions start on their tonic chord over their tonic in the bass; a melody's first
// notes are often a pickup, its last ones resolve to the tonic.
const (
	chordOpeningWeight = 1.5
	chordBassWeight    = 1.0
	lineEndingWeight   = 0.5
	lineBassWeight     = 0.5
	// lineMinMelodic is the keyEvidence.melodic share from which a sound is judged as a
	// melodic line rather than as harmony.
	lineMinMelodic = 0.5
)

// estimateKey scores the 24 keys and returns the best: the Pearson correlation of the
// chroma with the key's rotated profile (the Krumhansl–Schmuckler method) plus the tonic
// evidence weighted as above. ok is false when there is no tonal content to judge (see
// hasKey). The reported corr is the profile correlation alone.
func estimateKey(ke keyEvidence) (keyResult, bool) {
	major, minor := keyProfiles()
	wOpen, wBass, wEnd := chordOpeningWeight, chordBassWeight, 0.0
	if ke.melodic >= lineMinMelodic {
		wOpen, wBass, wEnd = 0, lineBassWeight, lineEndingWeight
	}
	best := keyResult{corr: -2}
	bestScore := math.Inf(-1)
	for tonic := 0; tonic < 12; tonic++ {
		for s, prof := range [2][12]float64{major, minor} {
			var rot, triad [12]float64
			for i := range rot {
				rot[(i+tonic)%12] = prof[i]
			}
			third := 4
			if s == 1 {
				third = 3
			}
			triad[tonic], triad[(tonic+third)%12], triad[(tonic+7)%12] = 1, 1, 1
			r := pearson(ke.global, rot)
			score := r + wOpen*pearson(ke.opening, triad) + wEnd*pearson(ke.ending, triad) + wBass*ke.bass[tonic]
			if score > bestScore {
				bestScore = score
				best.tonic, best.corr = tonic, r
				best.scale = [2]string{"major", "minor"}[s]
			}
		}
	}
	return best, hasKey(ke)
}

// Minimum tonal content for a key (hasKey).
const (
	// keyMinTonal is the least share of the 25 Hz–2 kHz power that must lie in steady tonal
	// peaks: drum loops keep a few per cent there (a kick's or tom's ring), music with
	// harmony or a melody a fifth or more, even under drums.
	keyMinTonal = 0.15
	// keyMinHarmonicity is the least share of the tonal peaks that three harmonic series
	// must explain: cymbals and bells ring with inharmonic partials.
	keyMinHarmonicity = 0.8
	// keyMaxPitchClassShare is the largest share one pitch class may hold: a single note or
	// a kick's pitch is a root note, not a key.
	keyMaxPitchClassShare = 0.8
	// keyMinTonalSeconds is how long tonal content must last: a tom's or kick's ring fades
	// within a second.
	keyMinTonalSeconds = 1.0
)

// hasKey decides from the pitch content alone whether a sound has a key.
func hasKey(ke keyEvidence) bool {
	var top float64
	for _, v := range ke.global {
		top = math.Max(top, v)
	}
	return top > 0 && top <= keyMaxPitchClassShare && ke.tonal >= keyMinTonal &&
		ke.harmonicity >= keyMinHarmonicity && ke.tonalSeconds >= keyMinTonalSeconds
}

// heldNote reports whether a sound is one held note, whatever its type: YIN found a clear
// pitch and a single pitch class, that pitch's, dominates the key evidence (as it does for
// a sustained pad or string note, which can last as long as a loop).
func heldNote(p pitchInfo, ke keyEvidence) bool {
	if p.root <= 0 || p.salience < 0.9 {
		return false
	}
	pc := pitchClass(p.root, dsp.TuningRef(ke.tuning))
	return ke.global[pc] > keyMaxPitchClassShare
}

func pearson(a, b [12]float64) float64 {
	var ma, mb float64
	for i := range a {
		ma += a[i]
		mb += b[i]
	}
	ma /= 12
	mb /= 12
	var sab, saa, sbb float64
	for i := range a {
		x, y := a[i]-ma, b[i]-mb
		sab += x * y
		saa += x * x
		sbb += y * y
	}
	if saa == 0 || sbb == 0 {
		return 0
	}
	return sab / math.Sqrt(saa*sbb)
}

// chromaFlatness is the geometric over the arithmetic mean of the 12 chroma values (1 = flat).
func chromaFlatness(c [12]float64) float64 {
	var lg, ar float64
	for _, v := range c {
		lg += math.Log(v + 1e-9)
		ar += v + 1e-9
	}
	return math.Exp(lg/12) / (ar / 12)
}

// parseKey reads a key tag such as "Am", "F#m", "Bb major", "C# min", "Ebm" into a pitch class
// and scale (sharps); ok is false when it cannot.
func parseKey(s string) (tonic int, scale string, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, "", false
	}
	letters := map[byte]int{'C': 0, 'D': 2, 'E': 4, 'F': 5, 'G': 7, 'A': 9, 'B': 11}
	u := strings.ToUpper(s[:1])
	pc, found := letters[u[0]]
	if !found {
		return 0, "", false
	}
	rest := s[1:]
	switch {
	case strings.HasPrefix(rest, "#") || strings.HasPrefix(rest, "♯"):
		pc++
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, "#"), "♯")
	case strings.HasPrefix(rest, "b") || strings.HasPrefix(rest, "♭"):
		pc--
		rest = strings.TrimPrefix(strings.TrimPrefix(rest, "b"), "♭")
	}
	rest = strings.ToLower(strings.TrimSpace(rest))
	scale = "major"
	switch {
	case rest == "" || strings.HasPrefix(rest, "maj") || rest == "major":
	case rest == "m" || strings.HasPrefix(rest, "min") || rest == "-":
		scale = "minor"
	default:
		return 0, "", false
	}
	return (pc + 12) % 12, scale, true
}
