// Command importrate measures import + analysis throughput: it writes a folder of typical
// samples (one-shots and 2–8 bar loops, WAV and AIFF, mono and stereo), runs `sp404agent import`
// on it against a fresh data folder (or DATABASE_URL), and prints files per second.
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
	"time"

	"github.com/sp404agent/sp404agent/internal/audio"
)

func main() {
	bin := flag.String("bin", "sp404agent", "the binary to run")
	n := flag.Int("n", 1000, "files to import")
	workers := flag.Int("workers", 2, "analysis workers")
	serve := flag.Bool("serve", false, "import through `sp404agent serve` and measure its RSS and API latency meanwhile")
	procs := flag.Int("worker-procs", 0, "with -serve on PostgreSQL: also run this many `sp404agent worker` processes")
	flag.Parse()
	dir, err := os.MkdirTemp("", "importrate-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	src := filepath.Join(dir, "pack")
	rng := rand.New(rand.NewPCG(7, 7))
	var seconds float64
	for i := range *n {
		buf, kind := sample(rng)
		seconds += buf.Duration()
		var out bytes.Buffer
		name := fmt.Sprintf("%s/%s_%04d", kind, kind, i)
		if i%5 == 4 {
			err = audio.EncodeAIFF(&out, buf, audio.PCM16)
			name += ".aif"
		} else {
			err = audio.EncodeWAV(&out, buf, audio.PCM16)
			name += ".wav"
		}
		if err != nil {
			log.Fatal(err)
		}
		p := filepath.Join(src, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			log.Fatal(err)
		}
		if err := os.WriteFile(p, out.Bytes(), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Printf("wrote %d files (%.0f s of audio)\n", *n, seconds)
	if *serve {
		if err := importThroughServer(*bin, dir, src, *n, *workers, *procs); err != nil {
			log.Fatal(err)
		}
		return
	}
	cmd := exec.Command(*bin, "import", "--data-dir", filepath.Join(dir, "data"), "--workers", fmt.Sprint(*workers), src)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		log.Fatal(err)
	}
	el := time.Since(start)
	fmt.Printf("%d files (%.0f s of audio) imported and analysed in %.1f s: %.1f files/s\n", *n, seconds, el.Seconds(), float64(*n)/el.Seconds())
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
