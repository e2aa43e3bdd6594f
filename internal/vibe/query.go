package vibe

import (
	"cmp"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/sp404agent/sp404agent/internal/analysis"
)

// Query is a vibe search turned into filters, vocabulary words and leftover text terms. Its JSON
// form is both the API's "parsed" echo and the schema the model fills in ParseQueryLLM.
type Query struct {
	Text string `json:"text"`
	// BPM: an explicit tempo sets Target (and Min/Max around it) and filters; words like "fast"
	// set only Min or Max and merely score.
	BPMMin     *float64 `json:"bpm_min"`
	BPMMax     *float64 `json:"bpm_max"`
	BPMTarget  *float64 `json:"bpm_target"`
	Key        string   `json:"key"`   // "C" … "B" (sharps) or ""
	Scale      string   `json:"scale"` // "major" | "minor" | ""
	Types      []string `json:"types"`
	Categories []string `json:"categories"`
	// Exclude holds categories and plain words; a sample whose category, name or tags match one
	// (or a synonym of the category) is left out.
	Exclude  []string `json:"exclude"`
	Moods    []string `json:"moods"`
	Textures []string `json:"textures"`
	Genres   []string `json:"genres"`
	Terms    []string `json:"terms"`
	Source   string   `json:"source"` // "offline" | "llm"
}

// Query sources.
const (
	QueryOffline = "offline"
	QueryLLM     = "llm"
)

// MaxQueryLen bounds the description (runes); longer text is cut, not refused.
const MaxQueryLen = 300

const maxTerms = 16

// categoryWords are the synonyms of each category, as typed in queries and found in names.
var categoryWords = map[string][]string{
	analysis.CategoryKick:      {"kick", "kicks", "bd", "bassdrum", "kik", "kck"},
	analysis.CategorySnare:     {"snare", "snares", "sn", "sd", "snr"},
	analysis.CategoryClap:      {"clap", "claps", "handclap", "clp"},
	analysis.CategoryHatClosed: {"hat", "hats", "hihat", "hihats", "hi-hat", "hi-hats", "hh", "chh", "ch"},
	analysis.CategoryHatOpen:   {"oh", "ohh", "openhat", "open-hat"},
	analysis.CategoryTom:       {"tom", "toms"},
	analysis.CategoryCymbal:    {"cymbal", "cymbals", "crash", "ride", "splash"},
	analysis.CategoryPerc:      {"perc", "percussion", "shaker", "conga", "congas", "bongo", "bongos", "rim", "rimshot", "tambourine", "cowbell", "clave"},
	analysis.CategoryBass:      {"bass", "808", "808s", "sub", "bassline", "basses"},
	analysis.CategoryMelodic:   {"keys", "chords", "chord", "piano", "rhodes", "synth", "pad", "pads", "guitar", "strings", "melody", "melodic", "organ", "horns", "brass", "flute", "bells", "epiano"},
	analysis.CategoryVocal:     {"vocal", "vocals", "vox", "voice", "voices", "acapella", "chant", "choir"},
	analysis.CategoryFX:        {"fx", "sfx", "riser", "sweep", "impact", "whoosh", "effect", "effects"},
	analysis.CategoryDrums:     {"drums", "drum", "break", "breaks", "breakbeat", "beat", "beats", "drumloop"},
}

// categoryOrder fixes the order categories are looked up in (map order is random).
var categoryOrder = []string{
	analysis.CategoryKick, analysis.CategorySnare, analysis.CategoryClap, analysis.CategoryHatClosed,
	analysis.CategoryHatOpen, analysis.CategoryTom, analysis.CategoryCymbal, analysis.CategoryPerc,
	analysis.CategoryBass, analysis.CategoryMelodic, analysis.CategoryVocal, analysis.CategoryFX,
	analysis.CategoryDrums,
}

// twoWordCategories are category phrases of two words.
var twoWordCategories = map[string]string{
	"bass drum": analysis.CategoryKick, "open hat": analysis.CategoryHatOpen, "open hihat": analysis.CategoryHatOpen,
	"closed hat": analysis.CategoryHatClosed, "hi hat": analysis.CategoryHatClosed, "hi hats": analysis.CategoryHatClosed,
	"drum loop": analysis.CategoryDrums, "sub bass": analysis.CategoryBass,
}

