package vibe_test

import (
	"fmt"

	"github.com/sp404agent/sp404agent/internal/analysis"
	"github.com/sp404agent/sp404agent/internal/vibe"
)

func ExampleParseQuery() {
	q := vibe.ParseQuery("dusty jazzy chords around 85 bpm in a minor key, no vocals")
	fmt.Println(*q.BPMTarget, *q.BPMMin, *q.BPMMax, q.Scale, q.Categories, q.Exclude, q.Textures, q.Genres)
	// Output: 85 80.8 89.3 minor [melodic] [vocal] [dusty] [jazz]
}

func ExampleOffline() {
	bpm, lufs, peak := 85.0, -16.0, -3.0
	v := vibe.Offline(vibe.Input{
		Name: "dusty_rhodes_85bpm_Am.wav", Type: analysis.TypeLoop, Category: analysis.CategoryMelodic,
		BPM: &bpm, Key: "A", Scale: "minor", LoudnessLUFS: &lufs, TruePeakDBTP: &peak,
		Spectral: &analysis.Spectral{CentroidHz: 900, RolloffHz: 4200, Flatness: 0.12, Brightness: 0.15},
	})
	fmt.Println(v.MoodPrimary, v.MoodSecondary, v.Texture, v.Era, v.Genres, v.BestUse[0])
	// Output: dark moody [warm lo-fi dusty] 1970s [boom bap lo-fi hip hop] chop for a lo-fi loop
}
