package main

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// tempoCorrect reports Accuracy1 (within ±4 % of the reference) and Accuracy2 (also within
// ±4 % of 2, 3, ½ or ⅓ times the reference) for one estimate.
func tempoCorrect(ref float64, est *float64) (acc1, acc2 bool) {
	if est == nil || *est <= 0 {
		return false, false
	}
	within := func(f float64) bool { return math.Abs(*est-ref*f) <= 0.04*ref*f }
	acc1 = within(1)
	acc2 = acc1 || within(2) || within(3) || within(0.5) || within(1.0/3)
	return acc1, acc2
}

// keyIndex is the pitch class of a sharp key name, or −1.
func keyIndex(k string) int {
	for i, n := range pitchNames {
		if n == k {
			return i
		}
	}
	return -1
}

// keyScore is the MIREX key score as mir_eval computes it: 1 same key, 0.5 estimated tonic a
// fifth above in the same mode, 0.3 relative major/minor, 0.2 parallel major/minor, 0
// otherwise (and for no answer). The second value names the relation.
func keyScore(refKey, refScale, estKey, estScale string) (float64, string) {
	r, e := keyIndex(refKey), keyIndex(estKey)
	if e < 0 || (estScale != "major" && estScale != "minor") {
		return 0, "none"
	}
	d := ((e-r)%12 + 12) % 12
	switch {
	case d == 0 && estScale == refScale:
		return 1, "exact"
	case d == 7 && estScale == refScale:
		return 0.5, "fifth"
	case refScale == "major" && estScale == "minor" && d == 9, refScale == "minor" && estScale == "major" && d == 3:
		return 0.3, "relative"
	case d == 0:
		return 0.2, "parallel"
	case d == 5 && estScale == refScale:
		return 0, "fourth"
	}
	return 0, "other"
}

// Rate is a hit count over a total.
type Rate struct{ Hit, N int }

// Add counts one case.
func (r *Rate) Add(ok bool) {
	r.N++
	if ok {
		r.Hit++
	}
}

// Pct is the hit rate in percent.
func (r Rate) Pct() float64 {
	if r.N == 0 {
		return math.NaN()
	}
	return 100 * float64(r.Hit) / float64(r.N)
}

// String prints "97.5 % (39/40)".
func (r Rate) String() string {
	if r.N == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f %% (%d/%d)", r.Pct(), r.Hit, r.N)
}

// Mean accumulates a mean.
type Mean struct {
	Sum float64
	N   int
}

// Add adds a value.
func (m *Mean) Add(v float64) { m.Sum += v; m.N++ }

// Value is the mean (NaN when empty).
func (m Mean) Value() float64 {
	if m.N == 0 {
		return math.NaN()
	}
	return m.Sum / float64(m.N)
}

// Confusion counts (truth, predicted) pairs.
type Confusion map[string]map[string]int

// Add counts one pair.
func (c Confusion) Add(truth, pred string) {
	if c[truth] == nil {
		c[truth] = map[string]int{}
	}
	c[truth][pred]++
}

// Markdown renders the table, truth in rows and predictions in columns.
func (c Confusion) Markdown() string {
	rows := map[string]bool{}
	cols := map[string]bool{}
	for t, m := range c {
		rows[t] = true
		for p := range m {
			cols[p] = true
		}
	}
	order := []string{"kick", "snare", "clap", "hat_closed", "hat_open", "tom", "cymbal", "perc", "bass", "melodic", "vocal", "fx", "drums", "(error)"}
	var rs, cs []string
	for _, o := range order {
		if rows[o] {
			rs = append(rs, o)
		}
		if cols[o] {
			cs = append(cs, o)
		}
	}
	var b strings.Builder
	b.WriteString("| truth \\ predicted | " + strings.Join(cs, " | ") + " | accuracy |\n|---|")
	b.WriteString(strings.Repeat("---|", len(cs)+1) + "\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "| **%s** |", r)
		total := 0
		for _, col := range cs {
			n := c[r][col]
			total += n
			if n == 0 {
				b.WriteString(" · |")
			} else if col == r {
				fmt.Fprintf(&b, " **%d** |", n)
			} else {
				fmt.Fprintf(&b, " %d |", n)
			}
		}
		fmt.Fprintf(&b, " %.0f %% |\n", 100*float64(c[r][r])/float64(total))
	}
	return b.String()
}

// counts renders "a 3, b 2" sorted by key.
func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}

// median of a slice (NaN when empty).
func median(v []float64) float64 {
	if len(v) == 0 {
		return math.NaN()
	}
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}
