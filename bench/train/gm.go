package main

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"os/exec"
	"path/filepath"

	"github.com/sp404agent/sp404agent/bench/internal/midi"
	"github.com/sp404agent/sp404agent/internal/analysis"
	"github.com/sp404agent/sp404agent/internal/audio"
)

// gmDrumLabels maps General MIDI percussion keys (channel 10) to categories, with the same
// conventions as bench/eval's kit labels: side stick and hand percussion are perc, the ride
// bell is a cymbal, the pedal hat a closed hat; whistles, guiros, cuicas and the vibraslap
// are left out (neither drum class nor clearly perc).
var gmDrumLabels = map[int]string{
	35: "kick", 36: "kick", 37: "perc", 38: "snare", 39: "clap", 40: "snare",
	41: "tom", 43: "tom", 45: "tom", 47: "tom", 48: "tom", 50: "tom",
	42: "hat_closed", 44: "hat_closed", 46: "hat_open",
	49: "cymbal", 51: "cymbal", 52: "cymbal", 53: "cymbal", 55: "cymbal", 57: "cymbal", 59: "cymbal",
	54: "perc", 56: "perc", 60: "perc", 61: "perc", 62: "perc", 63: "perc", 64: "perc", 65: "perc",
	66: "perc", 67: "perc", 68: "perc", 69: "perc", 70: "perc", 75: "perc", 76: "perc", 77: "perc",
	80: "perc", 81: "perc",
}

// gmKits are the drum-kit presets (bank 128) of a GM/GS soundfont worth rendering.
var gmKits = []struct {
	Program int
	Name    string
}{{0, "standard"}, {8, "room"}, {16, "power"}, {24, "electronic"}, {25, "tr808"}, {32, "jazz"}, {40, "brush"}, {48, "orchestra"}}

// gmSpacing is the time between hits in the rendered sequence, in seconds: long enough for a
// crash to ring out.
const gmSpacing = 4.0

// renderGMDrums renders every labelled GM percussion key of every drum kit of the soundfont
// sf2 with FluidSynth (dry: reverb and chorus off), cuts each hit out (trailing silence
// below −60 dB re its peak removed) and analyses it. Hits that render identically to one
// already seen (kits share samples) are skipped. Each soundfont is one cross-validation
// group: its kits share recordings.
func renderGMDrums(sf2, scratch string, rate int) ([]example, error) {
	keys := make([]int, 0, len(gmDrumLabels))
	for k := 35; k <= 81; k++ {
		if _, ok := gmDrumLabels[k]; ok {
			keys = append(keys, k)
		}
	}
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		return nil, err
	}
	seen := map[uint64]bool{}
	group := "soundfont:" + filepath.Base(sf2)
	var out []example
	for _, kit := range gmKits {
		mid := filepath.Join(scratch, "kit.mid")
		wav := filepath.Join(scratch, "kit.wav")
		if err := os.WriteFile(mid, drumSMF(kit.Program, keys), 0o644); err != nil {
			return nil, err
		}
		cmd := exec.Command("fluidsynth", "-ni", "-q", "-R", "0", "-C", "0", "-g", "0.5", "-r", fmt.Sprint(rate), "-T", "wav", "-F", wav, sf2, mid)
		if b, err := cmd.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("fluidsynth: %v: %s", err, b)
		}
		buf, _, err := audio.DecodeFile(wav)
		if err != nil {
			return nil, err
		}
		for i, k := range keys {
			hit := cut(buf, float64(i)*gmSpacing, gmSpacing)
			if hit == nil {
				continue
			}
			h := hashBuffer(hit)
			if seen[h] {
				continue
			}
			seen[h] = true
			f, x, err := analysis.AnalyzeForTraining(context.Background(), hit, analysis.Hints{Name: "sample.wav"})
			if err != nil {
				return nil, err
			}
			out = append(out, example{Sample: Sample{X: x, Label: gmDrumLabels[k], Group: group,
				Name: fmt.Sprintf("%s %s key %d", filepath.Base(sf2), kit.Name, k)}, Type: f.Type, Set: "gm-drum"})
		}
	}
	return out, nil
}

// cut returns length seconds of b from start, with the trailing part below −60 dB re the
// peak removed; nil when that stretch is silent.
func cut(b *audio.Buffer, start, length float64) *audio.Buffer {
	s := int(start * float64(b.SampleRate))
	e := min(b.Frames(), s+int(length*float64(b.SampleRate)))
	if s >= e {
		return nil
	}
	var peak float64
	for _, ch := range b.Data {
		for _, v := range ch[s:e] {
			peak = math.Max(peak, math.Abs(float64(v)))
		}
	}
	if peak < 1e-4 {
		return nil
	}
	end := s
	for _, ch := range b.Data {
		for i := e - 1; i > end; i-- {
			if math.Abs(float64(ch[i])) >= peak*1e-3 {
				end = i
				break
			}
		}
	}
	out := &audio.Buffer{SampleRate: b.SampleRate, Data: make([][]float32, len(b.Data))}
	for c, ch := range b.Data {
		out.Data[c] = append([]float32(nil), ch[s:end+1]...)
	}
	return out
}

// hashBuffer is an FNV-1a hash of the samples.
func hashBuffer(b *audio.Buffer) uint64 {
	h := fnv.New64a()
	for _, ch := range b.Data {
		_ = binary.Write(h, binary.LittleEndian, ch)
	}
	return h.Sum64()
}

// drumSMF is a format-0 Standard MIDI File at 60 BPM (a beat is a second) that selects drum kit
// program on channel 10 and strikes each key once, gmSpacing seconds apart, for 0.1 s at
// velocity 110.
func drumSMF(program int, keys []int) []byte {
	s := midi.Song{BPM: 60}
	s.Program(9, program)
	for i, k := range keys {
		s.Note(9, k, float64(i)*gmSpacing, 0.1, 110)
	}
	return s.SMF(float64(len(keys))*gmSpacing + 0.1)
}
