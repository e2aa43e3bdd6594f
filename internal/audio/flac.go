package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/mewkiz/flac"
)

// flacVorbisComment is the metadata block type of a VORBIS_COMMENT block.
const flacVorbisComment = 4

// decodeFLAC decodes a FLAC stream with mewkiz/flac.
//
// The metadata blocks are walked here rather than by flac.Parse, which allocates picture and
// application blocks from their declared lengths; only the Vorbis comment block is read, and
// only when its length fits in the file. Audio frames are then decoded with flac.New, which
// skips the metadata itself. A stream cut short after at least one whole frame keeps the frames
// that arrived.
func decodeFLAC(src *io.SectionReader, lim limits) (buf *Buffer, md Metadata, err error) {
	defer recoverTo(&err, "flac")
	md = newMetadata()
	size := src.Size()
	for pos := int64(4); pos+4 <= size; {
		var h [4]byte
		if _, err := src.ReadAt(h[:], pos); err != nil {
			return nil, Metadata{}, fmt.Errorf("flac: read metadata header: %w", err)
		}
		last := h[0]&0x80 != 0
		n := int64(binary.BigEndian.Uint32(h[:]) & 0xFFFFFF)
		if h[0]&0x7F == flacVorbisComment && n <= size-pos-4 {
			b, err := readAtMost(src, pos+4, n)
			if err != nil {
				return nil, Metadata{}, fmt.Errorf("flac: read comments: %w", err)
			}
			applyVorbisComments(parseVorbisCommentBlock(b), &md)
		}
		pos += 4 + n
		if last {
			break
		}
	}

	// Hiding Seek keeps the library on its streaming path, which reads each byte once.
	stream, err := flac.New(struct{ io.Reader }{io.NewSectionReader(src, 0, size)})
	if err != nil {
		return nil, Metadata{}, fmt.Errorf("flac: %v: %w", err, ErrMalformed)
	}
	defer stream.Close()
	info := stream.Info
	ch := int(info.NChannels)
	if ch < 1 || ch > 8 || info.SampleRate < 1 || info.SampleRate > maxSampleRate ||
		info.BitsPerSample < 4 || info.BitsPerSample > 32 {
		return nil, Metadata{}, malformed("flac: stream info: %d channels, %d Hz, %d bits",
			ch, info.SampleRate, info.BitsPerSample)
	}
	out := newPlanar(ch, int64(min(info.NSamples, 1<<40)), lim)
	for {
		f, err := stream.ParseNext()
		if err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			if errors.Is(err, io.ErrUnexpectedEOF) && out.frames() > 0 {
				break // truncated file: keep the whole frames decoded so far
			}
			return nil, Metadata{}, fmt.Errorf("flac: frame %d: %v: %w", out.frames(), err, ErrMalformed)
		}
		if len(f.Subframes) != ch {
			return nil, Metadata{}, malformed("flac: frame with %d channels in a %d-channel stream", len(f.Subframes), ch)
		}
		bps := f.BitsPerSample
		if bps == 0 || bps > 32 {
			return nil, Metadata{}, malformed("flac: frame with %d bits per sample", bps)
		}
		n := int(f.BlockSize)
		if err := out.grow(n); err != nil {
			return nil, Metadata{}, fmt.Errorf("flac: %w", err)
		}
		scale := 1 / float64(uint64(1)<<(bps-1))
		for c, sub := range f.Subframes {
			if len(sub.Samples) < n {
				return nil, Metadata{}, malformed("flac: subframe of %d samples in a %d-sample block", len(sub.Samples), n)
			}
			dst := out.extend(c, n)
			for i, s := range sub.Samples[:n] {
				dst[i] = float32(float64(s) * scale)
			}
		}
	}
	if out.frames() == 0 {
		return nil, Metadata{}, malformed("flac: no audio frames")
	}
	md.BitDepth = int(info.BitsPerSample)
	return out.buffer(int(info.SampleRate)), md, nil
}
