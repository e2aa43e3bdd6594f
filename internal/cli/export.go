package cli

import (
	"errors"
	"fmt"
	"os"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/sp404agent/sp404agent/internal/export"
)

func (e *env) exportCommand() *cobra.Command {
	var (
		lf                libraryFlags
		opts              export.Options
		target, normalize string
		dryRun            bool
	)
	cmd := &cobra.Command{
		Use:   "export KIT --target mk2|mk2-project|sx --out DIR|FILE.zip",
		Short: "Write a kit the SP-404 loads: an MKII import folder, an MKII project or an SX/A card tree",
		Long: "KIT is a kit of the library (its id or name) or a kit file (JSON, see docs/sp404.md).\n" +
			"Nothing at the destination is overwritten: the folder must be new or empty, the ZIP must not exist.",
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if target == "" || opts.Out == "" {
				return usageError{errors.New("--target and --out are required")}
			}
			opts.Target, opts.Normalize = export.Target(target), export.Normalize(normalize)
			ctx := cmd.Context()
			var kit *export.Kit
			if st, err := os.Stat(args[0]); err == nil && !st.IsDir() {
				if kit, err = export.LoadKitFile(args[0]); err != nil {
					return err
				}
			} else {
				lib, closeLib, err := e.openLibrary(cmd, &lf)
				if err != nil {
					return err
				}
				defer closeLib()
				id, err := findKit(ctx, lib, args[0])
				if err != nil {
					return err
				}
				if kit, err = lib.ExportKitModel(ctx, id); err != nil {
					return err
				}
			}
			if dryRun {
				plan, err := export.Plan(ctx, kit, opts)
				if err != nil {
					return err
				}
				return plan.WriteText(e.stdout)
			}
			bar := progressbar.NewOptions(len(kit.Pads), progressbar.OptionSetWriter(e.stderr), progressbar.OptionSetVisibility(e.interactive()),
				progressbar.OptionSetDescription("exporting"), progressbar.OptionShowCount(), progressbar.OptionClearOnFinish())
			res, err := export.Export(ctx, kit, opts, func(done, total int) {
				bar.ChangeMax(total)
				_ = bar.Set(done)
			})
			_ = bar.Finish()
			if err != nil {
				return err
			}
			for _, w := range res.Warnings {
				fmt.Fprintln(e.stderr, "warning:", w)
			}
			fmt.Fprintf(e.stdout, "wrote %s: %d files, %d bytes\n", opts.Out, len(res.Files), res.TotalBytes)
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&target, "target", "", "mk2 (import folder), mk2-project (native project) or sx (SX/A card)")
	f.StringVar(&opts.Out, "out", "", "destination folder, or a .zip file")
	f.BoolVar(&dryRun, "dry-run", false, "print the plan and the warnings without writing anything")
	f.StringVar(&opts.ProjectName, "project-name", "", "project name (mk2-project; default: the kit's name)")
	f.IntVar(&opts.Slot, "slot", 1, "project slot 1-16 (mk2-project)")
	f.StringVar(&normalize, "normalize", "none", "none, peak or lufs")
	f.Float64Var(&opts.NormalizeTarget, "normalize-target", 0, "target dBFS (peak) or LUFS (lufs); 0 = the default")
	f.BoolVar(&opts.TrimSilence, "trim-silence", false, "trim leading and trailing silence")
	f.Float64Var(&opts.TrimThresholdDB, "trim-threshold", 0, "silence threshold in dBFS; 0 = the default")
	lf.add(cmd)
	return cmd
}
