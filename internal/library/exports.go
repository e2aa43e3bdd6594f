package library

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/sp404agent/sp404agent/internal/export"
)

// Export states.
const (
	ExportQueued  = "queued"
	ExportRunning = "running"
	ExportDone    = "done"
	ExportFailed  = "failed"
)

// ExportRequest asks for a kit to be written for a device (the "project builder").
type ExportRequest struct {
	Target          string  `json:"target" enum:"mk2,mk2-project,sx" doc:"mk2: loose WAVs for IMPORT; mk2-project: a native project; sx: an SX/A card tree"`
	ProjectName     string  `json:"project_name,omitempty" maxLength:"31"`
	Slot            int     `json:"slot,omitempty" minimum:"0" maximum:"16" doc:"Project slot 1-16 (mk2-project); default 1"`
	BPM             float64 `json:"bpm,omitempty" minimum:"0" maximum:"200" doc:"Project tempo for this export; 0 = the kit's"`
	Normalize       string  `json:"normalize,omitempty" enum:"none,peak,lufs,"`
	NormalizeTarget float64 `json:"normalize_target,omitempty" doc:"dBFS (peak) or LUFS (lufs); 0 = the default"`
	TrimSilence     bool    `json:"trim_silence,omitempty"`
	TrimThresholdDB float64 `json:"trim_threshold_db,omitempty" maximum:"0"`
	DryRun          bool    `json:"dry_run,omitempty" doc:"Validate and return the plan without writing anything"`
}

func (r *ExportRequest) options(out string) export.Options {
	norm := r.Normalize
	if norm == "" {
		norm = "none"
	}
	return export.Options{
		Target: export.Target(r.Target), Out: out, ProjectName: r.ProjectName, Slot: max(r.Slot, 1),
		Normalize: export.Normalize(norm), NormalizeTarget: r.NormalizeTarget,
		TrimSilence: r.TrimSilence, TrimThresholdDB: r.TrimThresholdDB,
	}
}

// Export is a kit export and where it is.
type Export struct {
	ID         int64                `json:"id"`
	KitID      *int64               `json:"kit_id"`
	KitName    string               `json:"kit_name"`
	Target     string               `json:"target"`
	State      string               `json:"state" enum:"queued,running,done,failed"`
	Done       int                  `json:"done" doc:"Pads written"`
	Total      int                  `json:"total"`
	Files      []export.PlannedFile `json:"files"`
	TotalBytes int64                `json:"total_bytes"`
	Skipped    []string             `json:"skipped"`
	Warnings   []string             `json:"warnings"`
	Error      string               `json:"error,omitempty"`
	CreatedAt  time.Time            `json:"created_at"`
	UpdatedAt  time.Time            `json:"updated_at"`

	Request ExportRequest `json:"-"`
}

// ExportStore persists exports.
type ExportStore interface {
	// CreateExport records e and inserts its job by then (when not nil), together.
	CreateExport(ctx context.Context, e *Export, then EnqueueTx) error
	Export(ctx context.Context, id int64) (*Export, error)
	UpdateExport(ctx context.Context, e *Export) error
	ExportIDsInState(ctx context.Context, states ...string) ([]int64, error)
}

// ExportQueue runs exports in the background.
type ExportQueue interface {
	EnqueueExportTx(ctx context.Context, tx *sql.Tx, id int64) error
}

func (s *Service) exportPath(id int64) string {
	return filepath.Join(s.limits.ExportDir, fmt.Sprintf("export-%d.zip", id))
}

