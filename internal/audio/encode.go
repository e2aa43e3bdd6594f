package audio

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
)

// Encoding is the sample format a writer produces.
type Encoding int

// The encodings the WAV and AIFF writers support.
const (
	PCM16   Encoding = iota + 1 // 16-bit signed integer
	PCM24                       // 24-bit signed integer
	PCM32                       // 32-bit signed integer
	PCM8                        // 8-bit: unsigned in WAV, signed in AIFF
	Float32                     // 32-bit IEEE float (WAV format 3, AIFC fl32)
)

// BitDepth is the number of bits one sample occupies.
func (e Encoding) BitDepth() int {
	switch e {
	case PCM8:
		return 8
	case PCM16:
		return 16
	case PCM24:
		return 24
	case PCM32, Float32:
		return 32
	}
	return 0
}

// String names the encoding, e.g. "pcm16" or "float32".
func (e Encoding) String() string {
	switch e {
	case PCM8, PCM16, PCM24, PCM32:
		return fmt.Sprintf("pcm%d", e.BitDepth())
	case Float32:
		return "float32"
	}
	return fmt.Sprintf("Encoding(%d)", int(e))
}

// Chunk is an extra chunk a writer places after the format chunk and before the audio, e.g.
// the SP-404SX's RLND chunk. An odd-length Data gets the pad byte the RIFF and IFF formats
// require.
type Chunk struct {
	ID   [4]byte
	Data []byte
}

// encodeFrames is how many frames the writers convert per write: about 24 KB of stereo 24-bit
// audio, so a long buffer is streamed without a full-size byte copy.
const encodeFrames = 4096

// EncodeWAV writes buf as a RIFF/WAVE file. Samples are converted from float with plain
// rounding (half away from zero) and clipped to the integer range; no dither is added, so a
// caller reducing bit depth applies dither to buf first. Values that are already exact
// multiples of 2^-(bits-1) are written unchanged, which makes decode → encode at the source
// depth lossless. Mono and stereo use a plain 18-byte fmt chunk (cbSize 0, the layout the
// SP-404SX's own files use); more channels use WAVE_FORMAT_EXTENSIBLE with no speaker mask.
// Float32 adds the fact chunk the format requires for non-PCM data.
func EncodeWAV(w io.Writer, buf *Buffer, enc Encoding, extra ...Chunk) error {
	if err := checkEncode(buf, enc); err != nil {
		return fmt.Errorf("encode wav: %w", err)
	}
	ch, frames := buf.Channels(), buf.Frames()
	bits := enc.BitDepth()
	block := ch * bits / 8
	dataLen := int64(frames) * int64(block)

	le := binary.LittleEndian
	tag := uint16(wavFormatPCM)
	if enc == Float32 {
		tag = wavFormatFloat
	}
	var fmtc []byte
	if ch <= 2 {
		fmtc = make([]byte, 18)
		le.PutUint16(fmtc[0:], tag)
	} else {
		fmtc = make([]byte, 40)
		le.PutUint16(fmtc[0:], wavFormatExtensible)
		le.PutUint16(fmtc[16:], 22)
		le.PutUint16(fmtc[18:], uint16(bits))
		le.PutUint16(fmtc[24:], tag)
		copy(fmtc[26:], wavGUIDSuffix[:])
	}
	le.PutUint16(fmtc[2:], uint16(ch))
	le.PutUint32(fmtc[4:], uint32(buf.SampleRate))
	le.PutUint32(fmtc[8:], uint32(buf.SampleRate*block))
	le.PutUint16(fmtc[12:], uint16(block))
	le.PutUint16(fmtc[14:], uint16(bits))

	chunks := []Chunk{{ID: [4]byte{'f', 'm', 't', ' '}, Data: fmtc}}
	if enc == Float32 {
		fact := make([]byte, 4)
		le.PutUint32(fact, uint32(min(frames, math.MaxUint32)))
		chunks = append(chunks, Chunk{ID: [4]byte{'f', 'a', 'c', 't'}, Data: fact})
	}
	chunks = append(chunks, extra...)

	riffSize := int64(4) + chunksSize(chunks) + 8 + dataLen + dataLen&1
	if riffSize > math.MaxUint32 {
		return fmt.Errorf("encode wav: %d bytes exceed the 4 GiB RIFF limit", riffSize+8)
	}
	head := make([]byte, 0, 12+chunksSize(chunks)+8)
	head = append(head, "RIFF"...)
	head = le.AppendUint32(head, uint32(riffSize))
	head = append(head, "WAVE"...)
	head = appendChunks(head, chunks, le)
	head = append(head, "data"...)
	head = le.AppendUint32(head, uint32(dataLen))
	if _, err := w.Write(head); err != nil {
		return fmt.Errorf("encode wav: %w", err)
	}
	if err := writeSamples(w, buf, enc, false); err != nil {
		return fmt.Errorf("encode wav: %w", err)
	}
	if dataLen&1 != 0 {
		if _, err := w.Write([]byte{0}); err != nil {
			return fmt.Errorf("encode wav: %w", err)
		}
	}
	return nil
}

