package vibe

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sp404agent/sp404agent/internal/analysis"
)

// Field names used as keys of Vibe.Sources; they are the JSON names of the fields.
const (
	FieldMoodPrimary   = "mood_primary"
	FieldMoodSecondary = "mood_secondary"
	FieldEnergy        = "energy"
	FieldDanceability  = "danceability"
	FieldTexture       = "texture"
	FieldEra           = "era"
	FieldGenres        = "genres"
	FieldDescriptors   = "descriptors"
	FieldBestUse       = "best_use"
	FieldConfidence    = "confidence"
)

// Fields lists every field that has a source, in JSON order.
var Fields = []string{FieldMoodPrimary, FieldMoodSecondary, FieldEnergy, FieldDanceability, FieldTexture,
	FieldEra, FieldGenres, FieldDescriptors, FieldBestUse, FieldConfidence}

// Sources of a field's value.
const (
	SourceAudio = "audio"
	SourceLLM   = "llm"
)

// Vibe is the descriptive layer of a sample: how it feels and what it is good for on the SP-404.
// Every field names its origin in Sources ("audio" for the offline rules, "llm" when the model's
// answer replaced it), so the UI can show which words a model wrote.
type Vibe struct {
	MoodPrimary   string            `json:"mood_primary"`
	MoodSecondary string            `json:"mood_secondary"`
	Energy        float64           `json:"energy"`       // 0–1
	Danceability  float64           `json:"danceability"` // 0–1
	Texture       []string          `json:"texture"`
	Era           string            `json:"era"`
	Genres        []string          `json:"genres"`
	Descriptors   []string          `json:"descriptors"`
	BestUse       []string          `json:"best_use"`
	Confidence    float64           `json:"confidence"` // 0–1
	Sources       map[string]string `json:"sources"`
	Model         string            `json:"model,omitempty"` // the model that refined the vibe, if any
}

// Moods is the closed vocabulary of mood_primary and mood_secondary. A closed list keeps the
// search vocabulary small and lets the model's answer be checked as an enum.
var Moods = []string{
	"energetic", "uplifting", "happy", "playful", "aggressive", "tense", "dark", "moody",
	"melancholic", "mysterious", "calm", "dreamy", "nostalgic", "neutral",
}

// Textures is the closed vocabulary of texture tags.
var Textures = []string{
	"gritty", "noisy", "airy", "warm", "bright", "dark", "punchy", "smooth", "crisp",
	"dusty", "boomy", "thin", "lush", "clean", "lo-fi", "distorted",
}

// Eras are the allowed values of era; "unknown" when nothing suggests one.
var Eras = []string{"1960s", "1970s", "1980s", "1990s", "2000s", "2010s", "modern", "unknown"}

// Limits on the list fields and their strings; they bound what a model may write into the
// library and what the UI has to lay out.
const (
	MaxTexture     = 4
	MaxGenres      = 4
	MaxDescriptors = 6
	MaxBestUse     = 3
	MaxWordLen     = 32 // texture, genre, descriptor
	MaxBestUseLen  = 80
)

// ErrInvalidVibe is wrapped by Validate's errors.
var ErrInvalidVibe = errors.New("invalid vibe")

// Validate checks every field against its range, vocabulary and length and rejects markup and
// control characters, so nothing a model writes can reach the UI unchecked.
func (v *Vibe) Validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrInvalidVibe, fmt.Sprintf(format, args...))
	}
	if !slices.Contains(Moods, v.MoodPrimary) {
		return bad("mood_primary %q is not one of %s", v.MoodPrimary, strings.Join(Moods, ", "))
	}
	if !slices.Contains(Moods, v.MoodSecondary) {
		return bad("mood_secondary %q is not one of %s", v.MoodSecondary, strings.Join(Moods, ", "))
	}
	for name, x := range map[string]float64{FieldEnergy: v.Energy, FieldDanceability: v.Danceability, FieldConfidence: v.Confidence} {
		if !(x >= 0 && x <= 1) { // also rejects NaN
			return bad("%s %v is not between 0 and 1", name, x)
		}
	}
	if !slices.Contains(Eras, v.Era) {
		return bad("era %q is not one of %s", v.Era, strings.Join(Eras, ", "))
	}
	if len(v.Texture) > MaxTexture {
		return bad("more than %d textures", MaxTexture)
	}
	for _, t := range v.Texture {
		if !slices.Contains(Textures, t) {
			return bad("texture %q is not one of %s", t, strings.Join(Textures, ", "))
		}
	}
	lists := []struct {
		name   string
		items  []string
		max    int
		maxLen int
	}{
		{FieldGenres, v.Genres, MaxGenres, MaxWordLen},
		{FieldDescriptors, v.Descriptors, MaxDescriptors, MaxWordLen},
		{FieldBestUse, v.BestUse, MaxBestUse, MaxBestUseLen},
	}
	for _, l := range lists {
		if len(l.items) > l.max {
			return bad("more than %d %s", l.max, l.name)
		}
		for _, s := range l.items {
			if err := checkText(s, l.maxLen); err != nil {
				return bad("%s %q: %v", l.name, s, err)
			}
		}
	}
	return nil
}

