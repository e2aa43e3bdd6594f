package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"
)

// MPEG-1 and MPEG-2 (LSF) Layer III is decoded here rather than by go-mp3, which took 64 ms for
// 8 s of stereo, twice the whole analysis of the same sound: its synthesis filterbank is a plain
// 64×32 matrix product and it requantises with math.Pow per line. This decoder runs the
// standard's steps (ISO/IEC 11172-3 §2.4.3.4, ISO/IEC 13818-3 for LSF) with table lookups,
// a DCT-IV for the IMDCT and Lee's fast DCT for the polyphase matrixing. go-mp3 stays in the
// tests as the reference, and decodes the rare streams this one declines (intensity stereo).

// errMP3Fallback marks a stream that uses a feature this decoder leaves to go-mp3.
var errMP3Fallback = errors.New("mp3: stream needs the fallback decoder")

const (
	mp3Lines     = 576  // spectral lines per granule and channel
	mp3MaxFrame  = 1441 // MPEG-1 at 320 kbit/s and 32 kHz, with its padding byte
	mp3Reservoir = 511  // the largest main_data_begin
	mp3Padding   = 64   // zero bytes after the main data (see frame)
	// mp3ReadWindow is how much of the file is read at a time.
	mp3ReadWindow = 256 << 10
)

// mp3Granule is one granule's side information for one channel.
type mp3Granule struct {
	part23, bigValues, globalGain, sfCompress int
	blockType                                 int // 0 normal, 1 start, 2 short, 3 stop
	mixed                                     bool
	table                                     [3]int
	subGain                                   [3]int
	region0, region1                          int
	preflag, sfScale, count1Table             int
}

type mp3Side struct {
	mainBegin int
	scfsi     [2][4]bool
	gr        [2][2]mp3Granule
}

// mp3Channel is the state one channel carries from granule to granule.
type mp3Channel struct {
	sfLong   [22]int
	sfShort  [13][3]int
	overlap  [32][18]float32
	synth    mp3Synth
	xr       [mp3Lines]float32
	nonzero  int // lines of xr that may be non-zero
	subbands [32][18]float32
}

// mp3HistLen is the length of one synthesis history row: 16 taps and room to write before the
// row is compacted.
const mp3HistLen = 128

// mp3Synth is one channel's synthesis filterbank state: 64 history rows (see synthesize).
type mp3Synth struct {
	hist [64 * mp3HistLen]float32
	pos  int // where the newest value of every row is; counts down
	odd  bool
	xo   [32]int32
}

// mp3Tables holds what the decoder computes once: requantisation powers and transform
// coefficients.
type mp3Tables struct {
	pow43    [8207]float32 // |x|^(4/3) for every value a Layer III stream can code
	pow2q    [420]float32  // 2^(q/4) for q in [-360, 60)
	imdct    [18][18]float32
	imdct12  [12][6]float32
	winLong  [4][36]float32
	winShort [12]float32
	cs, ca   [8]float32
	lee      [6][16]float32 // 1/(2cos) factors of Lee's DCT, by log2 of the length
	window   [512]float32   // D[i]
	taps     [512]float32   // D by output j and lag: D[64i+j], D[64i+32+j] for i = 0…7
	tapOff   [32]int32
	outIdx   [32]int32
	huff     [32]*mp3Huffman
	count1A  *mp3Huffman
}

var mp3TablesOnce = sync.OnceValue(newMP3Tables)

