// Command train fits the category model of internal/analysis (catmodel_data.go) on a labelled
// corpus written by bench/eval, and prints how well it generalises: leave-one-group-out
// cross-validation, where a group is a drum kit (every hit of the kit is held out together)
// or a General MIDI instrument.
//
// Usage:
//
//	go run ./bench/eval -skip-mem                       # once: writes bench/out/eval/corpus (seed 404)
//	go run ./bench/train [-corpus DIR] [-out FILE] [-cache FILE] [-lambda L] [-balance B]
//
// Two models are fitted, one for sounds the analysis types one-shot and one for loops, each a
// multinomial logistic regression over the standardised features of
// analysis.ModelFeatureNames. The weights are written as Go source (gofmt'ed, deterministic):
// the same corpus and flags give the same file.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"go/format"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/sp404agent/sp404agent/internal/analysis"
	"github.com/sp404agent/sp404agent/internal/audio"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

// item is the part of bench/eval's manifest.json the trainer reads.
type item struct {
	File       string `json:"file"`
	Set        string `json:"set"`
	Style      string `json:"style"`
	Category   string `json:"category"`
	Instrument string `json:"instrument"`
	Source     string `json:"source"`
}

// example is a corpus file with its features and the type the analysis gave it.
type example struct {
	Sample
	Type string
	Set  string
}

func run(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("train", flag.ContinueOnError)
	corpus := fs.String("corpus", filepath.Join("bench", "out", "eval", "corpus"), "corpus directory written by bench/eval (with manifest.json)")
	out := fs.String("out", filepath.Join("internal", "analysis", "catmodel_data.go"), "generated Go file; empty to only cross-validate")
	cache := fs.String("cache", "", "feature cache (JSON): reused when it exists, written otherwise")
	lambda := fs.Float64("lambda", 0.01, "L2 penalty")
	balance := fs.Float64("balance", 0.5, "class-weight exponent (0 none, 1 balanced)")
	grid := fs.Bool("grid", false, "cross-validate a grid of penalties and class weights, and k-NN")
	synth := fs.Int("synth", 12, "synthesized sounds per kind (0: none)")
	soundfonts := fs.String("soundfonts", "/usr/share/sounds/sf2/FluidR3_GM.sf2,/usr/share/sounds/sf3/MuseScore_General_Lite.sf3,/usr/share/sounds/sf2/TimGM6mb.sf2",
		"comma-separated GM soundfonts whose drum kits are rendered as extra one-shots (empty: none)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	exs, err := loadExamples(*corpus, *cache, *soundfonts, *synth)
	if err != nil {
		return err
	}
	var oneShots, loops []example
	for _, e := range exs {
		if e.Type == analysis.TypeLoop {
			loops = append(loops, e)
		} else {
			oneShots = append(oneShots, e)
		}
	}
	fmt.Fprintf(w, "# Category model\n\n%d labelled files: %d typed one-shot, %d typed loop; %d features.\n\n", len(exs), len(oneShots), len(loops), len(analysis.ModelFeatureNames()))
	opt := FitOptions{Lambda: *lambda, Balance: *balance}
	if *grid {
		for _, set := range []struct {
			name string
			exs  []example
		}{{"one-shot", oneShots}, {"loop", loops}} {
			fmt.Fprintf(w, "## Grid, %s model (leave-one-group-out accuracy)\n\n| model | all | kit hits |\n|---|---|---|\n", set.name)
			for _, bal := range []float64{0, 0.5, 1} {
				for _, l := range []float64{0.001, 0.003, 0.01, 0.03, 0.1} {
					o := FitOptions{Lambda: l, Balance: bal}
					pred := crossValidate(set.exs, func(tr []Sample, cl []string) predictor { m, _ := Fit(tr, cl, o); return m })
					a, k := accuracy(set.exs, pred)
					fmt.Fprintf(w, "| logistic λ=%g balance=%g | %.1f %% | %.1f %% |\n", l, bal, a, k)
				}
			}
			for _, k := range []int{1, 3, 5, 9} {
				pred := crossValidate(set.exs, func(tr []Sample, cl []string) predictor { return FitKNN(tr, cl, k) })
				a, kh := accuracy(set.exs, pred)
				fmt.Fprintf(w, "| %d-NN | %.1f %% | %.1f %% |\n", k, a, kh)
			}
			fmt.Fprintln(w)
		}
	}
	var models [2]*Model
	for i, set := range []struct {
		name string
		exs  []example
	}{{"one-shot", oneShots}, {"loop", loops}} {
		pred := crossValidate(set.exs, func(tr []Sample, cl []string) predictor { m, _ := Fit(tr, cl, opt); return m })
		t := fitTemperature(set.exs, pred)
		fmt.Fprintf(w, "Temperature fitted on the held-out answers: %.2f.\n\n", t)
		report(w, set.name, set.exs, withTemperature(pred, t))
		m, err := Fit(samplesOf(set.exs), classesOf(set.exs), opt)
		if err != nil {
			return err
		}
		m.Temperature = t
		models[i] = m
	}
	if *out == "" {
		return nil
	}
	src, err := goSource(models, opt, *corpus, len(oneShots), len(loops))
	if err != nil {
		return err
	}
	return os.WriteFile(*out, src, 0o644)
}

// loadExamples analyses every labelled one-shot, drum loop and key clip of the corpus and the
// GM drum kits of the soundfonts (or reads them from the cache written by an earlier run with
// the same feature names and soundfonts), then adds the synthesized sounds.
func loadExamples(dir, cache, soundfonts string, synth int) ([]example, error) {
	names := analysis.ModelFeatureNames()
	type cached struct {
		Features   []string
		Soundfonts string
		Examples   []example
	}
	withSynth := func(exs []example) ([]example, error) {
		if synth <= 0 {
			return exs, nil
		}
		syn, err := synthSounds(synth)
		return append(exs, syn...), err
	}
	if cache != "" {
		if raw, err := os.ReadFile(cache); err == nil {
			var c cached
			if err := json.Unmarshal(raw, &c); err != nil {
				return nil, fmt.Errorf("cache: %w", err)
			}
			if slices.Equal(c.Features, names) && c.Soundfonts == soundfonts {
				return withSynth(c.Examples)
			}
		}
	}
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, err
	}
	var items []item
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, err
	}
	var exs []example
	for _, it := range items {
		if it.Category == "" || (it.Set != "oneshot" && it.Set != "loop" && it.Set != "keyclip") {
			continue
		}
		buf, md, err := audio.DecodeFile(filepath.Join(dir, it.File))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", it.File, err)
		}
		f, x, err := analysis.AnalyzeForTraining(context.Background(), buf, analysis.Hints{Name: "sample" + filepath.Ext(it.File), Meta: md})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", it.File, err)
		}
		exs = append(exs, example{Sample: Sample{X: x, Label: it.Category, Group: groupOf(it), Name: it.File}, Type: f.Type, Set: it.Set})
	}
	scratch, err := os.MkdirTemp("", "train")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(scratch)
	for _, sf := range strings.Split(soundfonts, ",") {
		if sf == "" {
			continue
		}
		gm, err := renderGMDrums(sf, scratch, 44100)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sf, err)
		}
		exs = append(exs, gm...)
	}
	if cache != "" {
		raw, err := json.Marshal(cached{Features: names, Soundfonts: soundfonts, Examples: exs})
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(cache, raw, 0o644); err != nil {
			return nil, err
		}
	}
	return withSynth(exs)
}

