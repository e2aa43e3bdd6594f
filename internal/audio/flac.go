package audio

import (
	"encoding/binary"
	"fmt"
	"io"
	"math/bits"
)

// FLAC (RFC 9639) is decoded here rather than by mewkiz/flac, which reads its bits through
// io.Reader calls and a CRC tee and decoded 8 s of stereo at 35 MB/s, the slowest step of an
// import. This decoder reads a window of the file into memory, decodes each frame from it with
// a 64-bit bit cache, and checks both CRCs; mewkiz/flac stays in the tests as the reference.

const (
	flacStreamInfo    = 0
	flacVorbisComment = 4
	// flacMaxBlock is the largest block a frame header can state.
	flacMaxBlock = 65536
	// flacMaxFrame bounds one frame's size: 8 verbatim channels of 65,536 33-bit samples, plus
	// headers. A frame that has not ended within it is malformed.
	flacMaxFrame = 8*flacMaxBlock*33/8 + 64
	// flacWindow is how much of the file is read at a time.
	flacWindow = 256 << 10
	// flacFramesPerByte bounds the capacity reserved from STREAMINFO's sample count: a stream
	// whose claim is larger than its size could plausibly hold grows as frames arrive instead.
	flacFramesPerByte = 8
)

type flacInfo struct {
	sampleRate, channels, bits int
	samples                    int64 // 0 when unknown
}

// decodeFLAC decodes a FLAC stream. A stream cut short after at least one whole frame keeps the
// frames that arrived; bytes after the last of STREAMINFO's samples (a stray tag) are ignored.
func decodeFLAC(src *io.SectionReader, lim limits) (buf *Buffer, md Metadata, err error) {
	defer recoverTo(&err, "flac")
	md = newMetadata()
	info, pos, err := readFLACMetadata(src, &md)
	if err != nil {
		return nil, Metadata{}, err
	}
	out := newPlanar(info.channels, plausibleFrames(info.samples, src.Size(), flacFramesPerByte), lim)
	d := flacDecoder{src: src, off: pos, info: info, need: 64 << 10}
	for {
		n, err := d.frame()
		if err == io.EOF {
			break
		}
		if err == io.ErrUnexpectedEOF {
			if out.frames() > 0 {
				break // truncated file: keep the whole frames decoded so far
			}
			err = malformed("cut short")
		}
		if err != nil && info.samples > 0 && int64(out.frames()) >= info.samples {
			break // all the samples arrived; what follows is not audio
		}
		if err != nil {
			return nil, Metadata{}, fmt.Errorf("flac: frame at sample %d: %w", out.frames(), err)
		}
		if err := out.grow(n); err != nil {
			return nil, Metadata{}, fmt.Errorf("flac: %w", err)
		}
		scale := 1 / float32(uint64(1)<<(d.bits-1))
		for c := range info.channels {
			dst := out.extend(c, n)
			for i, s := range d.samples[c][:n] {
				dst[i] = float32(s) * scale
			}
		}
	}
	if out.frames() == 0 {
		return nil, Metadata{}, malformed("flac: no audio frames")
	}
	md.BitDepth = info.bits
	return out.buffer(info.sampleRate), md, nil
}

// readFLACMetadata reads STREAMINFO and the Vorbis comments and returns where the frames start.
// Other blocks (pictures, padding, seek tables) are skipped unread, whatever length they claim.
func readFLACMetadata(src *io.SectionReader, md *Metadata) (flacInfo, int64, error) {
	var info flacInfo
	size := src.Size()
	seenInfo := false
	pos := int64(4)
	for {
		var h [4]byte
		if _, err := src.ReadAt(h[:], pos); err != nil {
			return info, 0, malformed("flac: metadata block header at %d: %v", pos, err)
		}
		last := h[0]&0x80 != 0
		typ := h[0] & 0x7F
		n := int64(binary.BigEndian.Uint32(h[:]) & 0xFFFFFF)
		if n > size-pos-4 {
			return info, 0, malformed("flac: metadata block of %d bytes runs past the end", n)
		}
		switch {
		case !seenInfo:
			if typ != flacStreamInfo || n < 34 {
				return info, 0, malformed("flac: the first metadata block is not STREAMINFO")
			}
			var b [34]byte
			if _, err := src.ReadAt(b[:], pos+4); err != nil {
				return info, 0, malformed("flac: read STREAMINFO: %v", err)
			}
			info = parseFLACStreamInfo(b[:])
			if info.channels < 1 || info.channels > 8 || info.sampleRate < 1 || info.sampleRate > maxSampleRate ||
				info.bits < 4 || info.bits > 32 {
				return info, 0, malformed("flac: stream info: %d channels, %d Hz, %d bits",
					info.channels, info.sampleRate, info.bits)
			}
			seenInfo = true
		case typ == flacVorbisComment:
			b, err := readAtMost(src, pos+4, n)
			if err != nil {
				return info, 0, fmt.Errorf("flac: read comments: %w", err)
			}
			applyVorbisComments(parseVorbisCommentBlock(b), md)
		}
		pos += 4 + n
		if last {
			return info, pos, nil
		}
	}
}