// EncodeAIFF writes buf as an AIFF file (AIFC with fl32 compression for Float32), with the
// same rounding and clipping as EncodeWAV. Extra chunks, such as an APPL chunk, go between
// COMM and SSND.
func EncodeAIFF(w io.Writer, buf *Buffer, enc Encoding, extra ...Chunk) error {
	if err := checkEncode(buf, enc); err != nil {
		return fmt.Errorf("encode aiff: %w", err)
	}
	ch, frames := buf.Channels(), buf.Frames()
	if ch > math.MaxInt16 {
		return fmt.Errorf("encode aiff: %d channels", ch)
	}
	bits := enc.BitDepth()
	dataLen := int64(frames) * int64(ch*bits/8)
	be := binary.BigEndian

	form := "AIFF"
	comm := make([]byte, 18, 64)
	be.PutUint16(comm[0:], uint16(ch))
	be.PutUint32(comm[2:], uint32(frames))
	be.PutUint16(comm[6:], uint16(bits))
	rate := floatToExt80(uint32(buf.SampleRate))
	copy(comm[8:], rate[:])
	var chunks []Chunk
	if enc == Float32 {
		form = "AIFC"
		// FVER carries the only AIFC version ever published (AIFCVersion1, 1990-05-23).
		chunks = append(chunks, Chunk{ID: [4]byte{'F', 'V', 'E', 'R'}, Data: []byte{0xA2, 0x80, 0x51, 0x40}})
		const name = "32-bit floating point"
		comm = append(comm, "fl32"...)
		comm = append(comm, byte(len(name)))
		comm = append(comm, name...)
		if (1+len(name))&1 != 0 {
			comm = append(comm, 0)
		}
	}
	chunks = append(chunks, Chunk{ID: [4]byte{'C', 'O', 'M', 'M'}, Data: comm})
	chunks = append(chunks, extra...)

	ssndLen := 8 + dataLen
	formSize := int64(4) + chunksSize(chunks) + 8 + ssndLen + ssndLen&1
	if formSize > math.MaxUint32 || frames > math.MaxUint32 {
		return fmt.Errorf("encode aiff: %d bytes exceed the 4 GiB IFF limit", formSize+8)
	}
	head := make([]byte, 0, 12+chunksSize(chunks)+16)
	head = append(head, "FORM"...)
	head = be.AppendUint32(head, uint32(formSize))
	head = append(head, form...)
	head = appendChunks(head, chunks, be)
	head = append(head, "SSND"...)
	head = be.AppendUint32(head, uint32(ssndLen))
	head = append(head, make([]byte, 8)...) // offset 0, block size 0
	if _, err := w.Write(head); err != nil {
		return fmt.Errorf("encode aiff: %w", err)
	}
	if err := writeSamples(w, buf, enc, true); err != nil {
		return fmt.Errorf("encode aiff: %w", err)
	}
	if ssndLen&1 != 0 {
		if _, err := w.Write([]byte{0}); err != nil {
			return fmt.Errorf("encode aiff: %w", err)
		}
	}
	return nil
}

