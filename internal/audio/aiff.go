package audio

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"math/bits"
)

// decodeAIFF reads an AIFF or AIFC file. Like the WAV reader it walks the chunks first and
// decodes the sound data last, because AIFF allows SSND before COMM.
func decodeAIFF(src *io.SectionReader, lim limits) (*Buffer, Metadata, error) {
	md := newMetadata()
	size := src.Size()
	var hdr [12]byte
	if k, _ := src.ReadAt(hdr[:], 0); k < len(hdr) {
		return nil, Metadata{}, malformed("aiff: header of %d bytes", k)
	}
	aifc := string(hdr[8:12]) == "AIFC"
	var (
		comm      *aiffComm
		dataOff   int64 = -1
		dataLen   int64
		markers   = map[uint16]uint32{}
		sustain   [2]uint16
		hasLoop   bool
		chunkHead [8]byte
	)
	for pos := int64(12); pos+8 <= size; {
		if _, err := src.ReadAt(chunkHead[:], pos); err != nil {
			return nil, Metadata{}, fmt.Errorf("aiff: read chunk header at %d: %w", pos, err)
		}
		id := string(chunkHead[0:4])
		n := int64(binary.BigEndian.Uint32(chunkHead[4:8]))
		body := pos + 8
		avail := size - body
		switch id {
		case "COMM":
			b, err := readAtMost(src, body, min(n, 256))
			if err != nil {
				return nil, Metadata{}, fmt.Errorf("aiff: read COMM: %w", err)
			}
			if comm, err = parseAIFFComm(b, aifc); err != nil {
				return nil, Metadata{}, err
			}
		case "SSND":
			if dataOff >= 0 {
				break
			}
			b, err := readAtMost(src, body, 8)
			if err != nil {
				return nil, Metadata{}, fmt.Errorf("aiff: read SSND: %w", err)
			}
			if len(b) < 8 {
				return nil, Metadata{}, malformed("aiff: SSND chunk of %d bytes", len(b))
			}
			if n == streamingSize || n > avail {
				n = avail
			}
			// The offset skips alignment padding before the first sample frame; block
			// size only advises on alignment and does not affect reading.
			offset := int64(binary.BigEndian.Uint32(b[0:4]))
			dataOff = body + 8 + offset
			dataLen = max(n-8-offset, 0)
		case "MARK", "INST", "APPL", "NAME", "AUTH", "ANNO", "(c) ":
			if n > maxMetaChunk {
				break
			}
			b, err := readAtMost(src, body, n)
			if err != nil {
				return nil, Metadata{}, fmt.Errorf("aiff: read %s: %w", id, err)
			}
			switch id {
			case "MARK":
				parseAIFFMarkers(b, markers)
			case "INST":
				// INST: base note, detune, note and velocity ranges, gain (i16), then the
				// sustain loop as play mode, begin marker id, end marker id.
				if len(b) >= 14 {
					if b[0] <= 127 {
						md.RootNote = int(b[0])
					}
					mode := binary.BigEndian.Uint16(b[8:])
					sustain = [2]uint16{binary.BigEndian.Uint16(b[10:]), binary.BigEndian.Uint16(b[12:])}
					hasLoop = mode != 0
				}
			case "APPL":
				// The SP-404SX writes its RLND block as an application chunk with the
				// signature "RLND" followed by the same payload as the WAV chunk.
				if len(b) >= 4 && string(b[0:4]) == "RLND" {
					md.RLNDPad = rlndPad(b[4:])
				}
			case "NAME":
				setTag(&md, "title", textValue(b))
			case "AUTH":
				setTag(&md, "artist", textValue(b))
			case "ANNO":
				setTag(&md, "comment", textValue(b))
			case "(c) ":
				setTag(&md, "copyright", textValue(b))
			}
		}
		if n > avail {
			break
		}
		pos = body + n + n&1
	}
	if comm == nil {
		return nil, Metadata{}, malformed("aiff: no COMM chunk")
	}
	if dataOff < 0 {
		return nil, Metadata{}, malformed("aiff: no SSND chunk")
	}
	// COMM's frame count is authoritative for how much of SSND is audio, but it can only
	// shorten what is read, never extend it past the bytes present.
	block := int64(comm.channels * comm.kind.size())
	dataLen = min(dataLen, int64(comm.frames)*block)
	data, err := readPCM(src, dataOff, dataLen, comm.channels, comm.kind, lim)
	if err != nil {
		return nil, Metadata{}, fmt.Errorf("aiff: %w", err)
	}
	if hasLoop {
		start, okS := markers[sustain[0]]
		end, okE := markers[sustain[1]]
		if okS && okE && start < end && end <= math.MaxInt32 {
			md.Loops = append(md.Loops, Loop{Start: int(start), End: int(end) - 1})
		}
	}
	md.BitDepth = comm.bits
	md.Float = comm.float
	return &Buffer{SampleRate: comm.rate, Data: data}, md, nil
}

