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
	var window [512]float32
	for i, k := range mp3Window {
		window[i] = float32(k) / 65536
	}
	t.arrangeTaps(&window)
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
	if h.mode == 1 && h.modeExt&1 != 0 {
		return errMP3Fallback // intensity stereo
	}
	nch := h.channels()
	var side mp3Side
	d.sideInfo(b[off:off+h.sideInfo], h, &side)
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
		if h.mode == 1 && h.modeExt&2 != 0 {
			d.midSide()
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

func (d *mp3Layer3) sideInfo(b []byte, h mp3Header, s *mp3Side) {
	var padded [32 + 8]byte // the largest side information, and room for peek32
	copy(padded[:], b)
	r := mp3Bits{b: padded[:]}
	nch := h.channels()
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
