package cli

import (
	"context"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/sp404agent/sp404agent/internal/app"
	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/library"
)

// libraryFlags are the flags of commands that open the library.
type libraryFlags struct {
	dataDir, dbURL string
}

func (lf *libraryFlags) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&lf.dataDir, "data-dir", config.DefaultDataDir, "data folder (env DATA_DIR)")
	cmd.Flags().StringVar(&lf.dbURL, "database-url", "", "postgres://… or sqlite:///path (env DATABASE_URL)")
}

// open opens the library for a command; the returned function closes it.
func (e *env) openLibrary(cmd *cobra.Command, lf *libraryFlags) (*library.Service, func(), error) {
	cfg, err := e.loadConfig(func(c *config.Config) {
		if cmd.Flags().Changed("data-dir") {
			c.DataDir = lf.dataDir
		}
		if cmd.Flags().Changed("database-url") {
			c.DatabaseURL = lf.dbURL
		}
	})
	if err != nil {
		return nil, nil, err
	}
	lib, db, err := app.OpenLibrary(cmd.Context(), cfg, e.logger(cfg))
	if err != nil {
		return nil, nil, err
	}
	return lib, func() { db.Close() }, nil
}

// findKit resolves a kit by id or by exact (case-insensitive) name.
func findKit(ctx context.Context, lib *library.Service, ref string) (int64, error) {
	if id, err := strconv.ParseInt(ref, 10, 64); err == nil {
		return id, nil
	}
	for page := 1; ; page++ {
		kits, err := lib.Kits(ctx, page, library.MaxPageLimit)
		if err != nil {
			return 0, err
		}
		for _, k := range kits.Items {
			if strings.EqualFold(k.Name, ref) {
				return k.ID, nil
			}
		}
		if page*library.MaxPageLimit >= kits.Total {
			return 0, library.Errorf(library.CodeNotFound, "no kit named %q", ref)
		}
	}
}
