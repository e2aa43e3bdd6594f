package cli

import (
	"encoding/json"

	"github.com/spf13/cobra"

	"github.com/sp404agent/sp404agent/internal/export"
)

func (e *env) inspectCommand() *cobra.Command {
	var all bool
	cmd := &cobra.Command{
		Use:   "inspect PATH",
		Short: "Decode PADCONF.BIN, PAD_INFO.BIN, an .SMP, an RLND WAV, or a whole project/card folder, as JSON",
		Args:  cobra.ExactArgs(1),
		RunE: func(_ *cobra.Command, args []string) error {
			r, err := export.Inspect(args[0], export.InspectOptions{All: all})
			if err != nil {
				return err
			}
			enc := json.NewEncoder(e.stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(r)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "include empty pads")
	return cmd
}