// textureWords maps query words to textures; "dark" is both a texture and a mood.
var textureWords = map[string]string{
	"gritty": "gritty", "grimy": "gritty", "dirty": "gritty", "crunchy": "gritty", "noisy": "noisy",
	"airy": "airy", "breathy": "airy", "warm": "warm", "bright": "bright", "dark": "dark",
	"punchy": "punchy", "smooth": "smooth", "crisp": "crisp", "dusty": "dusty", "boomy": "boomy",
	"thin": "thin", "lush": "lush", "clean": "clean", "lofi": "lo-fi", "lo-fi": "lo-fi",
	"distorted": "distorted", "saturated": "distorted",
}

// queryMood maps a query word to a mood: a mood name itself or one of its name cues, except
// cues that the query vocabulary reads as textures (bright, dusty) or that carry no mood alone.
func queryMood(w string) (string, bool) {
	if slices.Contains(Moods, w) {
		return w, true
	}
	for _, mood := range Moods {
		if slices.Contains(moodWords[mood], w) && w != "bright" && w != "vinyl" && w != "tape" && w != "dusty" {
			return mood, true
		}
	}
	return "", false
}

var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "with": true, "and": true, "or": true, "in": true, "of": true,
	"for": true, "some": true, "key": true, "bpm": true, "like": true, "sound": true, "sounds": true,
	"sample": true, "samples": true, "that": true, "is": true, "at": true, "around": true, "about": true,
	"to": true, "my": true, "me": true, "i": true, "want": true, "need": true, "something": true,
	"very": true, "really": true, "kinda": true, "kind": true, "bit": true, "little": true, "feel": true,
	"vibe": true, "vibes": true, "ish": true, "tempo": true, "on": true, "into": true, "from": true,
	"no": true, "not": true, "without": true, "am": true, "are": true, "be": true, "was": true, "it": true, "this": true, "but": true,
}

var (
	reBPMWord  = regexp.MustCompile(`^~?(\d{2,3}(?:\.\d+)?)(?:bpm)?$`)
	reBPMRange = regexp.MustCompile(`^(\d{2,3})(?:-|–|to)(\d{2,3})(?:bpm)?$`)
	reKeyWord  = regexp.MustCompile(`^([A-Ga-g])([#b]?)(m|min|maj|minor|major)?$`)
)

var pitchClasses = []string{"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"}

// normalizeKey returns the sharp spelling of a letter and accidental ("Bb" → "A#").
func normalizeKey(letter, acc string) string {
	i := slices.Index(pitchClasses, strings.ToUpper(letter))
	switch acc {
	case "#":
		i++
	case "b":
		i--
	}
	return pitchClasses[(i+12)%12]
}

// token is a query word in lower case with its original spelling (for "Am" versus "am").
type token struct{ low, orig string }

func tokenize(q string) []token {
	var out []token
	for _, f := range strings.FieldsFunc(q, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == ',' || r == ';' || r == '/' || r == '|'
	}) {
		f = strings.Trim(f, `.!?:()[]{}"'`)
		if f != "" {
			out = append(out, token{strings.ToLower(f), f})
		}
	}
	return out
}

