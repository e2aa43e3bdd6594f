// Package library is the domain of the SP-404 Sample Agent: samples and their analysis, and the
// services that act on them. It defines the small interfaces it needs from storage, blob storage
// and the job queue; the store, blob and jobs packages implement them.
package library

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/sp404agent/sp404agent/internal/analysis"
)

// AnalysisState is where a sample is in its analysis.
type AnalysisState string

// Analysis states.
const (
	StatePending   AnalysisState = "pending"
	StateAnalyzing AnalysisState = "analyzing"
	StateDone      AnalysisState = "done"
	StateFailed    AnalysisState = "failed"
)

// Valid reports whether s is a known state.
func (s AnalysisState) Valid() bool {
	switch s {
	case StatePending, StateAnalyzing, StateDone, StateFailed:
		return true
	}
	return false
}

// Sample is one audio file in the library with its analysis. Analysis fields are null until the
// analysis is done.
type Sample struct {
	ID          int64  `json:"id"`
	FileName    string `json:"file_name" doc:"Original file name (display only; files are stored by content hash)"`
	ContentHash string `json:"content_hash" doc:"SHA-256 of the file's bytes; for a slice, of its original's hash and its region"`
	Format      string `json:"format" enum:"wav,aiff,mp3,flac,ogg"`
	SizeBytes   int64  `json:"size_bytes"`

	DurationS  float64 `json:"duration_s"`
	Frames     int64   `json:"frames"`
	SampleRate int     `json:"sample_rate"`
	Channels   int     `json:"channels"`
	BitDepth   int     `json:"bit_depth"`

	Type               *string            `json:"type" doc:"one-shot or loop"`
	Category           *string            `json:"category"`
	CategoryConfidence float64            `json:"category_confidence"`
	BPM                *float64           `json:"bpm"`
	BPMConfidence      float64            `json:"bpm_confidence"`
	BPMAlternates      []float64          `json:"bpm_alternates"`
	BPMSource          string             `json:"bpm_source" enum:"audio,metadata,filename,none,user"`
	Key                *string            `json:"key"`
	Scale              *string            `json:"scale"`
	KeyConfidence      float64            `json:"key_confidence"`
	RootNote           *string            `json:"root_note"`
	LoudnessLUFS       *float64           `json:"loudness_lufs"`
	TruePeakDBTP       *float64           `json:"true_peak_dbtp"`
	PeakDBFS           *float64           `json:"peak_dbfs"`
	Spectral           *analysis.Spectral `json:"spectral"`
	AnalysisVersion    *string            `json:"analysis_version"`

	AnalysisState AnalysisState `json:"analysis_state" enum:"pending,analyzing,done,failed"`
	AnalysisError string        `json:"analysis_error,omitempty"`

	Tags       []string   `json:"tags"`
	Favorite   bool       `json:"favorite"`
	Rating     int        `json:"rating" minimum:"0" maximum:"5"`
	Notes      string     `json:"notes"`
	CreatedAt  time.Time  `json:"created_at"`
	UpdatedAt  time.Time  `json:"updated_at"`
	AnalyzedAt *time.Time `json:"analyzed_at"`

	// A slice (a loop chopped into pads) plays a region of its original's file: the same blob,
	// no audio copied. All three are null for a sample with its own file.
	SourceID    *int64 `json:"source_id" doc:"The sample this one is a slice of; null for a sample with its own file"`
	RegionStart *int64 `json:"region_start_frame" doc:"Where the slice starts, in frames of its original"`
	RegionEnd   *int64 `json:"region_end_frame" doc:"Where the slice ends, in frames of its original (exclusive)"`

	BlobKey string `json:"-"`
}

// IsSlice reports whether the sample plays a region of another sample's file.
func (s *Sample) IsSlice() bool {
	return s.SourceID != nil && s.RegionStart != nil && s.RegionEnd != nil
}

// Region is the part of the stored file the sample plays, in frames of the decoded file, end
// exclusive; end 0 means the whole file.
func (s *Sample) Region() (start, end int64) {
	if !s.IsSlice() {
		return 0, 0
	}
	return *s.RegionStart, *s.RegionEnd
}

// Limits on user-editable fields.
const (
	MaxTags       = 64
	MaxTagLen     = 48
	MaxNotesLen   = 4000
	MaxNameLen    = 255
	MaxQueryLen   = 200
	MaxPageLimit  = 500
	DefaultLimit  = 50
	MaxRating     = 5
	maxQueryTerms = 16
)

// Keys are the pitch classes as the analysis writes them (sharps).
var Keys = []string{"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"}