func newMP3Tables() *mp3Tables {
	t := &mp3Tables{}
	for i := range t.pow43 {
		t.pow43[i] = float32(math.Pow(float64(i), 4.0/3))
	}
	for i := range t.pow2q {
		t.pow2q[i] = float32(math.Pow(2, float64(i-360)/4))
	}
	// IMDCT through an 18-point DCT-IV: y[n] = Σ X[k] cos(π/72 (2n+1)(2k+1)).
	for n := range 18 {
		for k := range 18 {
			t.imdct[n][k] = float32(math.Cos(math.Pi / 72 * float64((2*n+1)*(2*k+1))))
		}
	}
	for i := range 12 {
		for k := range 6 {
			t.imdct12[i][k] = float32(math.Cos(math.Pi / 24 * float64((2*i+1+6)*(2*k+1))))
		}
		t.winShort[i] = float32(math.Sin(math.Pi / 12 * (float64(i) + 0.5)))
	}
	// Windows for block types 0 (normal), 1 (start) and 3 (stop); type 2 uses winShort.
	for i := range 36 {
		long := float32(math.Sin(math.Pi / 36 * (float64(i) + 0.5)))
		t.winLong[0][i] = long
		switch {
		case i < 18:
			t.winLong[1][i] = long
		case i < 24:
			t.winLong[1][i] = 1
		case i < 30:
			t.winLong[1][i] = float32(math.Sin(math.Pi / 12 * (float64(i-18) + 0.5)))
		}
		switch {
		case i < 6:
		case i < 12:
			t.winLong[3][i] = float32(math.Sin(math.Pi / 12 * (float64(i-6) + 0.5)))
		case i < 18:
			t.winLong[3][i] = 1
		default:
			t.winLong[3][i] = long
		}
	}
	for i, c := range [8]float64{-0.6, -0.535, -0.33, -0.185, -0.095, -0.041, -0.0142, -0.0037} {
		s := math.Sqrt(1 + c*c)
		t.cs[i], t.ca[i] = float32(1/s), float32(c/s)
	}
	for l := 1; l <= 5; l++ {
		n := 1 << l
		for k := range n / 2 {
			t.lee[l][k] = float32(1 / (2 * math.Cos(math.Pi*float64(2*k+1)/float64(2*n))))
		}
	}
	for i, codes := range mp3HuffCodes {
		if codes != nil {
			t.huff[i] = newMP3Huffman(codes)
		}
	}
	for i := 16; i < 32; i++ {
		base := 16
		if i >= 24 {
			base = 24
		}
		t.huff[i] = t.huff[base]
	}
	t.count1A = newMP3Huffman(mp3Count1A)
	for i, k := range mp3Window {
		t.window[i] = float32(k) / 65536
	}
	t.arrangeTaps()
	return t
}

// mp3Huffman decodes one code table with 8-bit lookups; longer codes chain into sub-tables.
// An entry is a leaf (mp3Leaf set: bits used at this level, then the value) or the index of
// the next level's 256 entries.
type mp3Huffman struct {
	lut []uint32
}

const mp3Leaf = 1 << 31

// newMP3Huffman builds the lookup from entries packed as length<<27 | code<<8 | value.
func newMP3Huffman(codes []uint32) *mp3Huffman {
	h := &mp3Huffman{}
	h.build(codes, 0)
	return h
}

func (h *mp3Huffman) build(codes []uint32, depth int) int {
	base := len(h.lut)
	h.lut = append(h.lut, make([]uint32, 256)...)
	var sub [256][]uint32
	for _, e := range codes {
		n := int(e>>27) - depth
		code := int(e>>8) & (1<<19 - 1)
		code &= 1<<n - 1 // the bits below this level
		if n <= 8 {
			first := code << (8 - n)
			for i := range 1 << (8 - n) {
				h.lut[base+first+i] = mp3Leaf | uint32(n)<<8 | e&0xFF
			}
			continue
		}
		sub[code>>(n-8)] = append(sub[code>>(n-8)], e)
	}
	for idx, codes := range sub {
		if codes != nil {
			h.lut[base+idx] = uint32(h.build(codes, depth+8))
		}
	}
	return base
}

// mp3Bits reads bits MSB first from a buffer that has 8 bytes of zero padding at its end.
type mp3Bits struct {
	b   []byte
	pos int // in bits
}

func (r *mp3Bits) peek32() uint32 {
	v := binary.BigEndian.Uint64(r.b[r.pos>>3:])
	return uint32(v << (r.pos & 7) >> 32)
}

