package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/hajimehoshi/go-mp3"
)

// mp3DecoderDelay is the delay, in samples, that the MPEG Layer III synthesis filterbank adds at
// the start of every decoder's output (528 samples of filter delay plus one). LAME's gapless
// convention stores only the encoder's own delay in its tag and expects players to add this.
const mp3DecoderDelay = 529

// maxMP3Tags bounds how many stacked ID3v2 tags are skipped before the first frame.
const maxMP3Tags = 8

// mp3Sync bounds the search for the first frame after the tags, so a file that merely starts
// with an ID3 tag is not scanned end to end.
const mp3Sync = 64 << 10

// xingInfo is what a Xing/Info frame and its LAME extension say about the stream.
type xingInfo struct {
	frames     int64 // audio frames after the Info frame; -1 when absent
	delay      int   // encoder delay in samples; -1 when there is no LAME tag
	padding    int   // samples of padding at the end
	hasGapless bool
}

// decodeMP3 decodes MPEG-1/2 Layer III with our decoder (mp3layer3.go), or with go-mp3 for a
// stream that uses intensity stereo.
//
// The output keeps the channel count of the first frame header. A VBR or LAME encoder writes a
// Xing/Info frame first, which is not audio: this reader parses it, starts decoding on the frame
// after it, and applies LAME's gapless rule: drop encoder delay + 529 samples from the start and
// keep frames × samples-per-frame − delay − padding samples. Without a LAME tag nothing is
// trimmed, since the encoder delay is unknown.
func decodeMP3(src *io.SectionReader, lim limits) (buf *Buffer, md Metadata, err error) {
	defer recoverTo(&err, "mp3")
	md = newMetadata()
	size := src.Size()
	pos := int64(0)
	for range maxMP3Tags {
		var hb [10]byte
		if k, _ := src.ReadAt(hb[:], pos); k < 10 {
			break
		}
		h, ok := parseID3v2Header(hb[:])
		if !ok {
			break
		}
		if h.size <= maxID3Tag {
			body, err := readAtMost(src, pos+10, h.size)
			if err != nil {
				return nil, Metadata{}, fmt.Errorf("mp3: read id3 tag: %w", err)
			}
			parseID3v2(h, body, &md)
		}
		pos += h.total
	}
	end := size
	if end-pos >= 128 {
		var tb [3]byte
		if _, err := src.ReadAt(tb[:], end-128); err == nil && string(tb[:]) == "TAG" {
			end -= 128 // ID3v1 trailer
		}
	}
	if pos >= end {
		return nil, Metadata{}, malformed("mp3: no audio after the id3 tag")
	}

	start, first, err := findMP3Frame(src, pos, end)
	if err != nil {
		return nil, Metadata{}, err
	}
	if first.version == 25 {
		return nil, Metadata{}, fmt.Errorf("mp3: MPEG-2.5: %w", ErrUnsupportedFormat)
	}
	head, err := readAtMost(src, start, int64(first.frameSize))
	if err != nil {
		return nil, Metadata{}, fmt.Errorf("mp3: read first frame: %w", err)
	}
	xing, isXing := parseXing(head, first)
	if isXing {
		start += int64(first.frameSize)
	}

	channels := first.channels()
	// The Xing frame count, or a constant-bitrate estimate, sizes the output; Layer III holds at
	// most 24 samples per byte (MPEG-2 at 8 kbit/s), which bounds a lying count.
	frames := xing.frames
	if frames <= 0 {
		frames = (end - start) / int64(first.frameSize)
	}
	out := newPlanar(channels, plausibleFrames((frames+1)*int64(first.samples), end-start, 24), lim)
	err = newMP3Layer3(first, mp3TablesOnce()).decode(src, start, end, out)
	if errors.Is(err, errMP3Fallback) {
		out = newPlanar(channels, int64(out.frames()), lim)
		err = decodeGoMP3(src, start, end, out)
	}
	if err != nil {
		return nil, Metadata{}, err
	}
	if out.frames() == 0 {
		return nil, Metadata{}, malformed("mp3: no audio frames")
	}
	if xing.hasGapless {
		trimGapless(out.data, xing, first.samples)
	}
	return out.buffer(first.sampleRate), md, nil
}

