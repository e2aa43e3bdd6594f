package sp404

import (
	"bufio"
	"crypto/md5"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
)

// SMP format constants (spec §1.4).
const (
	SMPHeaderSize = 512   // PCM starts here; also the smallest Start a pad may have
	SMPSampleRate = 48000 // the only rate the MKII stores
	smpMagic      = "RFWV"
	smpFillerOff  = 0x30
	smpDigestOff  = 0x20
	// smpMaxSize is the largest file the 32-bit size field can describe.
	smpMaxSize = 1<<32 - 1 + 8
)

// ErrSMPDigest reports that an SMP file's MD5 field does not match its
// header. The device refuses such a file with "Hash Check Error".
var ErrSMPDigest = errors.New("smp header digest mismatch")

// SMP is a decoded MKII sample file: 48 kHz, 16-bit PCM, mono or stereo.
type SMP struct {
	// Channels is 1 (mono) or 2 (stereo).
	Channels int
	// PCM holds the samples, interleaved L/R for stereo.
	PCM []int16
	// Filler is bytes 0x30..0x1FF, meaningless padding. When decoding it is
	// kept so that a re-encode gives the same bytes; a nil Filler encodes
	// as the deterministic filler of SMPFiller.
	Filler []byte
}

// Frames returns the number of sample frames.
func (s *SMP) Frames() int {
	if s.Channels <= 0 {
		return 0
	}
	return len(s.PCM) / s.Channels
}

// Size returns the encoded file size in bytes.
func (s *SMP) Size() int64 { return SMPSize(int64(s.Frames()), s.Channels) }

// SMPSize returns the size of an SMP file holding frames frames: the header
// plus 2×channels bytes per frame. It is the value a pad's Size and End take.
func SMPSize(frames int64, channels int) int64 {
	return SMPHeaderSize + frames*2*int64(channels)
}

// smpHeader builds the 512-byte header. filler, when not nil, must be 464
// bytes; when nil the deterministic filler is used.
func smpHeader(channels int, pcmBytes int64, filler []byte) ([SMPHeaderSize]byte, error) {
	var h [SMPHeaderSize]byte
	if channels != 1 && channels != 2 {
		return h, fmt.Errorf("smp channels %d: want 1 or 2", channels)
	}
	if pcmBytes < 0 || SMPHeaderSize+pcmBytes > smpMaxSize {
		return h, fmt.Errorf("smp with %d pcm bytes: does not fit the 32-bit size field", pcmBytes)
	}
	if filler != nil && len(filler) != SMPHeaderSize-smpFillerOff {
		return h, fmt.Errorf("smp filler is %d bytes, want %d", len(filler), SMPHeaderSize-smpFillerOff)
	}
	be := binary.BigEndian
	copy(h[:], smpMagic)
	be.PutUint32(h[4:], uint32(SMPHeaderSize+pcmBytes-8))
	be.PutUint32(h[8:], SMPSampleRate)
	be.PutUint32(h[12:], uint32(channels))
	be.PutUint32(h[16:], 16)
	digest := md5.Sum(h[4:0x14])
	copy(h[smpDigestOff:], digest[:])
	if filler == nil {
		fillSMP(h[smpFillerOff:], digest)
	} else {
		copy(h[smpFillerOff:], filler)
	}
	return h, nil
}

// SMPFiller returns the 464 filler bytes written at 0x30 for a file with the
// given header fields.
//
// The official app fills this area with rand() output and real files look
// random. Whether the device accepts zeros is untested, so random-looking
// bytes are the safe choice; they come from a PCG generator seeded with the
// header's own MD5 so that the same audio always gives the same file, which
// keeps exports reproducible and testable.
func SMPFiller(channels int, pcmBytes int64) ([]byte, error) {
	h, err := smpHeader(channels, pcmBytes, nil)
	if err != nil {
		return nil, err
	}
	return append([]byte(nil), h[smpFillerOff:]...), nil
}

func fillSMP(dst []byte, seed [16]byte) {
	r := rand.NewPCG(binary.BigEndian.Uint64(seed[:8]), binary.BigEndian.Uint64(seed[8:]))
	for i := 0; i < len(dst); i += 8 {
		var w [8]byte
		binary.BigEndian.PutUint64(w[:], r.Uint64())
		copy(dst[i:], w[:])
	}
}

// WriteSMP writes an SMP file holding pcm (interleaved when stereo) to w.
func WriteSMP(w io.Writer, channels int, pcm []int16) error {
	if channels != 1 && channels != 2 {
		return fmt.Errorf("write smp: channels %d: want 1 or 2", channels)
	}
	if len(pcm)%channels != 0 {
		return fmt.Errorf("write smp: %d samples is not a whole number of %d-channel frames", len(pcm), channels)
	}
	sw, err := NewSMPWriter(w, channels, int64(len(pcm)/channels))
	if err != nil {
		return err
	}
	if err := sw.Write(pcm); err != nil {
		return err
	}
	return sw.Close()
}

// MarshalBinary encodes s, using s.Filler when set.
func (s *SMP) MarshalBinary() ([]byte, error) {
	if s.Channels != 1 && s.Channels != 2 {
		return nil, fmt.Errorf("encode smp: channels %d: want 1 or 2", s.Channels)
	}
	if len(s.PCM)%s.Channels != 0 {
		return nil, fmt.Errorf("encode smp: %d samples is not a whole number of frames", len(s.PCM))
	}
	h, err := smpHeader(s.Channels, int64(len(s.PCM))*2, s.Filler)
	if err != nil {
		return nil, fmt.Errorf("encode smp: %w", err)
	}
	b := make([]byte, SMPHeaderSize+2*len(s.PCM))
	copy(b, h[:])
	for i, v := range s.PCM {
		binary.BigEndian.PutUint16(b[SMPHeaderSize+2*i:], uint16(v))
	}
	return b, nil
}