func (r *mp3Bits) read(n int) int {
	if n == 0 {
		return 0
	}
	v := r.peek32() >> (32 - n)
	r.pos += n
	return int(v)
}

func (r *mp3Bits) bit() bool {
	v := r.b[r.pos>>3]>>(7-r.pos&7)&1 != 0
	r.pos++
	return v
}

// decode reads one code; callers keep pos within the padded buffer.
func (h *mp3Huffman) decode(r *mp3Bits) int {
	base := 0
	for {
		e := h.lut[base+int(r.peek32()>>24)]
		if e&mp3Leaf != 0 {
			r.pos += int(e>>8) & 0xFF
			return int(e & 0xFF)
		}
		r.pos += 8
		base = int(e)
	}
}

// mp3Layer3 decodes a stream frame by frame.
type mp3Layer3 struct {
	t        *mp3Tables
	first    mp3Header
	sfbLong  *[23]int
	sfbShort *[14]int
	res      []byte // main data of previous frames, for main_data_begin
	main     []byte // this frame's main data with the reservoir in front, padded
	ch       [2]mp3Channel
	dct      [32]float32
	scratch  [32]float32
	reorder  [mp3Lines]float32
	ints     [mp3Lines]int32
}

func newMP3Layer3(first mp3Header, t *mp3Tables) *mp3Layer3 {
	d := &mp3Layer3{t: t, first: first}
	row := 0
	if first.version != 1 {
		row = 1
	}
	ri := 0
	for i, r := range mp3Rates {
		if r>>(row) == first.sampleRate {
			ri = i
		}
	}
	d.sfbLong, d.sfbShort = &mp3SfbLong[row][ri], &mp3SfbShort[row][ri]
	d.res = make([]byte, 0, 4096)
	d.main = make([]byte, 0, mp3MaxFrame+mp3Reservoir+mp3Padding)
	return d
}

// decode decodes the frames in src[start:end] into out, which has one or two channels, reading
// a window at a time. Bytes that are not a frame of the first frame's version and rate are
// skipped; a frame cut short by the end of the data is dropped.
func (d *mp3Layer3) decode(src io.ReaderAt, start, end int64, out *planar) error {
	buf := make([]byte, min(mp3ReadWindow, end-start))
	dst := make([][]float32, len(out.data))
	have, pos, off := 0, 0, start
	for {
		// Keep a whole frame and the next header in the window while the file has more.
		if have-pos < mp3MaxFrame+4 && off < end {
			have = copy(buf, buf[pos:have])
			pos = 0
			n, err := src.ReadAt(buf[have:min(int64(len(buf)), int64(have)+end-off)], off)
			if err != nil && err != io.EOF {
				return fmt.Errorf("mp3: read: %w", err)
			}
			have += n
			off += int64(n)
			if n == 0 {
				off = end
			}
		}
		if pos+4 > have {
			return nil
		}
		h, ok := parseMP3Header(buf[pos:have])
		if !ok || h.version != d.first.version || h.sampleRate != d.first.sampleRate {
			pos++
			continue
		}
		if pos+h.frameSize > have {
			return nil
		}
		if err := out.grow(h.samples); err != nil {
			return err
		}
		for c := range dst {
			dst[c] = out.extend(c, h.samples)
		}
		if err := d.frame(buf[pos:pos+h.frameSize], h, dst); err != nil {
			return err
		}
		pos += h.frameSize
	}
}

