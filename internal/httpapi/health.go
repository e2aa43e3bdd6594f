package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
)

type healthOutput struct {
	Status int
	Body   struct {
		Status   string `json:"status" enum:"ok,error"`
		Database string `json:"database" enum:"ok,unreachable"`
		Version  string `json:"version"`
	}
}

func (s *Server) registerHealth() {
	huma.Register(s.api, huma.Operation{
		OperationID: "health", Method: http.MethodGet, Path: "/health", Tags: []string{"health"},
		Summary: "Liveness and database check", Description: "200 when the database answers, 503 otherwise.",
		Responses: map[string]*huma.Response{"503": {Description: "The database is unreachable"}},
	}, func(ctx context.Context, _ *struct{}) (*healthOutput, error) {
		out := &healthOutput{Status: http.StatusOK}
		out.Body.Status, out.Body.Database, out.Body.Version = "ok", "ok", s.opts.Version
		ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		if err := s.lib.Ping(ctx); err != nil {
			s.log.WarnContext(ctx, "health check: database unreachable", "err", err)
			out.Status = http.StatusServiceUnavailable
			out.Body.Status, out.Body.Database = "error", "unreachable"
		}
		return out, nil
	})
}