func parseFLACStreamInfo(b []byte) flacInfo {
	// Bytes 10–17: sample rate (20 bits), channels − 1 (3), bits − 1 (5), total samples (36).
	v := binary.BigEndian.Uint64(b[10:18])
	return flacInfo{
		sampleRate: int(v >> 44),
		channels:   int(v>>41&7) + 1,
		bits:       int(v>>36&31) + 1,
		samples:    int64(v & (1<<36 - 1)),
	}
}

// flacDecoder decodes frames from a window of the file.
type flacDecoder struct {
	src  *io.SectionReader
	info flacInfo
	buf  []byte // the window's storage
	win  []byte // unread bytes of buf
	off  int64  // file offset of win[0]
	need int    // bytes the window should hold ahead of a frame; grows for big frames

	bits    int       // sample size of the last frame
	samples [][]int32 // the last frame's samples per channel
}

// frame decodes the next frame into d.samples and returns its block size. It returns io.EOF at
// the end of the stream and io.ErrUnexpectedEOF for a frame cut short.
func (d *flacDecoder) frame() (int, error) {
	for {
		eof, err := d.fill()
		if err != nil {
			return 0, err
		}
		if len(d.win) == 0 {
			return 0, io.EOF
		}
		r := bitReader{data: d.win}
		n, err := d.decode(&r)
		if !r.over() {
			if err != nil {
				return 0, err
			}
			used := r.bytePos()
			d.win, d.off = d.win[used:], d.off+int64(used)
			return n, nil
		}
		// The frame ran past the window: read more, or it was cut short.
		if eof {
			return 0, io.ErrUnexpectedEOF
		}
		if d.need >= flacMaxFrame {
			return 0, malformed("flac: a frame longer than %d bytes", flacMaxFrame)
		}
		d.need = min(2*d.need, flacMaxFrame)
	}
}

// fill makes the window hold d.need bytes, or all that is left of the file.
func (d *flacDecoder) fill() (eof bool, err error) {
	end := d.src.Size()
	have := int64(len(d.win))
	if have >= int64(d.need) || d.off+have >= end {
		return d.off+have >= end, nil
	}
	want := min(int64(max(d.need, flacWindow)), end-d.off)
	if int64(len(d.buf)) < want {
		d.buf = make([]byte, want)
	}
	copy(d.buf, d.win) // slides the unread bytes to the front
	k, err := d.src.ReadAt(d.buf[have:want], d.off+have)
	if err != nil && err != io.EOF {
		return false, fmt.Errorf("read: %w", err)
	}
	d.win = d.buf[:have+int64(k)]
	return d.off+int64(len(d.win)) >= end, nil
}

var flacBlockSizes = [16]int{0, 192, 576, 1152, 2304, 4608, -1, -2, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768}

var flacSampleSizes = [8]int{0, 8, 12, -1, 16, 20, 24, 32}