// frame decodes one frame (header included) into out, which holds one slice of
// h.samples per output channel.
func (d *mp3Layer3) frame(b []byte, h mp3Header, out [][]float32) error {
	off := 4
	if h.crc {
		off += 2
	}
	if len(b) < off+h.sideInfo {
		return malformed("mp3: frame shorter than its side information")
	}
	nch := h.channels()
	var side mp3Side
	d.sideInfo(b[off:off+h.sideInfo], h, nch, &side)
	data := b[off+h.sideInfo:]
	ok := side.mainBegin <= len(d.res)
	if ok {
		d.main = append(d.main[:0], d.res[len(d.res)-side.mainBegin:]...)
		d.main = append(d.main, data...)
	}
	// Keep the last 511 bytes of main data for the next frame.
	d.res = append(d.res, data...)
	if len(d.res) > mp3Reservoir {
		d.res = append(d.res[:0], d.res[len(d.res)-mp3Reservoir:]...)
	}
	if !ok {
		// The stream starts in the middle (or is damaged): this frame's audio is not here.
		for _, o := range out {
			clear(o)
		}
		return nil
	}
	main := len(d.main)
	// Padding lets a damaged granule read past its data without a bounds check per bit: scale
	// factors take at most 25 bytes and one code with its linbits 6 before the check after it.
	d.main = append(d.main, make([]byte, mp3Padding)...)
	r := mp3Bits{b: d.main}
	for gr := range h.granules() {
		for c := range nch {
			g := &side.gr[gr][c]
			start := r.pos
			if h.version == 1 {
				d.scalefactorsV1(&r, g, &d.ch[c], side.scfsi[c], gr)
			} else {
				if c == 1 && h.mode == 1 && h.modeExt&1 != 0 {
					return errMP3Fallback // intensity stereo
				}
				d.scalefactorsLSF(&r, g, &d.ch[c])
			}
			end := start + g.part23
			n := 0
			if end <= main*8 {
				n = d.huffman(&r, g, end)
			}
			// A granule that claims more bits than the frame holds is damaged: it stays silent.
			r.pos = min(end, main*8)
			d.requantize(g, &d.ch[c], n)
		}
		if nch == 2 && h.mode == 1 {
			if h.modeExt&1 != 0 {
				return errMP3Fallback // intensity stereo
			}
			if h.modeExt&2 != 0 {
				d.midSide()
			}
		}
		for c := range len(out) {
			src := min(c, nch-1)
			if c > 0 && src == 0 {
				copy(out[c][gr*mp3Lines:], out[0][gr*mp3Lines:(gr+1)*mp3Lines])
				continue
			}
			d.hybrid(&side.gr[gr][src], &d.ch[src])
			d.synthesize(&d.ch[src], out[c][gr*mp3Lines:(gr+1)*mp3Lines])
		}
	}
	return nil
}

func (d *mp3Layer3) sideInfo(b []byte, h mp3Header, nch int, s *mp3Side) {
	r := mp3Bits{b: append(append(make([]byte, 0, 40), b...), make([]byte, 8)...)}
	if h.version == 1 {
		s.mainBegin = r.read(9)
		if nch == 1 {
			r.read(5)
		} else {
			r.read(3)
		}
		for c := range nch {
			for i := range 4 {
				s.scfsi[c][i] = r.bit()
			}
		}
	} else {
		s.mainBegin = r.read(8)
		r.read(nch) // private bits
	}
	for gr := range h.granules() {
		for c := range nch {
			g := &s.gr[gr][c]
			g.part23 = r.read(12)
			g.bigValues = min(r.read(9), mp3Lines/2)
			g.globalGain = r.read(8)
			if h.version == 1 {
				g.sfCompress = r.read(4)
			} else {
				g.sfCompress = r.read(9)
			}
			if r.bit() { // window switching
				g.blockType = r.read(2)
				g.mixed = r.bit()
				g.table[0], g.table[1] = r.read(5), r.read(5)
				for w := range 3 {
					g.subGain[w] = r.read(3)
				}
				// The regions are implicit: region 1 starts after 36 lines (or the first
				// eight long bands) and reaches the end.
				g.region0, g.region1 = 7, 20
				if g.blockType == 2 && !g.mixed {
					g.region0 = 8
				}
			} else {
				for i := range 3 {
					g.table[i] = r.read(5)
				}
				g.region0, g.region1 = r.read(4), r.read(3)
			}
			if h.version == 1 {
				g.preflag = r.read(1)
			}
			g.sfScale = r.read(1)
			g.count1Table = r.read(1)
		}
	}
}

