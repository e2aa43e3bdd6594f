package cli

import (
	"fmt"
	"net"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/sp404agent/sp404agent/internal/app"
	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/jobs"
)

func (e *env) serveCommand() *cobra.Command {
	var (
		addr, dataDir, dbURL, environment string
		port, workers                     int
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the API, the web UI and the analysis workers (the default)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := e.loadConfig(func(c *config.Config) {
				f := cmd.Flags()
				if f.Changed("port") {
					c.Addr = ":" + strconv.Itoa(port)
				}
				if f.Changed("addr") {
					c.Addr = addr
				}
				if f.Changed("data-dir") {
					c.DataDir = dataDir
				}
				if f.Changed("database-url") {
					c.DatabaseURL = dbURL
				}
				if f.Changed("workers") {
					c.Workers = workers
				}
				if f.Changed("environment") {
					c.Environment = environment
				}
			})
			if err != nil {
				return err
			}
			if err := cfg.ValidateServe(); err != nil {
				return usageError{err}
			}
			log := e.logger(cfg)
			ctx := cmd.Context()
			// Analyses run on low-priority threads; requests need Ps of their own beside them.
			defer jobs.ReserveProcs(cfg.Workers, e.getenv)()
			a, err := app.New(ctx, cfg, e.build, log)
			if err != nil {
				return err
			}
			defer a.Close()
			ln, err := net.Listen("tcp", cfg.Addr)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
			}
			kind, _, _ := config.ParseDatabaseURL(cfg.DatabaseURL, cfg.DataDir)
			log.Info("sp404agent serving", "addr", ln.Addr().String(), "version", e.build.Version,
				"database", kind, "data_dir", cfg.DataDir, "workers", cfg.Workers)
			return a.Run(ctx, ln)
		},
	}
	f := cmd.Flags()
	f.IntVar(&port, "port", 8100, "HTTP port (env PORT)")
	f.StringVar(&addr, "addr", "", "host:port to listen on (env ADDR; overrides --port)")
	f.StringVar(&dataDir, "data-dir", config.DefaultDataDir, "data folder (env DATA_DIR)")
	f.StringVar(&dbURL, "database-url", "", "postgres://… or sqlite:///path (env DATABASE_URL)")
	f.IntVar(&workers, "workers", 0, "analysis workers in this process (env WORKERS; default: CPUs)")
	f.StringVar(&environment, "environment", config.Development, "development or production (env ENVIRONMENT)")
	return cmd
}
