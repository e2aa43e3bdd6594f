package library

import (
	"strings"
	"unicode"
)

// synonyms maps words producers use to one canonical search term, so "bd", "bassdrum" and "kick"
// find the same sounds. Both the word and its canonical term are indexed.
var synonyms = map[string]string{
	"bd": "kick", "bassdrum": "kick", "kik": "kick", "kck": "kick", "kicks": "kick",
	"sn": "snare", "snr": "snare", "sd": "snare", "snares": "snare", "rim": "snare", "rimshot": "snare",
	"hh": "hat", "hihat": "hat", "hihats": "hat", "hats": "hat", "hat": "hat", "ch": "hat", "oh": "hat",
	"openhat": "hat", "closedhat": "hat",
	"clp": "clap", "claps": "clap", "handclap": "clap",
	"cym": "cymbal", "crash": "cymbal", "ride": "cymbal", "cymbals": "cymbal",
	"tms": "tom", "toms": "tom",
	"prc": "perc", "percussion": "perc", "shaker": "perc", "conga": "perc", "bongo": "perc", "tamb": "perc",
	"vox": "vocal", "vocals": "vocal", "voice": "vocal", "acapella": "vocal", "adlib": "vocal",
	"keys": "melodic", "chord": "melodic", "chords": "melodic", "piano": "melodic", "rhodes": "melodic",
	"synth": "melodic", "pad": "melodic", "melody": "melodic", "guitar": "melodic",
	"sub": "bass", "808s": "808",
	"sfx": "fx", "effect": "fx", "riser": "fx", "impact": "fx", "sweep": "fx",
	"loops": "loop", "break": "loop", "breaks": "loop",
	"oneshot": "oneshot", "shot": "oneshot",
}

// categoryTerms are the search terms of each category.
var categoryTerms = map[string][]string{
	"hat_closed": {"hat", "closed"}, "hat_open": {"hat", "open"},
}

// Tokenize splits text into lower-case search words: letters and digits, broken at case and
// letter/digit changes ("KickHard01" → kick, hard, 01; "92bpm" → 92, bpm).
func Tokenize(s string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	var prev rune
	for _, r := range s {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case len(cur) > 0 && (unicode.IsDigit(r) != unicode.IsDigit(prev) ||
			(unicode.IsUpper(r) && unicode.IsLower(prev))):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
		prev = r
	}
	flush()
	return out
}

// canonical returns the canonical term of a word (the word itself when it has no synonym).
func canonical(w string) string {
	if c, ok := synonyms[w]; ok {
		return c
	}
	return w
}

// MaxTermLen is the longest word, in bytes, a sample is indexed by.
const MaxTermLen = 64

// SearchTerms are the terms a sample is found by: words of its name and tags, its category and
// type, each with its canonical synonym. They hold only letters, digits and '_'.
func SearchTerms(s *Sample) []string {
	seen := map[string]bool{}
	var out []string
	add := func(w string) {
		if w != "" && len(w) <= MaxTermLen && !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	addText := func(text string) {
		words := Tokenize(text)
		for i, w := range words {
			add(w)
			add(canonical(w))
			// "hi hat", "bass drum", "one shot" written apart.
			if i > 0 {
				if c, ok := synonyms[words[i-1]+w]; ok {
					add(c)
				}
			}
		}
	}
	addText(strings.TrimSuffix(s.FileName, extOf(s.FileName)))
	for _, t := range s.Tags {
		addText(t)
	}
	if s.Category != nil {
		add(*s.Category)
		for _, t := range categoryTerms[*s.Category] {
			add(t)
		}
	}
	if s.Type != nil {
		add(canonical(strings.ReplaceAll(*s.Type, "-", "")))
	}
	return out
}

func extOf(name string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= 5 {
		return name[i:]
	}
	return ""
}

// QueryTerm is one word of a text query.
type QueryTerm struct {
	Term    string // canonical, lower-case
	Exclude bool   // "-word"
	Prefix  bool   // also match longer words ("kic" finds "kick")
}

// ParseQuery splits a text query into terms: each must match (or, with "-", must not). Synonyms
// are mapped to their canonical term; a word with no synonym also matches as a prefix.
func ParseQuery(q string) []QueryTerm {
	var out []QueryTerm
	for _, field := range strings.Fields(q) {
		exclude := strings.HasPrefix(field, "-") && len(field) > 1
		if exclude {
			field = field[1:]
		}
		for _, w := range Tokenize(field) {
			c, isSyn := synonyms[w]
			if !isSyn {
				c = w
			}
			out = append(out, QueryTerm{Term: c, Exclude: exclude, Prefix: !isSyn})
		}
	}
	return out
}
