// Command sp404agent is the SP-404 Sample Agent: sample library, analysis and SP-404 kit export.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/sp404agent/sp404agent/internal/cli"
)

// Set by the linker: -X main.version=… -X main.commit=….
var (
	version = "dev"
	commit  = "none"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := cli.Run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr, cli.Build{Version: version, Commit: commit})
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "sp404agent:", err)
		os.Exit(cli.ExitCode(err))
	}
}
