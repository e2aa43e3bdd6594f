package vibe

import (
	"reflect"
	"slices"
	"testing"

	"github.com/sp404agent/sp404agent/internal/analysis"
)

func TestOfflineRules(t *testing.T) {
	tests := []struct {
		name  string
		in    Input
		check func(t *testing.T, v Vibe)
	}{
		{
			name: "bright fast major loop is energetic and uplifting",
			in: Input{Name: "synth_loop.wav", Type: analysis.TypeLoop, Category: analysis.CategoryMelodic,
				BPM: f64(150), Key: "E", Scale: "major", LoudnessLUFS: f64(-8), TruePeakDBTP: f64(-0.5),
				Spectral: &analysis.Spectral{CentroidHz: 4200, RolloffHz: 12000, Flatness: 0.08, Brightness: 0.6}, OnsetRate: f64(6)},
			check: func(t *testing.T, v Vibe) {
				moods := []string{v.MoodPrimary, v.MoodSecondary}
				if v.Energy < 0.75 || !slices.Contains(moods, "energetic") || !slices.Contains(moods, "uplifting") {
					t.Errorf("energy %v, moods %v: want ≥ 0.75 and energetic + uplifting", v.Energy, moods)
				}
				if !slices.Contains(v.Texture, "bright") {
					t.Errorf("texture %v lacks bright", v.Texture)
				}
			},
		},
		{
			name: "dark slow minor noisy pad is moody and dark",
			in: Input{Name: "pad.wav", Type: analysis.TypeLoop, Category: analysis.CategoryMelodic,
				BPM: f64(70), Key: "C", Scale: "minor", LoudnessLUFS: f64(-20), TruePeakDBTP: f64(-9),
				Spectral: &analysis.Spectral{CentroidHz: 500, RolloffHz: 2500, Flatness: 0.35, Brightness: 0.04}, OnsetRate: f64(0.5)},
			check: func(t *testing.T, v Vibe) {
				moods := []string{v.MoodPrimary, v.MoodSecondary}
				if !slices.Contains(moods, "moody") || !slices.Contains(moods, "dark") || v.Energy > 0.3 {
					t.Errorf("moods %v, energy %v: want moody + dark and low energy", moods, v.Energy)
				}
			},
		},
		{
			name: "quiet sustained tone with soft attacks is calm",
			in: Input{Name: "texture.wav", Type: analysis.TypeOneShot, Category: analysis.CategoryMelodic,
				LoudnessLUFS: f64(-28), TruePeakDBTP: f64(-21),
				Spectral: &analysis.Spectral{CentroidHz: 800, RolloffHz: 2000, Flatness: 0.02, Brightness: 0.1}, DurationS: 6, OnsetRate: f64(0.2)},
			check: func(t *testing.T, v Vibe) {
				if v.MoodPrimary != "calm" {
					t.Errorf("mood_primary %q, want calm", v.MoodPrimary)
				}
				if !slices.Contains(v.Texture, "warm") || !slices.Contains(v.Texture, "smooth") {
					t.Errorf("texture %v, want warm and smooth", v.Texture)
				}
				if !slices.Contains(v.Descriptors, "sustained") || !slices.Contains(v.Descriptors, "quiet") {
					t.Errorf("descriptors %v", v.Descriptors)
				}
			},
		},
		{
			name: "bright noisy quiet sound is airy and noisy",
			in: Input{Name: "breath.wav", Type: analysis.TypeOneShot, Category: analysis.CategoryFX,
				LoudnessLUFS: f64(-26), TruePeakDBTP: f64(-14),
				Spectral: &analysis.Spectral{CentroidHz: 6000, RolloffHz: 14000, Flatness: 0.5, Brightness: 0.7}},
			check: func(t *testing.T, v Vibe) {
				if !slices.Contains(v.Texture, "noisy") || !slices.Contains(v.Texture, "airy") {
					t.Errorf("texture %v, want noisy and airy", v.Texture)
				}
			},
		},
		{
			name: "mid-bright moderately noisy loop is gritty",
			in: Input{Name: "guitar.wav", Type: analysis.TypeLoop, Category: analysis.CategoryMelodic,
				LoudnessLUFS: f64(-12), TruePeakDBTP: f64(-1),
				Spectral: &analysis.Spectral{CentroidHz: 2500, RolloffHz: 9000, Flatness: 0.25, Brightness: 0.35}},
			check: func(t *testing.T, v Vibe) {
				if !slices.Contains(v.Texture, "gritty") {
					t.Errorf("texture %v, want gritty", v.Texture)
				}
			},
		},
		{
			name: "punchy kick is a main kick",
			in: Input{Name: "kick_01.wav", Type: analysis.TypeOneShot, Category: analysis.CategoryKick,
				LoudnessLUFS: f64(-9.8), TruePeakDBTP: f64(-0.4),
				Spectral: &analysis.Spectral{CentroidHz: 180, RolloffHz: 410, Flatness: 0.02, Brightness: 0.03}, DurationS: 0.52},
			check: func(t *testing.T, v Vibe) {
				if !slices.Equal(v.BestUse, []string{"main kick", "layer under the kick"}) {
					t.Errorf("best_use %v", v.BestUse)
				}
				if !slices.Contains(v.Texture, "boomy") || v.MoodPrimary != "neutral" {
					t.Errorf("texture %v, mood %q", v.Texture, v.MoodPrimary)
				}
			},
		},
		{
			name: "sub kick is layered under the kick",
			in: Input{Name: "sub kick.wav", Type: analysis.TypeOneShot, Category: analysis.CategoryKick,
				Spectral: &analysis.Spectral{CentroidHz: 70, RolloffHz: 150, Flatness: 0.01, Brightness: 0.0}},
			check: func(t *testing.T, v Vibe) {
				if v.BestUse[0] != "layer under the kick for sub weight" || !slices.Contains(v.Descriptors, "sub-heavy") {
					t.Errorf("best_use %v, descriptors %v", v.BestUse, v.Descriptors)
				}
			},
		},
		{
			name: "melodic loop is chopped for a lo-fi loop",
			in:   Input{Name: "keys.wav", Type: analysis.TypeLoop, Category: analysis.CategoryMelodic},
			check: func(t *testing.T, v Vibe) {
				if v.BestUse[0] != "chop for a lo-fi loop" {
					t.Errorf("best_use %v", v.BestUse)
				}
			},
		},
		{
			name: "vocal is chopped into stabs",
			in:   Input{Name: "vox.wav", Type: analysis.TypeLoop, Category: analysis.CategoryVocal},
			check: func(t *testing.T, v Vibe) {
				if v.BestUse[0] != "chop into stabs" {
					t.Errorf("best_use %v", v.BestUse)
				}
			},
		},
		{
			name: "a decade and a genre in the folder name",
			in:   Input{Name: "keys 3.wav", Folder: "Crates/70s Soul", Type: analysis.TypeLoop, Category: analysis.CategoryMelodic, BPM: f64(92)},
			check: func(t *testing.T, v Vibe) {
				if v.Era != "1970s" || !slices.Equal(v.Genres, []string{"soul"}) {
					t.Errorf("era %q, genres %v", v.Era, v.Genres)
				}
			},
		},
		{
			name: "band-limited noisy loop guesses a vinyl era with lower confidence",
			in: Input{Name: "loop.wav", Type: analysis.TypeLoop, Category: analysis.CategoryMelodic, BPM: f64(88), Key: "D", Scale: "minor",
				LoudnessLUFS: f64(-15), TruePeakDBTP: f64(-2),
				Spectral: &analysis.Spectral{CentroidHz: 1100, RolloffHz: 3800, Flatness: 0.18, Brightness: 0.12}},
			check: func(t *testing.T, v Vibe) {
				if v.Era != "1970s" || !slices.Contains(v.Texture, "lo-fi") || !slices.Contains(v.Texture, "dusty") {
					t.Errorf("era %q, texture %v", v.Era, v.Texture)
				}
				if v.Confidence != 0.55 {
					t.Errorf("confidence %v, want 0.55 (0.6 cap minus 0.05 for the guessed era)", v.Confidence)
				}
				if !slices.Equal(v.Genres, []string{"boom bap", "lo-fi hip hop"}) {
					t.Errorf("genres %v", v.Genres)
				}
			},
		},
		{
			name: "808 bass suggests trap and the 2010s",
			in:   Input{Name: "808_long_C.wav", Type: analysis.TypeOneShot, Category: analysis.CategoryBass},
			check: func(t *testing.T, v Vibe) {
				if v.Era != "2010s" || !slices.Contains(v.Genres, "trap") || v.BestUse[0] != "808 bass for trap patterns" {
					t.Errorf("era %q, genres %v, best_use %v", v.Era, v.Genres, v.BestUse)
				}
			},
		},
		{
			name: "a mood word in the name counts",
			in:   Input{Name: "Sad Piano.wav", Type: analysis.TypeOneShot, Category: analysis.CategoryMelodic},
			check: func(t *testing.T, v Vibe) {
				if v.MoodPrimary != "melancholic" {
					t.Errorf("mood_primary %q, want melancholic", v.MoodPrimary)
				}
			},
		},
		{
			name: "nothing known gives a neutral, low-confidence vibe",
			in:   Input{},
			check: func(t *testing.T, v Vibe) {
				if v.MoodPrimary != "neutral" || v.Energy != 0.5 || v.Era != "unknown" || v.Confidence != offlineBaseConf ||
					len(v.Genres) != 0 || v.Genres == nil {
					t.Errorf("vibe %+v", v)
				}
			},
		},
		{
			name: "drum loop in the groove window is danceable",
			in: Input{Name: "break.wav", Type: analysis.TypeLoop, Category: analysis.CategoryDrums, BPM: f64(98),
				LoudnessLUFS: f64(-10), TruePeakDBTP: f64(3), OnsetRate: f64(7)},
			check: func(t *testing.T, v Vibe) {
				if v.Danceability < 0.85 || v.BestUse[0] != "chop into one-shots" {
					t.Errorf("danceability %v, best_use %v", v.Danceability, v.BestUse)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Offline(tt.in)
			if err := v.Validate(); err != nil {
				t.Fatalf("offline vibe is invalid: %v (%+v)", err, v)
			}
			if v.MoodPrimary == v.MoodSecondary {
				t.Errorf("primary and secondary mood are both %q", v.MoodPrimary)
			}
			for _, f := range Fields {
				if v.Sources[f] != SourceAudio {
					t.Errorf("source of %s = %q, want audio", f, v.Sources[f])
				}
			}
			if v.Model != "" {
				t.Errorf("model = %q", v.Model)
			}
			if again := Offline(tt.in); !reflect.DeepEqual(v, again) {
				t.Errorf("not deterministic: %+v then %+v", v, again)
			}
			tt.check(t, v)
		})
	}
}

func TestGrooveFitCountsHalfAndDoubleTime(t *testing.T) {
	if grooveFit(110) != 1 || grooveFit(220) != 1 || grooveFit(55) != 1 {
		t.Errorf("grooveFit(110, 220, 55) = %v, %v, %v; want 1", grooveFit(110), grooveFit(220), grooveFit(55))
	}
	if g := grooveFit(80); g <= 0.3 || g >= 0.5 {
		t.Errorf("grooveFit(80) = %v, want exp(-1) ≈ 0.37", g)
	}
}

func TestInputFromFeatures(t *testing.T) {
	key, scale := "A", "minor"
	f := &analysis.Features{Type: analysis.TypeLoop, Category: analysis.CategoryMelodic, BPM: f64(85), Key: &key, Scale: &scale,
		LoudnessLUFS: -14, TruePeakDBTP: -1, Spectral: analysis.Spectral{Brightness: 0.2}, Onsets: []float64{0, 0.5, 1, 1.5}}
	in := InputFromFeatures("a.wav", "Crates", []string{"keys"}, 2, f)
	if in.Key != "A" || in.Scale != "minor" || *in.LoudnessLUFS != -14 || in.Spectral.Brightness != 0.2 || *in.OnsetRate != 2 {
		t.Errorf("input = %+v", in)
	}
	if got := in.Words(); !slices.Equal(got, []string{"a", "crates", "keys"}) {
		t.Errorf("words = %v", got)
	}
}

func TestValidateRejectsBadVibes(t *testing.T) {
	good := Offline(rhodesInput())
	tests := []struct {
		name   string
		mutate func(v *Vibe)
	}{
		{"unknown mood", func(v *Vibe) { v.MoodPrimary = "sparkly" }},
		{"energy above 1", func(v *Vibe) { v.Energy = 1.01 }},
		{"negative danceability", func(v *Vibe) { v.Danceability = -0.1 }},
		{"too many textures", func(v *Vibe) { v.Texture = []string{"warm", "dusty", "lo-fi", "airy", "crisp"} }},
		{"html in a descriptor", func(v *Vibe) { v.Descriptors = []string{"<b>bold</b>"} }},
		{"quote in a genre", func(v *Vibe) { v.Genres = []string{`jazz"`} }},
		{"control character", func(v *Vibe) { v.BestUse = []string{"chop\nthis"} }},
		{"overlong best use", func(v *Vibe) { v.BestUse = []string{string(make([]byte, 81))} }},
		{"empty genre", func(v *Vibe) { v.Genres = []string{" "} }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := good
			v.Texture, v.Genres, v.Descriptors, v.BestUse = slices.Clone(good.Texture), slices.Clone(good.Genres), slices.Clone(good.Descriptors), slices.Clone(good.BestUse)
			tt.mutate(&v)
			if err := v.Validate(); err == nil {
				t.Errorf("Validate accepted %+v", v)
			}
		})
	}
	if err := good.Validate(); err != nil {
		t.Errorf("the unmutated vibe is invalid: %v", err)
	}
}