// decode decodes one frame from r. Errors found after r ran out of data are not reported: the
// caller retries with more data.
func (d *flacDecoder) decode(r *bitReader) (int, error) {
	// Frame header.
	if r.read(15) != 0x7FFC {
		return 0, malformed("flac: lost frame sync")
	}
	r.read(1) // blocking strategy
	bsCode, rateCode := r.read(4), r.read(4)
	chCode, sizeCode := int(r.read(4)), r.read(3)
	if r.read(1) != 0 {
		return 0, malformed("flac: reserved frame header bit set")
	}
	if err := r.skipUTF8(); err != nil {
		return 0, err
	}
	n := flacBlockSizes[bsCode]
	switch n {
	case 0:
		return 0, malformed("flac: reserved block size")
	case -1:
		n = int(r.read(8)) + 1
	case -2:
		n = int(r.read(16)) + 1
	}
	switch rateCode {
	case 12:
		r.read(8)
	case 13, 14:
		r.read(16)
	case 15:
		return 0, malformed("flac: invalid sample rate code")
	}
	r.alignByte()
	hdrEnd := r.bytePos()
	if crc := byte(r.read(8)); !r.over() && crc != crc8(d.win[:hdrEnd]) {
		return 0, malformed("flac: frame header checksum mismatch")
	}
	bps := flacSampleSizes[sizeCode]
	switch bps {
	case 0:
		bps = d.info.bits
	case -1:
		return 0, malformed("flac: reserved sample size")
	}
	channels := chCode + 1
	if chCode > 10 {
		return 0, malformed("flac: reserved channel assignment")
	} else if chCode >= 8 {
		channels = 2
	}
	if channels != d.info.channels {
		return 0, malformed("flac: frame with %d channels in a %d-channel stream", channels, d.info.channels)
	}
	d.bits = bps
	for len(d.samples) < channels {
		d.samples = append(d.samples, nil)
	}

	// Subframes; the side channel of a stereo pair has one more bit.
	for c := range channels {
		size := bps
		if (chCode == 8 || chCode == 10) && c == 1 || chCode == 9 && c == 0 {
			size++
		}
		if size > 32 {
			return 0, fmt.Errorf("flac: %d-bit side channel: %w", size, ErrUnsupportedFormat)
		}
		if cap(d.samples[c]) < n {
			d.samples[c] = make([]int32, n, max(n, 4096))
		}
		if err := decodeSubframe(r, d.samples[c][:n], size); err != nil || r.over() {
			return 0, err
		}
	}
	r.alignByte()
	end := r.bytePos()
	if crc := uint16(r.read(16)); !r.over() && crc != crc16(d.win[:end]) {
		return 0, malformed("flac: frame checksum mismatch")
	}
	decorrelate(chCode, d.samples, n)
	return n, nil
}

func decorrelate(chCode int, s [][]int32, n int) {
	switch chCode {
	case 8: // left, side
		l, side := s[0][:n], s[1][:n]
		for i := range l {
			side[i] = l[i] - side[i]
		}
	case 9: // side, right
		side, rt := s[0][:n], s[1][:n]
		for i := range side {
			side[i] += rt[i]
		}
	case 10: // mid, side
		m, side := s[0][:n], s[1][:n]
		for i := range m {
			mid := m[i]<<1 | side[i]&1
			m[i], side[i] = (mid+side[i])>>1, (mid-side[i])>>1
		}
	}
}

func decodeSubframe(r *bitReader, dst []int32, size int) error {
	if r.read(1) != 0 {
		return malformed("flac: subframe padding bit set")
	}
	typ := int(r.read(6))
	wasted := 0
	if r.read(1) == 1 {
		wasted = int(r.unary()) + 1
		if wasted >= size {
			return malformed("flac: %d wasted bits of %d", wasted, size)
		}
		size -= wasted
	}
	switch {
	case typ == 0: // constant
		v := r.readSigned(size)
		for i := range dst {
			dst[i] = v
		}
	case typ == 1: // verbatim
		for i := range dst {
			dst[i] = r.readSigned(size)
		}
	case typ >= 8 && typ <= 12: // fixed predictor
		order := typ - 8
		if err := warmUp(r, dst, order, size); err != nil {
			return err
		}
		if err := residual(r, dst, order); err != nil {
			return err
		}
		fixedPredict(dst, order)
	case typ >= 32: // linear predictor
		order := typ - 31
		if err := warmUp(r, dst, order, size); err != nil {
			return err
		}
		precision := int(r.read(4)) + 1
		if precision == 16 {
			return malformed("flac: invalid coefficient precision")
		}
		shift := int(int32(r.read(5)<<27) >> 27)
		if shift < 0 {
			return malformed("flac: negative prediction shift")
		}
		var coefs [32]int32
		for i := range order {
			coefs[i] = r.readSigned(precision)
		}
		if err := residual(r, dst, order); err != nil {
			return err
		}
		lpcPredict(dst, coefs[:order], uint(shift))
	default:
		return malformed("flac: reserved subframe type %d", typ)
	}
	if wasted > 0 {
		for i := range dst {
			dst[i] <<= wasted
		}
	}
	return nil
}

