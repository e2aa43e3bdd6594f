package audio

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"go/format"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/hajimehoshi/go-mp3"
)

// The Layer III Huffman code tables and the synthesis window are data of ISO/IEC 11172-3
// (Tables B.7 and B.3). mp3derived.go holds them as this test recovers them from the reference
// decoder: it feeds go-mp3 frames built bit by bit and reads the spectrum back from the PCM
// that comes out. The test fails when the committed tables differ from what it recovers;
// -update-mp3-tables rewrites the file.

var updateMP3Tables = flag.Bool("update-mp3-tables", false, "rewrite mp3derived.go from the reference decoder")

// goMP3 decodes frames with the reference decoder into interleaved stereo in [-1, 1).
func goMP3(t testing.TB, data []byte) []float64 {
	t.Helper()
	dec, err := mp3.NewDecoder(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(dec)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]float64, len(raw)/2)
	for i := range out {
		out[i] = float64(int16(binary.LittleEndian.Uint16(raw[2*i:]))) / 32768
	}
	return out
}

// mp3Probe reads which values a bit string codes. A line holding value v comes out of the
// decoder as sign(v)·|v|^(4/3) times that line's response, which the probe measures first with
// count1 table B, whose codes are fixed-length. A least-squares fit over the responses of lines
// 0–7 then gives each line's value from the PCM.
type mp3Probe struct {
	t     testing.TB
	basis [8][]float64
	seen  map[string][]int // values by bit string, for each table in turn
}

// mp3ProbeGain keeps a value of 30 (an escape with linbits) clear of clipping.
const mp3ProbeGain = 177

func newMP3Probe(t testing.TB) *mp3Probe {
	p := &mp3Probe{t: t, seen: map[string][]int{}}
	for line := range p.basis {
		var w mp3BitWriter
		if line >= 4 {
			w.putString("1111") // lines 0–3 zero
		}
		w.put(uint64(15-8>>(line%4)), 4)
		w.put(0, 1) // positive
		p.basis[line] = p.decode(mp3TestGranule{part23: w.n, gain: mp3ProbeGain, count1Table: 1}, &w)
	}
	return p
}

// decode returns the first frame's output, which holds most of the response (the rest rings
// into the next frame).
func (p *mp3Probe) decode(g mp3TestGranule, main *mp3BitWriter) []float64 {
	return goMP3(p.t, mp3TestFrame([2]mp3TestGranule{g, {}}, main))
}

// values decodes bits followed by ones as region 0 of a big-value table (lines 0 and 1), or
// with table < 0 as a count1 table A quadruple (lines 0–3). The ones after the code make any
// count1 quadruple that follows zero under table B, or at most one line non-zero.
func (p *mp3Probe) values(table int, bits string) ([]int, bool) {
	// A prefix's "0" probe is its 0 child's "1" probe: the bits that follow are all ones.
	if v, ok := p.seen[bits]; ok {
		return v, v != nil
	}
	v, ok := p.measure(table, bits)
	p.seen[bits] = v
	return v, ok
}

func (p *mp3Probe) measure(table int, bits string) ([]int, bool) {
	var w mp3BitWriter
	w.putString(bits + strings.Repeat("1", 64))
	g := mp3TestGranule{part23: len(bits) + 40, bigValues: 1, gain: mp3ProbeGain, table: table, count1Table: 1}
	lines := 2
	if table < 0 {
		g = mp3TestGranule{part23: len(bits) + 40, gain: mp3ProbeGain}
		lines = 4
	}
	pcm := p.decode(g, &w)
	c := leastSquares(p.basis[:], pcm)
	out := make([]int, lines)
	for i := range out {
		m := math.Pow(math.Abs(c[i]), 0.75)
		r := math.Round(m)
		if m < 14.5 && math.Abs(m-r) > 0.35 {
			return nil, false
		}
		out[i] = int(r)
	}
	return out, true
}

