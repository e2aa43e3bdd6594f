package audio

import (
	"fmt"
	"math"
)

// Quality selects the anti-alias/anti-image filter a Resampler designs. The zero value is
// QualityHigh, which is what exports use.
type Quality int

const (
	// QualityHigh keeps the band up to 0.907 × the lower Nyquist frequency flat within
	// ±0.001 dB (20 kHz when either rate is 44.1 kHz) and attenuates everything at and above
	// the lower Nyquist frequency by at least 100 dB (design target 105 dB). There is no
	// aliasing or imaging band: the transition ends exactly at min(in, out)/2.
	QualityHigh Quality = iota
	// QualityFast keeps 0.80 × the lower Nyquist frequency and attenuates by 80 dB, with a
	// filter about 40% the length of QualityHigh's; meant for previews.
	QualityFast
)

// filterSpec is the design of one quality level: passband edge as a fraction of the lower
// Nyquist frequency and the stop-band attenuation fed to Kaiser's formulas, in dB.
type filterSpec struct {
	passFraction float64
	attenuation  float64
}

func (q Quality) spec() (filterSpec, error) {
	switch q {
	case QualityHigh:
		// 20000/22050 = 0.907: 20 kHz passband at 44.1 kHz. 105 dB leaves 5 dB of margin
		// over the 100 dB requirement for float32 coefficient rounding and Kaiser's
		// approximate length formula.
		return filterSpec{passFraction: 0.907, attenuation: 105}, nil
	case QualityFast:
		return filterSpec{passFraction: 0.80, attenuation: 80}, nil
	}
	return filterSpec{}, fmt.Errorf("audio: unknown resampler quality %d", int(q))
}

// maxExactPhases is the largest reduced interpolation factor L for which the polyphase bank
// holds one sub-filter per output phase (44.1↔48 kHz needs 160, 44.1→96 kHz 320). Above it
// the bank is sampled at fineBankPhases phases and coefficients are linearly interpolated
// between neighbouring phases.
const (
	maxExactPhases = 640
	fineBankPhases = 1024
)

// maxBankSize caps the coefficient bank (in float32s, 64 MiB) so an absurd ratio such as
// 192000→1 Hz is refused instead of allocating gigabytes.
const maxBankSize = 1 << 24

// blockSize is how many output frames the inner kernel computes per call (a dozen repeats of
// the 160 phases of 44.1↔48 kHz); the offsets of a block live on the stack, so Process
// allocates nothing per sample.
const blockSize = 2048

// Resampler is a reusable plan that converts a sampled signal from one rate to another with a
// polyphase windowed-sinc filter (Kaiser window). The filter bank is designed once in
// NewResampler; Process only reads it, so one Resampler may be used by several goroutines.
//
// The rate ratio is reduced to L/M = out/in by their greatest common divisor. Output frame j
// sits at input time t = j·M/L frames and is
//
//	y[j] = Σ_i x[i] · g(t − i),   g(τ) = a·sinc(a·τ)·w(τ/(K/2)),   a = 2·fc/in
//
// where sinc(x) = sin(πx)/(πx), fc is the cutoff in Hz (the middle of the transition band),
// w is the Kaiser window I0(β·√(1−u²))/I0(β) on |u| ≤ 1 and K is the number of taps each
// output frame reads. g is symmetric about zero, so the output has no group delay: an event
// at input frame k appears at output frame k·L/M. Samples outside the input are taken as
// zero. β and K follow Kaiser's design formulas for stop-band attenuation A dB and
// transition width Δf Hz (J. F. Kaiser, "Nonrecursive digital filter design using the
// I0-sinh window function", Proc. IEEE ISCAS 1974; Oppenheim & Schafer, Discrete-Time
// Signal Processing, 3rd ed., §7.5.3):
//
//	β = 0.1102·(A − 8.7)                                   for A > 50
//	K ≥ (A − 7.95) / (2.285 · 2π · Δf/in) + 1              taps at the input rate
//
// K is rounded up to a multiple of 16 for the SIMD kernels, which only lengthens the window.
// g is tabulated at L phases (t mod 1 = p/L exactly) when L ≤ 640; for larger L (ratios such
// as 44100→48001) it is tabulated at 1024 phases and linearly interpolated, which adds an
// error below −100 dB relative to full scale (see TestResamplerArbitraryRatioStaysClean).
// Each phase is scaled so its taps sum to 1, so DC passes with unit gain at every phase.
//
// On amd64 the inner products run in AVX-512 or AVX2/FMA assembly when the CPU has it. The
// kernels add in different orders, so outputs may differ between machines by float32
// rounding (about 1e-7 relative); on one machine they are deterministic.
type Resampler struct {
	inRate, outRate int
	l, m            int64 // reduced out/in ratio
	k               int   // taps per phase, a multiple of 16
	fine            bool  // coefficients interpolated between fineBankPhases phases
	phases          int
	coef            []float32 // phases(+1 when fine) × k, phase p at [p·k, (p+1)·k)
	cutoff          float64   // Hz
	beta            float64
	// convolve is the inner-product kernel, the CPU's best unless a benchmark swaps it.
	convolve func(dst, coef, x []float32, co, xo, do []int32, k int)
}

