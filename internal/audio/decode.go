package audio

import (
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
)

// ErrTooLarge reports input beyond a Decoder's MaxFrames or MaxBytes limit. The HTTP layer maps
// it to 413 Content Too Large.
var ErrTooLarge = errors.New("audio: input exceeds size limit")

// ErrMalformed reports input that was recognised but cannot be decoded: a missing or invalid
// format chunk, no audio data, an out-of-range field, or a stream the codec library rejects.
// The HTTP layer maps it to 422 Unprocessable Content.
var ErrMalformed = errors.New("audio: malformed input")

// DefaultMaxFrames is the frame limit a zero Decoder applies: 30 minutes at 48 kHz, almost twice
// the SP-404MK2's 16-minute sample limit, so nothing the hardware can use is refused while a
// stream that expands without bound (a FLAC of constant blocks, say) is stopped.
const DefaultMaxFrames = 48000 * 60 * 30

// Decoder holds the limits applied while decoding. The zero value is ready to use and applies
// DefaultMaxFrames and no byte limit.
type Decoder struct {
	// MaxFrames bounds the decoded length in frames; 0 means DefaultMaxFrames and a negative
	// value means no limit.
	MaxFrames int64
	// MaxBytes bounds the size of the input in bytes; 0 or negative means no limit.
	MaxBytes int64
}

// Decode detects the format of r from its magic bytes and decodes it with the default limits.
// Decoding starts at r's current offset.
func Decode(r io.ReadSeeker) (*Buffer, Metadata, error) {
	return Decoder{}.Decode(r)
}

// DecodeFile opens and decodes the file at path with the default limits.
func DecodeFile(path string) (*Buffer, Metadata, error) {
	return Decoder{}.DecodeFile(path)
}

// DecodeFile opens and decodes the file at path.
func (d Decoder) DecodeFile(path string) (*Buffer, Metadata, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, Metadata{}, fmt.Errorf("decode file: %w", err)
	}
	defer f.Close()
	return d.Decode(f)
}

// Decode detects the format of r from its magic bytes and decodes it. Decoding starts at r's
// current offset; r is read through seeks and reads only, so an *os.File or *bytes.Reader may be
// passed directly. Every length a file declares is checked against the bytes really present
// before anything is allocated from it.
//
// A panic inside any decoder is turned into an ErrMalformed error as a last line of defence
// for servers; the fuzz tests call the format decoders without it, so such a panic is still
// found and fixed.
func (d Decoder) Decode(r io.ReadSeeker) (buf *Buffer, md Metadata, err error) {
	defer recoverTo(&err, "decode")
	src, err := newSource(r)
	if err != nil {
		return nil, Metadata{}, err
	}
	if d.MaxBytes > 0 && src.Size() > d.MaxBytes {
		return nil, Metadata{}, fmt.Errorf("decode: %d bytes, limit %d: %w", src.Size(), d.MaxBytes, ErrTooLarge)
	}
	head := make([]byte, min(src.Size(), DetectHeaderSize))
	if _, err := src.ReadAt(head, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, Metadata{}, fmt.Errorf("decode: read header: %w", err)
	}
	format, err := Detect(head)
	if err != nil {
		return nil, Metadata{}, fmt.Errorf("decode: %w", err)
	}
	if format == FormatMP3 {
		if flac, ok := afterID3(src, "fLaC"); ok {
			// Some taggers put an ID3v2 tag before a FLAC stream; FLAC decoders skip it.
			src, format = flac, FormatFLAC
		}
	}
	lim := limits{maxFrames: d.maxFrames()}
	switch format {
	case FormatWAV:
		buf, md, err = decodeWAV(src, lim)
	case FormatAIFF:
		buf, md, err = decodeAIFF(src, lim)
	case FormatMP3:
		buf, md, err = decodeMP3(src, lim)
	case FormatFLAC:
		buf, md, err = decodeFLAC(src, lim)
	case FormatOGG:
		buf, md, err = decodeOgg(src, lim)
	default:
		err = fmt.Errorf("decode: %s: %w", format, ErrUnsupportedFormat)
	}
	if err != nil {
		return nil, Metadata{}, err
	}
	md.Format = format
	return buf, md, nil
}

// afterID3 returns the part of src after a leading ID3v2 tag when that part starts with magic.
func afterID3(src *io.SectionReader, magic string) (*io.SectionReader, bool) {
	var hb [10]byte
	if _, err := src.ReadAt(hb[:], 0); err != nil {
		return nil, false
	}
	h, ok := parseID3v2Header(hb[:])
	if !ok || h.total+int64(len(magic)) > src.Size() {
		return nil, false
	}
	b := make([]byte, len(magic))
	if _, err := src.ReadAt(b, h.total); err != nil || string(b) != magic {
		return nil, false
	}
	return io.NewSectionReader(src, h.total, src.Size()-h.total), true
}

