package vibe

import (
	"math"
	"slices"
	"strconv"

	"github.com/sp404agent/sp404agent/internal/analysis"
)

// The offline rules turn measured features into words. Each feature is first mapped onto 0–1
// with the anchors below, chosen from typical values of sample-pack material: a 60 BPM loop is
// "slow" and a 160 BPM one "fast"; −30 LUFS is very quiet and −6 LUFS brick-walled; half the
// power above 1.5 kHz is as bright as samples get; eight onsets a second is a busy groove.
const (
	slowBPM         = 60.0
	fastBPM         = 160.0
	quietLUFS       = -30.0
	loudLUFS        = -6.0
	brightFull      = 0.5 // analysis.Spectral.Brightness at which "bright" saturates
	busyOnsetRate   = 8.0 // onsets per second
	noisyFlatness   = 0.4 // flatness at which a sound reads as noise
	offlineMaxConf  = 0.6 // the rules never claim more than this
	offlineBaseConf = 0.25
)

// measures are the features mapped onto 0–1; ok flags say which were measured.
type measures struct {
	tempo, loud, bright, onset, flat                  float64
	tempoOK, loudOK, brightOK, onsetOK, flatOK, plrOK bool
	plr                                               float64 // true peak − loudness, dB: large for sharp transients
	major, minor                                      bool
	words                                             []string
}

func measure(in Input) measures {
	m := measures{tempo: 0.5, loud: 0.5, bright: 0.5, onset: 0.5, flat: 0, words: in.Words()}
	if in.BPM != nil && *in.BPM > 0 {
		m.tempo, m.tempoOK = clamp01((*in.BPM-slowBPM)/(fastBPM-slowBPM)), true
	}
	if in.LoudnessLUFS != nil {
		m.loud, m.loudOK = clamp01((*in.LoudnessLUFS-quietLUFS)/(loudLUFS-quietLUFS)), true
		if in.TruePeakDBTP != nil {
			m.plr, m.plrOK = *in.TruePeakDBTP-*in.LoudnessLUFS, true
		}
	}
	if in.Spectral != nil {
		m.bright, m.brightOK = clamp01(in.Spectral.Brightness/brightFull), true
		m.flat, m.flatOK = clamp01(in.Spectral.Flatness/noisyFlatness), true
	}
	if in.OnsetRate != nil {
		m.onset, m.onsetOK = clamp01(*in.OnsetRate/busyOnsetRate), true
	}
	m.major, m.minor = in.Scale == "major", in.Scale == "minor"
	return m
}

// has reports whether any of the words occurs in the sample's name, folder or tags.
func (m *measures) has(ws ...string) bool {
	for _, w := range ws {
		if slices.Contains(m.words, w) {
			return true
		}
	}
	return false
}

// Offline works out a vibe from the analysis and the names alone, so the feature works without
// an API key. It is deterministic: the same Input always gives the same Vibe. The rules, in
// order of application:
//
//   - energy: the mean of the measured ones of tempo (60→0, 160→1 BPM, weight 0.3), loudness
//     (−30→0, −6→1 LUFS, 0.3), brightness (share of power above 1.5 kHz, 0→0, 0.5→1, 0.2) and
//     onset rate (0→0, 8/s→1, 0.2); 0.5 when nothing was measured.
//   - danceability: loops score how close their tempo (or its half or double) is to the 95–130
//     BPM groove window, plus onset density and loudness; one-shots carry no groove of their
//     own and get a low prior scaled by energy (drum hits a little more).
//   - moods: each mood has a score (moodScores) and the two best win. Bright + fast + major →
//     energetic/uplifting/happy; dark + slow + minor + noisy → moody/dark; quiet with soft attacks
//     (few onsets, small peak-to-loudness ratio) and slow → calm; minor + slow + tonal →
//     melancholic; mood words in the name or tags ("dark", "chill", "sad"…) add 0.5. Drum
//     one-shots are scored on loud noisiness (aggressive) and name cues only, since a hit's timbre is
//     its class, not its mood. "neutral" wins when nothing scores above 0.35.
//   - texture: brightness and spectral flatness select gritty/noisy/airy/warm/bright/dark,
//     peak-to-loudness ratio punchy/smooth/crisp, the category boomy, band-limiting and name cues
//     (vinyl, tape, dusty) lo-fi/dusty; at most four.
//   - era: a decade in the name ("70s", "1980s") wins; otherwise lo-fi characteristics guess
//     "1970s" for melodic loops (sampled from records) and "1990s" for drum loops (boom-bap
//     era), "2010s" for 808s; else "unknown". These guesses lower the confidence.
//   - genres: genre words in the names first, then tempo ranges (80–100 BPM boom bap, 118–130
//     house, …).
//   - best_use: by category and type (kicks "main kick"/"layer under the kick", loops "chop for a
//     lo-fi loop", vocals "chop into stabs", …).
//   - confidence: 0.25 plus 0.1 each for a known category, tempo and key and 0.05 each for
//     spectral and loudness measurements, capped at 0.6.
func Offline(in Input) Vibe {
	m := measure(in)
	v := Vibe{Sources: make(map[string]string, len(Fields))}
	for _, f := range Fields {
		v.Sources[f] = SourceAudio
	}
	v.Energy = round2(energy(m))
	v.Danceability = round2(danceability(in, m, v.Energy))
	v.MoodPrimary, v.MoodSecondary = pickMoods(moodScores(in, m, v.Energy))
	v.Texture = textures(in, m)
	var guessed bool
	v.Era, guessed = era(in, m, v.Texture)
	v.Genres = genres(in, m)
	v.Descriptors = descriptors(in, m)
	v.BestUse = bestUse(in, m)
	v.Confidence = round2(confidence(in, guessed))
	return v
}

