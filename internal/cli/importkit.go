package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

func (e *env) importKitCommand() *cobra.Command {
	var (
		lf   libraryFlags
		name string
	)
	cmd := &cobra.Command{
		Use:   "import-kit PATH [--name N]",
		Short: "Bring an SX/A card, an MKII project folder or its ZIP into the library as a kit",
		Long:  "The samples are added to the library (identical audio once) and analysed when the server runs; the kit keeps every pad setting.",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			lib, closeLib, err := e.openLibrary(cmd, &lf)
			if err != nil {
				return err
			}
			defer closeLib()
			kit, notes, err := lib.ImportKit(cmd.Context(), args[0], name)
			if err != nil {
				return err
			}
			for _, n := range notes {
				fmt.Fprintln(e.stderr, "note:", n)
			}
			fmt.Fprintf(e.stdout, "imported kit %d %q (%s): %d pads\n", kit.ID, kit.Name, kit.Device, kit.PadCount)
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "kit name (default: the project's)")
	lf.add(cmd)
	return cmd
}
