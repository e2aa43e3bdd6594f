// Command resample measures the audio package's resampler: pass-band ripple and stop-band
// attenuation with fine tone sweeps, and the residual of a 44.1→48 kHz conversion of a
// synthetic music-like signal against SoX's "rate -v". compare.sh runs it together with the
// Go benchmarks; docs/performance.md records the method and the results.
//
// Usage:
//
//	go run ./bench/resample [-sox sox] [-seconds 10] [-dir DIR]
package main

import (
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"gonum.org/v1/gonum/dsp/fourier"

	"github.com/sp404agent/sp404agent/internal/audio"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "resample bench:", err)
		os.Exit(1)
	}
}

func run(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("resample", flag.ContinueOnError)
	soxPath := fs.String("sox", "sox", "sox binary")
	seconds := fs.Float64("seconds", 10, "length of the music-like test signal")
	dir := fs.String("dir", "", "working directory for WAV files (default: a temporary one)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dir == "" {
		d, err := os.MkdirTemp("", "resample-bench")
		if err != nil {
			return err
		}
		defer os.RemoveAll(d)
		*dir = d
	}

	fmt.Fprintln(w, "## Filter design (QualityHigh)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| conversion | L/M | taps per output | β | cutoff (−6 dB) | pass band | stop band from |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	for _, c := range [][2]int{{44100, 48000}, {48000, 44100}, {96000, 48000}, {48000, 96000}, {44100, 96000}, {96000, 44100}} {
		r, err := audio.NewResampler(c[0], c[1], audio.QualityHigh)
		if err != nil {
			return err
		}
		g := gcd(c[0], c[1])
		nyq := float64(min(c[0], c[1])) / 2
		fmt.Fprintf(w, "| %d → %d | %d/%d | %d | %.3f | %.1f Hz | 0–%.0f Hz | %.0f Hz |\n",
			c[0], c[1], c[1]/g, c[0]/g, r.Taps(), r.Beta(), r.Cutoff(), 0.907*nyq, nyq)
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "## Pass band and stop band (tone sweeps, least-squares tone fit)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| conversion | max pass-band deviation 20 Hz–20 kHz (10 Hz steps) | worst stop-band / image level, full-scale tone (25 Hz steps) |")
	fmt.Fprintln(w, "|---|---|---|")
	for _, c := range [][2]int{{44100, 48000}, {48000, 44100}, {96000, 48000}, {44100, 96000}} {
		ripple, rf, err := passband(c[0], c[1])
		if err != nil {
			return err
		}
		stop, sf, err := stopband(c[0], c[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "| %d → %d | ±%.5f dB (worst at %.0f Hz) | %.1f dBFS (worst at %.0f Hz input) |\n", c[0], c[1], ripple, rf, stop, sf)
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "## Residual against SoX `rate -v`, 44.1 → 48 kHz")
	fmt.Fprintln(w)
	return versusSox(w, *soxPath, *dir, *seconds)
}

// passband returns the largest |gain| in dB over tones from 20 Hz to 20 kHz in 10 Hz steps.
func passband(in, out int) (worst, at float64, err error) {
	r, err := audio.NewResampler(in, out, audio.QualityHigh)
	if err != nil {
		return 0, 0, err
	}
	n := 8192
	for f := 20.0; f <= 20000; f += 10 {
		y := trim(r.Process(nil, tone(f, 0.5, in, n)), r)
		amp, _ := fitTone(y, f, out)
		if d := math.Abs(20 * math.Log10(amp/0.5)); d > worst {
			worst, at = d, f
		}
	}
	return worst, at, nil
}

// stopband returns the loudest unwanted output, in dBFS, for full-scale input tones. When
// downsampling, tones from the output Nyquist frequency to the input Nyquist frequency must
// vanish entirely; when upsampling, every input tone (0 to its Nyquist frequency) must come
// out without images, measured as what remains after fitting the tone itself.
func stopband(in, out int) (worst, at float64, err error) {
	r, err := audio.NewResampler(in, out, audio.QualityHigh)
	if err != nil {
		return 0, 0, err
	}
	worst = math.Inf(-1)
	n := 8192
	lo, hi := 25.0, float64(in)/2
	if out < in {
		lo = float64(out)/2 + 5
	}
	for f := lo; f < hi; f += 25 {
		y := trim(r.Process(nil, tone(f, 1, in, n)), r)
		var lvl float64
		if out < in {
			var s float64
			for _, v := range y {
				s += float64(v) * float64(v)
			}
			lvl = dbfsRMS(math.Sqrt(s / float64(len(y))))
		} else {
			_, res := fitTone(y, f, out)
			lvl = dbfsRMS(res)
		}
		if lvl > worst {
			worst, at = lvl, f
		}
	}
	return worst, at, nil
}

// versusSox converts a music-like signal with SoX and with our resampler and reports the
// difference over the frames where both filters see the whole input.
func versusSox(w io.Writer, sox, dir string, seconds float64) error {
	const in, out = 44100, 48000
	x := music(in, int(seconds*in), 1)
	inPath, soxOut := filepath.Join(dir, "in.wav"), filepath.Join(dir, "sox.wav")
	if err := writeFloatWAV(inPath, in, x); err != nil {
		return err
	}
	cmd := exec.Command(sox, "-D", inPath, "-e", "floating-point", "-b", "32", soxOut, "rate", "-v", "48000")
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("sox: %w: %s", err, msg)
	}
	ref, rate, err := readFloatWAV(soxOut)
	if err != nil {
		return err
	}
	if rate != out {
		return fmt.Errorf("sox wrote %d Hz", rate)
	}
	r, err := audio.NewResampler(in, out, audio.QualityHigh)
	if err != nil {
		return err
	}
	start := time.Now()
	ours := make([][]float32, len(x))
	for c := range x {
		ours[c] = r.Process(nil, x[c])
	}
	elapsed := time.Since(start)
	skip := 4 * r.Taps()
	fmt.Fprintf(w, "Signal: %.0f s stereo, %d Hz, peak %.2f dBFS; SoX wrote %d frames, we wrote %d (%v).\n\n",
		seconds, in, 20*math.Log10(peak(x)), len(ref[0]), len(ours[0]), elapsed.Round(time.Millisecond))
	// Alignment: the lag in [−8, 8] frames with the least residual; 0 means both are
	// time-aligned with the input.
	bestLag, bestRes := 0, math.Inf(1)
	for lag := -8; lag <= 8; lag++ {
		if res := residual(ours, ref, lag, skip, 0); res < bestRes {
			bestLag, bestRes = lag, res
		}
	}
	fmt.Fprintln(w, "| measure | value |")
	fmt.Fprintln(w, "|---|---|")
	fmt.Fprintf(w, "| lag of best alignment | %d frames |\n", bestLag)
	fmt.Fprintf(w, "| residual RMS, full band, lag 0 | %.1f dBFS |\n", dbfsRMSFull(residual(ours, ref, 0, skip, 0)))
	fmt.Fprintf(w, "| residual peak, full band, lag 0 | %.1f dBFS |\n", 20*math.Log10(residualPeak(ours, ref, skip)))
	fmt.Fprintf(w, "| residual RMS, 0–20 kHz, lag 0 | %.1f dBFS |\n", dbfsRMSFull(residual(ours, ref, 0, skip, 20000)))
	fmt.Fprintf(w, "| signal RMS | %.1f dBFS |\n", dbfsRMSFull(rms(ref, skip)))
	return nil
}

