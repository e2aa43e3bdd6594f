package main

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/sp404agent/sp404agent/bench/internal/midi"
	"github.com/sp404agent/sp404agent/internal/audio"
)

// Item is one labelled corpus file. Empty labels are not scored.
type Item struct {
	File       string   `json:"file"`  // path relative to the corpus directory
	Set        string   `json:"set"`   // loop (drum loop), keyclip, oneshot, loudness
	Style      string   `json:"style"` // drum style, key case, kit instrument or Tech 3341 case
	Format     string   `json:"format"`
	Rate       int      `json:"rate"`
	Channels   int      `json:"channels"`
	Bars       int      `json:"bars,omitempty"`
	BPM        float64  `json:"bpm,omitempty"`
	Key        string   `json:"key,omitempty"`
	Scale      string   `json:"scale,omitempty"`
	Type       string   `json:"type,omitempty"`
	Category   string   `json:"category,omitempty"`
	RootNote   string   `json:"root_note,omitempty"`
	LUFS       *float64 `json:"lufs,omitempty"`
	TruePeak   *float64 `json:"true_peak,omitempty"`
	Instrument string   `json:"instrument,omitempty"`
	Detune     float64  `json:"detune_cents,omitempty"`
	Modifiers  []string `json:"modifiers,omitempty"` // swing, human, lofi, wrap
	Hard       bool     `json:"hard,omitempty"`
	Source     string   `json:"source,omitempty"` // kit sample the one-shot was copied from
}

// Sizes sets how many files of each set the generator writes.
type Sizes struct {
	LoopsPerStyle int
	KeyKeys       int // keys per key case (≤ 12 per mode)
	KitLayers     int // layers per kit instrument for one-shots
	MaxOneShots   int // 0 = all labelled kit samples
	PitchedNotes  int
	LoudnessRates []int
	LoudnessCases []string
	KitsForLoops  int
	SoundFont     string
	KitDir        string
	FluidSynth    string
	FFmpeg        string
	SoX           string
	Seed          uint64
}

// Generator writes the corpus into Dir; it keeps the tools and the random source it uses.
type Generator struct {
	Dir     string
	Sizes   Sizes
	rng     *rand.Rand
	scratch string
	log     io.Writer
}

// Generate writes the whole corpus and its manifest.json, returning the items.
func Generate(dir string, sz Sizes, log io.Writer) ([]Item, error) {
	g := &Generator{Dir: dir, Sizes: sz, rng: rand.New(rand.NewPCG(sz.Seed, 0x5eed)), log: log}
	g.scratch = filepath.Join(dir, "scratch")
	for _, d := range []string{"loops", "keys", "oneshots", "loudness", "scratch"} {
		if err := os.MkdirAll(filepath.Join(dir, d), 0o755); err != nil {
			return nil, err
		}
	}
	defer os.RemoveAll(g.scratch)
	kits, err := LoadKits(sz.KitDir, sz.KitLayers)
	if err != nil {
		return nil, err
	}
	var items []Item
	for _, step := range []func([]KitSample) ([]Item, error){g.drumLoops, g.keyClips, g.oneShots, g.loudness} {
		got, err := step(kits)
		if err != nil {
			return nil, err
		}
		items = append(items, got...)
	}
	raw, err := json.MarshalIndent(items, "", " ")
	if err != nil {
		return nil, err
	}
	return items, os.WriteFile(filepath.Join(dir, "manifest.json"), raw, 0o644)
}

// formats, rates and bar counts the loops are spread over.
var (
	allFormats = []string{"wav", "flac", "mp3", "ogg", "aiff"}
	allRates   = []int{44100, 48000, 96000}
	allBars    = []int{1, 2, 2, 4, 4, 4, 8}
)

// pickFormatRate draws a format and a sample rate (MP3 cannot carry 96 kHz).
func (g *Generator) pickFormatRate() (string, int) {
	f := allFormats[g.rng.IntN(len(allFormats))]
	rates := allRates
	if f == "mp3" {
		rates = rates[:2]
	}
	return f, rates[g.rng.IntN(len(rates))]
}

