package audio

import (
	"errors"
	"fmt"
	"io"

	"github.com/jfreymuth/oggvorbis"
)

// decodeOgg decodes Ogg Vorbis with jfreymuth/oggvorbis and reads BPM/TEMPO and KEY/INITIALKEY
// from its comment header. A stream cut short keeps the samples decoded before the cut.
func decodeOgg(src *io.SectionReader, lim limits) (buf *Buffer, md Metadata, err error) {
	defer recoverTo(&err, "ogg")
	md = newMetadata()
	r, err := oggvorbis.NewReader(struct{ io.Reader }{io.NewSectionReader(src, 0, src.Size())})
	if err != nil {
		return nil, Metadata{}, fmt.Errorf("ogg: %v: %w", err, ErrMalformed)
	}
	ch, rate := r.Channels(), r.SampleRate()
	if ch < 1 || ch > maxChannels || rate < 1 || rate > maxSampleRate {
		return nil, Metadata{}, malformed("ogg: %d channels at %d Hz", ch, rate)
	}
	applyVorbisComments(r.CommentHeader().Comments, &md)
	out := newPlanar(ch, 0, lim)
	raw := make([]float32, 4096*ch)
	for idle := 0; idle < 64; {
		n, rerr := r.Read(raw)
		if n == 0 && rerr == nil {
			idle++ // a reader that makes no progress must not spin forever
			continue
		}
		idle = 0
		frames := n / ch
		if err := out.grow(frames); err != nil {
			return nil, Metadata{}, fmt.Errorf("ogg: %w", err)
		}
		for c := range ch {
			dst := out.extend(c, frames)
			for i := range dst {
				dst[i] = raw[i*ch+c]
			}
		}
		if rerr != nil {
			if errors.Is(rerr, io.EOF) {
				break
			}
			if errors.Is(rerr, io.ErrUnexpectedEOF) && out.frames() > 0 {
				break
			}
			return nil, Metadata{}, fmt.Errorf("ogg: %v: %w", rerr, ErrMalformed)
		}
	}
	if out.frames() == 0 {
		return nil, Metadata{}, malformed("ogg: no audio")
	}
	return out.buffer(rate), md, nil
}