// ParseQuery turns a description such as "dusty jazzy chords around 85 bpm in a minor key, no
// vocals" into a Query without a model. It recognises tempos ("85 bpm", "85bpm", "around 85",
// "85-95", "between 80 and 90", "fast", "slow"), keys ("A minor", "Am", "F# min", "Bb major",
// "minor key"), types (loop, one-shot), categories with synonyms (bd → kick, hh → hat_closed,
// keys/chords/piano → melodic, 808 → bass, vox → vocal…), exclusions ("no vocals", "without
// drums", "-vocal"), mood, texture and genre words; what is left becomes text terms.
func ParseQuery(q string) Query {
	q = strings.TrimSpace(q)
	if utf8.RuneCountInString(q) > MaxQueryLen {
		q = string([]rune(q)[:MaxQueryLen])
	}
	out := Query{Text: q, Source: QueryOffline}
	toks := tokenize(q)
	addUniq := func(dst *[]string, s string) {
		if !slices.Contains(*dst, s) {
			*dst = append(*dst, s)
		}
	}
	setTarget := func(t, tol float64) {
		if t < 20 || t > 400 {
			return
		}
		lo, hi := math.Round(t*(1-tol)*10)/10, math.Round(t*(1+tol)*10)/10
		out.BPMTarget, out.BPMMin, out.BPMMax = &t, &lo, &hi
	}
	setRange := func(a, b float64) {
		if a > b {
			a, b = b, a
		}
		if a < 20 || b > 400 {
			return
		}
		t := math.Round((a+b)/2*10) / 10
		out.BPMTarget, out.BPMMin, out.BPMMax = &t, &a, &b
	}
	num := func(s string) (float64, bool) {
		m := reBPMWord.FindStringSubmatch(s)
		if m == nil {
			return 0, false
		}
		f, err := strconv.ParseFloat(m[1], 64)
		return f, err == nil
	}
	var vagueMin, vagueMax *float64
	next := func(i int) string {
		if i+1 < len(toks) {
			return toks[i+1].low
		}
		return ""
	}

	for i := 0; i < len(toks); i++ {
		t := toks[i]
		w := t.low

		// Exclusions: "no X", "without X", "-X".
		if (w == "no" || w == "without" || w == "not" || w == "minus" || w == "except") && i+1 < len(toks) {
			phrase, n := excludedPhrase(toks[i+1:])
			for _, e := range phrase {
				addUniq(&out.Exclude, e)
			}
			i += n
			continue
		}
		if strings.HasPrefix(w, "-") && len(w) > 1 && !reBPMWord.MatchString(w[1:]) {
			phrase, _ := excludedPhrase([]token{{w[1:], t.orig[1:]}})
			for _, e := range phrase {
				addUniq(&out.Exclude, e)
			}
			continue
		}

		// Tempo.
		if m := reBPMRange.FindStringSubmatch(w); m != nil {
			a, _ := strconv.ParseFloat(m[1], 64)
			b, _ := strconv.ParseFloat(m[2], 64)
			setRange(a, b)
			if next(i) == "bpm" {
				i++
			}
			continue
		}
		if w == "between" && i+3 < len(toks) && (toks[i+2].low == "and" || toks[i+2].low == "to") {
			a, ok1 := num(toks[i+1].low)
			b, ok2 := num(toks[i+3].low)
			if ok1 && ok2 {
				setRange(a, b)
				i += 3
				if next(i) == "bpm" {
					i++
				}
				continue
			}
		}
		if w == "around" || w == "about" || w == "approx" || w == "approximately" || w == "roughly" || w == "near" || w == "at" || w == "~" {
			if f, ok := num(next(i)); ok {
				setTarget(f, 0.05)
				i++
				if next(i) == "bpm" {
					i++
				}
				continue
			}
		}
		if f, ok := num(w); ok && (strings.HasSuffix(w, "bpm") || strings.HasPrefix(w, "~") || next(i) == "bpm") {
			tol := 0.03
			if strings.HasPrefix(w, "~") {
				tol = 0.05
			}
			setTarget(f, tol)
			if next(i) == "bpm" {
				i++
			}
			continue
		}
		if f, ok := num(w); ok && (next(i) == "-" || next(i) == "to") && i+2 < len(toks) {
			if g, ok := num(toks[i+2].low); ok {
				setRange(f, g)
				i += 2
				if next(i) == "bpm" {
					i++
				}
				continue
			}
		}
		switch w {
		case "fast", "uptempo", "up-tempo", "quick":
			vagueMin = ptrTo(120.0)
			continue
		case "slow", "downtempo", "down-tempo", "laid-back", "laidback":
			vagueMax = ptrTo(90.0)
			continue
		case "midtempo", "mid-tempo":
			vagueMin, vagueMax = ptrTo(90.0), ptrTo(115.0)
			continue
		}

		// Key and scale.
		if key, scale, n, ok := parseKey(toks[i:]); ok {
			if key != "" {
				out.Key = key
			}
			if scale != "" {
				out.Scale = scale
			}
			i += n - 1
			continue
		}

		// Type.
		switch w {
		case "loop", "loops", "looped":
			addUniq(&out.Types, analysis.TypeLoop)
			continue
		case "one-shot", "one-shots", "oneshot", "oneshots", "hit", "hits", "stab", "stabs", "shot", "shots":
			addUniq(&out.Types, analysis.TypeOneShot)
			continue
		case "one":
			if n := next(i); n == "shot" || n == "shots" {
				addUniq(&out.Types, analysis.TypeOneShot)
				i++
				continue
			}
		}

		// Categories, two words first.
		if i+1 < len(toks) {
			if c, ok := twoWordCategories[w+" "+toks[i+1].low]; ok {
				addUniq(&out.Categories, c)
				i++
				continue
			}
			if g, ok := twoWordGenre(w, toks[i+1].low); ok {
				addUniq(&out.Genres, g)
				i++
				continue
			}
		}
		if c, ok := categoryOf(w); ok {
			addUniq(&out.Categories, c)
			if w == "break" || w == "breaks" || w == "breakbeat" {
				addUniq(&out.Types, analysis.TypeLoop)
			}
			continue
		}

		// Vocabulary words.
		matched := false
		if tx, ok := textureWords[w]; ok {
			addUniq(&out.Textures, tx)
			matched = true
		}
		if m, ok := queryMood(w); ok {
			addUniq(&out.Moods, m)
			matched = true
		}
		if g, ok := genreWords[strings.TrimSuffix(w, "-y")]; ok && w != "808" {
			addUniq(&out.Genres, g)
			matched = true
		}
		if matched || stopWords[w] {
			continue
		}
		if len(out.Terms) < maxTerms && utf8.RuneCountInString(w) >= 2 {
			addUniq(&out.Terms, w)
		}
	}
	if out.BPMTarget == nil {
		out.BPMMin, out.BPMMax = vagueMin, vagueMax
	}
	return out
}