// scalefactorsV1 reads MPEG-1 scale factors (ISO/IEC 11172-3 Table B.4 sizes), reusing the
// first granule's groups that scfsi marks.
func (d *mp3Layer3) scalefactorsV1(r *mp3Bits, g *mp3Granule, c *mp3Channel, scfsi [4]bool, gr int) {
	slen1, slen2 := mp3Slen[0][g.sfCompress], mp3Slen[1][g.sfCompress]
	if g.blockType == 2 {
		sfb := 0
		if g.mixed {
			for ; sfb < 8; sfb++ {
				c.sfLong[sfb] = r.read(slen1)
			}
			sfb = 3
		}
		for ; sfb < 12; sfb++ {
			n := slen1
			if sfb >= 6 {
				n = slen2
			}
			for w := range 3 {
				c.sfShort[sfb][w] = r.read(n)
			}
		}
		c.sfShort[12] = [3]int{}
		return
	}
	bounds := [5]int{0, 6, 11, 16, 21}
	for i := range 4 {
		if gr == 1 && scfsi[i] {
			continue
		}
		n := slen1
		if i >= 2 {
			n = slen2
		}
		for sfb := bounds[i]; sfb < bounds[i+1]; sfb++ {
			c.sfLong[sfb] = r.read(n)
		}
	}
	c.sfLong[21] = 0
}

// scalefactorsLSF reads MPEG-2 scale factors (ISO/IEC 13818-3 §2.4.3.2): scalefac_compress
// selects one of three partitions of the bands and the bit length of each part.
func (d *mp3Layer3) scalefactorsLSF(r *mp3Bits, g *mp3Granule, c *mp3Channel) {
	sfc := g.sfCompress
	var slen [4]int
	var part int
	switch {
	case sfc < 400:
		slen = [4]int{(sfc >> 4) / 5, (sfc >> 4) % 5, (sfc & 15) >> 2, sfc & 3}
	case sfc < 500:
		sfc -= 400
		slen = [4]int{(sfc >> 2) / 5, (sfc >> 2) % 5, sfc & 3, 0}
		part = 1
	default:
		sfc -= 500
		slen = [4]int{sfc / 3, sfc % 3, 0, 0}
		part = 2
		g.preflag = 1
	}
	col := 0
	if g.blockType == 2 {
		col = 1
		if g.mixed {
			col = 2
		}
	}
	counts := mp3LSFBands[part][col]
	var vals [39]int
	k := 0
	for i := range 4 {
		for range counts[i] {
			vals[k] = r.read(slen[i])
			k++
		}
	}
	c.sfShort = [13][3]int{}
	if g.blockType != 2 {
		copy(c.sfLong[:], vals[:21])
		c.sfLong[21] = 0
		return
	}
	k = 0
	sfb := 0
	if g.mixed {
		copy(c.sfLong[:6], vals[:6])
		k, sfb = 6, 3
	}
	for ; sfb < 12; sfb++ {
		for w := range 3 {
			c.sfShort[sfb][w] = vals[k]
			k++
		}
	}
}

