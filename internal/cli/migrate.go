package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/store"
)

func (e *env) migrateCommand() *cobra.Command {
	var dataDir, dbURL string
	cmd := &cobra.Command{
		Use:       "migrate up|down|status",
		Short:     "Apply, roll back or list database migrations",
		Args:      cobra.MatchAll(cobra.ExactArgs(1), cobra.OnlyValidArgs),
		ValidArgs: []string{"up", "down", "status"},
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := e.loadConfig(func(c *config.Config) {
				if cmd.Flags().Changed("data-dir") {
					c.DataDir = dataDir
				}
				if cmd.Flags().Changed("database-url") {
					c.DatabaseURL = dbURL
				}
			})
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			kind, dsn, err := config.ParseDatabaseURL(cfg.DatabaseURL, cfg.DataDir)
			if err != nil {
				return err
			}
			db, err := store.Open(ctx, kind, dsn)
			if err != nil {
				return err
			}
			defer db.Close()
			switch args[0] {
			case "up":
				applied, err := db.MigrateUp(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "applied %d migration(s) %v\n", len(applied), applied)
			case "down":
				v, err := db.MigrateDown(ctx)
				if err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "rolled back migration %d\n", v)
			case "status":
				st, err := db.MigrateStatus(ctx)
				if err != nil {
					return err
				}
				for _, m := range st {
					state := "pending"
					if m.Applied {
						state = "applied"
					}
					fmt.Fprintf(e.stdout, "%05d  %-8s %s\n", m.Version, state, m.Name)
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&dataDir, "data-dir", config.DefaultDataDir, "data folder (env DATA_DIR)")
	cmd.Flags().StringVar(&dbURL, "database-url", "", "postgres://… or sqlite:///path (env DATABASE_URL)")
	return cmd
}