func ptrTo[T any](v T) *T { return &v }

func categoryOf(w string) (string, bool) {
	for _, c := range categoryOrder {
		if slices.Contains(categoryWords[c], w) {
			return c, true
		}
	}
	return "", false
}

func twoWordGenre(a, b string) (string, bool) {
	switch a + " " + b {
	case "boom bap":
		return "boom bap", true
	case "hip hop", "hip-hop":
		return "hip hop", true
	case "drum bass":
		return "drum and bass", true
	case "lo fi":
		return "lo-fi hip hop", true
	case "r b":
		return "r&b", true
	}
	return "", false
}

// drumCategories are excluded by "no drums": a drum loop and every drum hit.
var drumCategories = []string{
	analysis.CategoryDrums, analysis.CategoryKick, analysis.CategorySnare, analysis.CategoryClap,
	analysis.CategoryHatClosed, analysis.CategoryHatOpen, analysis.CategoryTom, analysis.CategoryCymbal,
	analysis.CategoryPerc,
}

// excludedPhrase reads what follows "no"/"without": a two-word category, a category word
// (drums meaning every drum class), or a plain word. It returns the exclusions and how many
// tokens it used.
func excludedPhrase(toks []token) ([]string, int) {
	if len(toks) >= 2 {
		if c, ok := twoWordCategories[toks[0].low+" "+toks[1].low]; ok {
			return []string{c}, 2
		}
	}
	w := toks[0].low
	if c, ok := categoryOf(w); ok {
		if c == analysis.CategoryDrums && w != "break" && w != "breaks" && w != "breakbeat" {
			return slices.Clone(drumCategories), 1
		}
		return []string{c}, 1
	}
	if tx, ok := textureWords[w]; ok {
		return []string{tx}, 1
	}
	return []string{w}, 1
}

