package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/sp404agent/sp404agent/internal/app"
	"github.com/sp404agent/sp404agent/internal/backup"
	"github.com/sp404agent/sp404agent/internal/config"
)

func (e *env) openStoresFor(cmd *cobra.Command, lf *libraryFlags, migrate bool) (*app.Stores, error) {
	cfg, err := e.loadConfig(func(c *config.Config) {
		if cmd.Flags().Changed("data-dir") {
			c.DataDir = lf.dataDir
		}
		if cmd.Flags().Changed("database-url") {
			c.DatabaseURL = lf.dbURL
		}
	})
	if err != nil {
		return nil, err
	}
	db, blobs, err := app.OpenStores(cmd.Context(), cfg, migrate)
	if err != nil {
		return nil, err
	}
	return &app.Stores{DB: db, Blobs: blobs}, nil
}

func (e *env) backupCommand() *cobra.Command {
	var lf libraryFlags
	cmd := &cobra.Command{
		Use:   "backup FILE",
		Short: "Write a consistent snapshot of the database and sample files to FILE (a ZIP), while the server runs",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			out := args[0]
			if _, err := os.Stat(out); err == nil {
				return fmt.Errorf("%s exists: choose a new file name", out)
			}
			// A backup taken before an upgrade must not migrate the database as a side effect.
			st, err := e.openStoresFor(cmd, &lf, false)
			if err != nil {
				return err
			}
			defer st.DB.Close()
			tmp, err := os.CreateTemp(filepath.Dir(out), ".backup-*")
			if err != nil {
				return err
			}
			defer os.Remove(tmp.Name()) // after the rename this removes nothing
			m, err := backup.Write(cmd.Context(), st.DB, st.Blobs, tmp)
			if err == nil {
				err = tmp.Sync()
			}
			if cerr := tmp.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				return err
			}
			if err := os.Rename(tmp.Name(), out); err != nil {
				return err
			}
			for _, k := range m.MissingBlobs {
				fmt.Fprintln(e.stderr, "note: sample file deleted during the backup:", k)
			}
			fmt.Fprintf(e.stdout, "backed up %d samples, %d kits, %d collections and %d files to %s\n",
				m.Rows["samples"], m.Rows["kits"], m.Rows["collections"], m.Blobs, out)
			return nil
		},
	}
	lf.add(cmd)
	return cmd
}

func (e *env) restoreCommand() *cobra.Command {
	var lf libraryFlags
	cmd := &cobra.Command{
		Use:   "restore FILE",
		Short: "Restore a backup into an empty data folder or database (SQLite or PostgreSQL, either way)",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := os.Open(args[0])
			if err != nil {
				return errors.Unwrap(err)
			}
			defer f.Close()
			info, err := f.Stat()
			if err != nil {
				return err
			}
			st, err := e.openStoresFor(cmd, &lf, true)
			if err != nil {
				return err
			}
			defer st.DB.Close()
			m, err := backup.Restore(cmd.Context(), st.DB, st.Blobs, f, info.Size())
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "restored %d samples, %d kits, %d collections and %d files (backup of %s)\n",
				m.Rows["samples"], m.Rows["kits"], m.Rows["collections"], m.Blobs, m.CreatedAt.Format("2006-01-02 15:04 MST"))
			return nil
		},
	}
	lf.add(cmd)
	return cmd
}
