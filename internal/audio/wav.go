package audio

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode/utf8"
)

// WAVE format tags from the fmt chunk (mmreg.h).
const (
	wavFormatPCM        = 0x0001
	wavFormatFloat      = 0x0003
	wavFormatALaw       = 0x0006
	wavFormatULaw       = 0x0007
	wavFormatExtensible = 0xFFFE
)

// wavGUIDSuffix is bytes 2..16 of every KSDATAFORMAT_SUBTYPE_* GUID; the first two bytes carry
// the plain format tag.
var wavGUIDSuffix = [14]byte{0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71}

// Structural limits shared by the WAV and AIFF readers.
const (
	maxChannels   = 32
	maxSampleRate = 1536000
	// maxMetaChunk bounds how much of a metadata chunk is read into memory: INFO lists and
	// acid/smpl/RLND chunks are tiny, and a larger one is skipped rather than trusted.
	maxMetaChunk = 1 << 20
	// streamingSize is the data size a streaming writer leaves when it cannot seek back.
	streamingSize = 0xFFFFFFFF
)

// wavFmt is the parsed fmt chunk.
type wavFmt struct {
	channels int
	rate     int
	bits     int
	kind     pcmKind
	float    bool
}

// decodeWAV reads a RIFF/WAVE file. It walks the chunk list once, reading the small chunks it
// understands and seeking past the rest, then decodes the data chunk, whose length is bounded
// by the bytes actually present after it.
func decodeWAV(src *io.SectionReader, lim limits) (*Buffer, Metadata, error) {
	md := newMetadata()
	size := src.Size()
	var (
		f       *wavFmt
		dataOff int64 = -1
		dataLen int64
		hdr     [8]byte
	)
	acidRoot := false
	for pos := int64(12); pos+8 <= size; {
		if _, err := src.ReadAt(hdr[:], pos); err != nil {
			return nil, Metadata{}, fmt.Errorf("wav: read chunk header at %d: %w", pos, err)
		}
		id := string(hdr[0:4])
		n := int64(binary.LittleEndian.Uint32(hdr[4:8]))
		body := pos + 8
		avail := size - body
		switch id {
		case "fmt ":
			b, err := readAtMost(src, body, min(n, 256))
			if err != nil {
				return nil, Metadata{}, fmt.Errorf("wav: read fmt: %w", err)
			}
			if f, err = parseWAVFmt(b); err != nil {
				return nil, Metadata{}, err
			}
		case "data":
			if dataOff >= 0 {
				break // only the first data chunk is audio
			}
			dataOff = body
			if n == streamingSize || n > avail {
				// A streaming writer's placeholder or a truncated file: the audio runs to
				// the end of what is really there, and no chunk can follow it.
				dataLen = avail
				n = avail
			} else {
				dataLen = n
			}
		case "LIST", "acid", "smpl", "inst", "RLND":
			if n > maxMetaChunk {
				break
			}
			b, err := readAtMost(src, body, n)
			if err != nil {
				return nil, Metadata{}, fmt.Errorf("wav: read %s: %w", id, err)
			}
			parseWAVMeta(id, b, &md, &acidRoot)
		}
		if n > avail {
			break // the chunk runs past the end of the file; nothing can follow it
		}
		pos = body + n + n&1
	}
	if f == nil {
		return nil, Metadata{}, malformed("wav: no fmt chunk")
	}
	if dataOff < 0 {
		return nil, Metadata{}, malformed("wav: no data chunk")
	}
	data, err := readPCM(src, dataOff, dataLen, f.channels, f.kind, lim)
	if err != nil {
		return nil, Metadata{}, fmt.Errorf("wav: %w", err)
	}
	md.BitDepth = f.bits
	md.Float = f.float
	return &Buffer{SampleRate: f.rate, Data: data}, md, nil
}

// parseWAVFmt validates a fmt chunk and picks the sample decoder.
func parseWAVFmt(b []byte) (*wavFmt, error) {
	if len(b) < 16 {
		return nil, malformed("wav: fmt chunk of %d bytes", len(b))
	}
	tag := binary.LittleEndian.Uint16(b[0:])
	f := &wavFmt{
		channels: int(binary.LittleEndian.Uint16(b[2:])),
		rate:     int(binary.LittleEndian.Uint32(b[4:])),
		bits:     int(binary.LittleEndian.Uint16(b[14:])),
	}
	blockAlign := int(binary.LittleEndian.Uint16(b[12:]))
	if f.channels < 1 || f.channels > maxChannels {
		return nil, malformed("wav: %d channels", f.channels)
	}
	if f.rate < 1 || f.rate > maxSampleRate {
		return nil, malformed("wav: sample rate %d", f.rate)
	}
	if tag == wavFormatExtensible {
		if len(b) < 40 {
			return nil, malformed("wav: extensible fmt chunk of %d bytes", len(b))
		}
		if [14]byte(b[26:40]) != wavGUIDSuffix {
			return nil, fmt.Errorf("wav: sub-format GUID % x: %w", b[24:40], ErrUnsupportedFormat)
		}
		tag = binary.LittleEndian.Uint16(b[24:])
		if valid := int(binary.LittleEndian.Uint16(b[18:])); valid > 0 && valid <= f.bits {
			f.bits = valid
		}
	}
	// The container size normally follows from the bit depth; a block align that describes a
	// wider container (24 valid bits in 4 bytes) wins when it is consistent.
	width := (f.bits + 7) / 8
	if blockAlign > 0 && blockAlign%f.channels == 0 {
		if w := blockAlign / f.channels; w >= width && w <= 8 {
			width = w
		}
	}
	switch tag {
	case wavFormatPCM:
		f.kind = intKind(width, false)
		if f.kind == 0 || f.bits < 1 {
			return nil, malformed("wav: %d-bit PCM in %d-byte samples", f.bits, width)
		}
		if width == 1 {
			f.kind = pcmU8 // 8-bit WAV is unsigned
		}
	case wavFormatFloat:
		switch width {
		case 4:
			f.kind = pcmF32LE
		case 8:
			f.kind = pcmF64LE
		default:
			return nil, malformed("wav: %d-bit float", f.bits)
		}
		f.float = true
	case wavFormatALaw, wavFormatULaw:
		if width != 1 {
			return nil, malformed("wav: G.711 in %d-byte samples", width)
		}
		f.kind = pcmALaw
		if tag == wavFormatULaw {
			f.kind = pcmULaw
		}
		f.bits = 8
	default:
		return nil, fmt.Errorf("wav: format tag 0x%04x: %w", tag, ErrUnsupportedFormat)
	}
	return f, nil
}

