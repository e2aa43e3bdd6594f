package sp404

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// Layout of the SX sample preamble (spec §2.2). Both the WAV and the AIFF
// form put the audio at byte 512, which PAD_INFO offsets rely on.
const (
	sxDataOffset         = 512
	rlndDevice           = "roifspsx"
	rlndWAVSize          = 458   // RLND chunk body in the WAV form
	rlndAIFFSize         = 0x1C2 // APPL chunk body in the AIFF form
	rlndConst            = 4     // the word after the device id, 04 00 00 00 in the WAV
	sxWAVFmtSize         = 18    // fmt chunk with cbSize = 0, as the real files have
	maxSXInputSize int64 = 1 << 31
)

// SXSample is a decoded SX/A card sample: 16-bit PCM in a RIFF WAVE file
// with an RLND chunk, or in an AIFF file with an RLND APPL chunk.
type SXSample struct {
	Format     SXFormat
	Channels   int
	SampleRate int
	// PadIndex is the pad number stored in the RLND chunk (A1 = 0 …
	// J12 = 119), or -1 when the file has no RLND chunk.
	PadIndex int
	// DataOffset is where the PCM starts in the file; the SX needs 512.
	DataOffset int
	// PCM holds the samples, interleaved L/R for stereo.
	PCM []int16
}

// Frames returns the number of sample frames.
func (s *SXSample) Frames() int {
	if s.Channels <= 0 {
		return 0
	}
	return len(s.PCM) / s.Channels
}

// SXSampleSize returns the file size of an SX sample with frames frames,
// which is also the PAD_INFO end offset of a pad playing it whole.
func SXSampleSize(frames int64, channels int) int64 {
	return sxDataOffset + frames*2*int64(channels)
}

func checkSXArgs(padIndex, channels int, pcm []int16) error {
	if padIndex < 0 || padIndex >= SXPads {
		return fmt.Errorf("pad index %d: want 0 to %d", padIndex, SXPads-1)
	}
	if channels != 1 && channels != 2 {
		return fmt.Errorf("channels %d: want 1 or 2", channels)
	}
	if len(pcm)%channels != 0 {
		return fmt.Errorf("%d samples is not a whole number of %d-channel frames", len(pcm), channels)
	}
	if int64(len(pcm))*2 > math.MaxUint32-sxDataOffset {
		return fmt.Errorf("%d samples do not fit a 32-bit chunk size", len(pcm))
	}
	return nil
}

// WriteRLNDWAV writes a 44.1 kHz 16-bit WAV for SX pad padIndex with the
// exact 512-byte preamble of real card files: an 18-byte fmt chunk with
// cbSize 0, then a 458-byte RLND chunk ("roifspsx", 04 00 00 00, the pad
// index, zeros), then the data chunk header at 504.
func WriteRLNDWAV(w io.Writer, padIndex, channels int, pcm []int16) error {
	if err := checkSXArgs(padIndex, channels, pcm); err != nil {
		return fmt.Errorf("write rlnd wav: %w", err)
	}
	le := binary.LittleEndian
	dataBytes := uint32(2 * len(pcm))
	var h [sxDataOffset]byte
	copy(h[0:], "RIFF")
	le.PutUint32(h[4:], sxDataOffset-8+dataBytes)
	copy(h[8:], "WAVE")
	copy(h[12:], "fmt ")
	le.PutUint32(h[16:], sxWAVFmtSize)
	le.PutUint16(h[20:], 1) // PCM
	le.PutUint16(h[22:], uint16(channels))
	le.PutUint32(h[24:], SXSampleRate)
	le.PutUint32(h[28:], SXSampleRate*2*uint32(channels))
	le.PutUint16(h[32:], uint16(2*channels))
	le.PutUint16(h[34:], 16)
	// h[36:38] is cbSize = 0.
	copy(h[38:], "RLND")
	le.PutUint32(h[42:], rlndWAVSize)
	copy(h[46:], rlndDevice)
	le.PutUint32(h[54:], rlndConst)
	h[58] = byte(padIndex)
	copy(h[504:], "data")
	le.PutUint32(h[508:], dataBytes)
	return writePCM(w, h[:], pcm, le)
}

