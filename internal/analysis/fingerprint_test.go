package analysis

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/sp404agent/sp404agent/internal/audio"
)

// riff is a little drum-ish phrase: decaying noise bursts and a pitched tail.
func riff(rate int, seed uint64) *audio.Buffer {
	rng := rand.New(rand.NewPCG(seed, 9))
	buf := audio.NewBuffer(rate, 1, rate)
	for i := range buf.Data[0] {
		t := float64(i) / float64(rate)
		beat := math.Mod(t, 0.25)
		v := 0.6*math.Exp(-beat*30)*(rng.Float64()*2-1) + 0.3*math.Sin(2*math.Pi*110*t)*math.Exp(-t*2)
		buf.Data[0][i] = float32(v)
	}
	return buf
}

func TestFingerprintSurvivesGainSilenceAndResampling(t *testing.T) {
	base := riff(44100, 1)
	fp := Fingerprint(base)

	quieter := audio.NewBuffer(44100, 1, base.Frames())
	for i, v := range base.Data[0] {
		quieter.Data[0][i] = v * 0.25 // -12 dB
	}
	padded := audio.NewBuffer(44100, 1, base.Frames()+22050)
	copy(padded.Data[0][11025:], base.Data[0])
	resampled := audio.Resample(base, 48000)

	for name, buf := range map[string]*audio.Buffer{"gain": quieter, "silence": padded, "resampled": resampled} {
		if !NearDuplicate(fp, Fingerprint(buf)) {
			t.Errorf("%s: not a near duplicate (similarity %.4f)", name, FingerprintSimilarity(fp, Fingerprint(buf)))
		}
	}
	other := riff(44100, 2)
	for i := range other.Data[0] { // a different phrase: reversed
		other.Data[0][i] = base.Data[0][len(base.Data[0])-1-i]
	}
	if NearDuplicate(fp, Fingerprint(other)) {
		t.Errorf("reversed riff is a near duplicate (similarity %.4f)", FingerprintSimilarity(fp, Fingerprint(other)))
	}
	// Steady tones: flat level contours; only the pitch tells them apart.
	tone := func(f float64) []float32 {
		b := audio.NewBuffer(44100, 1, 44100)
		for i := range b.Data[0] {
			b.Data[0][i] = float32(0.5 * math.Sin(2*math.Pi*f*float64(i)/44100))
		}
		return Fingerprint(b)
	}
	if !NearDuplicate(tone(440), tone(440)) || NearDuplicate(tone(440), tone(523.25)) {
		t.Error("steady tones: same pitch must match, a third apart must not")
	}
}

func TestAudioHashIgnoresContainerButNotSound(t *testing.T) {
	a := riff(44100, 1)
	b := audio.NewBuffer(44100, 1, a.Frames())
	copy(b.Data[0], a.Data[0])
	if AudioHash(a) != AudioHash(b) {
		t.Fatal("same samples hash differently")
	}
	b.Data[0][100] += 0.01
	if AudioHash(a) == AudioHash(b) {
		t.Fatal("different samples hash alike")
	}
}

// TestAudioHashIsStable pins the hash of a fixed signal (clipping, infinity and rounding cases
// included): libraries store it, so a change would hide duplicates of everything imported before.
func TestAudioHashIsStable(t *testing.T) {
	const n = 3001
	l, r := make([]float32, n), make([]float32, n)
	for i := range n {
		l[i] = float32(1.3 * math.Sin(float64(i)*0.01))
		r[i] = float32(0.5*math.Sin(float64(i)*0.37)) - 0.5/32767
	}
	l[7], r[9] = -2, float32(math.Inf(1))
	got := AudioHash(&audio.Buffer{SampleRate: 44100, Data: [][]float32{l, r}})
	if want := "967b17c8ad0328e3e0730a666ca2bc9c7378786e72b3ff97bd290f864e974fe6"; got != want {
		t.Fatalf("AudioHash = %s, want %s", got, want)
	}
}

// Analyze fills in the fingerprint from its own mono mix: the same values as Fingerprint, and
// for a stereo buffer the mix of both channels.
func TestAnalyzeCarriesTheFingerprint(t *testing.T) {
	mono := riff(44100, 3)
	stereo := audio.NewBuffer(44100, 2, mono.Frames())
	copy(stereo.Data[0], mono.Data[0])
	for i, v := range mono.Data[0] {
		stereo.Data[1][i] = v * 0.5
	}
	f, err := Analyze(t.Context(), stereo, Hints{})
	if err != nil {
		t.Fatal(err)
	}
	want := Fingerprint(stereo)
	if len(f.Fingerprint) != FingerprintDims {
		t.Fatalf("fingerprint has %d values, want %d", len(f.Fingerprint), FingerprintDims)
	}
	for i := range want {
		if f.Fingerprint[i] != want[i] {
			t.Fatalf("value %d: %v, want %v", i, f.Fingerprint[i], want[i])
		}
	}
}

// quantize16 must give exactly what the hash was defined with: clamp(math.Round(v·32767)).
func TestQuantize16MatchesRound(t *testing.T) {
	ref := func(f float32) int16 {
		v := math.Round(float64(f) * 32767)
		return int16(max(min(v, 32767), -32768))
	}
	check := func(f float32) {
		if got, want := quantize16(f), ref(f); got != want {
			t.Fatalf("quantize16(%v) = %d, want %d", f, got, want)
		}
	}
	// Every rounding boundary (k+0.5)/32767 and the float32s on either side of it.
	for k := -32769; k <= 32768; k++ {
		f := float32((float64(k) + 0.5) / 32767)
		for range 3 {
			f = math.Nextafter32(f, float32(math.Inf(-1)))
		}
		for range 7 {
			check(f)
			f = math.Nextafter32(f, float32(math.Inf(1)))
		}
	}
	for _, f := range []float32{0, float32(math.Copysign(0, -1)), 1e-45, -1e-45, 1, -1, 2, -2, 1e30, -1e30,
		float32(math.Inf(1)), float32(math.Inf(-1))} {
		check(f)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1 << 20 {
		check(float32(rng.Float64()*2.4 - 1.2))
	}
}
