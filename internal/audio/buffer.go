package audio

import "fmt"

// Format names a container/codec detected from a file's magic bytes.
type Format string

// The formats the library accepts.
const (
	FormatWAV  Format = "wav"
	FormatAIFF Format = "aiff"
	FormatMP3  Format = "mp3"
	FormatFLAC Format = "flac"
	FormatOGG  Format = "ogg"
)

// Buffer is decoded audio held planar: Data[c][i] is frame i of channel c, as float32 in
// [-1, 1] (full scale). Planar keeps per-channel DSP (resampling, filtering) simple and lets a
// mono mix-down reuse a channel slice without copying. Every channel has exactly Frames samples.
type Buffer struct {
	SampleRate int
	Data       [][]float32
}

// Channels is the number of channels.
func (b *Buffer) Channels() int { return len(b.Data) }

// Frames is the number of frames (samples per channel).
func (b *Buffer) Frames() int {
	if len(b.Data) == 0 {
		return 0
	}
	return len(b.Data[0])
}

// Duration is the length in seconds.
func (b *Buffer) Duration() float64 {
	if b.SampleRate <= 0 {
		return 0
	}
	return float64(b.Frames()) / float64(b.SampleRate)
}

// Validate reports whether the buffer is internally consistent.
func (b *Buffer) Validate() error {
	if b.SampleRate <= 0 {
		return fmt.Errorf("audio: invalid sample rate %d", b.SampleRate)
	}
	if len(b.Data) == 0 {
		return fmt.Errorf("audio: no channels")
	}
	n := len(b.Data[0])
	for c, ch := range b.Data {
		if len(ch) != n {
			return fmt.Errorf("audio: channel %d has %d frames, want %d", c, len(ch), n)
		}
	}
	return nil
}

// NewBuffer allocates a silent buffer.
func NewBuffer(sampleRate, channels, frames int) *Buffer {
	b := &Buffer{SampleRate: sampleRate, Data: make([][]float32, channels)}
	for c := range b.Data {
		b.Data[c] = make([]float32, frames)
	}
	return b
}

// Region returns frames [start, end) of the buffer, sharing its memory (a write to one shows in
// the other). A range that is empty or outside the buffer is an error.
func (b *Buffer) Region(start, end int64) (*Buffer, error) {
	if start < 0 || end <= start || end > int64(b.Frames()) {
		return nil, fmt.Errorf("audio: frames %d–%d are outside the %d frames of the audio", start, end, b.Frames())
	}
	out := &Buffer{SampleRate: b.SampleRate, Data: make([][]float32, len(b.Data))}
	for c, ch := range b.Data {
		out.Data[c] = ch[start:end:end]
	}
	return out, nil
}

// Mono returns the channel average. For a mono buffer it returns the channel itself (no copy).
func (b *Buffer) Mono() []float32 {
	switch len(b.Data) {
	case 0:
		return nil
	case 1:
		return b.Data[0]
	}
	out := make([]float32, b.Frames())
	scale := 1 / float32(len(b.Data))
	if len(b.Data) == 2 { // the common case in one pass; the same sums as below
		l, r := b.Data[0][:len(out)], b.Data[1][:len(out)]
		for i := range out {
			out[i] = (l[i] + r[i]) * scale
		}
		return out
	}
	for _, ch := range b.Data {
		for i, v := range ch {
			out[i] += v
		}
	}
	for i := range out {
		out[i] *= scale
	}
	return out
}

// Loop is a sustain loop from a smpl chunk, in frames (End inclusive, as the chunk stores it).
type Loop struct {
	Start, End int
}

// Metadata is what a file says about itself beyond the samples.
type Metadata struct {
	Format     Format
	BitDepth   int  // source bits per sample (0 for lossy codecs)
	Float      bool // source samples were floating point
	SourceTags map[string]string

	// Tempo in BPM from acid chunks, ID3 TBPM or Vorbis BPM comments; 0 when absent.
	TempoBPM float64
	// Key as written in ID3 TKEY / Vorbis KEY (free text, e.g. "Am", "F#m"); empty when absent.
	Key string
	// RootNote is a MIDI note number from acid or smpl chunks; -1 when absent.
	RootNote int
	// OneShot is true when an acid chunk marks the file as a one-shot.
	OneShot bool
	// Beats is the acid chunk's beat count; 0 when absent.
	Beats int
	Loops []Loop
	// RLNDPad is the SP-404SX pad index from an RLND chunk; -1 when absent.
	RLNDPad int
}
