package cli

import (
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
)

func (e *env) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintf(e.stdout, "sp404agent %s (commit %s, %s)\n", e.build.Version, e.build.Commit, runtime.Version())
			return err
		},
	}
}