// groupOf is the cross-validation unit of an item: the drum kit of a kit hit or of a drum
// loop, the GM instrument of a rendered note or key clip.
func groupOf(it item) string {
	switch {
	case it.Set == "oneshot" && it.Source != "":
		// …/drumkits/<kit>/<file>
		parts := strings.Split(filepath.ToSlash(it.Source), "/")
		for i, p := range parts {
			if p == "drumkits" && i+1 < len(parts) {
				return "kit:" + parts[i+1]
			}
		}
		return "kit:" + filepath.Dir(it.Source)
	case it.Set == "loop":
		return "kit:" + it.Instrument
	default:
		return "instrument:" + it.Instrument
	}
}

func samplesOf(exs []example) []Sample {
	out := make([]Sample, len(exs))
	for i, e := range exs {
		out[i] = e.Sample
	}
	return out
}

// classesOf lists the labels present, in the analysis package's category order.
func classesOf(exs []example) []string {
	order := []string{analysis.CategoryKick, analysis.CategorySnare, analysis.CategoryClap, analysis.CategoryHatClosed,
		analysis.CategoryHatOpen, analysis.CategoryTom, analysis.CategoryCymbal, analysis.CategoryPerc, analysis.CategoryBass,
		analysis.CategoryMelodic, analysis.CategoryVocal, analysis.CategoryFX, analysis.CategoryDrums}
	seen := map[string]bool{}
	for _, e := range exs {
		seen[e.Label] = true
	}
	var out []string
	for _, c := range order {
		if seen[c] {
			out = append(out, c)
		}
	}
	return out
}

// predictor is a fitted classifier.
type predictor interface{ Predict(x []float64) []float64 }