// walk finds every code under prefix: a prefix is a whole code when the bit after it does not
// change the values decoded (values of 15 and more are escapes whose linbits follow, so they
// compare as 15). Codes are packed as in mp3derived.go.
func (p *mp3Probe) walk(table int, prefix string, codes *[]uint32) {
	if len(prefix) > 19 {
		p.t.Fatalf("table %d: no code ends within %q", table, prefix)
	}
	a, okA := p.values(table, prefix+"0")
	b, okB := p.values(table, prefix+"1")
	same := okA && okB
	for i := range a {
		if same && min(a[i], 15) != min(b[i], 15) {
			same = false
		}
	}
	if !same {
		p.walk(table, prefix+"0", codes)
		p.walk(table, prefix+"1", codes)
		return
	}
	v := 0
	for _, x := range a {
		v = v<<4 | min(x, 15)
	}
	if table < 0 { // a quadruple packs as v w x y bits
		v = a[0]<<3 | a[1]<<2 | a[2]<<1 | a[3]
	}
	code := uint32(0)
	for _, c := range prefix {
		code = code<<1 | uint32(c-'0')
	}
	*codes = append(*codes, uint32(len(prefix))<<27|code<<8|uint32(v))
}

// deriveWindow recovers the synthesis window D. Output sample j of a slot is
// Σ_i D[64i+j]·V[128i+j] + D[64i+32+j]·V[128i+96+j], so decoding a random stream once per
// term, with a window that is 1 on that term, gives the V values; a least-squares fit of
// go-mp3's output over them gives D for each j. The standard's D is a multiple of 2^-16; go-mp3
// runs about 1e-4 quieter overall, which the fit finds and divides out.
func deriveWindow(t testing.TB) [512]int32 {
	data := synthMP3(rand.New(rand.NewPCG(1, 2)), 400, 186)
	first, _ := parseMP3Header(data)
	ref := goMP3(t, data)
	var terms [16][]float32
	for k := range terms {
		tabs := *mp3TablesOnce()
		var window [512]float32
		for j := range 32 {
			window[64*(k%8)+32*(k/8)+j] = 1
		}
		tabs.arrangeTaps(&window)
		out := newPlanar(1, 0, limits{maxFrames: 1 << 30})
		if err := newMP3Layer3(first, &tabs).decode(bytes.NewReader(data), 0, int64(len(data)), out); err != nil {
			t.Fatal(err)
		}
		terms[k] = out.data[0]
		if len(terms[k])*2 != len(ref) {
			t.Fatalf("decoded %d samples, reference %d", len(terms[k]), len(ref)/2)
		}
	}
	var D [512]float64
	for j := range 32 {
		cols := make([][]float64, 16)
		for k := range cols {
			for n := j; n < len(terms[k]); n += 32 {
				cols[k] = append(cols[k], float64(terms[k][n]))
			}
		}
		var y []float64
		for n := j; n < len(terms[0]); n += 32 {
			y = append(y, ref[2*n])
		}
		// A clipped sample is not the sum the fit assumes.
		for i, v := range y {
			if math.Abs(v) > 0.99 {
				y[i] = 0
				for k := range cols {
					cols[k][i] = 0
				}
			}
		}
		for k, d := range leastSquares(cols, y) {
			D[64*(k%8)+32*(k/8)+j] = d
		}
	}
	scale, best := 1.0, math.Inf(1)
	for s := 0.9990; s < 1.0005; s += 1e-7 {
		e := 0.0
		for _, d := range D {
			v := d * 65536 / s
			e += (v - math.Round(v)) * (v - math.Round(v))
		}
		if e < best {
			scale, best = s, e
		}
	}
	var out [512]int32
	worst := 0.0
	for i, d := range D {
		v := d * 65536 / scale
		if math.Abs(v-math.Round(v)) > 0.3 {
			t.Fatalf("D[%d] = %.3f/65536 is not near a whole number", i, v)
		}
		worst = max(worst, math.Abs(v-math.Round(v)))
		out[i] = int32(math.Round(v))
	}
	t.Logf("window: go-mp3 runs %.6f of the standard's level; the fit is at most %.3f from whole multiples of 2^-16", scale, worst)
	// D[64i+16] multiplies V[16], which is always 0, so no fit can see it; the window's
	// symmetry (D[512−i] = −D[i], except at multiples of 64) supplies it.
	for i := 16; i < 512; i += 64 {
		out[i] = -out[512-i]
	}
	return out
}