// parseKey reads a key at the start of toks: "Am", "F#m", "amin", "C# major", "a minor", "Bb
// min", "c sharp minor", or a bare scale ("minor", "major key"). A lower-case "a" before
// "minor key"/"major key" is the article, so "a minor key" means only the scale.
func parseKey(toks []token) (key, scale string, n int, ok bool) {
	scaleOf := func(s string) string {
		switch s {
		case "minor", "min", "m":
			return "minor"
		case "major", "maj":
			return "major"
		}
		return ""
	}
	w := toks[0].low
	if s := scaleOf(w); s != "" && w != "m" {
		return "", s, 1, true
	}
	m := reKeyWord.FindStringSubmatch(toks[0].orig)
	if m == nil {
		return "", "", 0, false
	}
	letter, acc, suffix := m[1], m[2], m[3]
	if suffix != "" {
		// Compact form: a bare "m" needs an upper-case letter ("Am", "Ebm"), so the words "am"
		// and "cm" are not keys; "amin" and "ebmaj" are unambiguous in any case.
		if suffix == "m" && letter != strings.ToUpper(letter) {
			return "", "", 0, false
		}
		return normalizeKey(letter, acc), scaleOf(strings.ToLower(suffix)), 1, true
	}
	rest := toks[1:]
	// "c sharp minor", "b flat major".
	if len(rest) >= 1 && (rest[0].low == "sharp" || rest[0].low == "flat") && acc == "" {
		if rest[0].low == "sharp" {
			acc = "#"
		} else {
			acc = "b"
		}
		rest = rest[1:]
		n++
	}
	if len(rest) == 0 {
		return "", "", 0, false
	}
	s := scaleOf(rest[0].low)
	if s == "" || rest[0].low == "m" {
		return "", "", 0, false
	}
	if toks[0].orig == "a" && acc == "" && len(rest) >= 2 && rest[1].low == "key" {
		return "", s, n + 3, true // "a minor key": article + scale + "key"
	}
	return normalizeKey(letter, acc), s, n + 2, true
}

// Candidate is a sample as the ranking sees it.
type Candidate struct {
	ID       int64
	Name     string
	Folder   string
	Tags     []string
	Type     string
	Category string
	BPM      *float64
	Key      string
	Scale    string
	Vibe     *Vibe // nil when the sample has no vibe yet
}

// Match is a ranked candidate and why it matched.
type Match struct {
	ID      int64    `json:"id"`
	Score   float64  `json:"score"` // 0–1: the share of the query's weighted parts it satisfies
	Reasons []string `json:"reasons"`
}

// Weights of the parts of a query in Rank's score.
const (
	weightTempo    = 3.0
	weightKey      = 2.0
	weightType     = 1.0
	weightCategory = 2.0
	weightWord     = 1.0
)

// halfDoubleFactor discounts a tempo match at half or double time: it fits, but less directly.
const halfDoubleFactor = 0.9

// bpmFilterTolerance is how far (relative) outside an explicit tempo range a sample may be, at
// its tempo, half or double, before it is filtered out.
const bpmFilterTolerance = 0.1