func energy(m measures) float64 {
	var sum, w float64
	add := func(ok bool, x, weight float64) {
		if ok {
			sum += x * weight
			w += weight
		}
	}
	add(m.tempoOK, m.tempo, 0.3)
	add(m.loudOK, m.loud, 0.3)
	add(m.brightOK, m.bright, 0.2)
	add(m.onsetOK, m.onset, 0.2)
	if w == 0 {
		return 0.5
	}
	return sum / w
}

// grooveFit is 1 inside the 95–130 BPM window (for the tempo, its half or its double, whichever
// is closest) and falls off as a Gaussian with a 15 BPM width outside it.
func grooveFit(bpm float64) float64 {
	best := math.Inf(1)
	for _, b := range []float64{bpm, bpm / 2, bpm * 2} {
		d := 0.0
		if b < 95 {
			d = 95 - b
		} else if b > 130 {
			d = b - 130
		}
		best = math.Min(best, d)
	}
	return math.Exp(-(best / 15) * (best / 15))
}

func danceability(in Input, m measures, energy float64) float64 {
	if in.Type == analysis.TypeLoop || m.tempoOK {
		fit := 0.3
		if m.tempoOK {
			fit = grooveFit(*in.BPM)
		}
		d := 0.5*fit + 0.3*m.onset + 0.2*m.loud
		if in.Category == analysis.CategoryDrums {
			d += 0.1
		}
		return clamp01(d)
	}
	if isDrum(in.Category) {
		return clamp01(0.2 + 0.4*energy)
	}
	return clamp01(0.1 + 0.3*energy)
}

func isDrum(c string) bool {
	switch c {
	case analysis.CategoryKick, analysis.CategorySnare, analysis.CategoryClap, analysis.CategoryHatClosed,
		analysis.CategoryHatOpen, analysis.CategoryTom, analysis.CategoryCymbal, analysis.CategoryPerc, analysis.CategoryDrums:
		return true
	}
	return false
}

// moodWords are name and tag cues for each mood.
var moodWords = map[string][]string{
	"energetic":   {"energetic", "hype", "upbeat", "banger"},
	"uplifting":   {"uplifting", "euphoric", "hopeful", "bright"},
	"happy":       {"happy", "joy", "sunny", "summer"},
	"playful":     {"playful", "fun", "bouncy", "quirky"},
	"aggressive":  {"aggressive", "hard", "angry", "rage", "distorted"},
	"tense":       {"tense", "tension", "suspense", "horror"},
	"dark":        {"dark", "evil", "sinister", "spooky"},
	"moody":       {"moody", "mood", "brooding"},
	"melancholic": {"sad", "melancholic", "melancholy", "lonely", "blue", "blues"},
	"mysterious":  {"mysterious", "mystery", "eerie", "haunted"},
	"calm":        {"calm", "chill", "chilled", "relaxed", "soft", "mellow"},
	"dreamy":      {"dreamy", "dream", "ethereal", "hazy", "floaty"},
	"nostalgic":   {"nostalgic", "nostalgia", "vintage", "retro", "vinyl", "dusty", "tape", "old"},
}

