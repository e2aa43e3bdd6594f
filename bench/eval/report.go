package main

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
)

// Targets are the acceptance numbers.
const (
	targetAcc1     = 97.0
	targetAcc2     = 99.5
	targetKey      = 0.97
	targetType     = 98.0
	targetCategory = 90.0
	targetLUFS     = 0.02
	targetTP       = 0.05
)

// passMark is "✅" when ok, "❌" otherwise.
func passMark(ok bool) string {
	if ok {
		return "pass"
	}
	return "**FAIL**"
}

func fmtPtr(v *float64) string {
	if v == nil {
		return "null"
	}
	return fmt.Sprintf("%g", *v)
}

func fmtKey(k, s *string) string {
	if k == nil || s == nil {
		return "none"
	}
	return *k + " " + *s
}

// Report writes the Markdown report: composition, metrics against targets, the side-by-side
// comparison and the failure lists.
func Report(w io.Writer, res []Result, compare bool) {
	composition(w, res)
	fails := &strings.Builder{}
	summary := &strings.Builder{}
	fmt.Fprintln(summary, "## Summary against targets")
	fmt.Fprintln(summary)
	fmt.Fprintln(summary, "| metric | target | ours | verdict |")
	fmt.Fprintln(summary, "|---|---|---|---|")

	tempo(w, summary, fails, res, compare)
	key(w, summary, fails, res, compare)
	classification(w, summary, fails, res)
	loudness(w, summary, fails, res, compare)
	cpu(w, res, compare)

	fmt.Fprintln(w, summary.String())
	fmt.Fprintln(w, "## Failures (file names from the generator)")
	fmt.Fprintln(w)
	fmt.Fprint(w, fails.String())
	var errs []string
	for _, r := range res {
		if r.Ours.Err != "" {
			errs = append(errs, fmt.Sprintf("- `%s`: %s", r.File, r.Ours.Err))
		}
	}
	if len(errs) > 0 {
		fmt.Fprintf(w, "\n### Decode/analysis errors (%d)\n\n%s\n", len(errs), strings.Join(errs, "\n"))
	}
}

// composition prints the corpus counts.
func composition(w io.Writer, res []Result) {
	fmt.Fprintln(w, "## Corpus")
	fmt.Fprintln(w)
	sets := map[string]map[string]map[string]int{}
	add := func(set, dim, v string) {
		if sets[set] == nil {
			sets[set] = map[string]map[string]int{}
		}
		if sets[set][dim] == nil {
			sets[set][dim] = map[string]int{}
		}
		sets[set][dim][v]++
	}
	var dur = map[string]float64{}
	n := map[string]int{}
	for _, r := range res {
		n[r.Set]++
		dur[r.Set] += r.Ours.Duration
		add(r.Set, "style", r.Style)
		add(r.Set, "format", r.Format)
		add(r.Set, "rate", fmt.Sprintf("%dk", r.Rate/1000))
		add(r.Set, "channels", chName(r.Channels))
		if r.Bars > 0 {
			add(r.Set, "bars", fmt.Sprint(r.Bars))
		}
		for _, m := range r.Modifiers {
			if strings.HasPrefix(m, "swing") {
				m = "swing"
			}
			add(r.Set, "modifiers", m)
		}
		if r.Category != "" {
			add(r.Set, "category", r.Category)
		}
		if r.Scale != "" {
			add(r.Set, "scale", r.Scale)
		}
		if r.Detune != 0 {
			add(r.Set, "modifiers", "detuned")
		}
	}
	fmt.Fprintln(w, "| set | files | audio | composition |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, set := range []string{"loop", "keyclip", "oneshot", "loudness"} {
		var parts []string
		for _, dim := range []string{"style", "category", "scale", "format", "rate", "channels", "bars", "modifiers"} {
			if m := sets[set][dim]; len(m) > 0 && !(dim == "category" && len(m) == 1) {
				parts = append(parts, fmt.Sprintf("*%s*: %s", dim, counts(m)))
			}
		}
		fmt.Fprintf(w, "| %s | %d | %.0f s | %s |\n", set, n[set], dur[set], strings.Join(parts, "<br>"))
	}
	fmt.Fprintln(w)
}