// RequestExport validates an export of a kit (every problem at once) and queues it; with DryRun
// it only returns the plan.
func (s *Service) RequestExport(ctx context.Context, kitID int64, req ExportRequest) (*Export, *export.PlanResult, error) {
	if !slices.Contains([]string{"mk2", "mk2-project", "sx"}, req.Target) {
		return nil, nil, Errorf(CodeInvalid, "target must be mk2, mk2-project or sx")
	}
	k, err := s.store.Kit(ctx, kitID)
	if err != nil {
		return nil, nil, err
	}
	ek, err := s.ExportKitModel(ctx, kitID)
	if err != nil {
		return nil, nil, err
	}
	if req.BPM != 0 {
		ek.BPM = req.BPM
	}
	// Plan against a path that does not exist, so only the kit and the options are judged.
	plan, err := export.Plan(ctx, ek, req.options(filepath.Join(s.limits.ExportDir, fmt.Sprintf("plan-%d.zip", time.Now().UnixNano()))))
	if err != nil {
		return nil, nil, &Error{Code: CodeInvalid, Message: err.Error(), Err: err}
	}
	if req.DryRun {
		return nil, plan, nil
	}
	if s.exports == nil {
		return nil, nil, Errorf(CodeConflict, "background exports are off in this process")
	}
	e := &Export{KitID: &k.ID, KitName: k.Name, Target: req.Target, State: ExportQueued, Total: len(plan.Files), Request: req}
	if err := s.store.CreateExport(ctx, e, s.exports.EnqueueExportTx); err != nil {
		return nil, nil, err
	}
	return e, plan, nil
}

// Export returns one export.
func (s *Service) Export(ctx context.Context, id int64) (*Export, error) {
	return s.store.Export(ctx, id)
}

// RunExport writes a queued export's ZIP, recording progress. A kit that changed into something
// that cannot be exported fails the export with the reasons.
func (s *Service) RunExport(ctx context.Context, id int64) error {
	e, err := s.store.Export(ctx, id)
	if err != nil {
		return err
	}
	if e.State == ExportDone {
		return nil
	}
	if e.KitID == nil {
		e.State, e.Error = ExportFailed, "the kit was deleted"
		return s.store.UpdateExport(ctx, e)
	}
	out := s.exportPath(id)
	_ = os.Remove(out) // a run cut short by a crash left a partial file of its own
	if err := os.MkdirAll(s.limits.ExportDir, 0o750); err != nil {
		return fmt.Errorf("export %d: %w", id, err)
	}
	e.State, e.Done = ExportRunning, 0
	if err := s.store.UpdateExport(ctx, e); err != nil {
		return err
	}
	ek, err := s.ExportKitModel(ctx, *e.KitID)
	if err == nil && e.Request.BPM != 0 {
		ek.BPM = e.Request.BPM
	}
	var res *export.PlanResult
	if err == nil {
		var mu sync.Mutex
		last := time.Now()
		res, err = export.Export(ctx, ek, e.Request.options(out), func(done, total int) {
			mu.Lock()
			defer mu.Unlock()
			if time.Since(last) < 250*time.Millisecond && done < total {
				return
			}
			last = time.Now()
			e.Done, e.Total = done, total
			if uerr := s.store.UpdateExport(ctx, e); uerr != nil {
				s.log.Warn("export progress", "export_id", id, "err", uerr)
			}
		})
	}
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err() // shutting down: stays running, re-queued at the next start
		}
		e.State, e.Error = ExportFailed, ErrorMessage(&Error{Code: CodeInvalid, Message: err.Error()})
		return s.store.UpdateExport(context.WithoutCancel(ctx), e)
	}
	e.State, e.Done, e.Files, e.TotalBytes, e.Skipped, e.Warnings = ExportDone, e.Total, res.Files, res.TotalBytes, res.Skipped, res.Warnings
	return s.store.UpdateExport(ctx, e)
}

// OpenExport opens a finished export's ZIP.
func (s *Service) OpenExport(ctx context.Context, id int64) (*Export, *os.File, error) {
	e, err := s.store.Export(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if e.State != ExportDone {
		return nil, nil, Errorf(CodeConflict, "export %d is %s, not done", id, e.State)
	}
	f, err := os.Open(s.exportPath(id))
	if err != nil {
		return nil, nil, Errorf(CodeNotFound, "the file of export %d is gone", id)
	}
	return e, f, nil
}