// music synthesises a stereo "song": plucked harmonic notes (up to 12 partials, all below
// 16 kHz) with 5 ms raised-cosine attacks and exponential decays, plus pink-ish noise
// band-limited to 16 kHz, scaled to a −1 dBFS peak. Nothing sits between 16 kHz and the
// Nyquist frequency, where SoX (95% bandwidth) and our filter (20 kHz) legitimately differ.
func music(rate, n int, seed uint64) [][]float32 {
	rng := rand.New(rand.NewPCG(seed, 99))
	fsr := float64(rate)
	x := [][]float64{make([]float64, n), make([]float64, n)}
	notes := []float64{55, 82.41, 110, 146.83, 196, 261.63, 329.63, 392, 523.25, 659.26, 880, 1318.5}
	for t := 0; t < n; t += int(fsr / 4) { // one to three notes every eighth note at 120 BPM
		for range 1 + rng.IntN(3) {
			f0 := notes[rng.IntN(len(notes))]
			amp := 0.05 + 0.1*rng.Float64()
			decay := 0.1 + 0.6*rng.Float64()
			pan := rng.Float64()
			attack := 0.005 * fsr
			length := min(n-t, int(4*decay*fsr))
			for k := 1; k <= 12 && float64(k)*f0 < 16000; k++ {
				ak := amp / float64(k)
				ph := rng.Float64() * 2 * math.Pi
				w := 2 * math.Pi * float64(k) * f0 / fsr
				for i := range length {
					env := math.Exp(-float64(i) / (decay * fsr / math.Sqrt(float64(k))))
					if float64(i) < attack {
						env *= 0.5 - 0.5*math.Cos(math.Pi*float64(i)/attack)
					}
					v := ak * env * math.Sin(w*float64(i)+ph)
					x[0][t+i] += v * (1 - pan)
					x[1][t+i] += v * pan
				}
			}
		}
	}
	fft := fourier.NewFFT(n)
	for c := range x {
		noise := make([]float64, n)
		for i := range noise {
			noise[i] = rng.NormFloat64()
		}
		spec := fft.Coefficients(nil, noise)
		for k := range spec {
			f := float64(k) * fsr / float64(n)
			g := 0.0
			switch {
			case f < 20:
			case f < 14000:
				g = 1 / math.Sqrt(f/100)
			case f < 16000:
				g = 1 / math.Sqrt(f/100) * (0.5 + 0.5*math.Cos(math.Pi*(f-14000)/2000))
			}
			spec[k] *= complex(g, 0)
		}
		noise = fft.Sequence(noise, spec)
		var s float64
		for _, v := range noise {
			s += v * v
		}
		scale := 0.02 / math.Sqrt(s/float64(n)) // noise at about −34 dBFS RMS
		for i := range x[c] {
			x[c][i] += noise[i] * scale
		}
	}
	var p float64
	for _, ch := range x {
		for _, v := range ch {
			p = max(p, math.Abs(v))
		}
	}
	g := math.Pow(10, -1.0/20) / p
	out := make([][]float32, 2)
	for c := range x {
		out[c] = make([]float32, n)
		for i, v := range x[c] {
			out[c][i] = float32(v * g)
		}
	}
	return out
}