// Rank scores the candidates against q and returns those that match, best first (ties by id).
// Exclusions, types, categories and explicit tempos filter; the rest scores:
//
//   - tempo (weight 3): 1 at the target, falling linearly to 0 at 15 % away (at least 0.9 inside
//     an explicit range); a sample at half or double the tempo counts at its double or half,
//     times 0.9, and the reason says so. Vague words ("fast")
//     give 1 inside their range and 0 outside.
//   - key (2): the same key 1, the relative major/minor 0.7, the same tonic in the other mode 0.3;
//     a bare scale matches the scale.
//   - type (1) and category (2): the analysis category, or a synonym in the name or tags.
//   - each mood, texture, genre and text term (1): found in the sample's vibe (primary mood 1,
//     secondary 0.7, others 1), tags (1) or name and folder words (0.8).
//
// The score is the weighted sum over the weights of the parts the query has. A sample scoring 0
// does not match; an empty query matches nothing.
func Rank(q Query, candidates []Candidate) []Match {
	var out []Match
	for _, c := range candidates {
		if m, ok := rankOne(q, c); ok {
			out = append(out, m)
		}
	}
	slices.SortFunc(out, func(a, b Match) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return out
}

func rankOne(q Query, c Candidate) (Match, bool) {
	name := c.Name
	if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= 5 {
		name = name[:i]
	}
	nameWords := append(words(name), words(c.Folder)...)
	var tagWords []string
	for _, t := range c.Tags {
		tagWords = append(tagWords, strings.ToLower(strings.TrimSpace(t)))
		tagWords = append(tagWords, words(t)...)
	}
	hasWord := func(ws ...string) bool {
		for _, w := range ws {
			if slices.Contains(nameWords, w) || slices.Contains(tagWords, w) {
				return true
			}
		}
		return false
	}

	// Filters.
	for _, e := range q.Exclude {
		if c.Category == e || hasWord(e) || hasWord(categoryWords[e]...) {
			return Match{}, false
		}
		if c.Vibe != nil && (slices.Contains(c.Vibe.Texture, e) || slices.Contains(c.Vibe.Genres, e)) {
			return Match{}, false
		}
	}
	var total, got float64
	var reasons []string
	if len(q.Types) > 0 {
		total += weightType
		if c.Type != "" && !slices.Contains(q.Types, c.Type) {
			return Match{}, false
		}
		if c.Type != "" {
			got += weightType
			reasons = append(reasons, "type "+c.Type)
		}
	}
	if len(q.Categories) > 0 {
		total += weightCategory
		switch {
		case slices.Contains(q.Categories, c.Category):
			got += weightCategory
			reasons = append(reasons, "category "+c.Category)
		default:
			found := ""
			for _, cat := range q.Categories {
				for _, w := range categoryWords[cat] {
					if hasWord(w) {
						found = w
						break
					}
				}
				if found != "" {
					got += 0.8 * weightCategory
					reasons = append(reasons, fmt.Sprintf("%q in name or tags (%s)", found, cat))
					break
				}
			}
			if found == "" {
				return Match{}, false
			}
		}
	}
	if q.BPMMin != nil || q.BPMMax != nil || q.BPMTarget != nil {
		total += weightTempo
		if c.BPM != nil && *c.BPM > 0 {
			s, reason, keep := tempoScore(q, *c.BPM)
			if !keep {
				return Match{}, false
			}
			if s > 0 {
				got += weightTempo * s
				reasons = append(reasons, reason)
			}
		}
	}
	if q.Key != "" || q.Scale != "" {
		total += weightKey
		if s, reason := keyScore(q, c); s > 0 {
			got += weightKey * s
			reasons = append(reasons, reason)
		}
	}
	type wordPart struct {
		kind  string
		words []string
	}
	for _, p := range []wordPart{{"mood", q.Moods}, {"texture", q.Textures}, {"genre", q.Genres}, {"term", q.Terms}} {
		for _, w := range p.words {
			total += weightWord
			s, where := wordScore(w, p.kind, c, hasWord, tagWords)
			if s > 0 {
				got += weightWord * s
				reasons = append(reasons, fmt.Sprintf("%s %q: %s", p.kind, w, where))
			}
		}
	}
	if total == 0 || got == 0 {
		return Match{}, false
	}
	return Match{ID: c.ID, Score: math.Round(got/total*1000) / 1000, Reasons: reasons}, true
}

func tempoScore(q Query, bpm float64) (score float64, reason string, keep bool) {
	type reading struct {
		bpm  float64
		note string
	}
	readings := []reading{{bpm, ""}, {bpm * 2, " (half-time)"}, {bpm / 2, " (double-time)"}}
	if q.BPMTarget != nil {
		t := *q.BPMTarget
		lo, hi := t, t
		if q.BPMMin != nil {
			lo = *q.BPMMin
		}
		if q.BPMMax != nil {
			hi = *q.BPMMax
		}
		best, bestNote, inside := 0.0, "", false
		for _, r := range readings {
			if r.bpm >= lo*(1-bpmFilterTolerance) && r.bpm <= hi*(1+bpmFilterTolerance) {
				inside = true
			}
			s := 1 - math.Abs(r.bpm-t)/(0.15*t)
			if r.bpm >= lo && r.bpm <= hi {
				s = math.Max(s, 0.9) // anywhere inside an explicit range is nearly as good as the centre
			}
			if r.note != "" {
				s *= halfDoubleFactor
			}
			if s > best {
				best, bestNote = s, r.note
			}
		}
		if !inside {
			return 0, "", false
		}
		return best, fmt.Sprintf("tempo %s BPM near %s%s", fmtBPM(bpm), fmtBPM(t), bestNote), true
	}
	for _, r := range readings[:1] {
		if (q.BPMMin == nil || r.bpm >= *q.BPMMin) && (q.BPMMax == nil || r.bpm <= *q.BPMMax) {
			word := "fast"
			if q.BPMMin == nil {
				word = "slow"
			} else if q.BPMMax != nil {
				word = "mid-tempo"
			}
			return 1, fmt.Sprintf("tempo %s BPM is %s", fmtBPM(bpm), word), true
		}
	}
	return 0, "", true
}

func fmtBPM(b float64) string { return strconv.FormatFloat(math.Round(b*10)/10, 'f', -1, 64) }

func keyScore(q Query, c Candidate) (float64, string) {
	if c.Scale == "" {
		return 0, ""
	}
	if q.Key == "" {
		if c.Scale == q.Scale {
			return 1, "scale " + c.Scale
		}
		return 0, ""
	}
	if c.Key == "" {
		return 0, ""
	}
	qs := q.Scale
	if qs == "" {
		qs = c.Scale // "in A": either mode
	}
	if c.Key == q.Key && c.Scale == qs {
		return 1, "key " + c.Key + " " + c.Scale
	}
	if rel, relScale := relative(q.Key, qs); c.Key == rel && c.Scale == relScale {
		return 0.7, fmt.Sprintf("key %s %s is the relative %s of %s %s", c.Key, c.Scale, c.Scale, q.Key, qs)
	}
	if c.Key == q.Key {
		return 0.3, fmt.Sprintf("key %s %s shares the tonic of %s %s", c.Key, c.Scale, q.Key, qs)
	}
	return 0, ""
}

// relative returns the relative key: A minor ↔ C major (three semitones apart).
func relative(key, scale string) (string, string) {
	i := slices.Index(pitchClasses, key)
	if i < 0 {
		return "", ""
	}
	if scale == "minor" {
		return pitchClasses[(i+3)%12], "major"
	}
	return pitchClasses[(i+9)%12], "minor"
}

// wordScore finds a query word in the candidate's vibe, tags or name and says where.
func wordScore(w, kind string, c Candidate, hasWord func(...string) bool, tagWords []string) (float64, string) {
	if v := c.Vibe; v != nil {
		switch {
		case v.MoodPrimary == w:
			return 1, "vibe mood"
		case slices.Contains(v.Texture, w):
			return 1, "vibe texture"
		case slices.Contains(v.Genres, w):
			return 1, "vibe genre"
		case containsFold(v.Descriptors, w):
			return 1, "vibe descriptor"
		case v.MoodSecondary == w:
			return 0.7, "vibe secondary mood"
		}
	}
	// The word as typed and, for vocabulary words, its cue words ("jazz" also finds "jazzy").
	alts := []string{w}
	switch kind {
	case "mood":
		alts = append(alts, moodWords[w]...)
	case "genre":
		for cue, g := range genreWords {
			if g == w {
				alts = append(alts, cue)
			}
		}
		slices.Sort(alts[1:])
	case "texture":
		for cue, t := range textureWords {
			if t == w {
				alts = append(alts, cue)
			}
		}
		slices.Sort(alts[1:])
	}
	for _, a := range alts {
		if slices.Contains(tagWords, a) {
			return 1, "tag"
		}
	}
	if hasWord(alts...) {
		return 0.8, "name"
	}
	return 0, ""
}