// leastSquares solves min ‖Σ c_k·cols[k] − y‖ by the normal equations; a column that is all
// zero gets 0.
func leastSquares(cols [][]float64, y []float64) []float64 {
	n := len(cols)
	a := make([][]float64, n)
	for p := range a {
		a[p] = make([]float64, n+1)
		for q := range n {
			for i := range y {
				a[p][q] += cols[p][i] * cols[q][i]
			}
		}
		for i := range y {
			a[p][n] += cols[p][i] * y[i]
		}
		if a[p][p] == 0 {
			a[p][p] = 1
		}
	}
	for c := range n {
		piv := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[piv][c]) {
				piv = r
			}
		}
		a[c], a[piv] = a[piv], a[c]
		for r := range n {
			if r != c {
				f := a[r][c] / a[c][c]
				for k := c; k <= n; k++ {
					a[r][k] -= f * a[c][k]
				}
			}
		}
	}
	x := make([]float64, n)
	for i := range x {
		x[i] = a[i][n] / a[i][i]
	}
	return x
}

func TestMP3TablesFromReference(t *testing.T) {
	if testing.Short() {
		t.Skip("probes the reference decoder some 15,000 times")
	}
	p := newMP3Probe(t)
	var b strings.Builder
	b.WriteString("// Code generated by TestMP3TablesFromReference -update-mp3-tables; DO NOT EDIT.\n\npackage audio\n\n")
	b.WriteString("// mp3HuffCodes holds the Layer III big-value code tables (ISO/IEC 11172-3 Table B.7) by\n")
	b.WriteString("// table number, each entry length<<27 | code<<8 | x<<4 | y. Tables 17–23 and 25–31 have the\n")
	b.WriteString("// codes of 16 and 24 and differ only in their linbits.\n")
	b.WriteString("var mp3HuffCodes = [32][]uint32{\n")
	for _, table := range []int{1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 16, 24} {
		var codes []uint32
		clear(p.seen)
		p.walk(table, "", &codes)
		fmt.Fprintf(&b, "%d: {%s},\n", table, list(codes, "0x%08x", 8))
	}
	b.WriteString("}\n\n// mp3Count1A is count1 table A: entries length<<27 | code<<8 | v<<3 | w<<2 | x<<1 | y.\n")
	var quads []uint32
	clear(p.seen)
	p.walk(-1, "", &quads)
	fmt.Fprintf(&b, "var mp3Count1A = []uint32{%s}\n\n", list(quads, "0x%08x", 8))
	b.WriteString("// mp3Window is the synthesis window D[i] (Table B.3) in units of 2^-16.\n")
	window := deriveWindow(t)
	fmt.Fprintf(&b, "var mp3Window = [512]int32{%s}\n", list(window[:], "%d", 16))
	src, err := format.Source([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if *updateMP3Tables {
		if err := os.WriteFile("mp3derived.go", src, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	have, err := os.ReadFile("mp3derived.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(have, src) {
		t.Fatal("mp3derived.go differs from the tables the reference decoder gives; run with -update-mp3-tables")
	}
}

// list formats values as the body of a Go composite literal, perLine to a line.
func list[T any](v []T, format string, perLine int) string {
	var b strings.Builder
	for i, x := range v {
		if i%perLine == 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, format+", ", x)
	}
	return b.String() + "\n"
}
