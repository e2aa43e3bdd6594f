package httpapi

import (
	"bytes"
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/sp404agent/sp404agent/internal/library"
	"github.com/sp404agent/sp404agent/internal/vibe"
)

type usageSummaryOutput struct {
	Body *library.UsageSummary
}

type usageDailyInput struct {
	Days int `query:"days" minimum:"1" maximum:"366" default:"30"`
}

type usageDailyOutput struct {
	Body struct {
		Items []vibe.Day `json:"items"`
	}
}

type budgetOutput struct {
	Body vibe.BudgetState
}

type recentInput struct {
	Limit int `query:"limit" minimum:"1" maximum:"500" default:"50"`
}

type recentOutput struct {
	Body struct {
		Items []vibe.Call `json:"items"`
	}
}

type preferencesOutput struct {
	Body *library.Preferences
}

type patchPreferencesInput struct {
	Body library.PreferencesPatch
}

func (s *Server) registerUsage() {
	tags := []string{"usage"}
	register(s.api, s.log, huma.Operation{
		OperationID: "usage-summary", Method: http.MethodGet, Path: "/api/v1/usage/summary", Tags: tags,
		Summary: "AI usage this month: cost, tokens, calls, by model and operation, with the budget state",
	}, func(ctx context.Context, _ *struct{}) (*usageSummaryOutput, error) {
		u, err := s.lib.Usage(ctx)
		if err != nil {
			return nil, err
		}
		return &usageSummaryOutput{Body: u}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "usage-daily", Method: http.MethodGet, Path: "/api/v1/usage/daily", Tags: tags,
		Summary: "AI usage per day",
	}, func(ctx context.Context, in *usageDailyInput) (*usageDailyOutput, error) {
		days, err := s.lib.UsageDaily(ctx, in.Days)
		if err != nil {
			return nil, err
		}
		out := &usageDailyOutput{}
		out.Body.Items = days
		return out, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "usage-budget", Method: http.MethodGet, Path: "/api/v1/usage/budget", Tags: tags,
		Summary: "Spending against the monthly USD and daily token budgets",
	}, func(ctx context.Context, _ *struct{}) (*budgetOutput, error) {
		st, err := s.lib.Budget(ctx)
		if err != nil {
			return nil, err
		}
		return &budgetOutput{Body: st}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "usage-recent", Method: http.MethodGet, Path: "/api/v1/usage/recent", Tags: tags,
		Summary: "The newest AI calls",
	}, func(ctx context.Context, in *recentInput) (*recentOutput, error) {
		calls, err := s.lib.RecentCalls(ctx, in.Limit)
		if err != nil {
			return nil, err
		}
		out := &recentOutput{}
		out.Body.Items = calls
		return out, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "get-preferences", Method: http.MethodGet, Path: "/api/v1/preferences", Tags: []string{"preferences"},
		Summary: "Vibe model, auto-vibe, budgets and export defaults",
	}, func(ctx context.Context, _ *struct{}) (*preferencesOutput, error) {
		p, err := s.lib.Preferences(ctx)
		if err != nil {
			return nil, err
		}
		return &preferencesOutput{Body: p}, nil
	})
	register(s.api, s.log, huma.Operation{
		OperationID: "update-preferences", Method: http.MethodPatch, Path: "/api/v1/preferences", Tags: []string{"preferences"},
		Summary: "Change preferences (budgets take effect at once)",
	}, func(ctx context.Context, in *patchPreferencesInput) (*preferencesOutput, error) {
		p, err := s.lib.UpdatePreferences(ctx, in.Body)
		if err != nil {
			return nil, err
		}
		return &preferencesOutput{Body: p}, nil
	})
}

// usageCSV streams the AI calls of the last days (default 90) as CSV.
func (s *Server) usageCSV(w http.ResponseWriter, r *http.Request) {
	days := 90
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			writeProblem(w, http.StatusUnprocessableEntity, "days must be a whole number")
			return
		}
		days = n
	}
	var buf bytes.Buffer
	if err := s.lib.ExportUsageCSV(r.Context(), &buf, days); err != nil {
		writeError(w, r, s.log, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="ai-usage-`+time.Now().UTC().Format("2006-01-02")+`.csv"`)
	_, _ = w.Write(buf.Bytes())
}
