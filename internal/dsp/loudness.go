package dsp

import "math"

// LoudnessFloor is the loudness, in LUFS, reported when BS.1770 gating leaves no block: the
// absolute gate is −70 LUFS, so no gated measurement can read lower, and a finite floor keeps
// results representable in JSON (which has no −Inf).
const LoudnessFloor = -70.0

// Loudness is an ITU-R BS.1770-4 / EBU R128 measurement.
type Loudness struct {
	// Integrated is the gated programme loudness in LUFS: the mean K-weighted power of the
	// 400 ms blocks (75 % overlap) above the −70 LUFS absolute gate and above the relative gate
	// 10 LU below the absolute-gated loudness. LoudnessFloor when no block passes or the
	// signal is shorter than one block.
	Integrated float64
	// MaxMomentary is the largest momentary (400 ms block) loudness in LUFS, blocks starting
	// every 100 ms. A signal shorter than 400 ms is measured as one block zero-padded to
	// 400 ms, the reading a meter shows after the sound has played. Never below −120 LUFS.
	MaxMomentary float64
	// Blocks is the number of complete 400 ms blocks.
	Blocks int
}

// ChannelWeight is the BS.1770-4 weight G_c of channel c of n. It assumes the WAVE/SMPTE
// channel order: for 1–4 channels every weight is 1; for five channels L R C Ls Rs, the
// surrounds (3, 4) weigh 1.41; for six or more L R C LFE Ls Rs …, the LFE (3) is excluded
// (weight 0) and channels 4 and 5 weigh 1.41; any further channels weigh 1.
func ChannelWeight(c, n int) float64 {
	switch {
	case n == 5 && (c == 3 || c == 4):
		return 1.41
	case n >= 6 && c == 3:
		return 0
	case n >= 6 && (c == 4 || c == 5):
		return 1.41
	}
	return 1
}

// MeasureLoudness measures channels (planar, full scale 1.0, all the same length) at
// sampleRate per BS.1770-4: K-weighting (see KWeighting), mean square per channel over
// 100 ms sub-blocks, 400 ms blocks formed from four sub-blocks (75 % overlap), channel weights
// from ChannelWeight, block loudness l = −0.691 + 10·log10(Σ G_c·z_c), then the two-stage
// gating of §2.8. It is verified against the EBU Tech 3341 test signals in the tests.
func MeasureLoudness(channels [][]float32, sampleRate int) Loudness {
	res := Loudness{Integrated: LoudnessFloor, MaxMomentary: -120}
	if len(channels) == 0 || sampleRate <= 0 {
		return res
	}
	n := len(channels[0])
	fs := float64(sampleRate)
	// Sub-block j covers samples [edge(j), edge(j+1)).
	nsub := int(math.Floor(float64(n) / (fs / 10)))
	edge := func(j int) int { return int(math.Round(float64(j) * fs / 10)) }
	if nsub > 0 && edge(nsub) > n {
		nsub--
	}
	subs := make([]float64, nsub+1) // weighted sums of squares; the last collects the tail
	shelfC, hpC := KWeighting(fs)
	for c, ch := range channels {
		g := ChannelWeight(c, len(channels))
		if g == 0 {
			continue
		}
		s1, s2 := shelfC, hpC
		var a1, a2, b1, b2 float64 // filter states
		j, next := 0, edge(1)
		if nsub == 0 {
			next = n
		}
		var acc float64
		for i, v := range ch {
			if i == next {
				subs[j] += g * acc
				acc = 0
				j++
				if j < nsub {
					next = edge(j + 1)
				} else {
					next = n
				}
			}
			x := float64(v) + antiDenormal
			y := s1.B0*x + a1
			a1 = s1.B1*x - s1.A1*y + a2
			a2 = s1.B2*x - s1.A2*y
			z := s2.B0*y + b1
			b1 = s2.B1*y - s2.A1*z + b2
			b2 = s2.B2*y - s2.A2*z
			acc += z * z
		}
		subs[j] += g * acc
	}
	if nsub < 4 {
		// Shorter than one block: one block zero-padded to 400 ms.
		var e float64
		for _, v := range subs {
			e += v
		}
		res.MaxMomentary = blockLUFS(e / (0.4 * fs))
		return res
	}
	nb := nsub - 3
	res.Blocks = nb
	power := make([]float64, nb)
	var absSum float64
	var absN int
	for i := 0; i < nb; i++ {
		e := subs[i] + subs[i+1] + subs[i+2] + subs[i+3]
		p := e / float64(edge(i+4)-edge(i))
		power[i] = p
		l := blockLUFS(p)
		if l > res.MaxMomentary {
			res.MaxMomentary = l
		}
		if l > -70 {
			absSum += p
			absN++
		}
	}
	if absN == 0 {
		return res
	}
	rel := blockLUFS(absSum/float64(absN)) - 10
	var sum float64
	var cnt int
	for _, p := range power {
		if l := blockLUFS(p); l > -70 && l > rel {
			sum += p
			cnt++
		}
	}
	if cnt > 0 {
		res.Integrated = math.Max(blockLUFS(sum/float64(cnt)), LoudnessFloor)
	}
	return res
}

// antiDenormal is added to every input sample of the K-weighting filters. In digital
// silence the recursive states would otherwise decay into subnormal float64 range within
// ~0.1 s, where arithmetic is about a hundred times slower; the RLB high-pass removes this
// constant, which adds ~1e-50 to the block powers (−500 LUFS).
const antiDenormal = 1e-25

// blockLUFS converts a weighted mean square to LUFS, never below −120.
func blockLUFS(p float64) float64 {
	if p <= 1e-12 {
		return -120
	}
	return math.Max(-0.691+10*math.Log10(p), -120)
}