var flatToSharp = map[string]string{"Db": "C#", "Eb": "D#", "Gb": "F#", "Ab": "G#", "Bb": "A#", "Cb": "B", "Fb": "E", "E#": "F", "B#": "C"}

// NormalizeKey returns the sharp spelling of a pitch class ("Bb" → "A#") or an error.
func NormalizeKey(k string) (string, error) {
	k = strings.TrimSpace(k)
	if len(k) > 0 {
		k = strings.ToUpper(k[:1]) + strings.ToLower(k[1:])
	}
	if s, ok := flatToSharp[k]; ok {
		return s, nil
	}
	if slices.Contains(Keys, k) {
		return k, nil
	}
	return "", Errorf(CodeInvalid, "key %q is not a pitch class (C, C#, D … B)", k)
}

// Categories are the drum/sound classes of design.md §7.
var Categories = []string{"kick", "snare", "clap", "hat_closed", "hat_open", "tom", "cymbal", "perc", "bass", "melodic", "vocal", "fx", "drums"}

// Types are the sample types.
var Types = []string{"one-shot", "loop"}

// Scales are the key modes.
var Scales = []string{"major", "minor"}

var tagPattern = regexp.MustCompile(`^[\p{L}\p{N}][\p{L}\p{N} _\-.&+#']*$`)

