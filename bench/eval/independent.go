package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// independentLabel labels a sample of Debian's sonic-pi-samples package from its name alone.
// The package is reserved for independent evaluation: nothing in the generator or in the
// analysis is tuned on it, and it is only read by the -independent mode.
func independentLabel(name string) (typ, category string) {
	rules := []struct {
		re       string
		typ, cat string
	}{
		{`^loop_(amen|amen_full|breakbeat|compus|industrial|mika|safari|tabla|perc\d|garzul|mehackit\d)$`, "loop", "drums"},
		{`^loop_`, "loop", ""},
		{`^(bd_|drum_heavy_kick|drum_bass_|elec_hollow_kick|elec_soft_kick)`, "one-shot", "kick"},
		{`^(sn_|drum_snare_|elec_(filt_|hi_|lo_|mid_)?snare)`, "one-shot", "snare"},
		{`^drum_tom_`, "one-shot", "tom"},
		{`^drum_cymbal_(closed|pedal)`, "one-shot", "hat_closed"},
		{`^drum_cymbal_open`, "one-shot", "hat_open"},
		{`^(drum_cymbal_(hard|soft)|drum_splash_|elec_cymbal)`, "one-shot", "cymbal"},
		{`^(drum_cowbell|tabla_|perc_(bell|snap|till)|elec_(tick|wood|triangle))`, "one-shot", "perc"},
		{`^bass_(hit|voxy_hit)`, "one-shot", "bass"},
		{`^vinyl_hiss`, "", ""}, // a texture: one-shot or loop is a matter of use
		{`^(elec_|perc_|glitch_perc|misc_|vinyl_)`, "one-shot", ""},
	}
	for _, r := range rules {
		if regexp.MustCompile(r.re).MatchString(name) {
			return r.typ, r.cat
		}
	}
	return "", ""
}

// loopTempo is the tempo that makes a whole-bar loop of the given length: 60·beats/duration
// with the power-of-two beat count that lands in 80–160 BPM. It is octave-ambiguous by
// construction, so Accuracy2 is the meaningful score for it.
func loopTempo(seconds float64) float64 {
	for beats := 1.0; beats <= 64; beats *= 2 {
		if t := 60 * beats / seconds; t >= 80 && t < 160 {
			return t
		}
	}
	return 0
}

// RunIndependent evaluates the sonic-pi-samples directory: tempo on the drum loops (labels
// from the loop lengths), one-shot/loop and category from the names. It prints a Markdown
// section and changes nothing.
func RunIndependent(dir string, compare bool, t Tools, w, log io.Writer) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.flac"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no .flac files in %s (apt-get install sonic-pi-samples)", dir)
	}
	sort.Strings(files)
	var items []Item
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".flac")
		typ, cat := independentLabel(name)
		if typ == "" {
			continue
		}
		group, _, _ := strings.Cut(name, "_")
		items = append(items, Item{File: filepath.Base(f), Set: "independent", Style: group, Format: "flac", Type: typ, Category: cat})
	}
	res := RunOurs(context.Background(), dir, items, log)
	for i := range res {
		if res[i].Category == "drums" {
			res[i].BPM = loopTempo(res[i].Ours.Duration)
			res[i].Set = "loop"
			res[i].Style = "sonic-pi"
		}
	}
	if compare {
		for i := range res {
			res[i].Refs = map[string]RefAnswer{}
			if res[i].BPM > 0 {
				p := filepath.Join(dir, res[i].File)
				res[i].Refs[RefAubio] = aubioTempo(t, p)
				res[i].Refs[RefBPMTools] = bpmTools(t, p)
			}
		}
	}
	fmt.Fprintln(w, "# Independent check: sonic-pi-samples (not used for tuning)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| loop | length | tempo from length | ours | aubio | bpm-tools |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	for _, r := range res {
		if r.BPM > 0 {
			fmt.Fprintf(w, "| %s | %.3f s | %.1f | %s | %s | %s |\n", r.File, r.Ours.Duration, r.BPM, fmtPtr(r.Ours.BPM),
				fmtPtr(r.Refs[RefAubio].BPM), fmtPtr(r.Refs[RefBPMTools].BPM))
		}
	}
	fmt.Fprintln(w)
	summary := &strings.Builder{}
	fmt.Fprint(summary, "## Summary against targets\n\n| metric | target | ours | verdict |\n|---|---|---|---|\n")
	fails := &strings.Builder{}
	tempo(w, summary, fails, res, compare)
	classification(w, summary, fails, res)
	fmt.Fprintln(w, summary.String())
	fmt.Fprint(w, fails.String())
	return nil
}
