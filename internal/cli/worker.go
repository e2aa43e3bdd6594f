package cli

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/sp404agent/sp404agent/internal/app"
	"github.com/sp404agent/sp404agent/internal/config"
)

func (e *env) workerCommand() *cobra.Command {
	var (
		lf      libraryFlags
		workers int
	)
	cmd := &cobra.Command{
		Use:   "worker",
		Short: "Run background jobs only (analysis, imports, exports, vibe), no HTTP: for scale-out on PostgreSQL",
		Long: "Several workers and API processes on one PostgreSQL database share the jobs, each run once.\n" +
			"Sample files must be shared too (BLOB_URL=s3://… or one shared folder).",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
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
			})
			if err != nil {
				return err
			}
			if cfg.Workers < 1 {
				return usageError{errors.New("a worker needs WORKERS ≥ 1")}
			}
			log := e.logger(cfg)
			a, err := app.New(cmd.Context(), cfg, e.build, log)
			if err != nil {
				return err
			}
			defer a.Close()
			log.Info("sp404agent worker running", "workers", cfg.Workers, "version", e.build.Version)
			return a.RunWorker(cmd.Context())
		},
	}
	cmd.Flags().IntVar(&workers, "workers", 0, "jobs run at once (env WORKERS; default: CPUs)")
	lf.add(cmd)
	return cmd
}
