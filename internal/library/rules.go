package library

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Rules select samples by their fields. They are the filters of a list request and the stored
// rules of a smart collection, evaluated at query time so a smart collection is never stale.
// Zero values mean "no constraint".
type Rules struct {
	Text           string     `json:"text,omitempty" maxLength:"200" doc:"Words matched against names, tags, categories and types; -word excludes"`
	BPMMin         *float64   `json:"bpm_min,omitempty" minimum:"1" maximum:"1000"`
	BPMMax         *float64   `json:"bpm_max,omitempty" minimum:"1" maximum:"1000"`
	BPMHalfDouble  bool       `json:"bpm_half_double,omitempty" doc:"Also match half and double the tempo range"`
	Keys           []string   `json:"keys,omitempty" maxItems:"12" doc:"Pitch classes (C, C#, … B; flats accepted)"`
	Scale          string     `json:"scale,omitempty" enum:"major,minor,"`
	CompatibleKeys bool       `json:"compatible_keys,omitempty" doc:"Also match relative and neighbouring keys on the circle of fifths (needs keys and scale)"`
	Types          []string   `json:"types,omitempty" maxItems:"2"`
	Categories     []string   `json:"categories,omitempty" maxItems:"13"`
	TagsAny        []string   `json:"tags_any,omitempty" maxItems:"32"`
	TagsAll        []string   `json:"tags_all,omitempty" maxItems:"32"`
	DurationMin    *float64   `json:"duration_min,omitempty" minimum:"0"`
	DurationMax    *float64   `json:"duration_max,omitempty" minimum:"0"`
	LoudnessMin    *float64   `json:"loudness_min,omitempty" minimum:"-120" maximum:"20"`
	LoudnessMax    *float64   `json:"loudness_max,omitempty" minimum:"-120" maximum:"20"`
	Favorite       *bool      `json:"favorite,omitempty"`
	RatingMin      int        `json:"rating_min,omitempty" minimum:"0" maximum:"5"`
	AddedSince     *time.Time `json:"added_since,omitempty"`
}

// ruleError names the failing rule, so a smart-collection editor can point at it.
func ruleError(rule, format string, args ...any) *Error {
	return Errorf(CodeInvalid, "rule %s: %s", rule, fmt.Sprintf(format, args...))
}

// Validate checks and normalises the rules in place.
func (r *Rules) Validate() error {
	if utf8.RuneCountInString(r.Text) > MaxQueryLen {
		return ruleError("text", "longer than %d characters", MaxQueryLen)
	}
	if len(strings.Fields(r.Text)) > maxQueryTerms {
		return ruleError("text", "more than %d words", maxQueryTerms)
	}
	if err := checkRange("bpm", r.BPMMin, r.BPMMax, 1, 1000); err != nil {
		return err
	}
	if err := checkRange("duration", r.DurationMin, r.DurationMax, 0, 24*3600); err != nil {
		return err
	}
	if err := checkRange("loudness", r.LoudnessMin, r.LoudnessMax, -120, 20); err != nil {
		return err
	}
	if r.BPMHalfDouble && r.BPMMin == nil && r.BPMMax == nil {
		return ruleError("bpm_half_double", "needs bpm_min or bpm_max")
	}
	for i, k := range r.Keys {
		n, err := NormalizeKey(k)
		if err != nil {
			return ruleError("keys", "%q is not a pitch class (C, C#, D … B)", k)
		}
		r.Keys[i] = n
	}
	if len(r.Keys) > 12 {
		return ruleError("keys", "at most 12")
	}
	if r.Scale != "" && !slices.Contains(Scales, r.Scale) {
		return ruleError("scale", "must be major or minor")
	}
	if r.CompatibleKeys && (len(r.Keys) == 0 || r.Scale == "") {
		return ruleError("compatible_keys", "needs keys and a scale")
	}
	for _, t := range r.Types {
		if !slices.Contains(Types, t) {
			return ruleError("types", "%q is not one of %s", t, strings.Join(Types, ", "))
		}
	}
	for _, c := range r.Categories {
		if !slices.Contains(Categories, c) {
			return ruleError("categories", "%q is not one of %s", c, strings.Join(Categories, ", "))
		}
	}
	var err error
	if r.TagsAny, err = NormalizeTags(r.TagsAny); err != nil {
		return ruleError("tags_any", "%s", ErrorMessage(err))
	}
	if r.TagsAll, err = NormalizeTags(r.TagsAll); err != nil {
		return ruleError("tags_all", "%s", ErrorMessage(err))
	}
	if r.RatingMin < 0 || r.RatingMin > MaxRating {
		return ruleError("rating_min", "must be between 0 and %d", MaxRating)
	}
	return nil
}

func checkRange(name string, lo, hi *float64, min, max float64) error {
	for _, b := range []struct {
		v    *float64
		rule string
	}{{lo, name + "_min"}, {hi, name + "_max"}} {
		if b.v != nil && (*b.v < min || *b.v > max) {
			return ruleError(b.rule, "must be between %g and %g", min, max)
		}
	}
	if lo != nil && hi != nil && *lo > *hi {
		return ruleError(name+"_min", "%g is above %s_max %g", *lo, name, *hi)
	}
	return nil
}

// BPMRanges returns the tempo ranges the rules accept: the range itself and, with BPMHalfDouble,
// its halves and doubles (a 170 BPM break also works at 85).
func (r *Rules) BPMRanges() [][2]*float64 {
	if r.BPMMin == nil && r.BPMMax == nil {
		return nil
	}
	out := [][2]*float64{{r.BPMMin, r.BPMMax}}
	if r.BPMHalfDouble {
		for _, f := range []float64{0.5, 2} {
			out = append(out, [2]*float64{scaled(r.BPMMin, f), scaled(r.BPMMax, f)})
		}
	}
	return out
}

func scaled(v *float64, f float64) *float64 {
	if v == nil {
		return nil
	}
	x := *v * f
	return &x
}

// KeyScale is a key with its mode.
type KeyScale struct{ Key, Scale string }

// KeyMatches lists the (key, scale) pairs the rules accept; Scale "" means any scale. With
// CompatibleKeys each key also admits its relative (A minor ↔ C major) and its neighbours a fifth
// up and down in the same mode, and their relatives: the harmonic-mixing neighbourhood
// (the Camelot wheel's ±1 and inner/outer ring).
func (r *Rules) KeyMatches() []KeyScale {
	var out []KeyScale
	add := func(k KeyScale) {
		if !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	for _, k := range r.Keys {
		if !r.CompatibleKeys {
			add(KeyScale{k, r.Scale})
			continue
		}
		i := slices.Index(Keys, k)
		for _, step := range []int{0, 7, 5} { // same, a fifth up, a fifth down
			n := Keys[(i+step)%12]
			add(KeyScale{n, r.Scale})
			add(relative(KeyScale{n, r.Scale}))
		}
	}
	return out
}

// relative is the relative major of a minor key and vice versa (they share their notes).
func relative(k KeyScale) KeyScale {
	i := slices.Index(Keys, k.Key)
	if k.Scale == "minor" {
		return KeyScale{Keys[(i+3)%12], "major"}
	}
	return KeyScale{Keys[(i+9)%12], "minor"}
}