// tempo prints Accuracy1/2 per style for us and the outside trackers.
func tempo(w, summary, fails io.Writer, res []Result, compare bool) {
	tools := []string{"ours"}
	if compare {
		tools = append(tools, RefAubio, RefBPMTools)
	}
	for _, set := range []string{"loop", "keyclip"} {
		title := "drum loops"
		if set == "keyclip" {
			title = "melodic key clips (informational: the targets are for loops)"
		}
		n := 0
		for _, r := range res {
			if r.Set == set && r.BPM > 0 {
				n++
			}
		}
		if n == 0 {
			continue
		}
		fmt.Fprintf(w, "## Tempo, %s\n\n", title)
		fmt.Fprint(w, "| style | files |")
		for _, t := range tools {
			fmt.Fprintf(w, " %s Acc1 | %s Acc2 |", t, t)
		}
		fmt.Fprintln(w)
		fmt.Fprintln(w, "|---|---|"+strings.Repeat("---|", 2*len(tools)))
		acc := map[string]map[string]*[2]Rate{}
		var styles []string
		var failList []string
		for _, r := range res {
			if r.Set != set || r.BPM <= 0 {
				continue
			}
			if acc[r.Style] == nil {
				acc[r.Style] = map[string]*[2]Rate{}
				styles = append(styles, r.Style)
			}
			for _, group := range []string{r.Style, "all"} {
				if acc[group] == nil {
					acc[group] = map[string]*[2]Rate{}
				}
				for _, t := range tools {
					var est *float64
					if t == "ours" {
						est = r.Ours.BPM
					} else {
						est = r.Refs[t].BPM
					}
					a1, a2 := tempoCorrect(r.BPM, est)
					if acc[group][t] == nil {
						acc[group][t] = &[2]Rate{}
					}
					acc[group][t][0].Add(a1)
					acc[group][t][1].Add(a2)
					if group == "all" && t == "ours" && !a1 {
						failList = append(failList, fmt.Sprintf("- `%s`: truth %g, ours %s (alternates %v, source %s)%s",
							r.File, r.BPM, fmtPtr(r.Ours.BPM), r.Ours.Alternates, r.Ours.BPMSource, map[bool]string{true: "", false: " — also wrong under Acc2"}[a2]))
					}
				}
			}
		}
		for _, s := range append(styles, "all") {
			name := s
			if s == "all" {
				name = "**all**"
			}
			fmt.Fprintf(w, "| %s | %d |", name, acc[s]["ours"][0].N)
			for _, t := range tools {
				fmt.Fprintf(w, " %.1f %% | %.1f %% |", acc[s][t][0].Pct(), acc[s][t][1].Pct())
			}
			fmt.Fprintln(w)
		}
		fmt.Fprintln(w)
		if set == "loop" {
			tempoConditions(w, res)
			all := acc["all"]["ours"]
			fmt.Fprintf(summary, "| tempo Accuracy1, drum loops | ≥ %.1f %% | %s | %s |\n", targetAcc1, all[0], passMark(all[0].Pct() >= targetAcc1))
			fmt.Fprintf(summary, "| tempo Accuracy2, drum loops | ≥ %.1f %% | %s | %s |\n", targetAcc2, all[1], passMark(all[1].Pct() >= targetAcc2))
			fmt.Fprintf(fails, "### Tempo: drum loops outside ±4 %% (%d)\n\n%s\n\n", len(failList), strings.Join(failList, "\n"))
		} else {
			fmt.Fprintf(fails, "### Tempo: key clips outside ±4 %% (%d, informational)\n\n%s\n\n", len(failList), strings.Join(failList, "\n"))
		}
	}
}