// drumLoops renders LoopsPerStyle loops per style from the kit one-shots.
func (g *Generator) drumLoops(kits []KitSample) ([]Item, error) {
	byKit := map[string]map[string][]KitSample{}
	for _, k := range kits {
		if byKit[k.Kit] == nil {
			byKit[k.Kit] = map[string][]KitSample{}
		}
		byKit[k.Kit][k.Category] = append(byKit[k.Kit][k.Category], k)
	}
	// Loops use kits that have a kick, a snare and a closed hat; missing classes come from others.
	var full []string
	for name, cats := range byKit {
		if len(cats["kick"]) > 0 && len(cats["snare"]) > 0 && len(cats["hat_closed"]) > 0 {
			full = append(full, name)
		}
	}
	sort.Strings(full)
	cache := map[string]*audio.Buffer{}
	load := func(path string, rate int) (*audio.Buffer, error) {
		key := fmt.Sprintf("%s@%d", path, rate)
		if b, ok := cache[key]; ok {
			return b, nil
		}
		b, _, err := audio.DecodeFile(path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if b.SampleRate != rate {
			b = audio.Resample(b, rate)
		}
		cache[key] = b
		return b, nil
	}
	var items []Item
	n := 0
	for _, st := range Styles() {
		for i := 0; i < g.Sizes.LoopsPerStyle; i++ {
			n++
			format, rate := g.pickFormatRate()
			spec := LoopSpec{Style: st, Bars: allBars[g.rng.IntN(len(allBars))], Rate: rate, Channels: 1 + g.rng.IntN(2)}
			spec.BPM = math.Round(st.MinBPM + (st.MaxBPM-st.MinBPM)*g.rng.Float64())
			if g.rng.IntN(5) == 0 {
				spec.BPM += 0.5
			}
			spec.BPM = math.Min(spec.BPM, st.MaxBPM)
			if st.Swing[1] > 0.5 {
				spec.Swing = st.Swing[0] + (st.Swing[1]-st.Swing[0])*g.rng.Float64()
			}
			spec.Human = st.AlwaysHuman || g.rng.IntN(4) == 0
			spec.Lofi = st.AlwaysLofi || g.rng.IntN(8) == 0
			spec.Wrap = g.rng.IntN(2) == 0
			kitName := full[g.rng.IntN(len(full))]
			kit := Kit{}
			for _, cat := range []string{"kick", "snare", "clap", "hat_closed", "hat_open", "cymbal", "tom", "perc"} {
				src := byKit[kitName][cat]
				if len(src) == 0 { // borrow from another full kit
					src = byKit[full[g.rng.IntN(len(full))]][cat]
				}
				for _, s := range src {
					b, err := load(s.Path, rate)
					if err != nil {
						return nil, err
					}
					kit[cat] = append(kit[cat], b)
				}
			}
			buf, err := RenderLoop(g.rng, spec, kit)
			if err != nil {
				return nil, err
			}
			var mods []string
			if spec.Swing > 0.5 {
				mods = append(mods, fmt.Sprintf("swing%.0f", spec.Swing*100))
			}
			if spec.Human {
				mods = append(mods, "human")
			}
			if spec.Lofi {
				mods = append(mods, "lofi")
			}
			if spec.Wrap {
				mods = append(mods, "wrap")
			}
			name := fmt.Sprintf("loops/%03d_%s_%gbpm_%dbar_%dk_%s.%s", n, st.Name, spec.BPM, spec.Bars, rate/1000, chName(spec.Channels), format)
			if err := g.write(buf, name, format); err != nil {
				return nil, err
			}
			items = append(items, Item{File: name, Set: "loop", Style: st.Name, Format: format, Rate: rate, Channels: spec.Channels,
				Bars: spec.Bars, BPM: spec.BPM, Type: "loop", Category: "drums", Instrument: kitName, Modifiers: mods})
		}
		fmt.Fprintf(g.log, "generated %d %s loops\n", g.Sizes.LoopsPerStyle, st.Name)
	}
	return items, nil
}

// chName is "mono" or "st".
func chName(c int) string {
	if c == 1 {
		return "mono"
	}
	return "st"
}

// keyClips renders the key cases in KeyKeys keys per mode with FluidSynth.
func (g *Generator) keyClips([]KitSample) ([]Item, error) {
	var items []Item
	n := 0
	for _, kc := range KeyCases() {
		for _, mode := range kc.Modes {
			tonics := g.rng.Perm(12)[:g.Sizes.KeyKeys]
			sort.Ints(tonics)
			for _, tonic := range tonics {
				n++
				detune := 0.0
				if g.rng.IntN(4) == 0 { // a quarter detuned by ±15–40 cents
					detune = (15 + 25*g.rng.Float64()) * float64(1-2*g.rng.IntN(2))
					detune = math.Round(detune)
				}
				clip := ComposeKeyClip(g.rng, kc, tonic, mode, detune)
				format, rate := g.pickFormatRate()
				channels := 1 + g.rng.IntN(2)
				length := float64(clip.Bars*4) * 60 / clip.BPM
				buf, err := g.render(clip.Song, float64(clip.Bars*4), rate, channels, length)
				if err != nil {
					return nil, err
				}
				name := fmt.Sprintf("keys/%03d_%s_%s%s_%s_%gbpm_%dk_%s", n, kc.Name, pitchNames[tonic], map[string]string{"major": "maj", "minor": "min"}[mode], clip.Instrument, clip.BPM, rate/1000, chName(channels))
				if detune != 0 {
					name += fmt.Sprintf("_detune%+g", detune)
				}
				name += "." + format
				if err := g.write(buf, name, format); err != nil {
					return nil, err
				}
				items = append(items, Item{File: name, Set: "keyclip", Style: kc.Name, Format: format, Rate: rate, Channels: channels,
					Bars: clip.Bars, BPM: clip.BPM, Key: pitchNames[tonic], Scale: mode, Type: "loop", Category: clip.Category,
					Instrument: clip.Instrument, Detune: detune, Hard: kc.Hard})
			}
		}
		fmt.Fprintf(g.log, "generated %s key clips\n", kc.Name)
	}
	return items, nil
}

// render plays a song through FluidSynth at rate and returns exactly length seconds with a
// 5 ms fade-out, mixed to mono when channels is 1 and peak-normalised to −1…−4 dBFS.
func (g *Generator) render(s *midi.Song, beats float64, rate, channels int, length float64) (*audio.Buffer, error) {
	mid := filepath.Join(g.scratch, "song.mid")
	wav := filepath.Join(g.scratch, "song.wav")
	if err := os.WriteFile(mid, s.SMF(beats+2), 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command(g.Sizes.FluidSynth, "-ni", "-q", "-g", "0.5", "-r", fmt.Sprint(rate), "-T", "wav", "-F", wav, g.Sizes.SoundFont, mid)
	if out, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("fluidsynth: %v: %s", err, out)
	}
	b, _, err := audio.DecodeFile(wav)
	if err != nil {
		return nil, err
	}
	n := min(b.Frames(), int(math.Round(length*float64(rate))))
	for c := range b.Data {
		b.Data[c] = b.Data[c][:n]
	}
	if channels == 1 && b.Channels() > 1 {
		b = &audio.Buffer{SampleRate: b.SampleRate, Data: [][]float32{append([]float32(nil), b.Mono()...)}}
	}
	audio.FadeInPlace(b, 0, rate/200)
	peak := audio.Peak(b)
	if peak == 0 {
		return nil, fmt.Errorf("fluidsynth rendered silence")
	}
	g2 := float32(audio.DBToGain(-1-3*g.rng.Float64()) / peak)
	for _, ch := range b.Data {
		for i := range ch {
			ch[i] *= g2
		}
	}
	return b, nil
}

// oneShots copies labelled kit samples as the kits ship them (FLAC or WAV, their own rate
// and channels) and renders pitched bass and melodic one-shots with FluidSynth.
func (g *Generator) oneShots(kits []KitSample) ([]Item, error) {
	list := kits
	if m := g.Sizes.MaxOneShots; m > 0 && m < len(list) {
		idx := g.rng.Perm(len(list))[:m]
		sort.Ints(idx)
		list = make([]KitSample, 0, m)
		for _, i := range idx {
			list = append(list, kits[i])
		}
	}
	var items []Item
	for n, k := range list {
		ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(k.Path)), ".")
		base := strings.Map(func(r rune) rune {
			if r == ' ' || r == '/' || r == '"' || r == '(' || r == ')' || r == ',' {
				return '-'
			}
			return r
		}, k.Kit+"_"+k.Instrument)
		name := fmt.Sprintf("oneshots/%03d_%s_%s.%s", n+1, k.Category, base, ext)
		raw, err := os.ReadFile(k.Path)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(g.Dir, name), raw, 0o644); err != nil {
			return nil, err
		}
		b, md, err := audio.DecodeFile(k.Path)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", k.Path, err)
		}
		items = append(items, Item{File: name, Set: "oneshot", Style: "kit", Format: string(md.Format), Rate: b.SampleRate,
			Channels: b.Channels(), Type: "one-shot", Category: k.Category, Instrument: k.Instrument, Source: k.Path})
	}
	for i := 0; i < g.Sizes.PitchedNotes; i++ {
		bass := i%2 == 0
		s, note, inst, dur := ComposeNote(g.rng, bass)
		format, rate := g.pickFormatRate()
		channels := 1 + g.rng.IntN(2)
		buf, err := g.render(s, dur*2, rate, channels, dur+0.5)
		if err != nil {
			return nil, err
		}
		cat := "melodic"
		if bass {
			cat = "bass"
		}
		name := fmt.Sprintf("oneshots/p%03d_%s_%s_%s_%dk.%s", i+1, cat, inst, noteName(note), rate/1000, format)
		if err := g.write(buf, name, format); err != nil {
			return nil, err
		}
		items = append(items, Item{File: name, Set: "oneshot", Style: "note", Format: format, Rate: rate, Channels: channels,
			Type: "one-shot", Category: cat, RootNote: noteName(note), Instrument: inst})
	}
	fmt.Fprintf(g.log, "generated %d one-shots\n", len(items))
	return items, nil
}