// checkEncode validates the buffer and encoding before any byte is written, so a failed call
// leaves w untouched.
func checkEncode(buf *Buffer, enc Encoding) error {
	if buf == nil {
		return fmt.Errorf("nil buffer")
	}
	if err := buf.Validate(); err != nil {
		return err
	}
	if enc.BitDepth() == 0 {
		return fmt.Errorf("unknown encoding %d", int(enc))
	}
	if buf.Channels() > maxChannels || buf.SampleRate > maxSampleRate {
		return fmt.Errorf("%d channels at %d Hz cannot be stored", buf.Channels(), buf.SampleRate)
	}
	return nil
}

func chunksSize(chunks []Chunk) int64 {
	var n int64
	for _, c := range chunks {
		n += 8 + int64(len(c.Data)) + int64(len(c.Data)&1)
	}
	return n
}

func appendChunks(dst []byte, chunks []Chunk, order binary.AppendByteOrder) []byte {
	for _, c := range chunks {
		dst = append(dst, c.ID[:]...)
		dst = order.AppendUint32(dst, uint32(len(c.Data)))
		dst = append(dst, c.Data...)
		if len(c.Data)&1 != 0 {
			dst = append(dst, 0)
		}
	}
	return dst
}

// writeSamples interleaves and converts buf block by block into one reused byte slice.
func writeSamples(w io.Writer, buf *Buffer, enc Encoding, bigEndian bool) error {
	ch, frames := buf.Channels(), buf.Frames()
	width := enc.BitDepth() / 8
	out := make([]byte, min(frames, encodeFrames)*ch*width)
	for at := 0; at < frames; at += encodeFrames {
		n := min(encodeFrames, frames-at)
		b := out[:n*ch*width]
		interleave(b, buf.Data, at, n, enc, bigEndian)
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	return nil
}

// interleave converts frames [at, at+n) of data into dst in the given encoding.
func interleave(dst []byte, data [][]float32, at, n int, enc Encoding, bigEndian bool) {
	ch := len(data)
	width := enc.BitDepth() / 8
	var order binary.ByteOrder = binary.LittleEndian
	if bigEndian {
		order = binary.BigEndian
	}
	for c, samples := range data {
		src := samples[at : at+n]
		p := c * width
		step := ch * width
		switch enc {
		case PCM8:
			for _, v := range src {
				q := quantize(v, 128, -128, 127)
				if bigEndian {
					dst[p] = byte(int8(q)) // AIFF: signed
				} else {
					dst[p] = byte(q + 128) // WAV: unsigned, 128 = silence
				}
				p += step
			}
		case PCM16:
			for _, v := range src {
				order.PutUint16(dst[p:], uint16(int16(quantize(v, 32768, -32768, 32767))))
				p += step
			}
		case PCM24:
			for _, v := range src {
				q := uint32(quantize(v, 8388608, -8388608, 8388607))
				if bigEndian {
					dst[p], dst[p+1], dst[p+2] = byte(q>>16), byte(q>>8), byte(q)
				} else {
					dst[p], dst[p+1], dst[p+2] = byte(q), byte(q>>8), byte(q>>16)
				}
				p += step
			}
		case PCM32:
			for _, v := range src {
				order.PutUint32(dst[p:], uint32(quantize(v, 2147483648, math.MinInt32, math.MaxInt32)))
				p += step
			}
		case Float32:
			for _, v := range src {
				order.PutUint32(dst[p:], math.Float32bits(v))
				p += step
			}
		}
	}
}

// quantize scales v to an integer sample, rounding half away from zero and clipping to
// [lo, hi]. NaN becomes silence rather than an arbitrary conversion result.
func quantize(v float32, scale float64, lo, hi int32) int32 {
	x := math.Round(float64(v) * scale)
	switch {
	case x != x:
		return 0
	case x <= float64(lo):
		return lo
	case x >= float64(hi):
		return hi
	}
	return int32(x)
}