// prediction is a held-out answer.
type prediction struct {
	label   string
	conf    float64
	classes []string
	probs   []float64
}

// fitTemperature returns the temperature T (softmax of logits/T, i.e. p^(1/T) renormalised)
// that minimises the held-out negative log-likelihood, on a grid from 0.5 to 4: temperature
// scaling (Guo, Pleiss, Sun & Weinberger 2017, "On calibration of modern neural networks",
// ICML), so the confidence means what it says on sounds the model has not seen.
func fitTemperature(exs []example, pred []prediction) float64 {
	best, bestT := math.Inf(1), 1.0
	for t := 0.5; t <= 4.0001; t += 0.05 {
		var nll float64
		for i, e := range exs {
			p := temper(pred[i].probs, t)
			q := 1e-6
			for c, name := range pred[i].classes {
				if name == e.Label {
					q = math.Max(q, p[c])
				}
			}
			nll -= math.Log(q)
		}
		if nll < best {
			best, bestT = nll, t
		}
	}
	return math.Round(bestT*100) / 100
}

// temper returns p^(1/t), renormalised.
func temper(p []float64, t float64) []float64 {
	out := make([]float64, len(p))
	var s float64
	for c, v := range p {
		out[c] = math.Pow(v, 1/t)
		s += out[c]
	}
	for c := range out {
		out[c] /= s
	}
	return out
}

// withTemperature re-derives the confidences of held-out predictions at temperature t.
func withTemperature(pred []prediction, t float64) []prediction {
	out := make([]prediction, len(pred))
	for i, p := range pred {
		q := temper(p.probs, t)
		out[i] = p
		for c, name := range p.classes {
			if name == p.label {
				out[i].conf = q[c]
			}
		}
	}
	return out
}

// crossValidate holds out each group in turn, fits on the rest and predicts the held-out
// files. Classes missing from a fold's training set are simply not predicted in that fold.
func crossValidate(exs []example, fit func([]Sample, []string) predictor) []prediction {
	groups := map[string]bool{}
	for _, e := range exs {
		groups[e.Group] = true
	}
	keys := make([]string, 0, len(groups))
	for g := range groups {
		keys = append(keys, g)
	}
	sort.Strings(keys)
	out := make([]prediction, len(exs))
	for _, g := range keys {
		var tr []example
		for _, e := range exs {
			if e.Group != g {
				tr = append(tr, e)
			}
		}
		cl := classesOf(tr)
		m := fit(samplesOf(tr), cl)
		for i, e := range exs {
			if e.Group != g {
				continue
			}
			p := m.Predict(e.X)
			best := 0
			for c := range p {
				if p[c] > p[best] {
					best = c
				}
			}
			out[i] = prediction{cl[best], p[best], cl, p}
		}
	}
	return out
}

// accuracy is the held-out accuracy over all examples and over the kit hits alone.
func accuracy(exs []example, pred []prediction) (all, kits float64) {
	var n, ok, kn, kok int
	for i, e := range exs {
		n++
		hit := pred[i].label == e.Label
		if hit {
			ok++
		}
		if e.Set == "oneshot" && strings.HasPrefix(e.Group, "kit:") {
			kn++
			if hit {
				kok++
			}
		}
	}
	return pct(ok, n), pct(kok, kn)
}

func pct(a, b int) float64 {
	if b == 0 {
		return math.NaN()
	}
	return 100 * float64(a) / float64(b)
}