func warmUp(r *bitReader, dst []int32, order, size int) error {
	if order > len(dst) {
		return malformed("flac: predictor order %d over a %d-sample block", order, len(dst))
	}
	for i := range order {
		dst[i] = r.readSigned(size)
	}
	return nil
}

// residual reads the Rice-coded prediction residual into dst[order:].
func residual(r *bitReader, dst []int32, order int) error {
	method := r.read(2)
	if method > 1 {
		return malformed("flac: reserved residual coding method")
	}
	paramBits, escape := uint(4), uint64(15)
	if method == 1 {
		paramBits, escape = 5, 31
	}
	parts := 1 << r.read(4)
	per := len(dst) / parts
	if per*parts != len(dst) || per < order {
		return malformed("flac: %d partitions of a %d-sample block with order %d", parts, len(dst), order)
	}
	i := order
	for p := range parts {
		end := (p + 1) * per
		k := r.read(paramBits)
		if k == escape {
			size := int(r.read(5))
			for ; i < end; i++ {
				dst[i] = r.readSigned(size)
			}
			continue
		}
		r.rice(dst[i:end], uint(k))
		i = end
		if r.over() {
			return nil
		}
	}
	return nil
}

func fixedPredict(s []int32, order int) {
	if len(s) < order || order == 0 {
		return
	}
	switch order {
	case 1:
		a := s[0]
		for i := 1; i < len(s); i++ {
			a += s[i]
			s[i] = a
		}
	case 2:
		a, b := s[0], s[1]
		for i := 2; i < len(s); i++ {
			a, b = b, s[i]+2*b-a
			s[i] = b
		}
	case 3:
		a, b, c := s[0], s[1], s[2]
		for i := 3; i < len(s); i++ {
			a, b, c = b, c, s[i]+3*(c-b)+a
			s[i] = c
		}
	case 4:
		a, b, c, d := s[0], s[1], s[2], s[3]
		for i := 4; i < len(s); i++ {
			a, b, c, d = b, c, d, s[i]+4*(d+b)-6*c-a
			s[i] = d
		}
	}
}

// lpcPredict adds the prediction from the previous len(c) samples to each residual. The sum is
// taken in 64 bits: 32 coefficients of 15 bits over 32-bit samples fit, as RFC 9639 requires.
func lpcPredict(s []int32, c []int32, shift uint) {
	order := len(c)
	if order == 0 {
		return
	}
	for i := order; i < len(s); i++ {
		var sum int64
		h := s[i-order : i]
		for j, cj := range c {
			sum += int64(cj) * int64(h[order-1-j])
		}
		s[i] += int32(sum >> shift)
	}
}

// bitReader reads big-endian bit fields from data. Past the end it reads one bits (which ends
// any unary code at once), so callers check over once per frame or partition, not per field.
type bitReader struct {
	data  []byte
	pos   int    // next byte to load into cache
	cache uint64 // unread bits, most significant first
	n     uint   // bits in cache
}

// over reports whether more bits were read than data holds.
func (r *bitReader) over() bool { return 8*r.pos-int(r.n) > 8*len(r.data) }

func (r *bitReader) refill() {
	if r.pos+8 <= len(r.data) {
		r.cache |= binary.BigEndian.Uint64(r.data[r.pos:]) >> r.n
		k := (63 - r.n) >> 3
		r.pos += int(k)
		r.n += k << 3
		return
	}
	for r.n <= 56 {
		b := byte(0xFF)
		if r.pos < len(r.data) {
			b = r.data[r.pos]
		}
		r.pos++
		r.cache |= uint64(b) << (56 - r.n)
		r.n += 8
	}
}

// read reads k ≤ 56 bits.
func (r *bitReader) read(k uint) uint64 {
	if r.n < k {
		r.refill()
	}
	v := r.cache >> (64 - k) // 0 when k is 0
	r.cache <<= k
	r.n -= k
	return v
}

