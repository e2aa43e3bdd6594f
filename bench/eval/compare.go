package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// RefAnswer is an outside tool's answer for one file.
type RefAnswer struct {
	Err   string   `json:"error,omitempty"`
	CPU   float64  `json:"cpu_s"` // child process CPU (user + system, including its own children)
	BPM   *float64 `json:"bpm,omitempty"`
	Key   string   `json:"key,omitempty"`
	Scale string   `json:"scale,omitempty"`
	LUFS  *float64 `json:"lufs,omitempty"`
	TP    *float64 `json:"true_peak,omitempty"`
}

// Reference tool names as they appear in the results.
const (
	RefAubio    = "aubio tempo"
	RefBPMTools = "bpm-tools"
	RefEssentia = "essentia.js KeyExtractor"
	RefEBUR128  = "ffmpeg ebur128"
)

// Tools holds the paths of the outside programs.
type Tools struct {
	Aubio, BPM, SoX, FFmpeg, Node string
	EvalDir                       string // bench/eval, where keyref.js and node_modules live
}

// runChild runs cmd and returns its output and CPU time.
func runChild(cmd *exec.Cmd) (stdout, stderr []byte, cpu float64, err error) {
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	if cmd.ProcessState != nil {
		cpu = cmd.ProcessState.UserTime().Seconds() + cmd.ProcessState.SystemTime().Seconds()
	}
	return o.Bytes(), e.Bytes(), cpu, err
}

var (
	reAubio = regexp.MustCompile(`([0-9.]+) bpm`)
	reFloat = regexp.MustCompile(`^\s*([0-9.]+)\s*$`)
	reEBUI  = regexp.MustCompile(`I:\s+(-?[0-9.]+|-inf) LUFS`)
	reEBUTP = regexp.MustCompile(`Peak:\s+(-?[0-9.]+|-inf) dBFS`)
)

// RunCompare runs the outside tools over the results' files and stores their answers.
func RunCompare(dir string, res []Result, t Tools, log io.Writer) error {
	for i := range res {
		r := &res[i]
		r.Refs = map[string]RefAnswer{}
		path := filepath.Join(dir, r.File)
		if r.BPM > 0 {
			r.Refs[RefAubio] = aubioTempo(t, path)
			r.Refs[RefBPMTools] = bpmTools(t, path)
		}
		if r.Set != "oneshot" {
			r.Refs[RefEBUR128] = ebur128(t, path)
		}
		if (i+1)%100 == 0 {
			fmt.Fprintf(log, "compared %d/%d files\n", i+1, len(res))
		}
	}
	return essentiaKeys(dir, res, t, log)
}

// aubioTempo runs "aubio tempo FILE", which prints the mean tempo ("120.02 bpm").
func aubioTempo(t Tools, path string) RefAnswer {
	out, errb, cpu, err := runChild(exec.Command(t.Aubio, "tempo", path))
	a := RefAnswer{CPU: cpu}
	if m := reAubio.FindSubmatch(out); err == nil && m != nil {
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		a.BPM = &v
	} else {
		a.Err = strings.TrimSpace(fmt.Sprint(err, " ", string(out), " ", lastLine(errb)))
	}
	return a
}

// lastLine is the last non-empty line of b (tools print decoder warnings before the error).
func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

// bpmTools decodes with SoX to 44.1 kHz mono float as bpm-tools' README says and pipes it to
// "bpm" with its default 84–146 BPM search range.
func bpmTools(t Tools, path string) RefAnswer {
	cmd := exec.Command("sh", "-c", `"$1" "$2" -t raw -r 44100 -e float -b 32 -c 1 - 2>/dev/null | "$3"`, "sh", t.SoX, path, t.BPM)
	out, errb, cpu, err := runChild(cmd)
	a := RefAnswer{CPU: cpu}
	if m := reFloat.FindSubmatch(out); err == nil && m != nil {
		v, _ := strconv.ParseFloat(string(m[1]), 64)
		if v > 0 {
			a.BPM = &v
		}
	} else {
		a.Err = strings.TrimSpace(fmt.Sprint(err, " ", string(errb)))
	}
	return a
}