// NewResampler designs the filter bank that converts from inRate to outRate (Hz) at quality
// q. inRate == outRate gives an identity plan whose Process copies its input.
func NewResampler(inRate, outRate int, q Quality) (*Resampler, error) {
	if inRate <= 0 || outRate <= 0 {
		return nil, fmt.Errorf("audio: resample %d Hz to %d Hz: rates must be positive", inRate, outRate)
	}
	spec, err := q.spec()
	if err != nil {
		return nil, err
	}
	g := gcd(inRate, outRate)
	r := &Resampler{inRate: inRate, outRate: outRate, l: int64(outRate / g), m: int64(inRate / g), convolve: convolve}
	if r.l == r.m {
		return r, nil
	}
	nyq := 0.5 * float64(min(inRate, outRate))
	pass := spec.passFraction * nyq
	r.cutoff = 0.5 * (pass + nyq)
	r.beta = kaiserBeta(spec.attenuation)
	width := (nyq - pass) / float64(inRate) // transition width, cycles per input sample
	taps := (spec.attenuation-7.95)/(2.285*2*math.Pi*width) + 1
	r.k = (int(math.Ceil(taps)) + 15) &^ 15
	r.phases = int(r.l)
	bank := r.phases
	if r.l > maxExactPhases {
		r.fine = true
		r.phases = fineBankPhases
		bank = fineBankPhases + 1 // phase fineBankPhases is phase 0 one frame later
	}
	if bank*r.k > maxBankSize {
		return nil, fmt.Errorf("audio: resample %d Hz to %d Hz: ratio too extreme (%d-tap filter)", inRate, outRate, r.k)
	}
	r.coef = make([]float32, bank*r.k)
	a := 2 * r.cutoff / float64(inRate)
	half := float64(r.k / 2)
	i0b := besselI0(r.beta)
	row := make([]float64, r.k)
	for p := range bank {
		frac := float64(p) / float64(r.phases)
		var sum float64
		for j := range row {
			// Tap j reads input frame base−K/2+1+j, which lies τ frames before t.
			tau := frac + half - 1 - float64(j)
			u := tau / half
			var w float64
			if u > -1 && u < 1 {
				w = besselI0(r.beta*math.Sqrt(1-u*u)) / i0b
			}
			row[j] = a * sinc(a*tau) * w
			sum += row[j]
		}
		c := r.coef[p*r.k : (p+1)*r.k]
		for j, v := range row {
			c[j] = float32(v / sum)
		}
	}
	return r, nil
}

// InRate is the input sample rate in Hz.
func (r *Resampler) InRate() int { return r.inRate }

// OutRate is the output sample rate in Hz.
func (r *Resampler) OutRate() int { return r.outRate }

// Taps is the number of input frames each output frame reads (0 for an identity plan).
func (r *Resampler) Taps() int { return r.k }

// Cutoff is the filter's −6 dB frequency in Hz, the middle of the transition band
// (0 for an identity plan).
func (r *Resampler) Cutoff() float64 { return r.cutoff }

// Beta is the Kaiser window's shape parameter β (0 for an identity plan).
func (r *Resampler) Beta() float64 { return r.beta }

// OutLen is the number of output frames for n input frames: ceil(n·out/in), every output
// frame whose time j·in/out lies inside the input.
func (r *Resampler) OutLen(n int) int {
	if n <= 0 {
		return 0
	}
	return int((int64(n)*r.l + r.m - 1) / r.m)
}