// readSigned reads a two's complement value of k ≤ 33 bits (the result is truncated to 32).
func (r *bitReader) readSigned(k int) int32 {
	if k == 0 {
		return 0
	}
	v := r.read(uint(k))
	return int32(int64(v<<(64-k)) >> (64 - k))
}

// unary counts zero bits up to the next one bit, which it consumes.
func (r *bitReader) unary() uint64 {
	var q uint64
	for {
		if r.n == 0 {
			r.refill()
		}
		z := uint(bits.LeadingZeros64(r.cache))
		if z < r.n {
			r.cache <<= z + 1
			r.n -= z + 1
			return q + uint64(z)
		}
		q += uint64(r.n)
		r.cache, r.n = 0, 0
	}
}

// rice reads Rice-coded values with parameter k into dst: the hot loop of FLAC decoding, so the
// bit cache lives in locals here.
func (r *bitReader) rice(dst []int32, k uint) {
	cache, n := r.cache, r.n
	for i := range dst {
		var q uint
		for {
			if n == 0 {
				r.cache, r.n = cache, n
				r.refill()
				cache, n = r.cache, r.n
			}
			z := uint(bits.LeadingZeros64(cache))
			if z < n {
				cache <<= z + 1
				n -= z + 1
				q += z
				break
			}
			q += n
			cache, n = 0, 0
		}
		if n < k {
			r.cache, r.n = cache, n
			r.refill()
			cache, n = r.cache, r.n
		}
		v := uint32(q<<k | uint(cache>>(64-k)))
		cache <<= k
		n -= k
		dst[i] = int32(v>>1) ^ -int32(v&1)
	}
	r.cache, r.n = cache, n
}

// alignByte skips to the next byte boundary.
func (r *bitReader) alignByte() { r.read(r.n & 7) }

// bytePos is the offset of the next unread byte; call it on a byte boundary.
func (r *bitReader) bytePos() int { return r.pos - int(r.n>>3) }

// skipUTF8 skips the frame or sample number, coded like UTF-8 in up to 7 bytes.
func (r *bitReader) skipUTF8() error {
	b := r.read(8)
	extra := bits.LeadingZeros8(^uint8(b))
	switch {
	case extra == 0:
		return nil
	case extra == 1 || extra > 7:
		return malformed("flac: bad frame number")
	}
	for range extra - 1 {
		if r.read(8)>>6 != 2 {
			return malformed("flac: bad frame number")
		}
	}
	return nil
}

var (
	crc8Table [256]uint8
	// crc16Tables[k][x] is the CRC-16 of byte x followed by k zero bytes: eight of them fold
	// eight bytes per step (slicing-by-8), four times faster than a byte at a time.
	crc16Tables [8][256]uint16
)

func init() {
	for i := range 256 {
		c8, c16 := uint8(i), uint16(i)<<8
		for range 8 {
			c8 = c8<<1 ^ uint8(-(c8>>7))&0x07
			c16 = c16<<1 ^ uint16(-(c16>>15))&0x8005
		}
		crc8Table[i], crc16Tables[0][i] = c8, c16
	}
	for k := 1; k < 8; k++ {
		for i := range 256 {
			c := crc16Tables[k-1][i]
			crc16Tables[k][i] = c<<8 ^ crc16Tables[0][c>>8]
		}
	}
}

// crc8 is FLAC's frame header checksum (polynomial x^8 + x^2 + x + 1).
func crc8(b []byte) uint8 {
	var c uint8
	for _, x := range b {
		c = crc8Table[c^x]
	}
	return c
}

// crc16 is FLAC's frame checksum (polynomial x^16 + x^15 + x^2 + 1).
func crc16(b []byte) uint16 {
	var c uint16
	t := &crc16Tables
	for ; len(b) >= 8; b = b[8:] {
		c ^= uint16(b[0])<<8 | uint16(b[1])
		c = t[7][c>>8] ^ t[6][c&0xFF] ^ t[5][b[2]] ^ t[4][b[3]] ^ t[3][b[4]] ^ t[2][b[5]] ^ t[1][b[6]] ^ t[0][b[7]]
	}
	for _, x := range b {
		c = c<<8 ^ t[0][byte(c>>8)^x]
	}
	return c
}