// huffman decodes the big-value and count1 regions into d.ints and returns how many lines
// it decoded; the rest are zero.
func (d *mp3Layer3) huffman(r *mp3Bits, g *mp3Granule, end int) int {
	var region1, region2 int
	if g.blockType == 2 && !g.mixed {
		region1, region2 = 3*d.sfbShort[3], mp3Lines
	} else if g.blockType != 0 {
		region1, region2 = d.sfbLong[8], mp3Lines
	} else {
		region1 = d.sfbLong[min(g.region0+1, 22)]
		region2 = d.sfbLong[min(g.region0+g.region1+2, 22)]
	}
	out := &d.ints
	big := 2 * g.bigValues
	i := 0
	for i < big {
		stop, tsel := min(region1, big), g.table[0]
		if i >= region2 {
			stop, tsel = big, g.table[2]
		} else if i >= region1 {
			stop, tsel = min(region2, big), g.table[1]
		}
		h := d.t.huff[tsel]
		if h == nil { // table 0 (or the unused 4 and 14): all zero
			for ; i < stop; i++ {
				out[i] = 0
			}
			continue
		}
		lin := mp3Linbits[tsel]
		for ; i < stop; i += 2 {
			if r.pos > end {
				clear(out[i:])
				return i // damaged: the codes ran past the granule's bits
			}
			xy := h.decode(r)
			x, y := int32(xy>>4), int32(xy&15)
			if x == 15 && lin > 0 {
				x += int32(r.read(lin))
			}
			if x != 0 && r.bit() {
				x = -x
			}
			if y == 15 && lin > 0 {
				y += int32(r.read(lin))
			}
			if y != 0 && r.bit() {
				y = -y
			}
			out[i], out[i+1] = x, y
		}
	}
	for i+4 <= mp3Lines && r.pos < end {
		var q int
		if g.count1Table == 1 {
			q = 15 - r.read(4)
		} else {
			q = d.t.count1A.decode(r)
		}
		var v [4]int32
		for k := range 4 {
			if q>>(3-k)&1 != 0 {
				v[k] = 1
				if r.bit() {
					v[k] = -1
				}
			}
		}
		if r.pos > end {
			break // the last quadruple ran past the granule's bits: it is not data
		}
		out[i], out[i+1], out[i+2], out[i+3] = v[0], v[1], v[2], v[3]
		i += 4
	}
	clear(out[i:])
	return i
}

// requantize turns the decoded integers into spectral values: |x|^(4/3) scaled by the global
// gain, the scale factors (with the pre-emphasis table) and, for short blocks, the subblock
// gains, all as powers of 2^(1/4).
func (d *mp3Layer3) requantize(g *mp3Granule, c *mp3Channel, n int) {
	t, xr, ints := d.t, &c.xr, &d.ints
	c.nonzero = n
	clear(xr[n:])
	gain := g.globalGain - 210 + mp3Pow2Zero
	step := 2 * (1 + g.sfScale) // a scale factor step in quarter powers of two
	value := func(i int, f float32) {
		v := ints[i]
		if v < 0 {
			xr[i] = -t.pow43[-v] * f
		} else {
			xr[i] = t.pow43[v] * f
		}
	}
	longEnd := n
	if g.blockType == 2 {
		longEnd = 0
		if g.mixed {
			longEnd = min(36, n)
		}
	}
	for sfb := 0; d.sfbLong[sfb] < longEnd; sfb++ {
		f := t.pow2(gain - step*(c.sfLong[sfb]+g.preflag*mp3Pretab[sfb]))
		for i := d.sfbLong[sfb]; i < min(d.sfbLong[sfb+1], longEnd); i++ {
			value(i, f)
		}
	}
	if g.blockType != 2 {
		return
	}
	sfb := 0
	if g.mixed {
		sfb = 3
	}
	for ; sfb < 13; sfb++ {
		start, width := 3*d.sfbShort[sfb], d.sfbShort[sfb+1]-d.sfbShort[sfb]
		if start >= n {
			break
		}
		for w := range 3 {
			f := t.pow2(gain - 8*g.subGain[w] - step*c.sfShort[sfb][w])
			for i := start + w*width; i < min(start+(w+1)*width, n); i++ {
				value(i, f)
			}
		}
	}
}

// arrangeTaps lays the window out as synthesize reads it.
func (t *mp3Tables) arrangeTaps() {
	for j := range 32 {
		for i := range 8 {
			t.taps[16*j+2*i] = t.window[64*i+j]
			t.taps[16*j+2*i+1] = t.window[64*i+32+j]
		}
		t.tapOff[j], t.outIdx[j] = int32(16*j), int32(j)
	}
}

// mp3Pow2Zero is the index of 2^0 in mp3Tables.pow2q.
const mp3Pow2Zero = 360

func (t *mp3Tables) pow2(q int) float32 {
	return t.pow2q[min(max(q, 0), len(t.pow2q)-1)]
}

