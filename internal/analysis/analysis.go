// Package analysis turns decoded audio into the per-sample features the library stores and
// searches: one-shot or loop, drum class, tempo, key and root note, loudness and peaks
// (ITU-R BS.1770-4), a spectral summary, waveform peaks for the UI, onset times for chopping
// and a similarity vector. It is pure: no I/O, no logging, no global state; the same buffer
// and hints always give the same Features. README.md draws the pipeline.
package analysis

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/sp404agent/sp404agent/internal/audio"
	"github.com/sp404agent/sp404agent/internal/dsp"
)

// Version is the analysis_version written with every result. Bump it when any field's
// meaning or algorithm changes so stored analyses can be recomputed.
const Version = "2"

// Sample types.
const (
	TypeOneShot = "one-shot"
	TypeLoop    = "loop"
)

// Categories (design.md §7). CategoryDrums is a drum loop. CategoryVocal belongs to the
// contract but the category model has no vocal training data and never returns it.
const (
	CategoryKick      = "kick"
	CategorySnare     = "snare"
	CategoryClap      = "clap"
	CategoryHatClosed = "hat_closed"
	CategoryHatOpen   = "hat_open"
	CategoryTom       = "tom"
	CategoryCymbal    = "cymbal"
	CategoryPerc      = "perc"
	CategoryBass      = "bass"
	CategoryMelodic   = "melodic"
	CategoryVocal     = "vocal"
	CategoryFX        = "fx"
	CategoryDrums     = "drums"
)

// BPM sources.
const (
	BPMSourceAudio    = "audio"
	BPMSourceMetadata = "metadata"
	BPMSourceFilename = "filename"
	BPMSourceNone     = "none"
)

// Hints is what is known about a sample besides its audio: the file name (for a "…_92bpm…"
// tempo fallback) and the decoded metadata (acid/ID3/Vorbis tempo, key, root note, one-shot
// flag).
type Hints struct {
	Name string
	Meta audio.Metadata
}

// Spectral is the energy-weighted spectral summary of a sample.
type Spectral struct {
	// CentroidHz is the power-weighted mean frequency Σf·P(f)/ΣP(f) in Hz.
	CentroidHz float64 `json:"centroid_hz"`
	// RolloffHz is the frequency below which 85 % of the power lies, in Hz.
	RolloffHz float64 `json:"rolloff_hz"`
	// Flatness is the spectral flatness (Wiener entropy) of the power spectrum: geometric mean
	// over arithmetic mean, 0 for a pure tone, ≈0.56 for white noise with a Hann window.
	Flatness float64 `json:"flatness"`
	// Brightness is the fraction of spectral power above 1.5 kHz (0–1).
	Brightness float64 `json:"brightness"`
}

// Peaks holds waveform min/max pairs for drawing: bucket i of n covers frames
// [i·F/n, (i+1)·F/n), and the slice holds min₀, max₀, min₁, max₁, … over all channels,
// scaled so full scale is ±127. Coarse has 64 buckets (128 values), Fine 1024 (2048 values).
type Peaks struct {
	Coarse []int8 `json:"coarse"`
	Fine   []int8 `json:"fine"`
}

// Waveform bucket counts.
const (
	PeaksCoarseBuckets = 64
	PeaksFineBuckets   = 1024
)

// Features is the analysis of one sample; its JSON form is design.md §7.
type Features struct {
	Type               string    `json:"type"`                // "one-shot" | "loop"
	Category           string    `json:"category"`            // kick snare clap hat_closed hat_open tom cymbal perc bass melodic vocal fx drums
	CategoryConfidence float64   `json:"category_confidence"` // 0–1: the category model's probability of its best class
	BPM                *float64  `json:"bpm"`                 // beats per minute; null for one-shots and pulseless sounds
	BPMConfidence      float64   `json:"bpm_confidence"`      // 0–1; 1 for metadata, 0.5 for a file-name tempo
	BPMAlternates      []float64 `json:"bpm_alternates"`      // ×½, ×2 (and ⅔, 3⁄2 when plausible), best first; never nil
	BPMSource          string    `json:"bpm_source"`          // audio | metadata | filename | none
	Key                *string   `json:"key"`                 // C C# D … B (sharps) or null
	Scale              *string   `json:"scale"`               // major | minor or null
	KeyConfidence      float64   `json:"key_confidence"`      // 0–1: Pearson correlation with the key profile; 1 for metadata
	RootNote           *string   `json:"root_note"`           // scientific pitch (A4 = 440 Hz), pitched one-shots only
	LoudnessLUFS       float64   `json:"loudness_lufs"`       // BS.1770-4 integrated; max momentary under 400 ms; ≥ −70
	TruePeakDBTP       float64   `json:"true_peak_dbtp"`      // 4× oversampled peak, dBTP; ≥ PeakFloorDB
	PeakDBFS           float64   `json:"peak_dbfs"`           // sample peak, dBFS; ≥ PeakFloorDB
	Spectral           Spectral  `json:"spectral"`
	AnalysisVersion    string    `json:"analysis_version"`

	// Onsets are onset times in seconds, ascending.
	Onsets []float64 `json:"-"`
	// Peaks are the waveform peaks served to the UI.
	Peaks Peaks `json:"-"`
	// Similarity is the SimilarityVersion feature vector (SimilarityDims values, layout in
	// similarity.go).
	Similarity []float32 `json:"-"`
	// Fingerprint is the near-duplicate fingerprint (see Fingerprint).
	Fingerprint []float32 `json:"-"`

	modelInput [nClassFeatures]float64 // the category model's input, for AnalyzeForTraining
}