// key prints the MIREX score per key case for us and essentia.js.
func key(w, summary, fails io.Writer, res []Result, compare bool) {
	tools := []string{"ours"}
	if compare {
		tools = append(tools, RefEssentia)
	}
	fmt.Fprintln(w, "## Key (MIREX weighted score, mir_eval rules)")
	fmt.Fprintln(w)
	fmt.Fprint(w, "| case | files |")
	for _, t := range tools {
		fmt.Fprintf(w, " %s weighted | %s exact |", t, t)
	}
	fmt.Fprintln(w, " our errors by kind |")
	fmt.Fprintln(w, "|---|---|"+strings.Repeat("---|", 2*len(tools)+1))
	type agg struct {
		score map[string]*Mean
		exact map[string]*Rate
		kinds map[string]int
	}
	groups := map[string]*agg{}
	var order []string
	var failList []string
	get := func(g string) *agg {
		if groups[g] == nil {
			groups[g] = &agg{score: map[string]*Mean{}, exact: map[string]*Rate{}, kinds: map[string]int{}}
			for _, t := range tools {
				groups[g].score[t], groups[g].exact[t] = &Mean{}, &Rate{}
			}
			if g != "all" && g != "all, detuned" && g != "all, in tune" {
				order = append(order, g)
			}
		}
		return groups[g]
	}
	for _, r := range res {
		if r.Key == "" {
			continue
		}
		tune := "all, in tune"
		if r.Detune != 0 {
			tune = "all, detuned"
		}
		for _, g := range []string{r.Style + " " + r.Scale, "all", tune} {
			a := get(g)
			for _, t := range tools {
				var k, s string
				if t == "ours" {
					if r.Ours.Key != nil && r.Ours.Scale != nil {
						k, s = *r.Ours.Key, *r.Ours.Scale
					}
				} else {
					k, s = r.Refs[t].Key, r.Refs[t].Scale
				}
				sc, kind := keyScore(r.Key, r.Scale, k, s)
				a.score[t].Add(sc)
				a.exact[t].Add(sc == 1)
				if t == "ours" && kind != "exact" {
					a.kinds[kind]++
					if g == "all" {
						failList = append(failList, fmt.Sprintf("- `%s`: truth %s %s, ours %s (%s)", r.File, r.Key, r.Scale, fmtKey(r.Ours.Key, r.Ours.Scale), kind))
					}
				}
			}
		}
	}
	sort.Strings(order)
	for _, g := range append(order, "all, in tune", "all, detuned", "all") {
		a := groups[g]
		if a == nil {
			continue
		}
		name := g
		if g == "all" {
			name = "**all**"
		}
		fmt.Fprintf(w, "| %s | %d |", name, a.exact["ours"].N)
		for _, t := range tools {
			fmt.Fprintf(w, " %.3f | %.1f %% |", a.score[t].Value(), a.exact[t].Pct())
		}
		fmt.Fprintf(w, " %s |\n", counts(a.kinds))
	}
	fmt.Fprintln(w)
	if a := groups["all"]; a != nil {
		fmt.Fprintf(summary, "| key, MIREX weighted | ≥ %.2f | %.3f (exact %s) | %s |\n", targetKey, a.score["ours"].Value(), a.exact["ours"], passMark(a.score["ours"].Value() >= targetKey))
	}
	fmt.Fprintf(fails, "### Key: clips not scored 1 (%d)\n\n%s\n\n", len(failList), strings.Join(failList, "\n"))
}

// classification prints type and category accuracy, the confusion table and root notes.
func classification(w, summary, fails io.Writer, res []Result) {
	typeBySet := map[string]*Rate{}
	var typeAll, catAll, root, rootPC Rate
	conf := Confusion{}
	var typeFails, catFails, rootFails []string
	for _, r := range res {
		if r.Type != "" {
			ok := r.Ours.Type == r.Type
			typeAll.Add(ok)
			if typeBySet[r.Set+" "+r.Style] == nil {
				typeBySet[r.Set+" "+r.Style] = &Rate{}
			}
			typeBySet[r.Set+" "+r.Style].Add(ok)
			if !ok {
				typeFails = append(typeFails, fmt.Sprintf("- `%s`: truth %s, ours %s (category %s)", r.File, r.Type, r.Ours.Type, r.Ours.Category))
			}
		}
		if r.Category != "" {
			pred := r.Ours.Category
			if r.Ours.Err != "" {
				pred = "(error)"
			}
			conf.Add(r.Category, pred)
			catAll.Add(pred == r.Category)
			if pred != r.Category {
				catFails = append(catFails, fmt.Sprintf("- `%s`: truth %s, ours %s (type %s)", r.File, r.Category, pred, r.Ours.Type))
			}
		}
		if r.RootNote != "" {
			got := "none"
			if r.Ours.RootNote != nil {
				got = *r.Ours.RootNote
			}
			root.Add(got == r.RootNote)
			rootPC.Add(strings.TrimRight(got, "-0123456789") == strings.TrimRight(r.RootNote, "-0123456789"))
			if got != r.RootNote {
				rootFails = append(rootFails, fmt.Sprintf("- `%s`: truth %s, ours %s", r.File, r.RootNote, got))
			}
		}
	}
	fmt.Fprintln(w, "## One-shot / loop")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| set | accuracy |")
	fmt.Fprintln(w, "|---|---|")
	var keys []string
	for k := range typeBySet {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "| %s | %s |\n", k, typeBySet[k])
	}
	fmt.Fprintf(w, "| **all** | %s |\n\n", typeAll)
	fmt.Fprintln(w, "## Category")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "Accuracy %s (melody-over-drums clips are not labelled).\n\n", catAll)
	fmt.Fprintln(w, conf.Markdown())
	fmt.Fprintf(w, "Root note of pitched one-shots: exact %s, pitch class %s.\n\n", root, rootPC)
	fmt.Fprintf(summary, "| one-shot / loop | ≥ %.0f %% | %s | %s |\n", targetType, typeAll, passMark(typeAll.Pct() >= targetType))
	fmt.Fprintf(summary, "| category | ≥ %.0f %% | %s | %s |\n", targetCategory, catAll, passMark(catAll.Pct() >= targetCategory))
	fmt.Fprintf(fails, "### One-shot / loop wrong (%d)\n\n%s\n\n", len(typeFails), strings.Join(typeFails, "\n"))
	fmt.Fprintf(fails, "### Category wrong (%d)\n\n%s\n\n", len(catFails), strings.Join(catFails, "\n"))
	fmt.Fprintf(fails, "### Root note wrong (%d)\n\n%s\n\n", len(rootFails), strings.Join(rootFails, "\n"))
}

