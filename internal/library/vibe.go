package library

import (
	"context"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/sp404agent/sp404agent/internal/vibe"
)

// SampleVibe is a sample's vibe and, when the model's refinement was not used, why.
type SampleVibe struct {
	Vibe      vibe.Vibe `json:"vibe"`
	Fallback  string    `json:"fallback,omitempty" doc:"Why the offline vibe was kept (budget, provider, bad output); empty when refined or offline by choice"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Preferences are the user's settings that live in the database.
type Preferences struct {
	VibeModel         string  `json:"vibe_model" maxLength:"100" doc:"OpenRouter model for vibe analysis"`
	AutoVibe          bool    `json:"auto_vibe" doc:"Analyse the vibe of every imported sample (costs money with a key)"`
	BudgetMonthlyUSD  float64 `json:"budget_monthly_usd" minimum:"0" maximum:"10000"`
	BudgetDailyTokens int64   `json:"budget_daily_tokens" minimum:"0" maximum:"100000000"`
	ExportTarget      string  `json:"export_target" enum:"mk2,mk2-project,sx"`
	ExportNormalize   string  `json:"export_normalize" enum:"none,peak,lufs"`
	ExportTrimSilence bool    `json:"export_trim_silence"`
}

// PreferencesPatch changes some preferences.
type PreferencesPatch struct {
	VibeModel         *string  `json:"vibe_model,omitempty" minLength:"1" maxLength:"100"`
	AutoVibe          *bool    `json:"auto_vibe,omitempty"`
	BudgetMonthlyUSD  *float64 `json:"budget_monthly_usd,omitempty" minimum:"0" maximum:"10000"`
	BudgetDailyTokens *int64   `json:"budget_daily_tokens,omitempty" minimum:"0" maximum:"100000000"`
	ExportTarget      *string  `json:"export_target,omitempty" enum:"mk2,mk2-project,sx"`
	ExportNormalize   *string  `json:"export_normalize,omitempty" enum:"none,peak,lufs"`
	ExportTrimSilence *bool    `json:"export_trim_silence,omitempty"`
}

// VibeStore persists vibes, AI usage and preferences.
type VibeStore interface {
	vibe.UsageStore
	vibe.UsageReader
	SaveVibe(ctx context.Context, sampleID int64, v *SampleVibe) error
	SampleVibe(ctx context.Context, sampleID int64) (*SampleVibe, error)
	VibeCandidates(ctx context.Context, fn func(c vibe.Candidate)) error
	Preferences(ctx context.Context) (*Preferences, error)
	SavePreferences(ctx context.Context, p *Preferences) error
}

// VibeSetup is what the vibe features run on.
type VibeSetup struct {
	Analyzer *vibe.Analyzer
	Guard    *vibe.Guard
	Defaults Preferences // from the configuration, until the user changes them
}

// SetVibe connects the vibe analyzer and budget guard, and applies stored budgets.
func (s *Service) SetVibe(ctx context.Context, v VibeSetup) error {
	s.vibe = v
	p, err := s.Preferences(ctx)
	if err != nil {
		return err
	}
	v.Guard.SetBudget(vibe.Budget{MonthlyUSD: p.BudgetMonthlyUSD, DailyTokens: p.BudgetDailyTokens})
	return nil
}

// Preferences returns the stored preferences over the defaults.
func (s *Service) Preferences(ctx context.Context) (*Preferences, error) {
	p, err := s.store.Preferences(ctx)
	if err != nil || p != nil {
		return p, err
	}
	d := s.vibe.Defaults
	return &d, nil
}

// UpdatePreferences applies a patch; budgets take effect at once.
func (s *Service) UpdatePreferences(ctx context.Context, patch PreferencesPatch) (*Preferences, error) {
	p, err := s.Preferences(ctx)
	if err != nil {
		return nil, err
	}
	if patch.VibeModel != nil {
		m := strings.TrimSpace(*patch.VibeModel)
		if m == "" || strings.ContainsAny(m, " \t\n<>\"") {
			return nil, Errorf(CodeInvalid, "vibe_model %q is not a model name", m)
		}
		p.VibeModel = m
	}
	if patch.AutoVibe != nil {
		p.AutoVibe = *patch.AutoVibe
	}
	if patch.BudgetMonthlyUSD != nil {
		if *patch.BudgetMonthlyUSD < 0 {
			return nil, Errorf(CodeInvalid, "budget_monthly_usd must not be negative")
		}
		p.BudgetMonthlyUSD = *patch.BudgetMonthlyUSD
	}
	if patch.BudgetDailyTokens != nil {
		if *patch.BudgetDailyTokens < 0 {
			return nil, Errorf(CodeInvalid, "budget_daily_tokens must not be negative")
		}
		p.BudgetDailyTokens = *patch.BudgetDailyTokens
	}
	if patch.ExportTarget != nil {
		if !slices.Contains([]string{"mk2", "mk2-project", "sx"}, *patch.ExportTarget) {
			return nil, Errorf(CodeInvalid, "export_target must be mk2, mk2-project or sx")
		}
		p.ExportTarget = *patch.ExportTarget
	}
	if patch.ExportNormalize != nil {
		if !slices.Contains([]string{"none", "peak", "lufs"}, *patch.ExportNormalize) {
			return nil, Errorf(CodeInvalid, "export_normalize must be none, peak or lufs")
		}
		p.ExportNormalize = *patch.ExportNormalize
	}
	if patch.ExportTrimSilence != nil {
		p.ExportTrimSilence = *patch.ExportTrimSilence
	}
	if err := s.store.SavePreferences(ctx, p); err != nil {
		return nil, err
	}
	if s.vibe.Guard != nil {
		s.vibe.Guard.SetBudget(vibe.Budget{MonthlyUSD: p.BudgetMonthlyUSD, DailyTokens: p.BudgetDailyTokens})
	}
	return p, nil
}

// SampleVibe returns a sample's stored vibe (CodeNotFound for the sample; nil when it has none).
func (s *Service) SampleVibe(ctx context.Context, id int64) (*SampleVibe, error) {
	if _, err := s.store.Sample(ctx, id); err != nil {
		return nil, err
	}
	return s.store.SampleVibe(ctx, id)
}

// VibeSample describes a sample's vibe (offline from the analysis, refined by the model when a
// key and budget allow), saves it, and reports each real step through progress.
func (s *Service) VibeSample(ctx context.Context, id int64, progress vibe.ProgressFunc) (*SampleVibe, error) {
	if s.vibe.Analyzer == nil {
		return nil, Errorf(CodeConflict, "vibe analysis is not set up in this process")
	}
	smp, err := s.store.Sample(ctx, id)
	if err != nil {
		return nil, err
	}
	if smp.AnalysisState != StateDone {
		return nil, Errorf(CodeConflict, "sample %d is %s: its vibe needs the audio analysis first", id, smp.AnalysisState)
	}
	prefs, err := s.Preferences(ctx)
	if err != nil {
		return nil, err
	}
	res, err := s.vibe.Analyzer.Analyze(ctx, vibe.AnalyzeRequest{SampleID: id, Input: vibeInput(smp), Model: prefs.VibeModel}, progress)
	if err != nil {
		return nil, err
	}
	sv := &SampleVibe{Vibe: res.Vibe}
	if res.Fallback != nil && s.vibe.Analyzer.Online() {
		sv.Fallback = res.Fallback.Error()
	}
	if err := s.store.SaveVibe(context.WithoutCancel(ctx), id, sv); err != nil {
		return nil, err
	}
	if progress != nil {
		progress(vibe.StepSaved, vibe.ProgressSaved, res.Vibe)
	}
	return sv, nil
}

// vibeInput is what the vibe rules and the model learn of a sample.
func vibeInput(smp *Sample) vibe.Input {
	in := vibe.Input{
		Name: strings.TrimSuffix(smp.FileName, path.Ext(smp.FileName)), Tags: smp.Tags,
		BPM: smp.BPM, DurationS: smp.DurationS,
	}
	deref := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	in.Type, in.Category, in.Key, in.Scale = deref(smp.Type), deref(smp.Category), deref(smp.Key), deref(smp.Scale)
	if smp.LoudnessLUFS != nil {
		in.LoudnessLUFS = smp.LoudnessLUFS
	}
	if smp.TruePeakDBTP != nil {
		in.TruePeakDBTP = smp.TruePeakDBTP
	}
	if smp.Spectral != nil {
		sp := *smp.Spectral
		in.Spectral = &sp
	}
	return in
}

// VibeMatch is a sample that fits a vibe description, and why.
type VibeMatch struct {
	Score   float64  `json:"score"`
	Reasons []string `json:"reasons"`
	Sample  Sample   `json:"sample"`
}

// VibeSearch is a ranked page of matches with how the description was read.
type VibeSearch struct {
	Page[VibeMatch]
	Parsed   vibe.Query `json:"parsed"`
	Fallback string     `json:"fallback,omitempty"`
}

// SearchVibe turns a description into filters, terms and moods, ranks the library and says why
// each sample matched.
func (s *Service) SearchVibe(ctx context.Context, q string, page, limit int) (*VibeSearch, error) {
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, Errorf(CodeInvalid, "q is empty")
	}
	if page < 1 || limit < 1 || limit > MaxPageLimit {
		return nil, Errorf(CodeInvalid, "page must be ≥ 1 and limit between 1 and %d", MaxPageLimit)
	}
	var parsed vibe.Query
	var fallback string
	if s.vibe.Analyzer != nil {
		prefs, err := s.Preferences(ctx)
		if err != nil {
			return nil, err
		}
		res, err := s.vibe.Analyzer.ParseQueryLLM(ctx, q, prefs.VibeModel)
		if err != nil {
			return nil, err
		}
		parsed = res.Query
		if res.Fallback != nil && s.vibe.Analyzer.Online() {
			fallback = res.Fallback.Error()
		}
	} else {
		parsed = vibe.ParseQuery(q)
	}
	var cands []vibe.Candidate
	if err := s.store.VibeCandidates(ctx, func(c vibe.Candidate) { cands = append(cands, c) }); err != nil {
		return nil, err
	}
	matches := vibe.Rank(parsed, cands)
	out := &VibeSearch{Parsed: parsed, Fallback: fallback}
	out.Page = Page[VibeMatch]{Items: []VibeMatch{}, Total: len(matches), Page: page, Limit: limit}
	start := (page - 1) * limit
	for i := start; i < len(matches) && i < start+limit; i++ {
		smp, err := s.store.Sample(ctx, matches[i].ID)
		if err != nil {
			return nil, err
		}
		out.Items = append(out.Items, VibeMatch{Score: matches[i].Score, Reasons: matches[i].Reasons, Sample: *smp})
	}
	return out, nil
}

// UsageSummary is the AI spending of the current month with the budget state.
type UsageSummary struct {
	vibe.Summary
	Budget vibe.BudgetState `json:"budget"`
}

// Usage reports this month's AI usage and the budget.
func (s *Service) Usage(ctx context.Context) (*UsageSummary, error) {
	if s.vibe.Guard == nil {
		return nil, Errorf(CodeConflict, "AI usage tracking is not set up in this process")
	}
	now := time.Now().UTC()
	from := vibe.MonthStart(now)
	to := from.AddDate(0, 1, 0)
	calls, err := s.store.CallsBetween(ctx, from, to)
	if err != nil {
		return nil, err
	}
	st, err := s.vibe.Guard.State(ctx)
	if err != nil {
		return nil, err
	}
	return &UsageSummary{Summary: vibe.Summarize(calls, from, to), Budget: st}, nil
}

// UsageDaily is the usage per day for the last days (today included).
func (s *Service) UsageDaily(ctx context.Context, days int) ([]vibe.Day, error) {
	if days < 1 || days > 366 {
		return nil, Errorf(CodeInvalid, "days must be between 1 and 366")
	}
	to := vibe.DayStart(time.Now()).AddDate(0, 0, 1)
	from := to.AddDate(0, 0, -days)
	calls, err := s.store.CallsBetween(ctx, from, to)
	if err != nil {
		return nil, err
	}
	return vibe.Daily(calls, from, to), nil
}

// Budget is the budget state alone.
func (s *Service) Budget(ctx context.Context) (vibe.BudgetState, error) {
	if s.vibe.Guard == nil {
		return vibe.BudgetState{}, Errorf(CodeConflict, "AI usage tracking is not set up in this process")
	}
	return s.vibe.Guard.State(ctx)
}

// RecentCalls lists the newest AI calls.
func (s *Service) RecentCalls(ctx context.Context, limit int) ([]vibe.Call, error) {
	if limit < 1 || limit > MaxPageLimit {
		return nil, Errorf(CodeInvalid, "limit must be between 1 and %d", MaxPageLimit)
	}
	return s.store.RecentCalls(ctx, limit)
}

// ExportUsageCSV writes every AI call of the last days as CSV.
func (s *Service) ExportUsageCSV(ctx context.Context, w io.Writer, days int) error {
	if days < 1 || days > 3660 {
		return Errorf(CodeInvalid, "days must be between 1 and 3660")
	}
	to := time.Now().UTC().Add(time.Minute)
	calls, err := s.store.CallsBetween(ctx, to.AddDate(0, 0, -days), to)
	if err != nil {
		return err
	}
	if err := vibe.WriteCSV(w, calls); err != nil {
		return fmt.Errorf("write usage CSV: %w", err)
	}
	return nil
}
