package cli

import (
	"encoding/json"
	"io"
	"log/slog"

	"github.com/spf13/cobra"

	"github.com/sp404agent/sp404agent/internal/httpapi"
)

func (e *env) openapiCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "openapi",
		Short: "Print the OpenAPI 3.1 document of the HTTP API (for generating clients)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			// The document is built from the route table alone; no database is opened.
			srv := httpapi.New(nil, slog.New(slog.NewTextHandler(io.Discard, nil)), httpapi.Options{Version: e.build.Version})
			enc := json.NewEncoder(e.stdout)
			enc.SetIndent("", "  ")
			return enc.Encode(srv.OpenAPI())
		},
	}
}
