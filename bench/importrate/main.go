// Command importrate measures import + analysis throughput: it writes a folder of typical
// samples (one-shots and 2–8 bar loops; WAV, AIFF, FLAC and MP3; mono and stereo), runs
// `sp404agent import` on it against a fresh data folder (or DATABASE_URL), and prints files per
// second. FLAC and MP3 are encoded with ffmpeg; -formats wav,aiff leaves them out.
//
// With -serve it imports through a running `sp404agent serve` instead (POST /api/v1/batches),
// and while the import runs it samples the server's RSS and times GET /api/v1/samples: the
// figures the import's memory and API-latency targets are stated in.
//
//	go build -o /tmp/sp404agent ./cmd/sp404agent
//	go run ./bench/importrate -bin /tmp/sp404agent -n 1000
//	go run ./bench/importrate -bin /tmp/sp404agent -n 10000 -serve
//	DATABASE_URL=postgres://… go run ./bench/importrate -bin /tmp/sp404agent -n 1000 -serve -workers 1 -worker-procs 1
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/sp404agent/sp404agent/internal/audio"
)

func main() {
	bin := flag.String("bin", "sp404agent", "the binary to run")
	n := flag.Int("n", 1000, "files to import")
	workers := flag.Int("workers", 2, "analysis workers")
	serve := flag.Bool("serve", false, "import through `sp404agent serve` and measure its RSS and API latency meanwhile")
	procs := flag.Int("worker-procs", 0, "with -serve on PostgreSQL: also run this many `sp404agent worker` processes")
	formats := flag.String("formats", "wav,aiff,flac,mp3", "formats to write, in turn (flac and mp3 need -ffmpeg)")
	ffmpeg := flag.String("ffmpeg", "ffmpeg", "the ffmpeg binary that encodes FLAC and MP3")
	pack := flag.String("pack", "", "write the samples to this folder once and reuse them on later runs with the same -n and -formats")
	flag.Parse()
	mix := strings.Split(*formats, ",")
	for _, f := range mix {
		if !slices.Contains([]string{"wav", "aiff", "flac", "mp3"}, f) {
			log.Fatalf("unknown format %q in -formats", f)
		}
	}
	dir, err := os.MkdirTemp("", "importrate-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "pack")
	if *pack != "" {
		src = *pack
	}
	// The marker records what a kept folder holds, so a rerun with other settings writes anew.
	marker := filepath.Join(src, ".importrate")
	want := fmt.Sprintf("%d %s", *n, *formats)
	var seconds float64
	if b, err := os.ReadFile(marker); err == nil {
		var have string
		if _, err := fmt.Sscanf(string(b), "%f %q", &seconds, &have); err == nil && have == want {
			fmt.Printf("reusing %d files (%.0f s of audio) in %s\n", *n, seconds, src)
			run(*bin, dir, src, *n, *workers, *procs, *serve, seconds)
			return
		}
		if err := os.RemoveAll(src); err != nil { // ours, written with other settings
			log.Fatal(err)
		}
	} else if entries, _ := os.ReadDir(src); len(entries) > 0 {
		log.Fatalf("%s is not empty and was not written by importrate", src)
	}
	seconds = 0
	rng := rand.New(rand.NewPCG(7, 7))
	count := map[string]int{}
	for i := range *n {
		buf, kind := sample(rng)
		seconds += buf.Duration()
		// WAV twice as often as each other format, as in most sample packs.
		format := mix[i%(len(mix)+1)%len(mix)]
		p := filepath.Join(src, fmt.Sprintf("%s/%s_%04d.%s", kind, kind, i, format))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			log.Fatal(err)
		}
		if err := write(p, buf, format, *ffmpeg); err != nil {
			log.Fatal(err)
		}
		count[format]++
	}
	fmt.Printf("formats: %v\n", count)
	fmt.Printf("wrote %d files (%.0f s of audio)\n", *n, seconds)
	if err := os.WriteFile(marker, fmt.Appendf(nil, "%f %q", seconds, want), 0o644); err != nil {
		log.Fatal(err)
	}
	run(*bin, dir, src, *n, *workers, *procs, *serve, seconds)
}

// run imports src into a fresh data folder under dir (or through a server) and reports the rate.
func run(bin, dir, src string, n, workers, procs int, serve bool, seconds float64) {
	if serve {
		if err := importThroughServer(bin, dir, src, n, workers, procs); err != nil {
			log.Fatal(err)
		}
		return
	}
	cmd := exec.Command(bin, "import", "--data-dir", filepath.Join(dir, "data"), "--workers", fmt.Sprint(workers), src)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		log.Fatal(err)
	}
	el := time.Since(start)
	fmt.Printf("%d files (%.0f s of audio) imported and analysed in %.1f s: %.1f files/s\n", n, seconds, el.Seconds(), float64(n)/el.Seconds())
}

// write stores buf at p as format: WAV and AIFF by our encoders, FLAC and MP3 (LAME, 192 kbit/s)
// by ffmpeg from a WAV.
func write(p string, buf *audio.Buffer, format, ffmpeg string) error {
	var out bytes.Buffer
	enc := audio.EncodeWAV
	if format == "aiff" {
		enc = audio.EncodeAIFF
	}
	if err := enc(&out, buf, audio.PCM16); err != nil {
		return err
	}
	if format == "wav" || format == "aiff" {
		return os.WriteFile(p, out.Bytes(), 0o644)
	}
	codec := map[string][]string{"flac": {"-c:a", "flac"}, "mp3": {"-c:a", "libmp3lame", "-b:a", "192k"}}[format]
	args := append([]string{"-hide_banner", "-loglevel", "error", "-y", "-f", "wav", "-i", "-"}, codec...)
	cmd := exec.Command(ffmpeg, append(args, p)...)
	cmd.Stdin = &out
	if msg, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s %s: %w: %s", ffmpeg, format, err, msg)
	}
	return nil
}

// sample is 60 % one-shots (0.2–1.5 s) and 40 % loops (2–8 bars at 85–140 BPM), 44.1 or 48 kHz.
func sample(rng *rand.Rand) (*audio.Buffer, string) {
	rate := []int{44100, 48000}[rng.IntN(2)]
	ch := 1 + rng.IntN(2)
	if rng.Float64() < 0.6 {
		dur := 0.2 + rng.Float64()*1.3
		f0 := 40 + rng.Float64()*400
		noise := rng.Float64()
		buf := audio.NewBuffer(rate, ch, int(dur*float64(rate)))
		for i := range buf.Data[0] {
			t := float64(i) / float64(rate)
			v := (1-noise)*math.Sin(2*math.Pi*f0*t) + noise*(rng.Float64()*2-1)
			v *= 0.6 * math.Exp(-t*6)
			for c := range buf.Data {
				buf.Data[c][i] = float32(v)
			}
		}
		return buf, "oneshot"
	}
	bpm := 85 + rng.Float64()*55
	bars := []int{2, 4, 8}[rng.IntN(3)]
	beat := 60 / bpm
	dur := float64(bars*4) * beat
	buf := audio.NewBuffer(rate, ch, int(dur*float64(rate)))
	for i := range buf.Data[0] {
		t := float64(i) / float64(rate)
		pos := math.Mod(t, beat)
		kick := math.Sin(2*math.Pi*55*pos) * math.Exp(-pos*20)
		hat := (rng.Float64()*2 - 1) * math.Exp(-math.Mod(t, beat/2)*60) * 0.3
		v := 0.5 * (kick + hat)
		for c := range buf.Data {
			buf.Data[c][i] = float32(v)
		}
	}
	return buf, "loop"
}
