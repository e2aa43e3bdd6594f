package main

import (
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// DefaultKitDir is where Debian's hydrogen-drumkits package installs its kits.
const DefaultKitDir = "/usr/share/hydrogen/data/drumkits"

// KitSample is one labelled hit from a Hydrogen drum kit.
type KitSample struct {
	Kit        string // kit folder name
	Instrument string // instrument name from drumkit.xml
	Category   string // analysis category (kick snare clap hat_closed hat_open tom cymbal perc fx)
	Path       string // absolute path of the sample file
}

// hydrogenKit is the part of drumkit.xml the generator reads.
type hydrogenKit struct {
	Name        string `xml:"name"`
	Instruments []struct {
		Name   string `xml:"name"`
		Layers []struct {
			Filename string  `xml:"filename"`
			Max      float64 `xml:"max"`
		} `xml:"layer"`
		// Older kits name the sample on the instrument itself.
		Filename string `xml:"filename"`
	} `xml:"instrumentList>instrument"`
}

// categoryRule maps an instrument name pattern to a category; the first match wins. An empty
// category marks names too ambiguous to label (snare rolls, "Hat Ring", numbered slots).
type categoryRule struct {
	re       *regexp.Regexp
	category string
}

// categoryRules labels Hydrogen instrument names. Order matters: "cowbell" before "bell",
// "snare roll" before "snare", cymbal names before the word "tom" (so "Custom" never reads as
// a tom).
func categoryRules() []categoryRule {
	r := func(p, c string) categoryRule { return categoryRule{regexp.MustCompile(`(?i)` + p), c} }
	return []categoryRule{
		r(`^\s*\d*\s*$|^sample:|^[a-g]#?\d - *$`, ""),
		r(`roll|choke|swish|semi|hat low|hat ring|hat free|side hh|finger snap|whistle|waterglass|click|^varibreaks drum|^drum \d`, ""),
		r(`cowbell|conga|bongo|clave|woodblock|tambourine|maraca|cajon|djembe|sangban|dununba|kenkeni|shaker`, "perc"),
		r(`stick|rim click`, "perc"),
		r(`kick|bass ?drum`, "kick"),
		r(`clap`, "clap"),
		r(`side ohh|open|opened|\bop\b`, "hat_open"),
		r(`(hat|hh).*(closed|\bcl\b|pedal|\bpd\b)|closed (hh|hat)|hi-hat closed|hi-hat pedal`, "hat_closed"),
		r(`crash|ride|china|splash|cymbal|bell`, "cymbal"),
		r(`snare`, "snare"),
		r(`\btom|tomhi|floor`, "tom"),
		r(`zap|\bfx\b`, "fx"),
	}
}

// labelInstrument returns the category of a Hydrogen instrument name, or "" when unlabelled.
func labelInstrument(rules []categoryRule, name string) string {
	// rumpf_kit names look like "c3 - bass drum 1": drop the note prefix.
	if i := strings.Index(name, " - "); i >= 0 && i <= 4 {
		name = name[i+3:]
		if strings.TrimSpace(name) == "" {
			return ""
		}
	}
	for _, r := range rules {
		if r.re.MatchString(name) {
			return r.category
		}
	}
	return ""
}

// LoadKits parses every drumkit.xml under dir and returns the labelled samples, at most
// maxLayers per instrument (the loudest layers first), sorted by kit and instrument order.
func LoadKits(dir string, maxLayers int) ([]KitSample, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*", "drumkit.xml"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no drumkit.xml under %s (apt-get install hydrogen-drumkits)", dir)
	}
	sort.Strings(files)
	rules := categoryRules()
	var out []KitSample
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var k hydrogenKit
		if err := xml.Unmarshal(raw, &k); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		kitDir := filepath.Dir(f)
		for _, in := range k.Instruments {
			cat := labelInstrument(rules, in.Name)
			if cat == "" {
				continue
			}
			type layer struct {
				file string
				max  float64
			}
			var layers []layer
			for _, l := range in.Layers {
				if l.Filename != "" {
					layers = append(layers, layer{l.Filename, l.Max})
				}
			}
			if len(layers) == 0 && in.Filename != "" {
				layers = append(layers, layer{in.Filename, 1})
			}
			sort.SliceStable(layers, func(i, j int) bool { return layers[i].max > layers[j].max })
			for i, l := range layers {
				if i >= maxLayers {
					break
				}
				p := filepath.Join(kitDir, l.file)
				if _, err := os.Stat(p); err != nil {
					continue
				}
				out = append(out, KitSample{Kit: filepath.Base(kitDir), Instrument: in.Name, Category: cat, Path: p})
			}
		}
	}
	return out, nil
}