// midSide undoes M/S stereo: L = (M+S)/√2, R = (M−S)/√2.
func (d *mp3Layer3) midSide() {
	a, b := &d.ch[0], &d.ch[1]
	n := max(a.nonzero, b.nonzero)
	const r = 1 / math.Sqrt2
	for i := range n {
		m, s := a.xr[i], b.xr[i]
		a.xr[i], b.xr[i] = (m+s)*r, (m-s)*r
	}
	a.nonzero, b.nonzero = n, n
}

// hybrid runs the granule's spectrum through reordering, alias reduction, the IMDCT with
// overlap-add and the frequency inversion, leaving 18 samples per subband in c.subbands.
func (d *mp3Layer3) hybrid(g *mp3Granule, c *mp3Channel) {
	t, xr := d.t, &c.xr
	n := c.nonzero
	if g.blockType == 2 {
		sfb := 0
		if g.mixed {
			sfb = 3
		}
		for ; sfb < 13 && 3*d.sfbShort[sfb] < n; sfb++ {
			start, width := 3*d.sfbShort[sfb], d.sfbShort[sfb+1]-d.sfbShort[sfb]
			for w := range 3 {
				for j := range width {
					d.reorder[start+3*j+w] = xr[start+w*width+j]
				}
			}
			copy(xr[start:start+3*width], d.reorder[start:start+3*width])
			n = max(n, start+3*width)
		}
	}
	// Alias reduction between neighbouring long-block subbands.
	limit := 0
	switch {
	case g.blockType != 2:
		limit = min((n+17)/18, 31)
	case g.mixed:
		limit = 1
	}
	for sb := 1; sb <= limit; sb++ {
		for i := range 8 {
			lo, hi := xr[18*sb-1-i], xr[18*sb+i]
			xr[18*sb-1-i] = lo*t.cs[i] - hi*t.ca[i]
			xr[18*sb+i] = hi*t.cs[i] + lo*t.ca[i]
		}
		n = max(n, 18*sb+8)
	}
	active := (n + 17) / 18
	for sb := range 32 {
		res, ov := &c.subbands[sb], &c.overlap[sb]
		bt := g.blockType
		if g.mixed && sb < 2 {
			bt = 0
		}
		switch {
		case sb >= active:
			*res = *ov
			*ov = [18]float32{}
		case bt == 2:
			d.imdctShort(xr[18*sb:18*sb+18], res, ov)
		default:
			d.imdctLong(xr[18*sb:18*sb+18], &t.winLong[bt], res, ov)
		}
		if sb&1 == 1 {
			for i := 1; i < 18; i += 2 {
				res[i] = -res[i]
			}
		}
	}
}

// imdctLong is the 36-point IMDCT, x[i] = Σ X[k] cos(π/72 (2i+19)(2k+1)), computed from the
// 18-point DCT-IV y and the IMDCT's symmetries: x[i] = y[i+9] for i < 9, −y[26−i] for
// 9 ≤ i < 27, −y[i−27] after.
func (d *mp3Layer3) imdctLong(X []float32, win *[36]float32, res, ov *[18]float32) {
	var y [18]float32
	X = X[:18]
	for k := range 18 {
		row := &d.t.imdct[k]
		var s float32
		for j, v := range X {
			s += v * row[j]
		}
		y[k] = s
	}
	for i := range 9 {
		res[i] = y[i+9]*win[i] + ov[i]
	}
	for i := 9; i < 18; i++ {
		res[i] = -y[26-i]*win[i] + ov[i]
	}
	for i := 18; i < 27; i++ {
		ov[i-18] = -y[26-i] * win[i]
	}
	for i := 27; i < 36; i++ {
		ov[i-18] = -y[i-27] * win[i]
	}
}

// imdctShort runs three 12-point IMDCTs over one subband's interleaved short windows and
// overlaps them at offsets 6, 12 and 18 of the 36-sample block.
func (d *mp3Layer3) imdctShort(X []float32, res, ov *[18]float32) {
	var o [36]float32
	t := d.t
	for w := range 3 {
		for i := range 12 {
			var s float32
			for k := range 6 {
				s += X[3*k+w] * t.imdct12[i][k]
			}
			o[6+6*w+i] += s * t.winShort[i]
		}
	}
	for i := range 18 {
		res[i] = o[i] + ov[i]
		ov[i] = o[18+i]
	}
}

