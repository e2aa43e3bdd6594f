package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/sp404agent/sp404agent/internal/app"
	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/jobs"
	"github.com/sp404agent/sp404agent/internal/library"
	"github.com/sp404agent/sp404agent/internal/store"
)

func (e *env) importCommand() *cobra.Command {
	var (
		lf              libraryFlags
		tags            string
		tagsFromFolders bool
		workers         int
	)
	cmd := &cobra.Command{
		Use:   "import DIR...",
		Short: "Import folders recursively: identical files once, unsupported files skipped, everything analysed",
		Long: "Shows files/s, ETA and the current file; ends with a summary (added, duplicates, unsupported, failed with reasons).\n" +
			"Running it again skips what is already in the library; Ctrl-C stops cleanly.",
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			roots := make([]string, len(args))
			for i, a := range args {
				abs, err := filepath.Abs(a)
				if err != nil {
					return usageError{err}
				}
				roots[i] = abs
			}
			cfg, err := e.loadConfig(func(c *config.Config) {
				if cmd.Flags().Changed("data-dir") {
					c.DataDir = lf.dataDir
				}
				if cmd.Flags().Changed("database-url") {
					c.DatabaseURL = lf.dbURL
				}
				if cmd.Flags().Changed("workers") {
					c.Workers = workers
				}
				c.ImportRoots = roots // the command line imports what its user can read
			})
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
			lib, db, err := app.OpenLibrary(ctx, cfg, quiet)
			if err != nil {
				return err
			}
			defer db.Close()
			// Analysis runs beside the import, as in the server.
			poolCtx, stopPool := context.WithCancel(ctx)
			defer stopPool()
			pool := jobs.NewPool(lib, store.New(db), quiet, max(cfg.Workers, 1), 2*time.Minute)
			lib.SetQueue(pool, nil, nil)
			go pool.Run(poolCtx)

			var sum importSummary
			for _, root := range roots {
				b, err := lib.CreateBatch(ctx, library.BatchInput{Path: root, Tags: strings.Split(tags, ","), TagsFromFolders: tagsFromFolders})
				if err != nil {
					return fmt.Errorf("%s: %w", root, err)
				}
				b, err = e.runBatch(ctx, lib, b)
				if b != nil {
					sum.add(b)
				}
				if err != nil {
					return err
				}
				if ctx.Err() != nil {
					break
				}
			}
			if ctx.Err() == nil {
				e.waitForAnalysis(ctx, lib)
			}
			sum.print(e.stdout, e.stderr)
			if ctx.Err() != nil {
				return errors.New("stopped; run the same command again to finish the import")
			}
			if sum.failed > 0 {
				return fmt.Errorf("%d files could not be imported", sum.failed)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&tags, "tags", "", "comma-separated tags for every imported sample")
	f.BoolVar(&tagsFromFolders, "tags-from-folders", false, "tag samples with their folder names")
	f.IntVar(&workers, "workers", 0, "analysis workers (env WORKERS; default: CPUs)")
	lf.add(cmd)
	return cmd
}

// runBatch runs one folder import with a progress bar.
func (e *env) runBatch(ctx context.Context, lib *library.Service, b *library.Batch) (*library.Batch, error) {
	done := make(chan error, 1)
	go func() { done <- lib.RunBatch(ctx, b.ID) }()
	bar := progressbar.NewOptions(-1, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetVisibility(e.interactive()), progressbar.OptionSetItsString("files"),
		progressbar.OptionShowIts(), progressbar.OptionShowCount(), progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond), progressbar.OptionClearOnFinish())
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	var runErr error
	for running := true; running; {
		select {
		case runErr = <-done:
			running = false
		case <-tick.C:
		}
		cur, err := lib.Batch(context.WithoutCancel(ctx), b.ID)
		if err != nil {
			return nil, err
		}
		b = cur
		if b.Total > 0 {
			bar.ChangeMax(b.Total)
		}
		bar.Describe(filepath.Base(b.Root))
		_ = bar.Set(b.Done)
	}
	_ = bar.Finish()
	return b, runErr
}

// waitForAnalysis shows analysis progress until nothing is pending.
func (e *env) waitForAnalysis(ctx context.Context, lib *library.Service) {
	count := func() int {
		n := 0
		for _, st := range []library.AnalysisState{library.StatePending, library.StateAnalyzing} {
			p, err := lib.Samples(ctx, library.SampleFilter{State: st, Limit: 1})
			if err == nil {
				n += p.Total
			}
		}
		return n
	}
	left := count()
	if left == 0 {
		return
	}
	bar := progressbar.NewOptions(left, progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetVisibility(e.interactive()), progressbar.OptionSetDescription("analysing"),
		progressbar.OptionShowCount(), progressbar.OptionShowIts(), progressbar.OptionSetItsString("files"),
		progressbar.OptionSetPredictTime(true), progressbar.OptionClearOnFinish())
	total := left
	for left > 0 && ctx.Err() == nil {
		time.Sleep(200 * time.Millisecond)
		left = count()
		_ = bar.Set(total - left)
	}
	_ = bar.Finish()
}

type importSummary struct {
	added, duplicates, skipped, failed int
	reasons                            []string
}

func (s *importSummary) add(b *library.Batch) {
	s.added += b.Added
	s.duplicates += b.Duplicates
	s.skipped += b.Skipped
	s.failed += b.Failed
	for _, f := range b.Failures {
		s.reasons = append(s.reasons, fmt.Sprintf("%s: %s (%s)", filepath.Join(b.Root, f.Path), f.Reason, f.State))
	}
}

func (s *importSummary) print(out, errOut io.Writer) {
	fmt.Fprintf(out, "added %d, duplicates skipped %d, unsupported %d, failed %d\n", s.added, s.duplicates, s.skipped, s.failed)
	for _, r := range s.reasons {
		fmt.Fprintln(errOut, r)
	}
}