// loudness prints the Tech 3341 cases and the agreement with FFmpeg on the musical files.
func loudness(w, summary, fails io.Writer, res []Result, compare bool) {
	fmt.Fprintln(w, "## Loudness (EBU Tech 3341 signals)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| file | expected | ours | error | ffmpeg ebur128 |")
	fmt.Fprintln(w, "|---|---|---|---|---|")
	var maxI, maxTP float64
	var nI, nTP int
	var failList []string
	for _, r := range res {
		if r.Set != "loudness" {
			continue
		}
		ref := r.Refs[RefEBUR128]
		if r.LUFS != nil {
			e := r.Ours.LUFS - *r.LUFS
			maxI = math.Max(maxI, math.Abs(e))
			nI++
			fmt.Fprintf(w, "| `%s` (integrated) | %.2f LUFS | %.2f | %+.3f | %s |\n", r.File, *r.LUFS, r.Ours.LUFS, e, fmtPtr(ref.LUFS))
			if math.Abs(e) > targetLUFS {
				failList = append(failList, fmt.Sprintf("- `%s`: integrated %.2f LUFS, expected %.2f", r.File, r.Ours.LUFS, *r.LUFS))
			}
		}
		if r.TruePeak != nil {
			e := r.Ours.TruePeak - *r.TruePeak
			maxTP = math.Max(maxTP, math.Abs(e))
			nTP++
			fmt.Fprintf(w, "| `%s` (true peak) | %.2f dBTP | %.2f | %+.3f | %s |\n", r.File, *r.TruePeak, r.Ours.TruePeak, e, fmtPtr(ref.TP))
			if math.Abs(e) > targetTP {
				failList = append(failList, fmt.Sprintf("- `%s`: true peak %.2f dBTP, expected %.2f", r.File, r.Ours.TruePeak, *r.TruePeak))
			}
		}
	}
	fmt.Fprintln(w)
	if compare {
		var d Mean
		var worst float64
		var worstFile string
		for _, r := range res {
			ref := r.Refs[RefEBUR128]
			if r.Set == "loudness" || ref.LUFS == nil || r.Ours.Err != "" || r.Ours.Duration < 3 {
				continue
			}
			diff := r.Ours.LUFS - *ref.LUFS
			d.Add(math.Abs(diff))
			if math.Abs(diff) > worst {
				worst, worstFile = math.Abs(diff), r.File
			}
		}
		fmt.Fprintf(w, "Agreement with `ffmpeg -af ebur128` (0.1 LU print resolution) on %d loops and key clips ≥ 3 s: mean |Δ| %.3f LU, worst %.2f LU (`%s`).\n\n", d.N, d.Value(), worst, worstFile)
	}
	fmt.Fprintf(summary, "| integrated loudness, Tech 3341 cases 1–5 | ±%.2f LU | max |error| %.3f LU over %d files | %s |\n", targetLUFS, maxI, nI, passMark(maxI <= targetLUFS))
	fmt.Fprintf(summary, "| true peak, Tech 3341 cases 15–19 | ±%.2f dB | max |error| %.3f dB over %d files | %s |\n", targetTP, maxTP, nTP, passMark(maxTP <= targetTP))
	fmt.Fprintf(fails, "### Loudness outside tolerance (%d)\n\n%s\n\n", len(failList), strings.Join(failList, "\n"))
}

