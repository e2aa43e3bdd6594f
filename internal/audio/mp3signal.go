package audio

import "math"

// The Layer III signal path after Huffman decoding: requantisation, stereo, reordering, alias
// reduction, the IMDCT and the polyphase synthesis filterbank (ISO/IEC 11172-3 §2.4.3.4 and
// Annex A). See mp3layer3.go for the bitstream.

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

// arrangeTaps lays the synthesis window D out as synthesize reads it.
func (t *mp3Tables) arrangeTaps(window *[512]float32) {
	for j := range 32 {
		for i := range 8 {
			t.taps[16*j+2*i] = window[64*i+j]
			t.taps[16*j+2*i+1] = window[64*i+32+j]
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
