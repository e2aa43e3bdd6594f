// Package cli holds the sp404agent commands, one file per subcommand.
package cli

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/sp404agent/sp404agent/internal/app"
	"github.com/sp404agent/sp404agent/internal/config"
)

// Build is the version information stamped at link time.
type Build = app.Build

// usageError marks errors in how the command was called (exit code 2).
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

// ExitCode maps an error from Run to the process exit code (design.md §5).
func ExitCode(err error) int {
	var u usageError
	if errors.As(err, &u) {
		return 2
	}
	return 1
}

// env carries what every command needs.
type env struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
	build  Build
}

// Run parses args and runs the command. It never exits the process.
func Run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, build Build) error {
	e := &env{getenv: getenv, stdout: stdout, stderr: stderr, build: build}
	serve := e.serveCommand()
	root := &cobra.Command{
		Use:           "sp404agent",
		Short:         "Sample library, analysis and SP-404 kit export",
		Long:          "The SP-404 Sample Agent: import and analyse samples, build kits on a pad grid and export them for the Roland SP-404 MKII and SX/A.\nWith no subcommand it runs `serve`.",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          cobra.NoArgs,
		RunE:          serve.RunE,
	}
	root.Flags().AddFlagSet(serve.Flags())
	root.AddCommand(serve, e.migrateCommand(), e.versionCommand(), e.analyzeCommand(), e.openapiCommand(),
		e.exportCommand(), e.inspectCommand(), e.importKitCommand(), e.healthcheckCommand(), e.importCommand(),
		e.backupCommand(), e.restoreCommand(), e.workerCommand())
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	err := root.ExecuteContext(ctx)
	if err != nil && isCobraUsage(err) {
		return usageError{err}
	}
	return err
}

// isCobraUsage recognises cobra's own argument errors ("unknown command", "accepts 1 arg(s)"),
// which cobra returns as plain errors.
func isCobraUsage(err error) bool {
	var u usageError
	if errors.As(err, &u) {
		return false
	}
	msg := err.Error()
	for _, p := range []string{"unknown command", "accepts ", "requires at least", "requires at most", "invalid argument"} {
		if strings.Contains(msg, p) {
			return true
		}
	}
	return false
}

// loadConfig reads the environment, applies flag overrides and validates.
func (e *env) loadConfig(override func(*config.Config)) (config.Config, error) {
	cfg, err := config.Load(e.getenv)
	if err != nil {
		return cfg, usageError{err}
	}
	if override != nil {
		override(&cfg)
	}
	cfg.Finish()
	if err := cfg.Validate(); err != nil {
		return cfg, usageError{err}
	}
	return cfg, nil
}

// interactive reports whether stderr is a terminal: progress bars are drawn only there, so logs
// and CI output stay readable.
func (e *env) interactive() bool {
	f, ok := e.stderr.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// logger is text for people in development and JSON for log collectors in production.
func (e *env) logger(cfg config.Config) *slog.Logger {
	level := slog.LevelInfo
	if e.getenv("LOG_LEVEL") == "debug" {
		level = slog.LevelDebug
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.IsProduction() {
		return slog.New(slog.NewJSONHandler(e.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts))
}