// write stores buf as format: WAV with our encoder (16/24-bit or float), AIFF with SoX,
// FLAC, MP3 and Ogg Vorbis with FFmpeg. SoX runs in repeatable mode (fixed dither seed and
// time stamp) and FFmpeg bit-exact (fixed Ogg serial numbers), so a seed gives identical files.
func (g *Generator) write(buf *audio.Buffer, name, format string) error {
	dst := filepath.Join(g.Dir, name)
	if format == "wav" {
		enc := []audio.Encoding{audio.PCM16, audio.PCM24, audio.Float32}[g.rng.IntN(3)]
		return writeWAV(dst, buf, enc)
	}
	tmp := filepath.Join(g.scratch, "src.wav")
	if err := writeWAV(tmp, buf, audio.Float32); err != nil {
		return err
	}
	var cmd *exec.Cmd
	switch format {
	case "aiff":
		cmd = exec.Command(g.Sizes.SoX, "-R", tmp, "-b", []string{"16", "24"}[g.rng.IntN(2)], dst)
	case "flac":
		cmd = exec.Command(g.Sizes.FFmpeg, "-hide_banner", "-loglevel", "error", "-y", "-i", tmp, "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact", "-c:a", "flac", "-sample_fmt", "s16", dst)
	case "mp3":
		cmd = exec.Command(g.Sizes.FFmpeg, "-hide_banner", "-loglevel", "error", "-y", "-i", tmp, "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact", "-c:a", "libmp3lame", "-b:a", []string{"128k", "192k", "320k"}[g.rng.IntN(3)], dst)
	case "ogg":
		cmd = exec.Command(g.Sizes.FFmpeg, "-hide_banner", "-loglevel", "error", "-y", "-i", tmp, "-map_metadata", "-1", "-fflags", "+bitexact", "-flags:a", "+bitexact", "-c:a", "libvorbis", "-q:a", "5", dst)
	default:
		return fmt.Errorf("unknown format %q", format)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: %v: %s", format, err, out)
	}
	return nil
}

// writeWAV encodes buf to path with our WAV writer.
func writeWAV(path string, buf *audio.Buffer, enc audio.Encoding) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := audio.EncodeWAV(f, buf, enc); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
