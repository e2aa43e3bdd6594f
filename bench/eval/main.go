// Command eval generates a labelled development corpus for the analysis package and measures
// it: tempo Accuracy1/Accuracy2, the MIREX key score, one-shot/loop and category accuracy with
// a confusion table, EBU Tech 3341 loudness and true-peak errors, CPU time per file and the peak
// memory of a 10-minute 96 kHz stereo file. With -compare it runs aubio, bpm-tools,
// essentia.js's KeyExtractor and FFmpeg's ebur128 on the same files and prints them side by
// side. README.md lists the Debian and npm packages it needs; it installs nothing itself.
//
// Usage:
//
//	go run ./bench/eval [-out DIR] [-quick] [-compare] [-seed N] [-skip-mem] [-keep]
//	go run ./bench/eval -independent /usr/share/sonic-pi/samples [-compare]
//
// The corpus (drum loops from the hydrogen-drumkits one-shots, key clips rendered with
// FluidSynth from generated MIDI, kit one-shots, Tech 3341 signals) is written to -out,
// default bench/out/eval (git-ignored), together with manifest.json, results.json and
// report.md. The same seed always gives the same corpus.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "eval:", err)
		os.Exit(1)
	}
}

// run parses the flags and does the work; the report goes to stdout, progress to log.
func run(args []string, stdout, log io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	out := fs.String("out", filepath.Join("bench", "out", "eval"), "corpus and results directory")
	quick := fs.Bool("quick", false, "a few dozen files (smoke run, < 60 s)")
	compare := fs.Bool("compare", false, "also run aubio, bpm-tools, essentia.js and ffmpeg ebur128")
	seed := fs.Uint64("seed", 404, "random seed of the corpus generator")
	skipMem := fs.Bool("skip-mem", false, "skip the 10-minute 96 kHz peak-memory measurement")
	keep := fs.Bool("keep", false, "reuse the corpus in -out/corpus (its manifest.json) instead of regenerating")
	independent := fs.String("independent", "", "evaluate this sonic-pi-samples directory instead (no corpus, no tuning)")
	memChildPath := fs.String("mem-child", "", "internal: decode and analyse this file and print peak memory")
	sf2 := fs.String("soundfont", "/usr/share/sounds/sf2/FluidR3_GM.sf2", "General MIDI soundfont")
	kitDir := fs.String("kits", DefaultKitDir, "Hydrogen drum kits")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *memChildPath != "" {
		return memChild(*memChildPath, stdout)
	}
	evalDir, err := sourceDir()
	if err != nil {
		return err
	}
	tools := Tools{Aubio: "aubio", BPM: "bpm", SoX: "sox", FFmpeg: "ffmpeg", Node: "node", EvalDir: evalDir}
	need := []string{"fluidsynth", "sox", "ffmpeg"}
	if *compare {
		need = append(need, "aubio", "bpm", "node")
	}
	for _, t := range need {
		if _, err := exec.LookPath(t); err != nil {
			return fmt.Errorf("%s not found: see bench/eval/README.md for the packages", t)
		}
	}
	if *independent != "" {
		return RunIndependent(*independent, *compare, tools, stdout, log)
	}
	if _, err := os.Stat(*sf2); err != nil {
		return fmt.Errorf("soundfont: %w (apt-get install fluid-soundfont-gm)", err)
	}

	sz := Sizes{LoopsPerStyle: 40, KeyKeys: 12, KitLayers: 1, PitchedNotes: 40,
		LoudnessRates: []int{48000, 44100}, KitDir: *kitDir, SoundFont: *sf2,
		FluidSynth: "fluidsynth", FFmpeg: "ffmpeg", SoX: "sox", Seed: *seed}
	if *quick {
		sz.LoopsPerStyle, sz.KeyKeys, sz.MaxOneShots, sz.PitchedNotes = 2, 1, 12, 4
		sz.LoudnessRates, sz.LoudnessCases = []int{48000}, []string{"case1", "case5", "case16", "case19"}
	}
	t0 := time.Now()
	var items []Item
	if *keep {
		raw, err := os.ReadFile(filepath.Join(*out, "corpus", "manifest.json"))
		if err != nil {
			return err
		}
		if err := json.Unmarshal(raw, &items); err != nil {
			return err
		}
	} else {
		if err := os.RemoveAll(filepath.Join(*out, "corpus")); err != nil {
			return err
		}
		items, err = Generate(filepath.Join(*out, "corpus"), sz, log)
		if err != nil {
			return fmt.Errorf("generate: %w", err)
		}
	}
	corpus := filepath.Join(*out, "corpus")
	fmt.Fprintf(log, "corpus: %d files in %.1f s\n", len(items), time.Since(t0).Seconds())

	res := RunOurs(context.Background(), corpus, items, log)
	if *compare {
		t1 := time.Now()
		if err := RunCompare(corpus, res, tools, log); err != nil {
			return err
		}
		fmt.Fprintf(log, "reference tools done in %.1f s\n", time.Since(t1).Seconds())
	}
	raw, err := json.MarshalIndent(res, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, "results.json"), raw, 0o644); err != nil {
		return err
	}

	var rep strings.Builder
	fmt.Fprintln(&rep, "# Analysis evaluation")
	fmt.Fprintln(&rep)
	fmt.Fprintf(&rep, "Seed %d, %s mode, %s, %d CPUs (GOMAXPROCS %d).\n\n", *seed, map[bool]string{true: "quick", false: "full"}[*quick],
		runtime.Version(), runtime.NumCPU(), runtime.GOMAXPROCS(0))
	Report(&rep, res, *compare)
	if !*skipMem && !*quick {
		m, err := MeasureMemory(*out, log)
		if err != nil {
			return err
		}
		fmt.Fprintln(&rep, "## Peak memory")
		fmt.Fprintln(&rep)
		fmt.Fprintf(&rep, "10-minute 96 kHz stereo 16-bit WAV (%.0f MiB, %.0f s): decode + analyse in a child process, max RSS **%.0f MiB**, CPU %.1f s, wall %.1f s (type %s, bpm %s).\n",
			float64(m.Bytes)/(1<<20), m.Seconds, m.MaxRSSMiB, m.CPU, m.Wall, m.Type, fmtPtr(m.BPM))
	}
	if err := os.WriteFile(filepath.Join(*out, "report.md"), []byte(rep.String()), 0o644); err != nil {
		return err
	}
	_, err = io.WriteString(stdout, rep.String())
	fmt.Fprintf(log, "total %.1f s; report in %s\n", time.Since(t0).Seconds(), filepath.Join(*out, "report.md"))
	return err
}

// sourceDir finds bench/eval (for keyref.js and node_modules) from the working directory,
// which is the repository root under "make eval" and "go run ./bench/eval".
func sourceDir() (string, error) {
	for _, d := range []string{filepath.Join("bench", "eval"), "."} {
		if _, err := os.Stat(filepath.Join(d, "keyref.js")); err == nil {
			return filepath.Abs(d)
		}
	}
	return "", fmt.Errorf("run from the repository root (bench/eval/keyref.js not found)")
}