// SMPWriter streams an SMP file whose length is known up front, since the
// header holds the size and a digest of it. Write any number of frames,
// then Close, which reports a short or long write.
type SMPWriter struct {
	w        *bufio.Writer
	channels int
	left     int64 // samples still expected
	err      error
	scratch  []byte
}

// NewSMPWriter writes the header of an SMP file of frames frames to w and
// returns a writer for its PCM.
func NewSMPWriter(w io.Writer, channels int, frames int64) (*SMPWriter, error) {
	if frames < 0 {
		return nil, fmt.Errorf("new smp writer: %d frames", frames)
	}
	h, err := smpHeader(channels, frames*2*int64(channels), nil)
	if err != nil {
		return nil, fmt.Errorf("new smp writer: %w", err)
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	if _, err := bw.Write(h[:]); err != nil {
		return nil, fmt.Errorf("write smp header: %w", err)
	}
	return &SMPWriter{w: bw, channels: channels, left: frames * int64(channels)}, nil
}

// Write appends interleaved samples; len(pcm) need not be a whole number of
// frames, but the total must be by Close.
func (sw *SMPWriter) Write(pcm []int16) error {
	if sw.err != nil {
		return sw.err
	}
	if int64(len(pcm)) > sw.left {
		sw.err = fmt.Errorf("write smp: %d samples more than declared", int64(len(pcm))-sw.left)
		return sw.err
	}
	const chunk = 8192
	if sw.scratch == nil {
		sw.scratch = make([]byte, 2*chunk)
	}
	for len(pcm) > 0 {
		n := min(len(pcm), chunk)
		for i, v := range pcm[:n] {
			binary.BigEndian.PutUint16(sw.scratch[2*i:], uint16(v))
		}
		if _, err := sw.w.Write(sw.scratch[:2*n]); err != nil {
			sw.err = fmt.Errorf("write smp: %w", err)
			return sw.err
		}
		pcm = pcm[n:]
		sw.left -= int64(n)
	}
	return nil
}

// Close flushes the file and fails if fewer samples were written than the
// header declared. It does not close the underlying writer.
func (sw *SMPWriter) Close() error {
	if sw.err != nil {
		return sw.err
	}
	if sw.left != 0 {
		sw.err = fmt.Errorf("close smp: %d samples short of the declared length", sw.left)
		return sw.err
	}
	if err := sw.w.Flush(); err != nil {
		sw.err = fmt.Errorf("close smp: %w", err)
		return sw.err
	}
	sw.err = errors.New("smp writer closed")
	return nil
}

// ReadSMP reads and decodes an SMP file. Memory grows with the bytes that
// actually arrive, never with the size the header claims.
func ReadSMP(r io.Reader) (*SMP, error) {
	b, err := io.ReadAll(io.LimitReader(r, smpMaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("read smp: %w", err)
	}
	return DecodeSMP(b)
}

// DecodeSMP decodes an SMP file. A digest mismatch returns the decoded
// sample together with an error wrapping ErrSMPDigest, so a caller can
// choose to repair the file; every other problem returns no sample.
func DecodeSMP(b []byte) (*SMP, error) {
	if len(b) < SMPHeaderSize {
		return nil, fmt.Errorf("decode smp: %d bytes is shorter than the %d-byte header", len(b), SMPHeaderSize)
	}
	if string(b[:4]) != smpMagic {
		return nil, fmt.Errorf("decode smp: magic %q, want %q", b[:4], smpMagic)
	}
	be := binary.BigEndian
	if n := int64(be.Uint32(b[4:])) + 8; n != int64(len(b)) {
		return nil, fmt.Errorf("decode smp: header gives file size %d, file is %d bytes", n, len(b))
	}
	if rate := be.Uint32(b[8:]); rate != SMPSampleRate {
		return nil, fmt.Errorf("decode smp: sample rate %d, want %d", rate, SMPSampleRate)
	}
	ch := be.Uint32(b[12:])
	if ch != 1 && ch != 2 {
		return nil, fmt.Errorf("decode smp: %d channels, want 1 or 2", ch)
	}
	if bits := be.Uint32(b[16:]); bits != 16 {
		return nil, fmt.Errorf("decode smp: %d bits per sample, want 16", bits)
	}
	for _, c := range b[0x14:smpDigestOff] {
		if c != 0 {
			return nil, fmt.Errorf("decode smp: reserved bytes 0x14..0x1f are not zero")
		}
	}
	pcmBytes := len(b) - SMPHeaderSize
	if pcmBytes%(2*int(ch)) != 0 {
		return nil, fmt.Errorf("decode smp: %d pcm bytes is not a whole number of %d-channel frames", pcmBytes, ch)
	}
	s := &SMP{
		Channels: int(ch),
		PCM:      make([]int16, pcmBytes/2),
		Filler:   append([]byte(nil), b[smpFillerOff:SMPHeaderSize]...),
	}
	for i := range s.PCM {
		s.PCM[i] = int16(be.Uint16(b[SMPHeaderSize+2*i:]))
	}
	if digest := md5.Sum(b[4:0x14]); string(digest[:]) != string(b[smpDigestOff:smpDigestOff+16]) {
		return s, fmt.Errorf("decode smp: field % x, computed % x: %w", b[smpDigestOff:smpDigestOff+16], digest, ErrSMPDigest)
	}
	return s, nil
}
