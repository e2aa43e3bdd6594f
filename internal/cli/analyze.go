package cli

import (
	"encoding/json"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/sp404agent/sp404agent/internal/analysis"
	"github.com/sp404agent/sp404agent/internal/audio"
)

func (e *env) analyzeCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "analyze FILE...",
		Short: "Analyse audio files without touching the library",
		Long:  "Prints tempo, key, loudness, type and category per file; --json prints one JSON object per line (design.md §7).",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			failed := 0
			enc := json.NewEncoder(e.stdout)
			for _, path := range args {
				res, err := analyzeFile(cmd, path)
				if err != nil {
					failed++
					fmt.Fprintf(e.stderr, "%s: %v\n", path, err)
					continue
				}
				if asJSON {
					if err := enc.Encode(res); err != nil {
						return err
					}
					continue
				}
				printResult(e, res)
			}
			if failed > 0 {
				return fmt.Errorf("%d of %d files could not be analysed", failed, len(args))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object per line")
	return cmd
}

func analyzeFile(cmd *cobra.Command, path string) (analysis.Result, error) {
	buf, meta, err := audio.DecodeFile(path)
	if err != nil {
		return analysis.Result{}, err
	}
	feat, err := analysis.Analyze(cmd.Context(), buf, analysis.Hints{Name: filepath.Base(path), Meta: meta})
	if err != nil {
		return analysis.Result{}, err
	}
	return analysis.NewResult(path, buf, meta, feat), nil
}

func printResult(e *env, r analysis.Result) {
	bpm, key := "-", "-"
	if r.BPM != nil {
		bpm = fmt.Sprintf("%.1f", *r.BPM)
	}
	if r.Key != nil && r.Scale != nil {
		key = *r.Key + " " + *r.Scale
	}
	fmt.Fprintf(e.stdout, "%s\t%s\t%s\t%.2fs\tbpm %s\tkey %s\t%.1f LUFS\n",
		r.Path, r.Type, r.Category, r.DurationS, bpm, key, r.LoudnessLUFS)
}