func (d Decoder) maxFrames() int64 {
	switch {
	case d.MaxFrames == 0:
		return DefaultMaxFrames
	case d.MaxFrames < 0:
		return 1<<63 - 1
	}
	return d.MaxFrames
}

// limits carries a Decoder's limits into the format decoders.
type limits struct {
	maxFrames int64
}

// check refuses a frame count above the limit.
func (l limits) check(frames int64) error {
	if frames > l.maxFrames {
		return fmt.Errorf("%d frames, limit %d: %w", frames, l.maxFrames, ErrTooLarge)
	}
	return nil
}

// newMetadata returns Metadata with the "absent" markers set.
func newMetadata() Metadata {
	return Metadata{RootNote: -1, RLNDPad: -1}
}

// newSource turns r into a bounded section starting at r's current offset. Readers that already
// implement io.ReaderAt (files, byte readers) are used directly; others are read by seeking.
func newSource(r io.ReadSeeker) (*io.SectionReader, error) {
	start, err := r.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil, fmt.Errorf("decode: seek: %w", err)
	}
	end, err := r.Seek(0, io.SeekEnd)
	if err != nil {
		return nil, fmt.Errorf("decode: seek: %w", err)
	}
	if _, err := r.Seek(start, io.SeekStart); err != nil {
		return nil, fmt.Errorf("decode: seek: %w", err)
	}
	if ra, ok := r.(io.ReaderAt); ok {
		return io.NewSectionReader(ra, start, end-start), nil
	}
	return io.NewSectionReader(seekReaderAt{r}, start, end-start), nil
}

// seekReaderAt adapts an io.ReadSeeker to io.ReaderAt for single-goroutine use.
type seekReaderAt struct{ r io.ReadSeeker }

func (s seekReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if _, err := s.r.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	n, err := io.ReadFull(s.r, p)
	if errors.Is(err, io.ErrUnexpectedEOF) {
		err = io.EOF
	}
	return n, err
}

// readAtMost reads up to n bytes at off, fewer if the section ends first. The slice is sized by
// the bytes really present, never by n alone.
func readAtMost(src *io.SectionReader, off, n int64) ([]byte, error) {
	if off >= src.Size() || n <= 0 {
		return nil, nil
	}
	n = min(n, src.Size()-off)
	b := make([]byte, n)
	k, err := src.ReadAt(b, off)
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return b[:k], nil
}

// recoverTo converts a panic inside a third-party codec into an ErrMalformed error, because
// the FLAC, Vorbis and MP3 libraries index into slices using lengths from the stream and a
// hostile file must not take the process down.
func recoverTo(err *error, what string) {
	if p := recover(); p != nil {
		*err = fmt.Errorf("%s: decoder panic: %v: %w", what, p, ErrMalformed)
	}
}

// malformed wraps a description of a structural problem with ErrMalformed.
func malformed(format string, args ...any) error {
	return fmt.Errorf(format+": %w", append(args, ErrMalformed)...)
}

// planar accumulates decoded samples per channel, growing as real samples arrive so that a
// stream's claimed length never decides an allocation.
type planar struct {
	data [][]float32
	lim  limits
}

// newPlanar reserves capHint frames per channel, which the caller has bounded by what the input's
// size can hold (see plausibleFrames): an honest length saves the copies of growing, and a lying
// one costs at most a few times the file's own size.
func newPlanar(channels int, capHint int64, lim limits) *planar {
	p := &planar{data: make([][]float32, channels), lim: lim}
	capHint = min(capHint, lim.maxFrames)
	for c := range p.data {
		p.data[c] = make([]float32, 0, max(capHint, 0))
	}
	return p
}

// plausibleFrames is claimed, or 0 when more than perByte frames per byte of a size-byte stream.
func plausibleFrames(claimed, size, perByte int64) int64 {
	if claimed <= 0 || claimed > perByte*size {
		return 0
	}
	return claimed
}

func (p *planar) frames() int { return len(p.data[0]) }

// grow checks that n more frames fit the limit.
func (p *planar) grow(n int) error {
	return p.lim.check(int64(p.frames()) + int64(n))
}

// extend lengthens channel c by n samples and returns the new tail for the caller to fill, so
// per-sample appends do not each check capacity.
func (p *planar) extend(c, n int) []float32 {
	old := len(p.data[c])
	p.data[c] = slices.Grow(p.data[c], n)[:old+n]
	return p.data[c][old:]
}

func (p *planar) buffer(rate int) *Buffer {
	return &Buffer{SampleRate: rate, Data: p.data}
}