// WriteRLNDAIFF writes the AIFF form the SX records in: COMM (18 bytes,
// 80-bit rate 44100), an APPL chunk of 0x1C2 bytes holding "RLND",
// "roifspsx", 00 00 00 04 and the pad index, then SSND with offset and block
// size 0, so that the audio again starts at byte 512.
func WriteRLNDAIFF(w io.Writer, padIndex, channels int, pcm []int16) error {
	if err := checkSXArgs(padIndex, channels, pcm); err != nil {
		return fmt.Errorf("write rlnd aiff: %w", err)
	}
	be := binary.BigEndian
	dataBytes := uint32(2 * len(pcm))
	var h [sxDataOffset]byte
	copy(h[0:], "FORM")
	be.PutUint32(h[4:], sxDataOffset-8+dataBytes)
	copy(h[8:], "AIFF")
	copy(h[12:], "COMM")
	be.PutUint32(h[16:], 18)
	be.PutUint16(h[20:], uint16(channels))
	be.PutUint32(h[22:], uint32(len(pcm)/channels))
	be.PutUint16(h[26:], 16)
	putExtended(h[28:38], SXSampleRate)
	copy(h[38:], "APPL")
	be.PutUint32(h[42:], rlndAIFFSize)
	copy(h[46:], "RLND")
	copy(h[50:], rlndDevice)
	be.PutUint32(h[58:], rlndConst)
	h[62] = byte(padIndex)
	copy(h[496:], "SSND")
	be.PutUint32(h[500:], 8+dataBytes)
	// h[504:512] is the SSND offset and block size, both 0.
	return writePCM(w, h[:], pcm, be)
}

func writePCM(w io.Writer, header []byte, pcm []int16, order binary.ByteOrder) error {
	if _, err := w.Write(header); err != nil {
		return fmt.Errorf("write sx sample: %w", err)
	}
	const chunkSamples = 8192
	buf := make([]byte, 2*min(len(pcm), chunkSamples))
	for len(pcm) > 0 {
		n := min(len(pcm), chunkSamples)
		for i, v := range pcm[:n] {
			order.PutUint16(buf[2*i:], uint16(v))
		}
		if _, err := w.Write(buf[:2*n]); err != nil {
			return fmt.Errorf("write sx sample: %w", err)
		}
		pcm = pcm[n:]
	}
	return nil
}

// ReadSXSample reads and decodes an SX card sample (WAV or AIFF). Memory
// grows with the bytes that arrive, not with any size a header claims.
func ReadSXSample(r io.Reader) (*SXSample, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxSXInputSize+1))
	if err != nil {
		return nil, fmt.Errorf("read sx sample: %w", err)
	}
	if int64(len(b)) > maxSXInputSize {
		return nil, fmt.Errorf("read sx sample: larger than %d bytes", maxSXInputSize)
	}
	return DecodeSXSample(b)
}

// DecodeSXSample decodes a RIFF WAVE or AIFF file holding 16-bit PCM, and
// the RLND chunk when present. It accepts any chunk order and extra chunks,
// so it also reads files that are not byte-exact card files; DataOffset
// and PadIndex tell whether the SX would take it.
func DecodeSXSample(b []byte) (*SXSample, error) {
	if len(b) < 12 {
		return nil, fmt.Errorf("decode sx sample: %d bytes is too short", len(b))
	}
	switch {
	case string(b[0:4]) == "RIFF" && string(b[8:12]) == "WAVE":
		s, err := decodeWAV(b)
		if err != nil {
			return nil, fmt.Errorf("decode sx wav: %w", err)
		}
		return s, nil
	case string(b[0:4]) == "FORM" && string(b[8:12]) == "AIFF":
		s, err := decodeAIFF(b)
		if err != nil {
			return nil, fmt.Errorf("decode sx aiff: %w", err)
		}
		return s, nil
	}
	return nil, fmt.Errorf("decode sx sample: not a RIFF/WAVE or FORM/AIFF file (starts % x)", b[:12])
}