// moodScores scores every mood from 0 to about 1.5 (rules plus name cues).
func moodScores(in Input, m measures, energy float64) map[string]float64 {
	slow := 1 - m.tempo
	fast := m.tempo
	soft := 1 - m.loud
	dark := 1 - m.bright
	// Soft attacks: few onsets and a small peak-to-loudness ratio (sustained or compressed
	// sounds sit near 6–9 dB; sharp hits exceed 15 dB).
	attackSoft := 1 - m.onset
	if m.plrOK {
		attackSoft = 0.5*attackSoft + 0.5*(1-clamp01((m.plr-6)/12))
	}
	s := map[string]float64{"neutral": 0.35}
	if energy >= 0.6 {
		s["energetic"] = energy
	}
	// A drum hit's timbre says little about mood (every kick is dark, every hat bright), so
	// drum one-shots get only energy, loudness and name cues.
	hit := isDrum(in.Category) && in.Type != analysis.TypeLoop
	if hit {
		if m.loudOK && m.loud >= 0.75 && m.flat >= 0.5 { // loud and noisy: a distorted hit
			s["aggressive"] = 0.5*m.loud + 0.5*m.flat
		}
		addCues(s, m)
		return s
	}
	if m.major {
		s["uplifting"] = 0.3 + 0.35*m.bright + 0.35*fast
		s["happy"] = 0.25 + 0.3*m.bright + 0.3*fast
		s["playful"] = 0.2 + 0.4*m.onset + 0.2*m.bright
	}
	if m.minor {
		s["moody"] = 0.3 + 0.2*slow + 0.25*dark + 0.25*m.flat
		s["melancholic"] = 0.3 + 0.35*slow + 0.25*(1-m.flat)*dark
		s["tense"] = 0.2 + 0.4*fast + 0.2*m.flat
		s["mysterious"] = 0.2 + 0.3*soft + 0.2*m.flat
	}
	if m.brightOK {
		s["dark"] = 0.6*dark + 0.2*slow
		if m.minor {
			s["dark"] += 0.2
		}
		s["dreamy"] = 0.5*m.bright*soft + 0.3*attackSoft
	}
	if m.loudOK {
		s["calm"] = 0.35*soft + 0.35*attackSoft + 0.3*slow
		if m.loud >= 0.75 {
			s["aggressive"] = 0.35*m.loud + 0.35*m.flat + 0.3*fast
		}
	}
	addCues(s, m)
	return s
}

// addCues adds 0.5 to each mood named (or hinted at) in the sample's words.
func addCues(s map[string]float64, m measures) {
	for mood, cues := range moodWords {
		if m.has(cues...) {
			s[mood] += 0.5
		}
	}
}

// pickMoods returns the two best-scoring moods; ties go to the earlier mood in Moods so the
// result does not depend on map order.
func pickMoods(s map[string]float64) (string, string) {
	order := slices.Clone(Moods)
	slices.SortStableFunc(order, func(a, b string) int {
		switch {
		case s[a] > s[b]:
			return -1
		case s[a] < s[b]:
			return 1
		}
		return 0
	})
	return order[0], order[1]
}

