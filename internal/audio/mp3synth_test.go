package audio

import (
	"math/rand/v2"
)

// Test streams built bit by bit: mono MPEG-1 Layer III frames at 44.1 kHz and 320 kbit/s with
// long blocks and no scale factors, whose spectra the tests choose.

// mp3BitWriter writes bits MSB first.
type mp3BitWriter struct {
	b []byte
	n int
}

func (w *mp3BitWriter) put(v uint64, bits int) {
	for i := bits - 1; i >= 0; i-- {
		if w.n%8 == 0 {
			w.b = append(w.b, 0)
		}
		if v>>uint(i)&1 != 0 {
			w.b[len(w.b)-1] |= 0x80 >> uint(w.n%8)
		}
		w.n++
	}
}

// putString writes a string of '0' and '1'.
func (w *mp3BitWriter) putString(s string) {
	for _, c := range s {
		w.put(uint64(c-'0'), 1)
	}
}

// mp3TestGranule is the side information a test frame's granule carries.
type mp3TestGranule struct {
	part23, bigValues, gain, table, count1Table int
}

// mp3TestFrame builds one frame from two granules' side information and their main data bits.
func mp3TestFrame(gr [2]mp3TestGranule, main *mp3BitWriter) []byte {
	var w mp3BitWriter
	w.put(0xFFFBE0C0, 32)
	w.put(0, 18) // main_data_begin, private bits, scfsi
	for _, g := range gr {
		w.put(uint64(g.part23), 12)
		w.put(uint64(g.bigValues), 9)
		w.put(uint64(g.gain), 8)
		w.put(0, 4+1)             // scalefac_compress, no window switching
		w.put(uint64(g.table), 5) // region 0's table
		w.put(0, 5+5+4+3+1+1)     // the other tables, region 0 = four lines, preflag, scale
		w.put(uint64(g.count1Table), 1)
	}
	frame := make([]byte, 1044)
	copy(frame, w.b)
	copy(frame[len(w.b):], main.b)
	return frame
}

// mp3Silence is a frame of two empty granules.
func mp3Silence() []byte {
	return mp3TestFrame([2]mp3TestGranule{}, &mp3BitWriter{})
}

// synthMP3 builds frames whose every line holds −1, 0 or 1 at random, coded with count1 table
// B (four bits per quadruple, the inverse of v w x y, then a sign per non-zero value).
func synthMP3(rng *rand.Rand, frames, gain int) []byte {
	var out []byte
	for range frames {
		var main mp3BitWriter
		var gr [2]mp3TestGranule
		for g := range gr {
			start := main.n
			for range 576 / 4 {
				var q [4]int
				code := 15
				for k := range q {
					q[k] = rng.IntN(3) - 1
					if q[k] != 0 {
						code &^= 8 >> k
					}
				}
				main.put(uint64(code), 4)
				for _, v := range q {
					if v != 0 {
						main.put(uint64(max(-v, 0)), 1)
					}
				}
			}
			gr[g] = mp3TestGranule{part23: main.n - start, gain: gain, count1Table: 1}
		}
		out = append(out, mp3TestFrame(gr, &main)...)
	}
	return out
}