// ebur128 runs FFmpeg's EBU R128 meter with true peak; its summary has 0.1 LU resolution.
func ebur128(t Tools, path string) RefAnswer {
	cmd := exec.Command(t.FFmpeg, "-hide_banner", "-nostats", "-i", path, "-af", "ebur128=peak=true:framelog=verbose", "-f", "null", "-")
	_, errb, cpu, err := runChild(cmd)
	a := RefAnswer{CPU: cpu}
	mi := reEBUI.FindAllSubmatch(errb, -1)
	mp := reEBUTP.FindAllSubmatch(errb, -1)
	if err != nil || mi == nil {
		a.Err = strings.TrimSpace(fmt.Sprint(err))
		return a
	}
	parse := func(b []byte) *float64 {
		if string(b) == "-inf" {
			v := -120.0
			return &v
		}
		v, _ := strconv.ParseFloat(string(b), 64)
		return &v
	}
	a.LUFS = parse(mi[len(mi)-1][1])
	if mp != nil {
		a.TP = parse(mp[len(mp)-1][1])
	}
	return a
}

// essentiaKeys decodes every key clip to mono float with FFmpeg and runs keyref.js (one Node
// process for all files, so the WebAssembly start-up is paid once). The CPU charged to a file
// is FFmpeg's decode plus the time inside KeyExtractor.
func essentiaKeys(dir string, res []Result, t Tools, log io.Writer) error {
	script := filepath.Join(t.EvalDir, "keyref.js")
	if _, err := os.Stat(filepath.Join(t.EvalDir, "node_modules", "essentia.js")); err != nil {
		fmt.Fprintln(log, "essentia.js is not installed (run bench/eval/setup.sh): key comparison skipped")
		return nil
	}
	tmp, err := os.MkdirTemp("", "keyref")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	type entry struct {
		ID   string `json:"id"`
		Raw  string `json:"raw"`
		Rate int    `json:"rate"`
	}
	var list []entry
	decodeCPU := map[string]float64{}
	index := map[string]int{}
	for i, r := range res {
		if r.Key == "" {
			continue
		}
		id := strconv.Itoa(i)
		raw := filepath.Join(tmp, id+".f32")
		cmd := exec.Command(t.FFmpeg, "-hide_banner", "-loglevel", "error", "-i", filepath.Join(dir, r.File), "-ac", "1", "-f", "f32le", "-c:a", "pcm_f32le", "-y", raw)
		_, errb, cpu, err := runChild(cmd)
		if err != nil {
			res[i].Refs[RefEssentia] = RefAnswer{Err: string(errb)}
			continue
		}
		list = append(list, entry{id, raw, r.Rate})
		decodeCPU[id] = cpu
		index[id] = i
	}
	lf := filepath.Join(tmp, "list.json")
	raw, _ := json.Marshal(list)
	if err := os.WriteFile(lf, raw, 0o644); err != nil {
		return err
	}
	cmd := exec.Command(t.Node, script, lf)
	cmd.Dir = t.EvalDir
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		var a struct {
			ID    string  `json:"id"`
			Key   string  `json:"key"`
			Scale string  `json:"scale"`
			CPUms float64 `json:"cpu_ms"`
		}
		if json.Unmarshal(sc.Bytes(), &a) != nil {
			continue
		}
		i, ok := index[a.ID]
		if !ok {
			continue
		}
		res[i].Refs[RefEssentia] = RefAnswer{Key: sharpName(a.Key), Scale: a.Scale, CPU: a.CPUms/1000 + decodeCPU[a.ID]}
	}
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("keyref.js: %v: %s", err, errb.String())
	}
	fmt.Fprintf(log, "essentia.js: %d key clips\n", len(list))
	return nil
}

// sharpName spells a key with sharps (Essentia may answer "Bb" or "Eb").
func sharpName(k string) string {
	flats := map[string]string{"Db": "C#", "Eb": "D#", "Gb": "F#", "Ab": "G#", "Bb": "A#", "Cb": "B", "Fb": "E"}
	if s, ok := flats[k]; ok {
		return s
	}
	return k
}