// Process resamples one channel src into dst and returns dst[:OutLen(len(src))]. dst is
// grown when its capacity is too small (nil allocates) and must not overlap src. src may
// hold up to 2³¹ − 1 − Taps() frames (13 hours at 44.1 kHz); Process panics beyond that,
// because the kernels index frames with int32.
func (r *Resampler) Process(dst, src []float32) []float32 {
	if int64(len(src)) > math.MaxInt32-int64(r.k)-1 {
		panic(fmt.Sprintf("audio: Resampler.Process: %d frames is more than %d", len(src), math.MaxInt32-r.k-1))
	}
	n := r.OutLen(len(src))
	if cap(dst) < n {
		dst = make([]float32, n)
	}
	dst = dst[:n]
	if r.l == r.m {
		copy(dst, src)
		return dst
	}
	// Output j reads input frames [base−K/2+1, base+K/2] with base = floor(j·M/L). The
	// frames whose window lies inside src form one contiguous run [lo, hi) that the kernel
	// computes without bounds checks; the few at each edge take the checked path.
	h := int64(r.k / 2)
	lo := min(int64(n), ((h-1)*r.l+r.m-1)/r.m) // smallest j with base ≥ K/2−1
	hi := lo
	if last := int64(len(src)) - 1 - h; last >= h-1 {
		// largest j with base ≤ len−1−K/2 is floor(((last+1)·L − 1)/M)
		hi = min(int64(n), ((last+1)*r.l-1)/r.m+1)
	}
	hi = max(hi, lo)
	for j := int64(0); j < lo; j++ {
		dst[j] = r.edge(src, j)
	}
	if r.fine {
		r.fineRun(dst, src, lo, hi)
	} else {
		r.exactRun(dst, src, lo, hi)
	}
	for j := hi; j < int64(n); j++ {
		dst[j] = r.edge(src, j)
	}
	return dst
}

// exactRun computes outputs [lo, hi) when the bank holds every phase. Within a block the
// outputs are visited phase by phase (j, j+L, j+2L, …) so each sub-filter is read from
// memory once per block and then served from L1 cache; the bank for 44.1→48 kHz (100 KB)
// does not fit in L1, and visiting outputs in time order costs about 40% more.
func (r *Resampler) exactRun(dst, src []float32, lo, hi int64) {
	var co, xo, do [blockSize]int32
	k := int64(r.k)
	for j0 := lo; j0 < hi; {
		nb := min(int64(blockSize), hi-j0)
		b := 0
		for s := range min(r.l, nb) {
			t := (j0 + s) * r.m
			base, p := t/r.l, t%r.l
			for j := s; j < nb; j += r.l {
				co[b] = int32(p * k)
				xo[b] = int32(base - k/2 + 1)
				do[b] = int32(j)
				base += r.m
				b++
			}
		}
		r.convolve(dst[j0:j0+nb], r.coef, src, co[:nb], xo[:nb], do[:nb], r.k)
		j0 += nb
	}
}

// fineRun computes outputs [lo, hi) from the fine bank, interpolating linearly between the
// two phases that bracket each output's fractional position.
func (r *Resampler) fineRun(dst, src []float32, lo, hi int64) {
	var co0, co1, xo, do [blockSize]int32
	var y1 [blockSize]float32
	for b := range do {
		do[b] = int32(b)
	}
	var alpha [blockSize]float32
	k := int64(r.k)
	scale := float64(r.phases) / float64(r.l)
	for j := lo; j < hi; {
		nb := min(int64(blockSize), hi-j)
		for b := range nb {
			t := (j + b) * r.m
			base, rem := t/r.l, t%r.l
			pf := float64(rem) * scale
			p := int64(pf)
			alpha[b] = float32(pf - float64(p))
			co0[b] = int32(p * k)
			co1[b] = int32((p + 1) * k)
			xo[b] = int32(base - k/2 + 1)
		}
		y0 := dst[j : j+nb]
		r.convolve(y0, r.coef, src, co0[:nb], xo[:nb], do[:nb], r.k)
		r.convolve(y1[:nb], r.coef, src, co1[:nb], xo[:nb], do[:nb], r.k)
		for b := range y0 {
			y0[b] += alpha[b] * (y1[b] - y0[b])
		}
		j += nb
	}
}

