package analysis

import (
	"math"
	"strings"
)

// Key profiles: the probe-tone ratings of Krumhansl & Kessler 1982 ("Tracing the dynamic
// changes in perceived tonal organization in a spatial representation of musical keys",
// Psychological Review 89(4)) and the revised profiles of Temperley 1999 ("What's key for key?
// The Krumhansl–Schmuckler key-finding algorithm reconsidered", Music Perception 17(1)).
// Index 0 is the tonic. Each is z-normalised and the two are averaged (keyProfiles), which
// keeps Krumhansl–Kessler's strong minor-third/major-third contrast and Temperley's weight on
// the leading tone. Faraldo, Gómez, Jordà & Herrera 2016 ("Key estimation in electronic dance
// music", ECIR) show that such profile choices matter more than the chroma front end; their
// EDM-specific profiles would slot in here.
var (
	kkMajor = [12]float64{6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88}
	kkMinor = [12]float64{6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17}
	tpMajor = [12]float64{5.0, 2.0, 3.5, 2.0, 4.5, 4.0, 2.0, 4.5, 2.0, 3.5, 1.5, 4.0}
	tpMinor = [12]float64{5.0, 2.0, 3.5, 4.5, 2.0, 4.0, 2.0, 4.5, 3.5, 2.0, 1.5, 4.0}
)

// keyProfiles returns the combined major and minor profiles.
func keyProfiles() (major, minor [12]float64) {
	a, b := zscore(kkMajor), zscore(tpMajor)
	c, d := zscore(kkMinor), zscore(tpMinor)
	for i := range major {
		major[i] = (a[i] + b[i]) / 2
		minor[i] = (c[i] + d[i]) / 2
	}
	return major, minor
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

// Minimum evidence for reporting a key: the chroma must not be flat (drums and noise spread
// energy over every pitch class) and the best profile must correlate reasonably.
const (
	keyMaxChromaFlatness = 0.75
	keyMinCorrelation    = 0.45
)

// openingWeight is λ, the weight of the opening chord's match with each key's tonic triad.
const openingWeight = 0.5

// estimateKey correlates the chroma with the 24 rotated profiles (Pearson correlation, the
// Krumhansl–Schmuckler method) and adds λ times the correlation of the opening chroma with
// the key's tonic triad (a 0/1 template of root, third and fifth); it returns the best key.
// ok is false when the chroma is too flat or the profile correlation too weak.
// The reported corr is the profile correlation alone.
func estimateKey(chroma, opening [12]float64) (keyResult, bool) {
	if chromaFlatness(chroma) > keyMaxChromaFlatness {
		return keyResult{}, false
	}
	major, minor := keyProfiles()
	best := keyResult{corr: -2}
	bestScore := -2.0
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
			r := pearson(chroma, rot)
			score := r + openingWeight*pearson(opening, triad)
			if score > bestScore {
				bestScore = score
				best.tonic, best.corr = tonic, r
				best.scale = [2]string{"major", "minor"}[s]
			}
		}
	}
	return best, best.corr >= keyMinCorrelation
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