// residual is the RMS of ours[i] − ref[i+lag] over the frames that both cover, skipping skip
// frames at each end. With band > 0 the difference is first low-passed to band Hz by zeroing
// FFT bins, to separate in-band error from the filters' different transition bands.
func residual(ours, ref [][]float32, lag, skip int, band float64) float64 {
	var s float64
	var cnt int
	for c := range ours {
		n := min(len(ours[c]), len(ref[c])) - 2*skip - 16
		d := make([]float64, n)
		for i := range d {
			j := skip + 8 + i
			d[i] = float64(ours[c][j]) - float64(ref[c][j+lag])
		}
		if band > 0 {
			fft := fourier.NewFFT(n)
			spec := fft.Coefficients(nil, d)
			for k := range spec {
				if float64(k)*48000/float64(n) > band {
					spec[k] = 0
				}
			}
			d = fft.Sequence(d, spec)
			for i := range d {
				d[i] /= float64(n)
			}
		}
		for _, v := range d {
			s += v * v
		}
		cnt += n
	}
	return math.Sqrt(s / float64(cnt))
}

func residualPeak(ours, ref [][]float32, skip int) float64 {
	var p float64
	for c := range ours {
		n := min(len(ours[c]), len(ref[c]))
		for i := skip; i < n-skip; i++ {
			p = max(p, math.Abs(float64(ours[c][i])-float64(ref[c][i])))
		}
	}
	return p
}

func rms(x [][]float32, skip int) float64 {
	var s float64
	var cnt int
	for _, ch := range x {
		for _, v := range ch[skip : len(ch)-skip] {
			s += float64(v) * float64(v)
		}
		cnt += len(ch) - 2*skip
	}
	return math.Sqrt(s / float64(cnt))
}

func peak(x [][]float32) float64 {
	var p float64
	for _, ch := range x {
		for _, v := range ch {
			p = max(p, math.Abs(float64(v)))
		}
	}
	return p
}

func tone(f, amp float64, rate, n int) []float32 {
	x := make([]float32, n)
	for i := range x {
		x[i] = float32(amp * math.Sin(2*math.Pi*f*float64(i)/float64(rate)+0.3))
	}
	return x
}