// minTempoOnsets is the fewest onsets a sound needs before its onset envelope is searched
// for a pulse: sustained tones have a flat but not perfectly constant envelope whose small
// periodic ripple would otherwise read as a tempo.
const minTempoOnsets = 4

// PeakFloorDB is the level, in dBFS/dBTP, reported for digital silence.
const PeakFloorDB = -120.0

// ErrEmpty is returned for a buffer without frames.
var ErrEmpty = errors.New("analysis: empty audio")

// Analyze computes the features of buf. The buffer is not modified. It returns an error for an
// invalid or empty buffer or when ctx is cancelled (checked between stages).
func Analyze(ctx context.Context, buf *audio.Buffer, h Hints) (*Features, error) {
	if buf == nil {
		return nil, ErrEmpty
	}
	if err := buf.Validate(); err != nil {
		return nil, fmt.Errorf("analysis: %w", err)
	}
	if buf.Frames() == 0 {
		return nil, ErrEmpty
	}
	buf = sanitize(buf)
	sr := float64(buf.SampleRate)
	f := &Features{AnalysisVersion: Version, BPMAlternates: []float64{}, BPMSource: BPMSourceNone}

	// Levels on the original channels.
	lm := dsp.MeasureLoudness(buf.Data, buf.SampleRate)
	lufs := lm.Integrated
	if lm.Blocks == 0 {
		lufs = lm.MaxMomentary
	}
	f.LoudnessLUFS = round(math.Max(lufs, dsp.LoudnessFloor), 0.01)
	var sp, tp float64
	meter := dsp.NewTruePeak()
	for _, ch := range buf.Data {
		for _, v := range ch {
			if a := math.Abs(float64(v)); a > sp {
				sp = a
			}
		}
		tp = math.Max(tp, meter.Max(ch))
	}
	f.PeakDBFS = round(dsp.AmplitudeDB(sp, PeakFloorDB), 0.01)
	f.TruePeakDBTP = round(dsp.AmplitudeDB(tp, PeakFloorDB), 0.01)
	f.Peaks = waveformPeaks(buf)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	mono := buf.Mono()
	f.Fingerprint = fingerprint(mono, buf.SampleRate)
	fe, err := newFrontend(mono, sr)
	if err != nil {
		return nil, err
	}
	f.Spectral = fe.spectralSummary()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	odf := fe.onsetEnvelope()
	env := describeEnvelope(mono, sr, fe)
	f.Onsets = pickOnsets(odf, fe.frameRate, fe.onsetAccept(odf))
	var rh rhythm
	if len(f.Onsets) >= minTempoOnsets {
		rh = estimateTempo(fe.onset, fe.snareFlux(), fe.frameRate, buf.Duration())
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	f.Type = decideType(h.Meta, buf.Duration(), f.Onsets, env, rh, fe)
	// One-shots need a root note; for loops the pitch only feeds the similarity vector.
	frames := 8
	if f.Type == TypeLoop {
		frames = 4
	}
	pitch := estimatePitch(mono, sr, env, fe, frames)
	tonal := fe.tonal()
	f.modelInput = classFeatures(fe, env, pitch, tonal, f.Onsets, rh, buf.Duration())
	cls := classify(f.Type, env, &f.modelInput)
	f.Category = cls.category
	f.CategoryConfidence = round(cls.confidence, 0.001)

	assignTempo(f, h, rh)
	assignKey(f, h, tonal, pitch)
	f.Similarity = similarityVector(fe, odf, env, pitch, tonal, rh, f, buf.Duration())
	return f, nil
}

// round rounds v to a multiple of step (JSON readability; also keeps outputs stable across
// platforms' last-bit differences) and maps NaN/±Inf to 0.
func round(v, step float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	r := math.Round(v/step) * step
	// Remove representation noise such as 0.30000000000000004.
	digits := -math.Floor(math.Log10(step))
	if digits > 0 {
		p := math.Pow(10, digits)
		r = math.Round(r*p) / p
	}
	return r
}

func ptr[T any](v T) *T { return &v }

// sanitize returns buf, or a copy with NaN and ±Inf samples replaced by 0 and values clipped
// to ±4 (12 dB over full scale) when any sample is out of that range, so a damaged float
// file cannot poison every measurement.
func sanitize(buf *audio.Buffer) *audio.Buffer {
	bad := false
	for _, ch := range buf.Data {
		for _, v := range ch {
			if !(v >= -4 && v <= 4) {
				bad = true
				break
			}
		}
	}
	if !bad {
		return buf
	}
	out := &audio.Buffer{SampleRate: buf.SampleRate, Data: make([][]float32, len(buf.Data))}
	for c, ch := range buf.Data {
		d := make([]float32, len(ch))
		for i, v := range ch {
			switch {
			case v != v:
				d[i] = 0
			case v > 4:
				d[i] = 4
			case v < -4:
				d[i] = -4
			default:
				d[i] = v
			}
		}
		out.Data[c] = d
	}
	return out
}
