package analysis

import "github.com/sp404agent/sp404agent/internal/audio"

// Result is one `analyze --json` object (design.md §7): the decode facts followed by the
// features. The embedded *Features flattens into the same JSON object.
type Result struct {
	Path       string  `json:"path"`
	Format     string  `json:"format"`
	SampleRate int     `json:"sample_rate"`
	Channels   int     `json:"channels"`
	BitDepth   int     `json:"bit_depth"`
	DurationS  float64 `json:"duration_s"`
	Frames     int     `json:"frames"`
	*Features
}

// NewResult assembles a Result from the decoded buffer, its metadata and its features.
// duration_s is rounded to the millisecond.
func NewResult(path string, buf *audio.Buffer, meta audio.Metadata, f *Features) Result {
	r := Result{Path: path, Format: string(meta.Format), BitDepth: meta.BitDepth, Features: f}
	if buf != nil {
		r.SampleRate = buf.SampleRate
		r.Channels = buf.Channels()
		r.Frames = buf.Frames()
		r.DurationS = round(buf.Duration(), 0.001)
	}
	return r
}
