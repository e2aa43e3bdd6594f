package jobs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/sp404agent/sp404agent/internal/library"
)

// Job kinds as stored in river_job.kind. A kind names work already in the database: never rename
// one while jobs of it may be queued.
const (
	KindAnalyzeSample = "analyze_sample"
	KindImportFolder  = "import_folder"
	KindExportKit     = "export_kit"
	KindVibe          = "vibe_analysis"
)

// Queues. Per-file work and whole-batch work run in separate queues so that a long folder import
// or kit export never takes the slots that analyses need, and the other way round.
const (
	QueueAnalysis = "analysis"
	QueueBatch    = "batch"
)

// unfinished lists the states in which a job for an id makes a second one redundant. River's
// default unique states also include completed, which would refuse a re-analysis requested after
// the first one finished; River requires available, pending, running and scheduled to be present
// (insert_opts.go, UniqueOpts.ByState) and retryable may be dropped or kept: it is kept so a
// sample waiting for its retry is not queued twice.
func unfinished() []rivertype.JobState {
	return []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRetryable,
		rivertype.JobStateRunning, rivertype.JobStateScheduled,
	}
}

func uniqueWhileUnfinished(queue string) river.InsertOpts {
	return river.InsertOpts{Queue: queue, UniqueOpts: river.UniqueOpts{ByArgs: true, ByState: unfinished()}}
}

// AnalyzeSampleArgs asks for one sample's audio analysis. At most one unfinished job exists per
// sample: enqueuing again while one is queued, waiting for a retry or running is a no-op.
type AnalyzeSampleArgs struct {
	SampleID int64 `json:"sample_id"`
	// Resume, when set, makes a new job for a sample whose analysis died with its process (see
	// ImportFolderArgs.Resume); analysing twice gives the same result.
	Resume int64 `json:"resume,omitempty"`
}

// Kind is KindAnalyzeSample.
func (AnalyzeSampleArgs) Kind() string { return KindAnalyzeSample }

// InsertOpts puts the job in QueueAnalysis, unique per sample while unfinished.
func (AnalyzeSampleArgs) InsertOpts() river.InsertOpts { return uniqueWhileUnfinished(QueueAnalysis) }

func (a AnalyzeSampleArgs) id() int64 { return a.SampleID }

// ImportFolderArgs asks for a folder import batch to be worked through.
type ImportFolderArgs struct {
	BatchID int64 `json:"batch_id"`
	// Resume, when set, makes a new job for a batch whose earlier job died with its process: the
	// dead job stays "running" until River's rescuer gives up on it (the batch timeout), and
	// RunBatch is safe to run again.
	Resume int64 `json:"resume,omitempty"`
}

// Kind is KindImportFolder.
func (ImportFolderArgs) Kind() string { return KindImportFolder }

// InsertOpts puts the job in QueueBatch, unique per batch while unfinished.
func (ImportFolderArgs) InsertOpts() river.InsertOpts { return uniqueWhileUnfinished(QueueBatch) }

func (a ImportFolderArgs) id() int64 { return a.BatchID }

// ExportKitArgs asks for a kit export to be built.
type ExportKitArgs struct {
	ExportID int64 `json:"export_id"`
}

// Kind is KindExportKit.
func (ExportKitArgs) Kind() string { return KindExportKit }

// InsertOpts puts the job in QueueBatch, unique per export while unfinished.
func (ExportKitArgs) InsertOpts() river.InsertOpts { return uniqueWhileUnfinished(QueueBatch) }

func (a ExportKitArgs) id() int64 { return a.ExportID }

// VibeArgs asks for a sample's vibe analysis.
type VibeArgs struct {
	SampleID int64 `json:"sample_id"`
}

// Kind is KindVibe.
func (VibeArgs) Kind() string { return KindVibe }

// InsertOpts puts the job in QueueAnalysis, unique per sample while unfinished.
func (VibeArgs) InsertOpts() river.InsertOpts { return uniqueWhileUnfinished(QueueAnalysis) }