// cpu prints CPU time per tool on the files each one ran on.
func cpu(w io.Writer, res []Result, compare bool) {
	fmt.Fprintln(w, "## CPU time (process user + system; one file at a time)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| tool | task | files | audio | CPU total | median per file | × real time |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|")
	row := func(tool, task string, pick func(Result) (float64, bool)) {
		var total, audioSec float64
		var per []float64
		for _, r := range res {
			if c, ok := pick(r); ok {
				total += c
				audioSec += r.Ours.Duration
				per = append(per, c)
			}
		}
		if len(per) == 0 {
			return
		}
		fmt.Fprintf(w, "| %s | %s | %d | %.0f s | %.2f s | %.1f ms | %.0f× |\n", tool, task, len(per), audioSec, total, 1000*median(per), audioSec/total)
	}
	loops := func(r Result) bool { return r.BPM > 0 && r.Ours.Err == "" }
	keys := func(r Result) bool { return r.Key != "" && r.Ours.Err == "" }
	row("ours (decode + full analysis)", "all files", func(r Result) (float64, bool) { return r.Ours.CPU, r.Ours.Err == "" })
	row("ours (decode only)", "all files", func(r Result) (float64, bool) { return r.Ours.DecodeCPU, r.Ours.Err == "" })
	row("ours (decode + full analysis)", "tempo files", func(r Result) (float64, bool) { return r.Ours.CPU, loops(r) })
	if compare {
		for _, t := range []string{RefAubio, RefBPMTools} {
			t := t
			row(t, "tempo files", func(r Result) (float64, bool) { a, ok := r.Refs[t]; return a.CPU, ok && loops(r) })
		}
	}
	row("ours (decode + full analysis)", "key clips", func(r Result) (float64, bool) { return r.Ours.CPU, keys(r) })
	if compare {
		row(RefEssentia+" (+ ffmpeg decode)", "key clips", func(r Result) (float64, bool) {
			a, ok := r.Refs[RefEssentia]
			return a.CPU, ok && keys(r) && a.Err == ""
		})
		row("ours (decode + full analysis)", "loudness-metered files", func(r Result) (float64, bool) {
			_, ok := r.Refs[RefEBUR128]
			return r.Ours.CPU, ok && r.Ours.Err == ""
		})
		row(RefEBUR128, "loudness-metered files", func(r Result) (float64, bool) { a, ok := r.Refs[RefEBUR128]; return a.CPU, ok && r.Ours.Err == "" })
	}
	fmt.Fprintln(w)
}

// tempoConditions breaks our drum-loop tempo accuracy down by recording condition and names
// the octave or metre relation of every Accuracy1 miss.
func tempoConditions(w io.Writer, res []Result) {
	type cond struct{ dim, val string }
	acc := map[cond]*[2]Rate{}
	var conds []cond
	miss := map[string]int{}
	for _, r := range res {
		if r.Set != "loop" || r.BPM <= 0 {
			continue
		}
		a1, a2 := tempoCorrect(r.BPM, r.Ours.BPM)
		mods := strings.Join(r.Modifiers, " ")
		for _, c := range []cond{
			{"rate", fmt.Sprintf("%dk", r.Rate/1000)}, {"format", r.Format}, {"channels", chName(r.Channels)},
			{"bars", fmt.Sprint(r.Bars)}, {"swing", fmt.Sprint(strings.Contains(mods, "swing"))},
			{"human", fmt.Sprint(strings.Contains(mods, "human"))}, {"lofi", fmt.Sprint(strings.Contains(mods, "lofi"))},
			{"wrapped tails", fmt.Sprint(strings.Contains(mods, "wrap"))},
		} {
			if acc[c] == nil {
				acc[c] = &[2]Rate{}
				conds = append(conds, c)
			}
			acc[c][0].Add(a1)
			acc[c][1].Add(a2)
		}
		if !a1 {
			kind := "other"
			if r.Ours.BPM == nil {
				kind = "none"
			} else {
				q := *r.Ours.BPM / r.BPM
				for _, k := range []struct {
					name string
					v    float64
				}{{"×½", 0.5}, {"×2", 2}, {"×⅔", 2.0 / 3}, {"×3⁄2", 1.5}, {"×⅓", 1.0 / 3}, {"×3", 3}, {"×¾", 0.75}, {"×4⁄3", 4.0 / 3}} {
					if math.Abs(q-k.v) <= 0.04*k.v {
						kind = k.name
						break
					}
				}
			}
			miss[kind]++
		}
	}
	sort.SliceStable(conds, func(i, j int) bool {
		if conds[i].dim != conds[j].dim {
			return conds[i].dim < conds[j].dim
		}
		return conds[i].val < conds[j].val
	})
	fmt.Fprintln(w, "Our drum-loop tempo by condition:")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| condition | files | Acc1 | Acc2 |")
	fmt.Fprintln(w, "|---|---|---|---|")
	for _, c := range conds {
		a := acc[c]
		fmt.Fprintf(w, "| %s = %s | %d | %.1f %% | %.1f %% |\n", c.dim, c.val, a[0].N, a[0].Pct(), a[1].Pct())
	}
	fmt.Fprintf(w, "\nOur Accuracy1 misses by relation to the truth: %s.\n\n", counts(miss))
}