// edge computes output j with the input's zero padding made explicit.
func (r *Resampler) edge(src []float32, j int64) float32 {
	t := j * r.m
	base, rem := t/r.l, t%r.l
	p, alpha := rem, 0.0
	if r.fine {
		pf := float64(rem) * float64(r.phases) / float64(r.l)
		p = int64(pf)
		alpha = pf - float64(p)
	}
	first := base - int64(r.k/2) + 1
	dot := func(p int64) float64 {
		c := r.coef[p*int64(r.k) : (p+1)*int64(r.k)]
		var s float64
		for i, v := range c {
			if x := first + int64(i); x >= 0 && x < int64(len(src)) {
				s += float64(v) * float64(src[x])
			}
		}
		return s
	}
	y := dot(p)
	if alpha != 0 {
		y += alpha * (dot(p+1) - y)
	}
	return float32(y)
}

// convolveGeneric is the portable kernel: dst[do[b]] = Σ_{i<k} coef[co[b]+i]·x[xo[b]+i] for
// every b, with four partial sums to shorten the dependency chain.
func convolveGeneric(dst, coef, x []float32, co, xo, do []int32, k int) {
	for b := range co {
		c := coef[co[b] : int(co[b])+k]
		v := x[xo[b] : int(xo[b])+len(c)]
		var s0, s1, s2, s3 float32
		for i := 0; i+4 <= len(c) && i+4 <= len(v); i += 4 {
			s0 += c[i] * v[i]
			s1 += c[i+1] * v[i+1]
			s2 += c[i+2] * v[i+2]
			s3 += c[i+3] * v[i+3]
		}
		dst[do[b]] = (s0 + s1) + (s2 + s3)
	}
}

// Resample returns a new Buffer holding buf converted to rate Hz at QualityHigh, channel by
// channel (mono stays mono). When rate equals buf.SampleRate the result is an exact copy.
// It panics when NewResampler refuses the rates (a rate that is not positive, which a
// validated Buffer never has, or a downsampling ratio so steep that the filter bank would
// exceed 64 MiB).
// Converting many buffers between the same rates is cheaper with one Resampler.
func Resample(buf *Buffer, rate int) *Buffer {
	r, err := NewResampler(buf.SampleRate, rate, QualityHigh)
	if err != nil {
		panic(err)
	}
	return r.ResampleBuffer(buf)
}

// ResampleBuffer returns a new Buffer at r's output rate holding every channel of buf
// processed by r. buf.SampleRate must equal r.InRate(); it panics otherwise.
func (r *Resampler) ResampleBuffer(buf *Buffer) *Buffer {
	if buf.SampleRate != r.inRate {
		panic(fmt.Sprintf("audio: resampler built for %d Hz given a %d Hz buffer", r.inRate, buf.SampleRate))
	}
	out := &Buffer{SampleRate: r.outRate, Data: make([][]float32, len(buf.Data))}
	for c, ch := range buf.Data {
		out.Data[c] = r.Process(nil, ch)
	}
	return out
}

// kaiserBeta is Kaiser's empirical β for a stop-band attenuation of a dB (Kaiser 1974;
// Oppenheim & Schafer eq. 7.62).
func kaiserBeta(a float64) float64 {
	switch {
	case a > 50:
		return 0.1102 * (a - 8.7)
	case a >= 21:
		return 0.5842*math.Pow(a-21, 0.4) + 0.07886*(a-21)
	}
	return 0
}

// besselI0 is the zeroth-order modified Bessel function of the first kind,
// I0(x) = Σ_k ((x/2)^k / k!)², summed until the terms fall below 1e-17 of the total
// (Abramowitz & Stegun 9.6.12).
func besselI0(x float64) float64 {
	sum, term := 1.0, 1.0
	q := x * x / 4
	for k := 1.0; term > 1e-17*sum; k++ {
		term *= q / (k * k)
		sum += term
	}
	return sum
}

// sinc is the normalised sinc function sin(πx)/(πx).
func sinc(x float64) float64 {
	if x == 0 {
		return 1
	}
	return math.Sin(math.Pi*x) / (math.Pi * x)
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