// checkText accepts short plain phrases: letters, digits, spaces and light punctuation. Angle
// brackets, quotes, backslashes and control characters are refused outright rather than
// escaped, because a vibe word never needs them and they are how markup and prompt echoes look.
func checkText(s string, maxLen int) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("empty")
	}
	if !utf8.ValidString(s) {
		return errors.New("not UTF-8")
	}
	if utf8.RuneCountInString(s) > maxLen {
		return fmt.Errorf("longer than %d characters", maxLen)
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r), unicode.IsDigit(r), r == ' ':
		case strings.ContainsRune("-'&/+#,.()!:", r):
		default:
			return fmt.Errorf("character %q is not allowed", r)
		}
	}
	return nil
}

// Input is what is known about a sample when its vibe is worked out. Pointer fields are nil
// when the analysis did not produce them (pending analysis, pulseless or atonal sounds).
type Input struct {
	Name     string   // file name, e.g. "dusty_rhodes_85bpm_Am.wav"
	Folder   string   // folder path it was imported from, e.g. "Crates/70s Soul/Keys"
	Tags     []string // user tags
	Type     string   // analysis.TypeOneShot | analysis.TypeLoop | ""
	Category string   // analysis category or ""
	BPM      *float64
	Key      string // "C" … "B" (sharps) or ""
	Scale    string // "major" | "minor" | ""

	LoudnessLUFS *float64
	TruePeakDBTP *float64
	Spectral     *analysis.Spectral
	DurationS    float64
	OnsetRate    *float64 // onsets per second
}

// InputFromFeatures builds an Input from a fresh analysis. name and folder come from the
// import; durationS from the decoded buffer.
func InputFromFeatures(name, folder string, tags []string, durationS float64, f *analysis.Features) Input {
	in := Input{Name: name, Folder: folder, Tags: tags, DurationS: durationS}
	if f == nil {
		return in
	}
	in.Type, in.Category, in.BPM = f.Type, f.Category, f.BPM
	if f.Key != nil {
		in.Key = *f.Key
	}
	if f.Scale != nil {
		in.Scale = *f.Scale
	}
	l, tp, sp := f.LoudnessLUFS, f.TruePeakDBTP, f.Spectral
	in.LoudnessLUFS, in.TruePeakDBTP, in.Spectral = &l, &tp, &sp
	if durationS > 0 {
		r := float64(len(f.Onsets)) / durationS
		in.OnsetRate = &r
	}
	return in
}

// Words splits the name, folder and tags into lower-case words (letters and digits runs),
// dropping the file extension, so "Dusty_Rhodes-85bpm.wav" gives dusty, rhodes, 85bpm.
func (in *Input) Words() []string {
	name := in.Name
	if i := strings.LastIndexByte(name, '.'); i > 0 && len(name)-i <= 5 {
		name = name[:i]
	}
	var out []string
	for _, s := range append([]string{name, in.Folder}, in.Tags...) {
		out = append(out, words(s)...)
	}
	return out
}

// words splits s into lower-case runs of letters and digits.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// clamp01 limits x to [0, 1]; NaN becomes 0.
func clamp01(x float64) float64 {
	if !(x > 0) {
		return 0
	}
	return math.Min(x, 1)
}

// round2 rounds to two decimals so stored and compared values are stable.
func round2(x float64) float64 { return math.Round(x*100) / 100 }