func (a VibeArgs) id() int64 { return a.SampleID }

// FolderImporter works through a folder import batch (library.Service.RunBatch). River runs a job
// at least once, so a rescued batch runs again after a crash: RunBatch must skip what an earlier
// run finished (the library dedupes by content hash) and should insert each file's sample and its
// analysis job in one transaction.
type FolderImporter interface {
	RunBatch(ctx context.Context, batchID int64) error
}

// KitExporter builds a kit export (library.Service.RunExport). Like every job it may run again
// after a crash.
type KitExporter interface {
	RunExport(ctx context.Context, exportID int64) error
}

// VibeAnalyzer describes a sample's vibe (library.Service.RunVibe).
type VibeAnalyzer interface {
	RunVibe(ctx context.Context, sampleID int64) error
}

// AnalysisFailer records on a sample that its analysis was given up, with a message for the user.
// It is called when River stops trying: the last attempt failed (a timeout, say) or the analysis
// panicked. Permanent failures are recorded by the Analyzer itself.
type AnalysisFailer interface {
	FailAnalysis(ctx context.Context, sampleID int64, message string) error
}

// Handlers are what the workers call. A nil handler leaves its kind unregistered in this process:
// such jobs stay queued for a process that has it (Config.FetchOnlyKnownKinds).
type Handlers struct {
	Analyzer Analyzer       // KindAnalyzeSample
	Failer   AnalysisFailer // optional: records analyses River gave up on
	Importer FolderImporter // KindImportFolder
	Exporter KitExporter    // KindExportKit
	Vibe     VibeAnalyzer   // KindVibe
}

// ErrPermanent marks a failure that retrying cannot fix, such as a corrupt or unsupported file.
var ErrPermanent = errors.New("permanent failure")

// Permanent wraps err so that the job fails without retries. The cause stays reachable with
// errors.Is and errors.As.
func Permanent(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %w", ErrPermanent, err)
}

// IsPermanent reports whether err should not be retried: it wraps ErrPermanent, or an error in
// its chain has a Permanent() method that reports true, or it is a library error about the input
// (unsupported or invalid audio, too large, or a sample that no longer exists).
func IsPermanent(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, ErrPermanent) {
		return true
	}
	var p interface{ Permanent() bool }
	if errors.As(err, &p) && p.Permanent() {
		return true
	}
	switch library.ErrorCode(err) {
	case library.CodeUnsupported, library.CodeInvalid, library.CodeTooLarge, library.CodeNotFound:
		return true
	}
	return false
}

// classify turns a handler's error into what River should do with the job: a permanent failure
// becomes river.JobCancel (error.go: "this will ensure the job does not execute again", and the
// executor skips the ErrorHandler for it); an import that yielded its time slice is snoozed for
// no time; an error with RetryAfter() > 0 becomes river.JobSnooze,
// which reschedules without using up an attempt; anything else is returned as is and retried
// with the client's RetryPolicy until MaxAttempts, then discarded.
func classify(err error) error {
	if err == nil {
		return nil
	}
	if IsPermanent(err) {
		return river.JobCancel(err)
	}
	if errors.Is(err, library.ErrMoreToImport) {
		return river.JobSnooze(0) // again at once, without using up an attempt
	}
	var ra interface{ RetryAfter() time.Duration }
	if errors.As(err, &ra) && ra.RetryAfter() > 0 {
		return river.JobSnooze(ra.RetryAfter())
	}
	return err
}

// idArgs is a job whose whole argument is one row id.
type idArgs interface {
	river.JobArgs
	id() int64
}

// idWorker calls run with the job's id. River's executor recovers a panic in Work
// (internal/jobexecutor/job_executor.go, JobExecutor.execute) and hands it to the ErrorHandler,
// so a panic fails that job and the worker slot lives on.
type idWorker[T idArgs] struct {
	river.WorkerDefaults[T]
	run     func(ctx context.Context, id int64) error
	timeout time.Duration
	// background runs the job at a lower priority than the API (CPU-bound kinds).
	background bool
}