// aiffComm is the parsed COMM chunk.
type aiffComm struct {
	channels int
	frames   uint32
	bits     int
	rate     int
	kind     pcmKind
	float    bool
}

// parseAIFFComm validates a COMM chunk and picks the sample decoder from the AIFC
// compression type (plain AIFF is always big-endian two's complement).
func parseAIFFComm(b []byte, aifc bool) (*aiffComm, error) {
	if len(b) < 18 {
		return nil, malformed("aiff: COMM chunk of %d bytes", len(b))
	}
	be := binary.BigEndian
	c := &aiffComm{
		channels: int(int16(be.Uint16(b[0:]))),
		frames:   be.Uint32(b[2:]),
		bits:     int(int16(be.Uint16(b[6:]))),
	}
	if c.channels < 1 || c.channels > maxChannels {
		return nil, malformed("aiff: %d channels", c.channels)
	}
	rate := ext80ToFloat(b[8:18])
	if !(rate >= 1 && rate <= maxSampleRate) {
		return nil, malformed("aiff: sample rate %g", rate)
	}
	c.rate = int(math.Round(rate))
	comp := "NONE"
	if aifc {
		if len(b) < 22 {
			return nil, malformed("aiff: AIFC COMM chunk of %d bytes", len(b))
		}
		comp = string(b[18:22])
	}
	width := (c.bits + 7) / 8
	switch comp {
	case "NONE", "twos", "in24", "in32":
		c.kind = intKind(width, true)
	case "sowt":
		c.kind = intKind(width, false)
	case "raw ":
		if width == 1 {
			c.kind = pcmU8
		}
	case "fl32", "FL32":
		c.kind, c.bits, c.float = pcmF32BE, 32, true
	case "fl64", "FL64":
		c.kind, c.bits, c.float = pcmF64BE, 64, true
	case "alaw", "ALAW":
		c.kind, c.bits = pcmALaw, 8
	case "ulaw", "ULAW":
		c.kind, c.bits = pcmULaw, 8
	default:
		return nil, fmt.Errorf("aiff: compression %q: %w", comp, ErrUnsupportedFormat)
	}
	if c.kind == 0 || c.bits < 1 {
		return nil, malformed("aiff: %d-bit samples with compression %q", c.bits, comp)
	}
	return c, nil
}

// intKind picks the signed integer decoder for a sample width in bytes; 0 when unsupported.
func intKind(width int, bigEndian bool) pcmKind {
	switch width {
	case 1:
		return pcmS8
	case 2:
		if bigEndian {
			return pcmS16BE
		}
		return pcmS16LE
	case 3:
		if bigEndian {
			return pcmS24BE
		}
		return pcmS24LE
	case 4:
		if bigEndian {
			return pcmS32BE
		}
		return pcmS32LE
	}
	return 0
}

// parseAIFFMarkers reads a MARK chunk: a count, then id (u16), position (u32) and a Pascal
// string padded to an even length, per marker.
func parseAIFFMarkers(b []byte, into map[uint16]uint32) {
	if len(b) < 2 {
		return
	}
	count := int(binary.BigEndian.Uint16(b))
	p := 2
	for range count {
		if p+7 > len(b) {
			return
		}
		id := binary.BigEndian.Uint16(b[p:])
		into[id] = binary.BigEndian.Uint32(b[p+2:])
		name := 1 + int(b[p+6])
		p += 6 + name + name&1
	}
}

// ext80ToFloat converts an IEEE 754 80-bit extended value (big-endian, explicit integer bit),
// the type AIFF uses for its sample rate. Infinities and NaNs come back as NaN so range checks
// reject them.
func ext80ToFloat(b []byte) float64 {
	se := binary.BigEndian.Uint16(b[0:])
	mant := binary.BigEndian.Uint64(b[2:])
	exp := int(se & 0x7FFF)
	if exp == 0x7FFF {
		return math.NaN()
	}
	if exp == 0 && mant == 0 {
		return 0
	}
	v := math.Ldexp(float64(mant), exp-16383-63)
	if se&0x8000 != 0 {
		v = -v
	}
	return v
}

// floatToExt80 encodes a positive integral sample rate as an 80-bit extended value.
func floatToExt80(rate uint32) [10]byte {
	var out [10]byte
	if rate == 0 {
		return out
	}
	shift := bits.LeadingZeros64(uint64(rate))
	exp := 16383 + 63 - shift
	binary.BigEndian.PutUint16(out[0:], uint16(exp))
	binary.BigEndian.PutUint64(out[2:], uint64(rate)<<shift)
	return out
}