// report prints the held-out accuracy per class and per group, the confusion table and how
// well the confidence is calibrated.
func report(w io.Writer, name string, exs []example, pred []prediction) {
	all, kits := accuracy(exs, pred)
	fmt.Fprintf(w, "## %s model: leave-one-group-out\n\n%d files, accuracy %.1f %% (kit hits %.1f %%)\n\n", name, len(exs), all, kits)
	classes := classesOf(exs)
	conf := map[string]map[string]int{}
	for i, e := range exs {
		if conf[e.Label] == nil {
			conf[e.Label] = map[string]int{}
		}
		conf[e.Label][pred[i].label]++
	}
	var cols []string
	seen := map[string]bool{}
	for _, p := range pred {
		seen[p.label] = true
	}
	for _, c := range classes {
		cols = append(cols, c)
		delete(seen, c)
	}
	for c := range seen {
		cols = append(cols, c)
	}
	fmt.Fprintf(w, "| truth \\ held-out answer | %s | accuracy |\n|---|%s---|\n", strings.Join(cols, " | "), strings.Repeat("---|", len(cols)))
	for _, t := range classes {
		var n int
		var cells []string
		for _, c := range cols {
			v := conf[t][c]
			n += v
			if v == 0 {
				cells = append(cells, "·")
			} else {
				cells = append(cells, fmt.Sprint(v))
			}
		}
		fmt.Fprintf(w, "| **%s** | %s | %.0f %% |\n", t, strings.Join(cells, " | "), pct(conf[t][t], n))
	}
	fmt.Fprintln(w)
	// Per group.
	type acc struct{ ok, n int }
	byGroup := map[string]*acc{}
	for i, e := range exs {
		a := byGroup[e.Group]
		if a == nil {
			a = &acc{}
			byGroup[e.Group] = a
		}
		a.n++
		if pred[i].label == e.Label {
			a.ok++
		}
	}
	var gs []string
	for g := range byGroup {
		gs = append(gs, g)
	}
	sort.Strings(gs)
	fmt.Fprintf(w, "| held-out group | files | accuracy |\n|---|---|---|\n")
	for _, g := range gs {
		fmt.Fprintf(w, "| %s | %d | %.0f %% |\n", g, byGroup[g].n, pct(byGroup[g].ok, byGroup[g].n))
	}
	fmt.Fprintln(w)
	// Calibration: accuracy per confidence bin.
	bins := []float64{0, 0.4, 0.6, 0.8, 0.9, 1.01}
	fmt.Fprintf(w, "| confidence | files | mean confidence | accuracy |\n|---|---|---|---|\n")
	for b := 0; b+1 < len(bins); b++ {
		var n, ok int
		var cs float64
		for i, e := range exs {
			if pred[i].conf >= bins[b] && pred[i].conf < bins[b+1] {
				n++
				cs += pred[i].conf
				if pred[i].label == e.Label {
					ok++
				}
			}
		}
		if n > 0 {
			fmt.Fprintf(w, "| %.1f–%.1f | %d | %.2f | %.0f %% |\n", bins[b], math.Min(1, bins[b+1]), n, cs/float64(n), pct(ok, n))
		}
	}
	fmt.Fprintln(w)
	var miss []string
	for i, e := range exs {
		if pred[i].label != e.Label {
			miss = append(miss, fmt.Sprintf("- `%s`: %s → %s (%.2f)", e.Name, e.Label, pred[i].label, pred[i].conf))
		}
	}
	fmt.Fprintf(w, "<details><summary>%d held-out misses</summary>\n\n%s\n\n</details>\n\n", len(miss), strings.Join(miss, "\n"))
}

// goSource writes the two models as the analysis package's catmodel_data.go.
func goSource(models [2]*Model, opt FitOptions, corpus string, nOne, nLoop int) ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "// Code generated by go run ./bench/train; DO NOT EDIT.\n\npackage analysis\n\n")
	fmt.Fprintf(&b, "// The category models: multinomial logistic regression fitted by bench/train on the labelled\n")
	fmt.Fprintf(&b, "// corpus of bench/eval (seed 404: %d files typed one-shot, %d typed loop), L2 penalty %g,\n", nOne, nLoop, opt.Lambda)
	fmt.Fprintf(&b, "// class-weight exponent %g.\n\n", opt.Balance)
	fmt.Fprintf(&b, "// modelFeatureNames are the feature names the models were fitted with.\nvar modelFeatureNames = []string{%s}\n\n", quoteAll(analysis.ModelFeatureNames()))
	for i, name := range []string{"oneShotModel", "loopModel"} {
		m := models[i]
		fmt.Fprintf(&b, "var %s = linearModel{\n", name)
		fmt.Fprintf(&b, "classes: []string{%s},\n", quoteAll(m.Classes))
		fmt.Fprintf(&b, "mean: %s,\n", floats(m.Mean))
		fmt.Fprintf(&b, "scale: %s,\n", floats(m.Scale))
		fmt.Fprintf(&b, "bias: %s,\n", floats(m.Bias))
		fmt.Fprintf(&b, "temperature: %g,\n", m.Temperature)
		fmt.Fprintf(&b, "weights: [][]float64{\n")
		for c, row := range m.Weights {
			fmt.Fprintf(&b, "%s, // %s\n", floats(row), m.Classes[c])
		}
		fmt.Fprintf(&b, "},\n}\n\n")
	}
	return format.Source(b.Bytes())
}

func quoteAll(s []string) string {
	q := make([]string, len(s))
	for i, v := range s {
		q[i] = fmt.Sprintf("%q", v)
	}
	return strings.Join(q, ", ")
}

func floats(v []float64) string {
	s := make([]string, len(v))
	for i, x := range v {
		s[i] = fmt.Sprintf("%.5g", x)
	}
	return "[]float64{" + strings.Join(s, ", ") + "}"
}