// decodeGoMP3 decodes with go-mp3, for the streams our decoder leaves to it. go-mp3 always
// writes 16-bit stereo; a mono stream keeps its left channel.
func decodeGoMP3(src *io.SectionReader, start, end int64, out *planar) (err error) {
	defer recoverTo(&err, "mp3 fallback (go-mp3)")
	dec, err := mp3.NewDecoder(struct{ io.Reader }{io.NewSectionReader(src, start, end-start)})
	if err != nil {
		if errors.Is(err, io.EOF) {
			return malformed("mp3: no audio frames")
		}
		return fmt.Errorf("mp3: %v: %w", err, ErrMalformed)
	}
	raw := make([]byte, 16<<10)
	for {
		n, rerr := io.ReadFull(dec, raw)
		frames := n / 4
		if err := out.grow(frames); err != nil {
			return fmt.Errorf("mp3: %w", err)
		}
		// go-mp3 writes interleaved 16-bit stereo; a mono stream's right channel is a copy.
		for c := range out.data {
			dst := out.extend(c, frames)
			for i := range dst {
				dst[i] = float32(int16(binary.LittleEndian.Uint16(raw[4*i+2*c:]))) * scale16
			}
		}
		if rerr != nil {
			if errors.Is(rerr, io.EOF) || errors.Is(rerr, io.ErrUnexpectedEOF) {
				return nil
			}
			return fmt.Errorf("mp3: %v: %w", rerr, ErrMalformed)
		}
	}
}

// findMP3Frame finds the first Layer III frame header at or after pos that is followed by
// another header with the same version and rate (or by the end of the audio), the usual way to
// avoid locking onto a stray 0xFFE pattern in junk before the stream.
func findMP3Frame(src *io.SectionReader, pos, end int64) (int64, mp3Header, error) {
	win, err := readAtMost(src, pos, min(end-pos, mp3Sync+4096))
	if err != nil {
		return 0, mp3Header{}, fmt.Errorf("mp3: read: %w", err)
	}
	limit := min(len(win), mp3Sync)
	for i := 0; i+4 <= limit; i++ {
		h, ok := parseMP3Header(win[i:])
		if !ok || h.frameSize <= 4 {
			continue
		}
		next := i + h.frameSize
		if pos+int64(next) >= end {
			return pos + int64(i), h, nil
		}
		if next+4 <= len(win) {
			if n, ok := parseMP3Header(win[next:]); ok && n.version == h.version && n.sampleRate == h.sampleRate {
				return pos + int64(i), h, nil
			}
		}
	}
	// An ID3 tag in front of something else (ADTS AAC is the usual case) is a format we do
	// not read, not a broken MP3.
	return 0, mp3Header{}, fmt.Errorf("mp3: no Layer III frame sync: %w", ErrUnsupportedFormat)
}

// parseXing reads a Xing/Info header (and LAME extension) from a whole first frame. The LAME
// extension starts right after the Xing fields: a 9-byte encoder string, then at offset 21 the
// 12-bit encoder delay and 12-bit padding.
func parseXing(frame []byte, h mp3Header) (xingInfo, bool) {
	info := xingInfo{frames: -1, delay: -1}
	off := 4 + h.sideInfo
	if h.crc {
		off += 2
	}
	if len(frame) < off+8 {
		return info, false
	}
	tag := string(frame[off : off+4])
	if tag != "Xing" && tag != "Info" {
		return info, false
	}
	flags := binary.BigEndian.Uint32(frame[off+4:])
	p := off + 8
	if flags&1 != 0 {
		if len(frame) < p+4 {
			return info, true
		}
		info.frames = int64(binary.BigEndian.Uint32(frame[p:]))
		p += 4
	}
	if flags&2 != 0 {
		p += 4
	}
	if flags&4 != 0 {
		p += 100
	}
	if flags&8 != 0 {
		p += 4
	}
	if len(frame) < p+24 {
		return info, true
	}
	enc := frame[p : p+4]
	for _, c := range enc {
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.') {
			return info, true // no LAME extension, so no gapless information
		}
	}
	d := frame[p+21:]
	info.delay = int(d[0])<<4 | int(d[1])>>4
	info.padding = int(d[1]&0x0F)<<8 | int(d[2])
	info.hasGapless = true
	return info, true
}

// trimGapless cuts encoder delay, decoder delay and padding from the decoded channels.
func trimGapless(data [][]float32, x xingInfo, samplesPerFrame int) {
	have := len(data[0])
	skip := min(x.delay+mp3DecoderDelay, have)
	keep := have - skip
	if x.frames >= 0 {
		want := x.frames*int64(samplesPerFrame) - int64(x.delay) - int64(x.padding)
		keep = int(max(min(int64(keep), want), 0))
	} else {
		keep = max(keep-max(x.padding-mp3DecoderDelay, 0), 0)
	}
	for c := range data {
		data[c] = data[c][skip : skip+keep]
	}
}