func trim(y []float32, r *audio.Resampler) []float32 {
	skip := r.Taps()*r.OutRate()/r.InRate() + 2
	return y[skip : len(y)-skip]
}

// fitTone is the least-squares fit of a·sin + b·cos at f; it returns the amplitude and the
// RMS of what is left.
func fitTone(y []float32, f float64, rate int) (amp, resid float64) {
	w := 2 * math.Pi * f / float64(rate)
	var ss, cc, sc, ys, yc float64
	for i, v := range y {
		s, c := math.Sincos(w * float64(i))
		ss, cc, sc = ss+s*s, cc+c*c, sc+s*c
		ys, yc = ys+float64(v)*s, yc+float64(v)*c
	}
	det := ss*cc - sc*sc
	a, b := (ys*cc-yc*sc)/det, (yc*ss-ys*sc)/det
	var e float64
	for i, v := range y {
		s, c := math.Sincos(w * float64(i))
		d := float64(v) - a*s - b*c
		e += d * d
	}
	return math.Hypot(a, b), math.Sqrt(e / float64(len(y)))
}

// dbfsRMS is a residual RMS relative to a full-scale sine's RMS (1/√2).
func dbfsRMS(r float64) float64 { return 20 * math.Log10(r*math.Sqrt2+1e-300) }

// dbfsRMSFull is an RMS relative to a full-scale square wave (RMS 1), the convention for
// broadband signals.
func dbfsRMSFull(r float64) float64 { return 20 * math.Log10(r+1e-300) }

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// writeFloatWAV writes planar float32 channels as a 32-bit IEEE-float WAV.
func writeFloatWAV(path string, rate int, x [][]float32) error {
	ch, n := len(x), len(x[0])
	data := make([]byte, 4*ch*n)
	for i := range n {
		for c := range ch {
			binary.LittleEndian.PutUint32(data[4*(i*ch+c):], math.Float32bits(x[c][i]))
		}
	}
	h := make([]byte, 44)
	copy(h[0:], "RIFF")
	binary.LittleEndian.PutUint32(h[4:], uint32(36+len(data)))
	copy(h[8:], "WAVEfmt ")
	binary.LittleEndian.PutUint32(h[16:], 16)
	binary.LittleEndian.PutUint16(h[20:], 3) // WAVE_FORMAT_IEEE_FLOAT
	binary.LittleEndian.PutUint16(h[22:], uint16(ch))
	binary.LittleEndian.PutUint32(h[24:], uint32(rate))
	binary.LittleEndian.PutUint32(h[28:], uint32(rate*ch*4))
	binary.LittleEndian.PutUint16(h[32:], uint16(ch*4))
	binary.LittleEndian.PutUint16(h[34:], 32)
	copy(h[36:], "data")
	binary.LittleEndian.PutUint32(h[40:], uint32(len(data)))
	return os.WriteFile(path, append(h, data...), 0o644)
}

// readFloatWAV reads a 32-bit float WAV (plain or extensible fmt) into planar channels.
func readFloatWAV(path string) ([][]float32, int, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	if len(b) < 12 || string(b[0:4]) != "RIFF" || string(b[8:12]) != "WAVE" {
		return nil, 0, errors.New("not a WAV file")
	}
	var ch, rate, bits int
	for p := 12; p+8 <= len(b); {
		id, size := string(b[p:p+4]), int(binary.LittleEndian.Uint32(b[p+4:]))
		body := b[p+8 : min(len(b), p+8+size)]
		switch id {
		case "fmt ":
			ch = int(binary.LittleEndian.Uint16(body[2:]))
			rate = int(binary.LittleEndian.Uint32(body[4:]))
			bits = int(binary.LittleEndian.Uint16(body[14:]))
		case "data":
			if bits != 32 || ch == 0 {
				return nil, 0, fmt.Errorf("want 32-bit float, got %d bits, %d channels", bits, ch)
			}
			n := len(body) / (4 * ch)
			x := make([][]float32, ch)
			for c := range x {
				x[c] = make([]float32, n)
				for i := range n {
					x[c][i] = math.Float32frombits(binary.LittleEndian.Uint32(body[4*(i*ch+c):]))
				}
			}
			return x, rate, nil
		}
		p += 8 + size + size&1
	}
	return nil, 0, errors.New("no data chunk")
}
