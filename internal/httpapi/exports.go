package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sp404agent/sp404agent/internal/export"
	"github.com/sp404agent/sp404agent/internal/library"
)

type exportKitInput struct {
	ID   int64 `path:"id" minimum:"1"`
	Body library.ExportRequest
}

type exportKitOutput struct {
	Status int
	Body   struct {
		Export *library.Export    `json:"export,omitempty" doc:"The queued export (absent for a dry run)"`
		Plan   *export.PlanResult `json:"plan" doc:"Files to be written, pads skipped and warnings"`
	}
}

type exportIDInput struct {
	ID int64 `path:"id" minimum:"1"`
}

type exportOutput struct {
	Body *library.Export
}

func (s *Server) registerExports() {
	tags := []string{"exports"}
	register(s.api, s.log, huma.Operation{
		OperationID: "export-kit", Method: http.MethodPost, Path: "/api/v1/kits/{id}/export", Tags: tags,
		Summary:       "Export a kit for the device (202 with the queued export; 200 with the plan for a dry run)",
		Description:   "Validates first and reports every problem at once (422). The ZIP is written in the background; poll GET /api/v1/exports/{id}.",
		DefaultStatus: http.StatusAccepted,
	}, func(ctx context.Context, in *exportKitInput) (*exportKitOutput, error) {
		e, plan, err := s.lib.RequestExport(ctx, in.ID, in.Body)
		if err != nil {
			return nil, err
		}
		out := &exportKitOutput{Status: http.StatusAccepted}
		if e == nil {
			out.Status = http.StatusOK
		}
		out.Body.Export, out.Body.Plan = e, plan
		return out, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "get-export", Method: http.MethodGet, Path: "/api/v1/exports/{id}", Tags: tags,
		Summary: "An export's state, progress, files and warnings",
	}, func(ctx context.Context, in *exportIDInput) (*exportOutput, error) {
		e, err := s.lib.Export(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return &exportOutput{Body: e}, nil
	})
}

var unsafeFileChars = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// downloadExport streams a finished export's ZIP.
func (s *Server) downloadExport(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		writeProblem(w, http.StatusUnprocessableEntity, "export id must be a positive whole number")
		return
	}
	e, f, err := s.lib.OpenExport(r.Context(), id)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	name := unsafeFileChars.ReplaceAllString(fmt.Sprintf("%s-%s", e.KitName, e.Target), "_") + ".zip"
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	http.ServeContent(w, r, "", info.ModTime(), f)
}