// synthesize is the polyphase synthesis filterbank (ISO/IEC 11172-3 Annex A, Figure A.2).
// Output j of slot t is Σ_i D[64i+j]·V_{t−2i}[j] + D[64i+32+j]·V_{t−2i−1}[32+j], where V_t is
// the slot's matrixing. That matrixing, cos((16+i)(2k+1)π/64), is a 32-point DCT-II folded by its
// symmetries, so Lee's fast DCT computes it. Keeping, for each j, one history that takes V[j]
// on even slots and V[32+j] on odd ones (and one the other way round) turns every output into
// a 16-tap dot product over contiguous memory, which the resampler's convolution kernel runs.
func (d *mp3Layer3) synthesize(c *mp3Channel, out []float32) {
	x := &d.dct
	for t := range 18 {
		for sb := range 32 {
			x[sb] = c.subbands[sb][t]
		}
		lee(x[:], d.scratch[:], &d.t.lee, 5)
		h := &c.synth
		if h.pos == 0 {
			// Move each history's newest 15 values to the end of its row.
			for r := range 64 {
				row := h.hist[r*mp3HistLen : (r+1)*mp3HistLen]
				copy(row[mp3HistLen-15:], row[:15])
			}
			h.pos = mp3HistLen - 15
		}
		h.pos--
		// V[j] and V[32+j] of this slot, from X = the DCT of the subband samples.
		var v0, v1 [32]float32
		for j := range 16 {
			v0[j] = x[16+j]
			v1[j] = -x[16-j]
			v1[16+j] = -x[j]
		}
		v0[16] = 0
		for j := 17; j < 32; j++ {
			v0[j] = -x[48-j]
		}
		even, odd := &v0, &v1
		if h.odd {
			even, odd = odd, even
		}
		for j := range 32 {
			h.hist[j*mp3HistLen+h.pos] = even[j]
			h.hist[(32+j)*mp3HistLen+h.pos] = odd[j]
		}
		row := 0
		if h.odd {
			row = 32
		}
		for j := range 32 {
			h.xo[j] = int32((row+j)*mp3HistLen + h.pos)
		}
		h.odd = !h.odd
		convolve(out[32*t:32*t+32], d.t.taps[:], h.hist[:], d.t.tapOff[:], h.xo[:], d.t.outIdx[:], 16)
	}
}

// lee computes the unnormalised DCT-II X[m] = Σ x[k] cos(πm(2k+1)/2n) in place (n = 2^lg)
// by Lee's recursion: the even outputs are the DCT of x[k]+x[n−1−k], the odd ones pairwise
// sums of the DCT of (x[k]−x[n−1−k])/(2cos(π(2k+1)/2n)).
func lee(x, tmp []float32, tab *[6][16]float32, lg int) {
	n := len(x)
	if n == 4 { // written out: the recursion's calls cost more than its arithmetic here
		x := (*[4]float32)(x)
		c2, c4 := tab[1][0], &tab[2]
		a0, a1 := x[0]+x[3], x[1]+x[2]
		b0, b1 := (x[0]-x[3])*c4[0], (x[1]-x[2])*c4[1]
		bb := (b0 - b1) * c2
		x[0], x[1], x[2], x[3] = a0+a1, b0+b1+bb, (a0-a1)*c2, bb
		return
	}
	h := n / 2
	c := &tab[lg]
	for k := range h {
		a, b := x[k], x[n-1-k]
		tmp[k], tmp[h+k] = a+b, (a-b)*c[k]
	}
	lee(tmp[:h], x[:h], tab, lg-1)
	lee(tmp[h:n], x[h:n], tab, lg-1)
	for k := range h - 1 {
		x[2*k], x[2*k+1] = tmp[k], tmp[h+k]+tmp[h+k+1]
	}
	x[n-2], x[n-1] = tmp[h-1], tmp[n-1]
}