func textures(in Input, m measures) []string {
	var out []string
	add := func(ok bool, t string) {
		if ok && !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	lofiCue := m.has("lofi", "vinyl", "tape", "cassette", "sp1200", "crackle", "dusty", "dust")
	if in.Spectral != nil {
		sp := in.Spectral
		add(m.loudOK && m.plrOK && sp.Flatness >= 0.3 && *in.LoudnessLUFS >= -10 && m.plr < 9, "distorted")
		add(sp.Flatness >= noisyFlatness, "noisy")
		add(sp.Flatness >= 0.15 && sp.Flatness < noisyFlatness && sp.Brightness >= 0.15 && sp.Brightness <= 0.6, "gritty")
		quiet := !m.loudOK || *in.LoudnessLUFS < -16
		add(sp.Brightness >= 0.45 && sp.Flatness >= 0.1 && quiet, "airy")
		add(sp.Brightness >= brightFull, "bright")
		add(sp.Brightness < 0.2 && sp.Flatness < 0.15 && sp.CentroidHz > 0 && sp.CentroidHz < 1500 && !isDrum(in.Category), "warm")
		add(sp.Brightness < 0.08 && sp.CentroidHz < 400 && !isDrum(in.Category), "dark")
		boomCat := in.Category == analysis.CategoryKick || in.Category == analysis.CategoryBass || in.Category == analysis.CategoryTom
		add(boomCat && sp.CentroidHz > 0 && sp.CentroidHz < 200, "boomy")
		bandLimited := sp.RolloffHz > 0 && sp.RolloffHz < 5000 && !isDrum(in.Category) && in.Category != analysis.CategoryBass
		add(bandLimited || lofiCue, "lo-fi")
		add((bandLimited && sp.Flatness >= 0.1) || m.has("dusty", "dust", "crackle"), "dusty")
		if m.plrOK {
			add(m.plr >= 12 && (isDrum(in.Category) || (m.onsetOK && m.onset >= 0.5)), "punchy")
			add(m.plr >= 10 && sp.Brightness >= 0.35 && isDrum(in.Category), "crisp")
			add(sp.Flatness < 0.05 && m.plr < 12 && !isDrum(in.Category), "smooth")
		}
		add(len(out) == 0 && sp.Flatness < 0.1, "clean")
	} else {
		add(lofiCue, "lo-fi")
		add(m.has("dusty", "dust", "crackle"), "dusty")
	}
	add(m.has("lush"), "lush")
	add(m.has("warm"), "warm")
	add(m.has("gritty", "grimy", "dirty"), "gritty")
	if len(out) > MaxTexture {
		out = out[:MaxTexture]
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// decadeWords maps naming cues to eras.
var decadeWords = map[string]string{
	"60s": "1960s", "1960s": "1960s", "sixties": "1960s",
	"70s": "1970s", "1970s": "1970s", "seventies": "1970s",
	"80s": "1980s", "1980s": "1980s", "eighties": "1980s",
	"90s": "1990s", "1990s": "1990s", "nineties": "1990s",
	"00s": "2000s", "2000s": "2000s",
	"10s": "2010s", "2010s": "2010s",
}

// era returns the era and whether it was guessed from sound rather than named.
func era(in Input, m measures, texture []string) (string, bool) {
	for _, w := range m.words {
		if e, ok := decadeWords[w]; ok {
			return e, false
		}
	}
	if in.Category == analysis.CategoryBass && m.has("808") {
		return "2010s", true
	}
	if slices.Contains(texture, "lo-fi") && in.Type == analysis.TypeLoop {
		if in.Category == analysis.CategoryDrums {
			return "1990s", true
		}
		return "1970s", true
	}
	return "unknown", false
}

// genreWords maps naming cues to genre names.
var genreWords = map[string]string{
	"jazz": "jazz", "jazzy": "jazz", "soul": "soul", "soulful": "soul", "funk": "funk", "funky": "funk",
	"trap": "trap", "drill": "drill", "boombap": "boom bap", "lofi": "lo-fi hip hop", "house": "house",
	"techno": "techno", "dnb": "drum and bass", "jungle": "jungle", "gospel": "gospel", "rnb": "r&b",
	"disco": "disco", "reggae": "reggae", "dub": "dub", "ambient": "ambient", "hiphop": "hip hop",
	"rap": "hip hop", "afrobeat": "afrobeat", "afrobeats": "afrobeats", "dancehall": "dancehall",
	"garage": "uk garage", "footwork": "footwork", "808": "trap",
}

func genres(in Input, m measures) []string {
	var out []string
	add := func(g string) {
		if !slices.Contains(out, g) && len(out) < MaxGenres {
			out = append(out, g)
		}
	}
	for i, w := range m.words {
		if g, ok := genreWords[w]; ok {
			add(g)
		}
		// Two-word cues.
		if i+1 < len(m.words) {
			switch w + " " + m.words[i+1] {
			case "boom bap":
				add("boom bap")
			case "hip hop":
				add("hip hop")
			case "lo fi":
				add("lo-fi hip hop")
			case "drum bass":
				add("drum and bass")
			}
		}
	}
	if len(out) > 0 || !m.tempoOK {
		if out == nil {
			out = []string{}
		}
		return out
	}
	switch b := *in.BPM; {
	case b >= 60 && b < 80:
		add("lo-fi hip hop")
		if m.minor {
			add("trap") // halftime
		}
	case b >= 80 && b < 100:
		add("boom bap")
		add("lo-fi hip hop")
	case b >= 100 && b < 118:
		add("hip hop")
		add("funk")
	case b >= 118 && b <= 130:
		add("house")
	case b > 130 && b <= 150:
		if in.Category == analysis.CategoryBass || m.minor {
			add("trap")
		} else {
			add("techno")
		}
	case b >= 160 && b <= 180:
		add("drum and bass")
	}
	if out == nil {
		out = []string{}
	}
	return out
}

func descriptors(in Input, m measures) []string {
	out := []string{}
	if m.tempoOK {
		out = append(out, strconv.FormatFloat(math.Round(*in.BPM), 'f', 0, 64)+" BPM")
	}
	if in.Key != "" && in.Scale != "" {
		out = append(out, in.Key+" "+in.Scale)
	}
	switch {
	case in.Type == analysis.TypeOneShot && in.DurationS > 0 && in.DurationS < 0.3:
		out = append(out, "short")
	case in.Type == analysis.TypeOneShot && in.DurationS >= 1.5:
		out = append(out, "sustained")
	case in.Type == analysis.TypeLoop && in.DurationS >= 16:
		out = append(out, "long")
	}
	if m.loudOK {
		switch l := *in.LoudnessLUFS; {
		case l >= -10:
			out = append(out, "loud")
		case l <= -24:
			out = append(out, "quiet")
		}
	}
	if in.Spectral != nil && in.Spectral.CentroidHz > 0 && in.Spectral.CentroidHz < 150 {
		out = append(out, "sub-heavy")
	}
	if m.plrOK && m.plr >= 15 {
		out = append(out, "transient")
	}
	if len(out) > MaxDescriptors {
		out = out[:MaxDescriptors]
	}
	return out
}

func bestUse(in Input, m measures) []string {
	loop := in.Type == analysis.TypeLoop
	switch in.Category {
	case analysis.CategoryKick:
		if in.Spectral != nil && in.Spectral.CentroidHz > 0 && in.Spectral.CentroidHz < 100 {
			return []string{"layer under the kick for sub weight", "main kick for slow beats"}
		}
		return []string{"main kick", "layer under the kick"}
	case analysis.CategorySnare:
		return []string{"backbeat snare on 2 and 4", "layer with a clap"}
	case analysis.CategoryClap:
		return []string{"layer on the snare", "backbeat on 2 and 4"}
	case analysis.CategoryHatClosed:
		return []string{"hi-hat groove with pad roll", "ghost hats between the beats"}
	case analysis.CategoryHatOpen:
		return []string{"off-beat open hat", "choke against the closed hat"}
	case analysis.CategoryTom:
		return []string{"fills into the next bar"}
	case analysis.CategoryCymbal:
		return []string{"crash on the one of a new section", "transition"}
	case analysis.CategoryPerc:
		return []string{"add swing percussion", "fill the gaps in a groove"}
	case analysis.CategoryBass:
		if m.has("808") {
			return []string{"808 bass for trap patterns", "play chromatically across pads"}
		}
		if loop {
			return []string{"bassline under a drum loop", "chop into bass notes"}
		}
		return []string{"play chromatically across pads", "sub under the loop"}
	case analysis.CategoryMelodic:
		if loop {
			return []string{"chop for a lo-fi loop", "resample through vinyl sim"}
		}
		return []string{"chord stab on a pad", "play chromatically across pads"}
	case analysis.CategoryVocal:
		if loop {
			return []string{"chop into stabs", "vocal hook on a pad"}
		}
		return []string{"vocal stab", "chop into stabs"}
	case analysis.CategoryFX:
		return []string{"transition riser or impact", "resample through the effects"}
	case analysis.CategoryDrums:
		return []string{"chop into one-shots", "break under a sample loop", "layer under the drums"}
	}
	if loop {
		return []string{"chop for a lo-fi loop"}
	}
	return []string{"one-shot on a pad"}
}

func confidence(in Input, eraGuessed bool) float64 {
	c := offlineBaseConf
	if in.Category != "" {
		c += 0.1
	}
	if in.BPM != nil {
		c += 0.1
	}
	if in.Key != "" {
		c += 0.1
	}
	if in.Spectral != nil {
		c += 0.05
	}
	if in.LoudnessLUFS != nil {
		c += 0.05
	}
	c = math.Min(c, offlineMaxConf)
	if eraGuessed {
		c -= 0.05 // a guessed era is the weakest claim the rules make
	}
	return c
}