// Timeout bounds one attempt; River cancels the job's context when it passes (worker.go,
// Worker.Timeout), and its rescuer waits at least this long before treating a running job of this
// kind as stuck (internal/maintenance/job_rescuer.go, makeRetryDecision).
func (w *idWorker[T]) Timeout(*river.Job[T]) time.Duration { return w.timeout }

// Work runs the handler and classifies its error.
func (w *idWorker[T]) Work(ctx context.Context, job *river.Job[T]) error {
	run := func() error { return w.run(ctx, job.Args.id()) }
	if w.background {
		return classify(inBackground(run))
	}
	return classify(run())
}

// newWorkers registers a worker for each kind that has a handler.
func newWorkers(h Handlers, perJob, batch time.Duration) (*river.Workers, error) {
	ws := river.NewWorkers()
	var errs []error
	if h.Analyzer != nil {
		errs = append(errs, river.AddWorkerSafely(ws, &idWorker[AnalyzeSampleArgs]{run: h.Analyzer.AnalyzeSample, timeout: perJob, background: true}))
	}
	if h.Vibe != nil {
		errs = append(errs, river.AddWorkerSafely(ws, &idWorker[VibeArgs]{run: h.Vibe.RunVibe, timeout: perJob}))
	}
	if h.Importer != nil {
		errs = append(errs, river.AddWorkerSafely(ws, &idWorker[ImportFolderArgs]{run: h.Importer.RunBatch, timeout: batch, background: true}))
	}
	if h.Exporter != nil {
		errs = append(errs, river.AddWorkerSafely(ws, &idWorker[ExportKitArgs]{run: h.Exporter.RunExport, timeout: batch, background: true}))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("register workers: %w", err)
	}
	return ws, nil
}

// errorHandler logs failed attempts River will not retry and records given-up analyses on the
// sample. River calls it for every errored or panicked attempt except explicit cancels and
// shutdown interruptions (job_executor.go, reportError).
type errorHandler struct {
	log    *slog.Logger
	failer AnalysisFailer
}

// HandleError lets River retry until the last attempt; then it records the failure.
func (h *errorHandler) HandleError(ctx context.Context, job *rivertype.JobRow, err error) *river.ErrorHandlerResult {
	if job.Attempt < job.MaxAttempts {
		return nil // River logs the attempt and schedules the retry
	}
	h.log.Warn("job failed for good", "job_id", job.ID, "kind", job.Kind, "attempts", job.Attempt, "err", err)
	msg := fmt.Sprintf("analysis failed after %d attempts: %v", job.Attempt, err)
	if errors.Is(err, context.DeadlineExceeded) {
		msg = fmt.Sprintf("analysis did not finish in time (tried %d times)", job.Attempt)
	}
	h.giveUp(ctx, job, msg)
	return nil
}

// HandlePanic cancels the job: a panic is a bug that the same input triggers again, so retrying
// only repeats it.
func (h *errorHandler) HandlePanic(ctx context.Context, job *rivertype.JobRow, panicVal any, trace string) *river.ErrorHandlerResult {
	h.log.Error("job panicked", "job_id", job.ID, "kind", job.Kind, "panic", fmt.Sprint(panicVal), "stack", trace)
	h.giveUp(ctx, job, "analysis crashed on this file (an internal error, logged on the server)")
	return &river.ErrorHandlerResult{SetCancelled: true}
}

func (h *errorHandler) giveUp(ctx context.Context, job *rivertype.JobRow, msg string) {
	if h.failer == nil || job.Kind != KindAnalyzeSample {
		return
	}
	var args AnalyzeSampleArgs
	if err := json.Unmarshal(job.EncodedArgs, &args); err != nil {
		h.log.Error("decode job args", "job_id", job.ID, "kind", job.Kind, "err", err)
		return
	}
	// The job's own context may be the one that timed out or is shutting down.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := h.failer.FailAnalysis(ctx, args.SampleID, msg); err != nil {
		h.log.Error("record failed analysis", "sample_id", args.SampleID, "err", err)
	}
}
