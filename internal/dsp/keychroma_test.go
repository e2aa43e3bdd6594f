package dsp

import (
	"math"
	"math/rand/v2"
	"testing"
)

// gainAt measures the gain of Halve for a sine at f (cycles per input sample) by a
// least-squares fit of the output's middle half to a·sin + b·cos at f/2 per output sample.
func gainAt(hb *Halfband, f float64) float64 {
	const n = 1 << 14
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(math.Sin(2 * math.Pi * f * float64(i)))
	}
	y := hb.Halve(nil, x)
	var ss, sc, cc, ys, yc float64
	for i := len(y) / 4; i < 3*len(y)/4; i++ {
		s, c := math.Sin(2*math.Pi*2*f*float64(i)), math.Cos(2*math.Pi*2*f*float64(i))
		ss += s * s
		sc += s * c
		cc += c * c
		ys += float64(y[i]) * s
		yc += float64(y[i]) * c
	}
	det := ss*cc - sc*sc
	if math.Abs(det) < 1e-9 { // the output frequency is 0 or Nyquist: use the RMS
		var e float64
		for i := len(y) / 4; i < 3*len(y)/4; i++ {
			e += float64(y[i]) * float64(y[i])
		}
		return math.Sqrt(2 * e / float64(len(y)/2))
	}
	a := (ys*cc - yc*sc) / det
	b := (yc*ss - ys*sc) / det
	return math.Hypot(a, b)
}

// The halfband keeps 0…0.16·fs flat and removes what would alias into it (the design values
// in the Halfband doc comment, from its Kaiser-windowed taps).
func TestHalfbandPassesAndStops(t *testing.T) {
	hb := NewHalfband()
	for f := 0.005; f <= 0.16; f += 0.005 {
		if g := 20 * math.Log10(gainAt(hb, f)); math.Abs(g) > 0.02 {
			t.Errorf("pass band %.3f·fs: %+.3f dB", f, g)
		}
	}
	for f := 0.34; f < 0.5; f += 0.01 {
		if g := 20 * math.Log10(gainAt(hb, f)); g > -55 {
			t.Errorf("stop band %.3f·fs: %.1f dB", f, g)
		}
	}
	if got := len(hb.Halve(nil, make([]float32, 101))); got != 51 {
		t.Errorf("101 samples halve to %d, want 51", got)
	}
}

// The time median keeps a steady partial and drops a click that lasts one frame of five.
func TestTimeMedianKeepsSteadyAndDropsTransient(t *testing.T) {
	frames := make([][]float32, 5)
	for j := range frames {
		frames[j] = make([]float32, 8)
		frames[j][3] = 1 // steady
	}
	for k := range frames[2] {
		frames[2][k] += 10 // a broadband click in the middle frame
	}
	got := TimeMedian(nil, frames, 1, 7)
	for k, v := range got {
		want := float32(0)
		if k == 3 {
			want = 1
		}
		if v != want {
			t.Errorf("bin %d: %v, want %v", k, v, want)
		}
	}
}

// Tonal peaks: a sine in white noise is found at its frequency; the noise's own local
// maxima are not.
func TestTonalPeaksFindPartialsNotNoise(t *testing.T) {
	const fs, n = 11025.0, 2048
	r := rand.New(rand.NewPCG(5, 6))
	x := sine(8*n, fs, 261.63, 0.3, 0)
	for i := range x {
		x[i] += float32(0.1 * (r.Float64()*2 - 1))
	}
	s, _ := NewSTFT(n, n/2)
	c := NewChroma(n, fs)
	p := s.PowerFrame(nil, x, 4)
	all := c.Peaks(nil, p)
	tonal := c.TonalPeaks(nil, p, 2000)
	if len(all) < 20 {
		t.Fatalf("only %d raw peaks: the noise should make many", len(all))
	}
	if len(tonal) != 1 || math.Abs(tonal[0].Freq-261.63) > 1 {
		t.Fatalf("tonal peaks %v, want one at 261.63 Hz", tonal)
	}
}

// AddPartial puts a tuned partial in its pitch class and splits one halfway between two.
func TestAddPartialSpreadsBetweenNeighbours(t *testing.T) {
	var c [12]float64
	AddPartial(&c, 261.63, 1, 440) // C4
	if math.Abs(c[0]-1) > 1e-3 {
		t.Errorf("C4: %v", c)
	}
	var q [12]float64
	AddPartial(&q, 440*math.Exp2(0.5/12), 1, 440) // a quarter tone above A4
	if math.Abs(q[9]-q[10]) > 1e-9 || q[9] <= 0 {
		t.Errorf("quarter tone: %v", q)
	}
	var d [12]float64
	AddPartial(&d, 440*math.Exp2(30.0/1200), 1, TuningRef(30)) // A4 30 cents sharp, tuned
	if math.Abs(d[9]-1) > 1e-9 {
		t.Errorf("detuned A: %v", d)
	}
}

// Decimate equals repeated Halve, at every length around the block edges.
func TestDecimateMatchesRepeatedHalve(t *testing.T) {
	hb := NewHalfband()
	r := rand.New(rand.NewPCG(8, 9))
	for _, n := range []int{0, 1, 2, 17, 19, 1000, 8*decimateBlock - 3, 8*decimateBlock + 5, 3*8*decimateBlock + 77} {
		x := make([]float32, n)
		for i := range x {
			x[i] = float32(r.Float64()*2 - 1)
		}
		for stages := 0; stages <= 3; stages++ {
			want := x
			for s := 0; s < stages; s++ {
				want = hb.Halve(nil, want)
			}
			got := hb.Decimate(nil, x, stages)
			if len(got) != len(want) {
				t.Fatalf("n %d stages %d: %d samples, want %d", n, stages, len(got), len(want))
			}
			for i := range got {
				if math.Abs(float64(got[i]-want[i])) > 1e-6 {
					t.Fatalf("n %d stages %d: sample %d = %v, want %v", n, stages, i, got[i], want[i])
				}
			}
		}
	}
}

// median5 agrees with sorting for every arrangement of five values from {0, 1, 2, 3, 4},
// ties included.
func TestMedian5MatchesSort(t *testing.T) {
	var v [5]float32
	for n := 0; n < 5*5*5*5*5; n++ {
		x := n
		for i := range v {
			v[i] = float32(x % 5)
			x /= 5
		}
		s := v
		for i := 1; i < 5; i++ {
			for j := i; j > 0 && s[j-1] > s[j]; j-- {
				s[j-1], s[j] = s[j], s[j-1]
			}
		}
		if got := median5(v[0], v[1], v[2], v[3], v[4]); got != s[2] {
			t.Fatalf("median5%v = %v, want %v", v, got, s[2])
		}
	}
}