// riffInfoNames maps RIFF INFO ids to the tag names shared with ID3, Vorbis comments and AIFF.
var riffInfoNames = map[string]string{
	"INAM": "title", "IART": "artist", "ICMT": "comment", "IGNR": "genre", "ICRD": "date",
	"ISFT": "software", "ICOP": "copyright", "IPRD": "album", "IKEY": "keywords",
	"ITRK": "track", "IENG": "engineer", "ISBJ": "subject", "ISRC": "source",
}

// parseWAVMeta reads the metadata chunks. Malformed metadata never fails a decode: the audio is
// what the user needs, so short or odd chunks are ignored field by field.
func parseWAVMeta(id string, b []byte, md *Metadata, acidRoot *bool) {
	le := binary.LittleEndian
	switch id {
	case "LIST":
		if len(b) < 4 || string(b[0:4]) != "INFO" {
			return
		}
		for p := 4; p+8 <= len(b); {
			sid := string(b[p : p+4])
			n := int(le.Uint32(b[p+4:]))
			start := p + 8
			end := start + min(n, len(b)-start)
			name, ok := riffInfoNames[sid]
			if !ok && isFourCC(sid) {
				name = strings.ToLower(strings.TrimSpace(sid))
			}
			setTag(md, name, textValue(b[start:end]))
			if n > len(b)-start {
				break
			}
			p = end + n&1
		}
	case "acid":
		// acid: flags u32, root note u16, u16, f32, beats u32, meter u16 u16, tempo f32.
		if len(b) < 24 {
			return
		}
		flags := le.Uint32(b[0:])
		md.OneShot = flags&0x01 != 0
		if root := int(le.Uint16(b[4:])); flags&0x02 != 0 && root <= 127 {
			md.RootNote = root
			*acidRoot = true
		}
		if beats := le.Uint32(b[12:]); beats <= 1<<16 {
			md.Beats = int(beats)
		}
		setTempo(md, float64(math.Float32frombits(le.Uint32(b[20:]))))
	case "smpl":
		// smpl: manufacturer, product, period, unity note, pitch fraction, SMPTE format and
		// offset, loop count, sampler data (9 × u32), then 24-byte loops.
		if len(b) < 36 {
			return
		}
		if note := le.Uint32(b[12:]); note <= 127 && !*acidRoot {
			md.RootNote = int(note)
		}
		count := int(min(le.Uint32(b[28:]), uint32((len(b)-36)/24)))
		for i := range count {
			l := b[36+24*i:]
			start, end := le.Uint32(l[8:]), le.Uint32(l[12:])
			if start <= end && end <= math.MaxInt32 {
				md.Loops = append(md.Loops, Loop{Start: int(start), End: int(end)})
			}
		}
	case "inst":
		// inst: unshifted note, fine tune, gain, note and velocity ranges.
		if len(b) >= 1 && b[0] <= 127 && md.RootNote < 0 {
			md.RootNote = int(b[0])
		}
	case "RLND":
		md.RLNDPad = rlndPad(b)
	}
}

// rlndPad reads the SP-404SX pad index from an RLND payload: an 8-byte device id such as
// "roifspsx", 4 bytes, then the pad index (bank×12 + pad − 1). It returns -1 when the payload
// is too short or the index is beyond J12.
func rlndPad(b []byte) int {
	if len(b) < 13 || b[12] >= 120 {
		return -1
	}
	return int(b[12])
}

// isFourCC reports whether id is printable ASCII, so binary junk never becomes a tag name.
func isFourCC(id string) bool {
	for i := 0; i < len(id); i++ {
		if id[i] < 0x20 || id[i] > 0x7E {
			return false
		}
	}
	return true
}

// setTempo records a tempo from metadata when it is a plausible musical value.
func setTempo(md *Metadata, bpm float64) {
	if bpm > 0 && bpm < 1000 && !math.IsInf(bpm, 0) {
		md.TempoBPM = bpm
	}
}

// setTag records a non-empty tag value, keeping the first value of a repeated name.
func setTag(md *Metadata, name, value string) {
	if name == "" || value == "" {
		return
	}
	if md.SourceTags == nil {
		md.SourceTags = make(map[string]string)
	}
	if _, ok := md.SourceTags[name]; !ok {
		md.SourceTags[name] = value
	}
}

// textValue turns a NUL-terminated text field into a string. Bytes that are not UTF-8 are
// read as Latin-1, the usual encoding of older RIFF and AIFF writers.
func textValue(b []byte) string {
	for i, c := range b {
		if c == 0 {
			b = b[:i]
			break
		}
	}
	if utf8.Valid(b) {
		return strings.TrimSpace(string(b))
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return strings.TrimSpace(string(r))
}