// chunk is one RIFF or IFF chunk: its id, body and where the body starts.
type chunk struct {
	id   string
	body []byte
	at   int
}

// walkChunks splits b[12:end] into chunks, where end is the container's
// claimed length clamped to the input. Bodies are padded to even length.
func walkChunks(b []byte, order binary.ByteOrder) ([]chunk, error) {
	end := len(b)
	if claimed := int64(order.Uint32(b[4:])) + 8; claimed < int64(end) {
		end = int(claimed)
	}
	var out []chunk
	for off := 12; off < end; {
		if end-off < 8 {
			return nil, fmt.Errorf("%d stray bytes at %d", end-off, off)
		}
		size := int64(order.Uint32(b[off+4:]))
		if size > int64(end-off-8) {
			return nil, fmt.Errorf("chunk %q at %d claims %d bytes, %d remain", b[off:off+4], off, size, end-off-8)
		}
		body := b[off+8 : off+8+int(size)]
		out = append(out, chunk{id: string(b[off : off+4]), body: body, at: off + 8})
		off += 8 + int(size) + int(size&1)
	}
	return out, nil
}

func decodeWAV(b []byte) (*SXSample, error) {
	chunks, err := walkChunks(b, binary.LittleEndian)
	if err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	s := &SXSample{Format: FormatWAVE, PadIndex: -1}
	var data *chunk
	blockAlign := 0
	for i := range chunks {
		c := &chunks[i]
		switch c.id {
		case "fmt ":
			if len(c.body) < 16 {
				return nil, fmt.Errorf("fmt chunk is %d bytes, want at least 16", len(c.body))
			}
			if tag := le.Uint16(c.body[0:]); tag != 1 {
				return nil, fmt.Errorf("format tag %d, want 1 (PCM)", tag)
			}
			s.Channels = int(le.Uint16(c.body[2:]))
			s.SampleRate = int(le.Uint32(c.body[4:]))
			blockAlign = int(le.Uint16(c.body[12:]))
			if bits := le.Uint16(c.body[14:]); bits != 16 {
				return nil, fmt.Errorf("%d bits per sample, want 16", bits)
			}
		case "RLND":
			idx, err := rlndPadIndex(c.body)
			if err != nil {
				return nil, err
			}
			s.PadIndex = idx
		case "data":
			data = c
		}
	}
	if s.Channels == 0 {
		return nil, fmt.Errorf("no fmt chunk")
	}
	if err := checkSXFormat(s.Channels, s.SampleRate); err != nil {
		return nil, err
	}
	if blockAlign != 2*s.Channels {
		return nil, fmt.Errorf("block align %d, want %d", blockAlign, 2*s.Channels)
	}
	if data == nil {
		return nil, fmt.Errorf("no data chunk")
	}
	s.DataOffset = data.at
	s.PCM, err = pcmFrom(data.body, s.Channels, le)
	if err != nil {
		return nil, err
	}
	return s, nil
}

