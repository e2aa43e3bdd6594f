package main

import (
	"bufio"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"time"

	"github.com/sp404agent/sp404agent/internal/analysis"
	"github.com/sp404agent/sp404agent/internal/audio"
)

// MemResult is what the child process reports after decoding and analysing one file.
type MemResult struct {
	File      string  `json:"file"`
	Bytes     int64   `json:"bytes"`
	Seconds   float64 `json:"seconds"`
	MaxRSSMiB float64 `json:"max_rss_mib"`
	CPU       float64 `json:"cpu_s"`
	Wall      float64 `json:"wall_s"`
	BPM       *float64
	Type      string
}

// memChild decodes and analyses path and prints a MemResult as JSON; it runs in its own
// process so that its peak resident set is the pipeline's alone.
func memChild(path string, w io.Writer) error {
	t0 := time.Now()
	buf, md, err := audio.DecodeFile(path)
	if err != nil {
		return err
	}
	f, err := analysis.Analyze(context.Background(), buf, analysis.Hints{Name: "sample.wav", Meta: md})
	if err != nil {
		return err
	}
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return err
	}
	st, _ := os.Stat(path)
	return json.NewEncoder(w).Encode(MemResult{File: path, Bytes: st.Size(), Seconds: buf.Duration(),
		MaxRSSMiB: float64(ru.Maxrss) / 1024, CPU: tv(ru.Utime) + tv(ru.Stime), Wall: time.Since(t0).Seconds(),
		BPM: f.BPM, Type: f.Type})
}

// writeLongWAV streams a 16-bit stereo WAV of the given length: a 120 BPM kick/hat pattern over
// an A-minor pad, generated block by block so the generator never holds the whole file.
func writeLongWAV(path string, rate int, seconds float64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	frames := int(seconds * float64(rate))
	data := uint32(frames * 4)
	hdr := []any{[]byte("RIFF"), 36 + data, []byte("WAVEfmt "), uint32(16), uint16(1), uint16(2), uint32(rate),
		uint32(rate * 4), uint16(4), uint16(16), []byte("data"), data}
	for _, v := range hdr {
		if err := binary.Write(w, binary.LittleEndian, v); err != nil {
			return err
		}
	}
	beat := rate / 2 // 120 BPM
	var noise uint32 = 1
	buf := make([]byte, 4)
	for i := 0; i < frames; i++ {
		t := float64(i) / float64(rate)
		pos := i % beat
		tb := float64(pos) / float64(rate)
		kick := math.Sin(2*math.Pi*55*tb) * math.Exp(-tb*18)
		noise = noise*1664525 + 1013904223
		hat := 0.0
		if pos2 := i % (beat / 2); pos2 < rate/40 {
			hat = (float64(noise>>8)/float64(1<<24) - 0.5) * math.Exp(-float64(pos2)/float64(rate)*120) * 0.5
		}
		pad := 0.08 * (math.Sin(2*math.Pi*220*t) + math.Sin(2*math.Pi*261.63*t) + math.Sin(2*math.Pi*329.63*t))
		l := 0.45*kick + hat + pad
		r := 0.45*kick + 0.7*hat + pad
		binary.LittleEndian.PutUint16(buf[0:], uint16(int16(math.Round(l*32767))))
		binary.LittleEndian.PutUint16(buf[2:], uint16(int16(math.Round(r*32767))))
		if _, err := w.Write(buf); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// MeasureMemory writes a 10-minute 96 kHz stereo WAV into dir, decodes and analyses it in a
// child process and returns the child's report (its peak RSS also checked via wait4).
func MeasureMemory(dir string, log io.Writer) (*MemResult, error) {
	path := filepath.Join(dir, "long_10min_96k_stereo.wav")
	if st, err := os.Stat(path); err != nil || st.Size() < 200<<20 {
		fmt.Fprintln(log, "writing the 10-minute 96 kHz stereo WAV")
		if err := writeLongWAV(path, 96000, 600); err != nil {
			return nil, err
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(exe, "-mem-child", path)
	cmd.Stderr = os.Stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("memory child: %w", err)
	}
	var m MemResult
	if err := json.Unmarshal(out, &m); err != nil {
		return nil, err
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.MaxRSSMiB = math.Max(m.MaxRSSMiB, float64(ru.Maxrss)/1024)
	}
	return &m, nil
}