// NormalizeTags lower-cases, trims, de-duplicates and validates tags.
func NormalizeTags(tags []string) ([]string, error) {
	out := make([]string, 0, len(tags))
	for _, t := range tags {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "" {
			continue
		}
		if utf8.RuneCountInString(t) > MaxTagLen {
			return nil, Errorf(CodeInvalid, "tag %q is longer than %d characters", t, MaxTagLen)
		}
		if !tagPattern.MatchString(t) {
			return nil, Errorf(CodeInvalid, "tag %q has characters other than letters, digits, space and _-.&+#'", t)
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	if len(out) > MaxTags {
		return nil, Errorf(CodeInvalid, "a sample may have at most %d tags", MaxTags)
	}
	slices.Sort(out)
	return out, nil
}

// SamplePatch changes the user-editable fields of a sample; a nil field stays as it is.
type SamplePatch struct {
	FileName *string   `json:"file_name,omitempty" minLength:"1" maxLength:"255"`
	Tags     *[]string `json:"tags,omitempty" maxItems:"64"`
	Favorite *bool     `json:"favorite,omitempty"`
	Rating   *int      `json:"rating,omitempty" minimum:"0" maximum:"5"`
	Notes    *string   `json:"notes,omitempty" maxLength:"4000"`
	// Corrections of the analysis by the user.
	BPM      *float64 `json:"bpm,omitempty" minimum:"20" maximum:"400" doc:"Tempo correction; sets bpm_source to user"`
	Key      *string  `json:"key,omitempty" doc:"Key correction (pitch class, sharps or flats)"`
	Scale    *string  `json:"scale,omitempty" enum:"major,minor"`
	Category *string  `json:"category,omitempty"`
}

// Validate checks and normalises the patch in place.
func (p *SamplePatch) Validate() error {
	if p.FileName != nil {
		n, err := CleanFileName(*p.FileName)
		if err != nil {
			return err
		}
		p.FileName = &n
	}
	if p.Tags != nil {
		t, err := NormalizeTags(*p.Tags)
		if err != nil {
			return err
		}
		p.Tags = &t
	}
	if p.Rating != nil && (*p.Rating < 0 || *p.Rating > MaxRating) {
		return Errorf(CodeInvalid, "rating must be between 0 and %d", MaxRating)
	}
	if p.Notes != nil && utf8.RuneCountInString(*p.Notes) > MaxNotesLen {
		return Errorf(CodeInvalid, "notes are longer than %d characters", MaxNotesLen)
	}
	if p.BPM != nil && (*p.BPM < 20 || *p.BPM > 400) {
		return Errorf(CodeInvalid, "bpm must be between 20 and 400")
	}
	if p.Key != nil {
		k, err := NormalizeKey(*p.Key)
		if err != nil {
			return err
		}
		p.Key = &k
	}
	if p.Scale != nil && !slices.Contains(Scales, *p.Scale) {
		return Errorf(CodeInvalid, "scale must be major or minor")
	}
	if p.Category != nil && !slices.Contains(Categories, *p.Category) {
		return Errorf(CodeInvalid, "category %q is not one of %s", *p.Category, strings.Join(Categories, ", "))
	}
	return nil
}

// Empty reports whether the patch changes nothing.
func (p *SamplePatch) Empty() bool {
	return p.FileName == nil && p.Tags == nil && p.Favorite == nil && p.Rating == nil && p.Notes == nil &&
		p.BPM == nil && p.Key == nil && p.Scale == nil && p.Category == nil
}

// CleanFileName reduces a client-supplied file name to a safe display name: the last path element
// only, no control characters, at most MaxNameLen runes. The name is never used as a path.
func CleanFileName(name string) (string, error) {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	if name == "" || name == "." || name == ".." {
		return "", Errorf(CodeInvalid, "file name is empty")
	}
	if utf8.RuneCountInString(name) > MaxNameLen {
		r := []rune(name)
		name = string(r[:MaxNameLen])
	}
	return name, nil
}

// SortFields are the columns a list may be sorted by ("position" only within a manual collection).
var SortFields = []string{"name", "created", "bpm", "key", "duration", "loudness", "position"}

// SampleFilter selects and orders samples: the rules, optionally within a collection, and a page.
type SampleFilter struct {
	Rules
	CollectionID *int64
	State        AnalysisState
	Sort         string // one of SortFields
	Desc         bool
	Page         int // 1-based
	Limit        int
}

// ParseSort reads "field" or "-field" (descending).
func ParseSort(s string) (field string, desc bool, err error) {
	if s == "" {
		return "created", true, nil
	}
	if strings.HasPrefix(s, "-") {
		desc, s = true, s[1:]
	}
	if !slices.Contains(SortFields, s) {
		return "", false, Errorf(CodeInvalid, "sort %q is not one of %s (prefix - for descending)", s, strings.Join(SortFields, ", "))
	}
	return s, desc, nil
}

// Validate checks and normalises the filter in place.
func (f *SampleFilter) Validate() error {
	if f.Page == 0 {
		f.Page = 1
	}
	if f.Limit == 0 {
		f.Limit = DefaultLimit
	}
	if f.Page < 1 || f.Page > 1_000_000 {
		return Errorf(CodeInvalid, "page must be between 1 and 1000000")
	}
	if f.Limit < 1 || f.Limit > MaxPageLimit {
		return Errorf(CodeInvalid, "limit must be between 1 and %d", MaxPageLimit)
	}
	if err := f.Rules.Validate(); err != nil {
		return err
	}
	if f.State != "" && !f.State.Valid() {
		return Errorf(CodeInvalid, "analysis_state %q is not one of pending, analyzing, done, failed", f.State)
	}
	if f.Sort == "" {
		f.Sort, f.Desc = "created", true
	}
	if !slices.Contains(SortFields, f.Sort) {
		return Errorf(CodeInvalid, "sort %q is not one of %s", f.Sort, strings.Join(SortFields, ", "))
	}
	if f.Sort == "position" && f.CollectionID == nil {
		return Errorf(CodeInvalid, "sort position needs a manual collection")
	}
	return nil
}

// Page is one page of a list.
type Page[T any] struct {
	Items []T `json:"items"`
	Total int `json:"total"`
	Page  int `json:"page"`
	Limit int `json:"limit"`
}

func (s *Sample) String() string { return fmt.Sprintf("sample %d (%s)", s.ID, s.FileName) }

// BulkEdit changes many samples at once.
type BulkEdit struct {
	SampleIDs  []int64  `json:"sample_ids" minItems:"1" maxItems:"1000"`
	AddTags    []string `json:"add_tags,omitempty" maxItems:"64"`
	RemoveTags []string `json:"remove_tags,omitempty" maxItems:"64"`
	Favorite   *bool    `json:"favorite,omitempty"`
	Rating     *int     `json:"rating,omitempty" minimum:"0" maximum:"5"`
}

// Validate checks and normalises the edit.
func (b *BulkEdit) Validate() error {
	if err := checkIDs(b.SampleIDs); err != nil {
		return err
	}
	var err error
	if b.AddTags, err = NormalizeTags(b.AddTags); err != nil {
		return err
	}
	if b.RemoveTags, err = NormalizeTags(b.RemoveTags); err != nil {
		return err
	}
	if b.Rating != nil && (*b.Rating < 0 || *b.Rating > MaxRating) {
		return Errorf(CodeInvalid, "rating must be between 0 and %d", MaxRating)
	}
	if len(b.AddTags) == 0 && len(b.RemoveTags) == 0 && b.Favorite == nil && b.Rating == nil {
		return Errorf(CodeInvalid, "nothing to change: give add_tags, remove_tags, favorite or rating")
	}
	return nil
}