func decodeAIFF(b []byte) (*SXSample, error) {
	chunks, err := walkChunks(b, binary.BigEndian)
	if err != nil {
		return nil, err
	}
	be := binary.BigEndian
	s := &SXSample{Format: FormatAIFF, PadIndex: -1}
	var ssnd *chunk
	frames := int64(-1)
	for i := range chunks {
		c := &chunks[i]
		switch c.id {
		case "COMM":
			if len(c.body) < 18 {
				return nil, fmt.Errorf("COMM chunk is %d bytes, want 18", len(c.body))
			}
			s.Channels = int(be.Uint16(c.body[0:]))
			frames = int64(be.Uint32(c.body[2:]))
			if bits := be.Uint16(c.body[6:]); bits != 16 {
				return nil, fmt.Errorf("%d bits per sample, want 16", bits)
			}
			rate, ok := extendedToInt(c.body[8:18])
			if !ok {
				return nil, fmt.Errorf("sample rate % x is not a whole number of hertz", c.body[8:18])
			}
			s.SampleRate = rate
		case "APPL":
			if len(c.body) >= 4 && string(c.body[:4]) == "RLND" {
				idx, err := rlndPadIndex(c.body[4:])
				if err != nil {
					return nil, err
				}
				s.PadIndex = idx
			}
		case "SSND":
			ssnd = c
		}
	}
	if frames < 0 {
		return nil, fmt.Errorf("no COMM chunk")
	}
	if err := checkSXFormat(s.Channels, s.SampleRate); err != nil {
		return nil, err
	}
	if ssnd == nil {
		return nil, fmt.Errorf("no SSND chunk")
	}
	if len(ssnd.body) < 8 {
		return nil, fmt.Errorf("SSND chunk is %d bytes, want at least 8", len(ssnd.body))
	}
	offset := int64(be.Uint32(ssnd.body[0:]))
	if offset > int64(len(ssnd.body)-8) {
		return nil, fmt.Errorf("SSND offset %d runs past the chunk", offset)
	}
	audio := ssnd.body[8+offset:]
	want := frames * 2 * int64(s.Channels)
	if want > int64(len(audio)) {
		return nil, fmt.Errorf("COMM claims %d frames, SSND holds %d bytes", frames, len(audio))
	}
	s.DataOffset = ssnd.at + 8 + int(offset)
	s.PCM, err = pcmFrom(audio[:want], s.Channels, be)
	if err != nil {
		return nil, err
	}
	return s, nil
}

// rlndPadIndex reads the body "roifspsx", a 4-byte word, the pad index.
func rlndPadIndex(body []byte) (int, error) {
	if len(body) < len(rlndDevice)+5 {
		return 0, fmt.Errorf("RLND chunk is %d bytes, too short for device id and pad index", len(body))
	}
	if string(body[:len(rlndDevice)]) != rlndDevice {
		return 0, fmt.Errorf("RLND device %q, want %q", body[:len(rlndDevice)], rlndDevice)
	}
	idx := int(body[len(rlndDevice)+4])
	if idx >= SXPads {
		return 0, fmt.Errorf("RLND pad index %d, want 0 to %d", idx, SXPads-1)
	}
	return idx, nil
}

func checkSXFormat(channels, rate int) error {
	if channels != 1 && channels != 2 {
		return fmt.Errorf("%d channels, want 1 or 2", channels)
	}
	if rate <= 0 || rate > 768000 {
		return fmt.Errorf("sample rate %d out of range", rate)
	}
	return nil
}

func pcmFrom(b []byte, channels int, order binary.ByteOrder) ([]int16, error) {
	if len(b)%(2*channels) != 0 {
		return nil, fmt.Errorf("%d audio bytes is not a whole number of %d-channel frames", len(b), channels)
	}
	pcm := make([]int16, len(b)/2)
	for i := range pcm {
		pcm[i] = int16(order.Uint16(b[2*i:]))
	}
	return pcm, nil
}

// putExtended writes v as an IEEE 754 80-bit extended float, the AIFF
// sample-rate encoding.
func putExtended(dst []byte, v uint32) {
	if v == 0 {
		clear(dst[:10])
		return
	}
	exp := 63
	m := uint64(v)
	for m&(1<<63) == 0 {
		m <<= 1
		exp--
	}
	binary.BigEndian.PutUint16(dst, uint16(16383+exp))
	binary.BigEndian.PutUint64(dst[2:], m)
}

// extendedToInt decodes an 80-bit extended float that holds a positive
// whole number below 2^31; anything else reports false.
func extendedToInt(b []byte) (int, bool) {
	se := binary.BigEndian.Uint16(b)
	m := binary.BigEndian.Uint64(b[2:])
	if se&0x8000 != 0 || m == 0 {
		return 0, false
	}
	shift := int(se) - 16383 - 63 // value = m × 2^shift
	if shift >= 0 || shift < -63 {
		return 0, false
	}
	if m&(1<<uint(-shift)-1) != 0 {
		return 0, false
	}
	v := m >> uint(-shift)
	if v == 0 || v > math.MaxInt32 {
		return 0, false
	}
	return int(v), true
}
