package library

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/sp404agent/sp404agent/internal/audio"
	"github.com/sp404agent/sp404agent/internal/events"
)

// Batch states.
const (
	BatchQueued    = "queued"
	BatchScanning  = "scanning"
	BatchRunning   = "running"
	BatchDone      = "done"
	BatchCancelled = "cancelled"
	BatchFailed    = "failed"
)

// Batch item states.
const (
	ItemPending   = "pending"
	ItemAdded     = "added"
	ItemDuplicate = "duplicate"
	ItemFailed    = "failed"
	ItemSkipped   = "skipped"
)

// BatchInput starts a folder import.
type BatchInput struct {
	Path            string   `json:"path" minLength:"1" maxLength:"4096" doc:"A folder inside one of the import roots (IMPORT_ROOTS)"`
	Tags            []string `json:"tags,omitempty" maxItems:"64"`
	TagsFromFolders bool     `json:"tags_from_folders,omitempty" doc:"Tag each sample with the names of its folders below the imported one"`
}

// BatchItem is one file of a batch.
type BatchItem struct {
	Path     string `json:"path" doc:"Relative to the imported folder"`
	State    string `json:"state" enum:"pending,added,duplicate,failed,skipped"`
	SampleID *int64 `json:"sample_id,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// Batch is a folder import and where it is.
type Batch struct {
	ID              int64       `json:"id"`
	Root            string      `json:"path"`
	Tags            []string    `json:"tags"`
	TagsFromFolders bool        `json:"tags_from_folders"`
	State           string      `json:"state" enum:"queued,scanning,running,done,cancelled,failed"`
	Total           int         `json:"total" doc:"Files found"`
	Done            int         `json:"done" doc:"Files processed (added, duplicate, failed or skipped)"`
	Added           int         `json:"added"`
	Duplicates      int         `json:"duplicates"`
	Failed          int         `json:"failed"`
	Skipped         int         `json:"skipped"`
	Rate            float64     `json:"rate" doc:"Files per second since the start"`
	ETASeconds      *float64    `json:"eta_seconds"`
	Failures        []BatchItem `json:"failures" doc:"Failed and skipped files with reasons (at most 100)"`
	Error           string      `json:"error,omitempty"`
	CreatedAt       time.Time   `json:"created_at"`
	StartedAt       *time.Time  `json:"started_at"`
	FinishedAt      *time.Time  `json:"finished_at"`
	UpdatedAt       time.Time   `json:"updated_at"`
}

// Finished reports whether the batch has stopped.
func (b *Batch) Finished() bool {
	return b.State == BatchDone || b.State == BatchCancelled || b.State == BatchFailed
}

// BatchProgress is what batch sockets send as progress (design.md §6).
type BatchProgress struct {
	Total      int      `json:"total"`
	Done       int      `json:"done"`
	Failed     int      `json:"failed"`
	Current    string   `json:"current"`
	ETASeconds *float64 `json:"eta_seconds"`
	Rate       float64  `json:"rate"`
	State      string   `json:"state"`
}

// Progress is the batch's progress message.
func (b *Batch) Progress(current string) BatchProgress {
	return BatchProgress{Total: b.Total, Done: b.Done, Failed: b.Failed, Current: current, ETASeconds: b.ETASeconds, Rate: b.Rate, State: b.State}
}

// BatchStore persists batches.
type BatchStore interface {
	// CreateBatch records b and inserts its job by then (when not nil), together.
	CreateBatch(ctx context.Context, b *Batch, then EnqueueTx) error
	Batch(ctx context.Context, id int64) (*Batch, error)
	Batches(ctx context.Context, page, limit int) ([]Batch, int, error)
	SetBatchState(ctx context.Context, id int64, state, errText string) error
	AddBatchItems(ctx context.Context, id int64, paths []string) error
	PendingBatchItems(ctx context.Context, id int64, limit int) ([]string, error)
	SetBatchItem(ctx context.Context, id int64, item BatchItem) error
	// RetryBatchItems makes a batch's failed files pending again, sets it running and inserts its
	// job by then, all together; it changes nothing and returns 0 when no file had failed.
	RetryBatchItems(ctx context.Context, id int64, then EnqueueTx) (int, error)
	BatchIDsInState(ctx context.Context, states ...string) ([]int64, error)
}

// BatchQueue runs folder imports in the background.
type BatchQueue interface {
	EnqueueBatchTx(ctx context.Context, tx *sql.Tx, id int64) error
}

// ErrMoreToImport is what a queued run of a folder import returns when its time slice
// (Limits.BatchSlice) ran out with files left: the queue runs it again at once. Short runs let a
// run lost with its process be taken over after the queue's per-job timeout, not after hours.
var ErrMoreToImport = errors.New("the import has more files: run it again")

// BatchTopic is the events topic of a batch's progress.
func BatchTopic(id int64) string { return fmt.Sprintf("batch:%d", id) }

// batchRuns holds the cancel functions of the imports running in this process.
type batchRuns struct {
	mu     sync.Mutex
	cancel map[int64]context.CancelFunc
}

// resolveImportPath checks that path names a folder inside one of the import roots, following
// symlinks, and returns it cleaned and absolute.
func (s *Service) resolveImportPath(path string) (string, error) {
	if strings.ContainsRune(path, 0) {
		return "", Errorf(CodeInvalid, "path is not valid")
	}
	abs, err := filepath.Abs(filepath.Clean(path))
	if err != nil {
		return "", Errorf(CodeInvalid, "path is not valid")
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", Errorf(CodeNotFound, "folder %q does not exist", path)
	}
	info, err := os.Stat(real)
	if err != nil || !info.IsDir() {
		return "", Errorf(CodeInvalid, "%q is not a folder", path)
	}
	for _, root := range s.limits.ImportRoots {
		r, err := filepath.Abs(root)
		if err != nil {
			continue
		}
		if rr, err := filepath.EvalSymlinks(r); err == nil {
			r = rr
		}
		if within(real, r) {
			return real, nil
		}
	}
	return "", Errorf(CodeInvalid, "%q is outside the import roots (IMPORT_ROOTS: %s)", path, strings.Join(s.limits.ImportRoots, ", "))
}

// within reports whether path is root or below it.
func within(path, root string) bool {
	rel, err := filepath.Rel(root, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// batchJobTx inserts a batch's job, or is nil where batches run in the foreground (the import
// command runs them itself).
func (s *Service) batchJobTx() EnqueueTx {
	if s.batches == nil {
		return nil
	}
	return s.batches.EnqueueBatchTx
}

// CreateBatch validates a folder import and queues it.
func (s *Service) CreateBatch(ctx context.Context, in BatchInput) (*Batch, error) {
	root, err := s.resolveImportPath(in.Path)
	if err != nil {
		return nil, err
	}
	tags, err := NormalizeTags(in.Tags)
	if err != nil {
		return nil, err
	}
	b := &Batch{Root: root, Tags: tags, TagsFromFolders: in.TagsFromFolders, State: BatchQueued}
	if err := s.store.CreateBatch(ctx, b, s.batchJobTx()); err != nil {
		return nil, err
	}
	return s.store.Batch(ctx, b.ID)
}

// Batch returns one batch with its counts.
func (s *Service) Batch(ctx context.Context, id int64) (*Batch, error) { return s.store.Batch(ctx, id) }

// Batches lists batches, newest first.
func (s *Service) Batches(ctx context.Context, page, limit int) (Page[Batch], error) {
	if page < 1 || limit < 1 || limit > MaxPageLimit {
		return Page[Batch]{}, Errorf(CodeInvalid, "page must be ≥ 1 and limit between 1 and %d", MaxPageLimit)
	}
	items, total, err := s.store.Batches(ctx, page, limit)
	if items == nil {
		items = []Batch{}
	}
	return Page[Batch]{Items: items, Total: total, Page: page, Limit: limit}, err
}

// CancelBatch stops an import: no file is started after it; files already added stay.
func (s *Service) CancelBatch(ctx context.Context, id int64) (*Batch, error) {
	b, err := s.store.Batch(ctx, id)
	if err != nil {
		return nil, err
	}
	if b.Finished() {
		return nil, Errorf(CodeConflict, "batch %d is already %s", id, b.State)
	}
	if err := s.store.SetBatchState(ctx, id, BatchCancelled, ""); err != nil {
		return nil, err
	}
	s.runs.mu.Lock()
	if cancel := s.runs.cancel[id]; cancel != nil {
		cancel()
	}
	s.runs.mu.Unlock()
	b, err = s.store.Batch(ctx, id)
	if err == nil && s.events != nil {
		s.events.Publish(BatchTopic(id), events.Event{Type: "progress", Data: b.Progress("")})
		s.events.Publish(BatchTopic(id), events.Event{Type: "complete"})
	}
	return b, err
}

// RetryBatch runs the failed files of a finished batch again.
func (s *Service) RetryBatch(ctx context.Context, id int64) (*Batch, error) {
	b, err := s.store.Batch(ctx, id)
	if err != nil {
		return nil, err
	}
	if !b.Finished() {
		return nil, Errorf(CodeConflict, "batch %d is still %s", id, b.State)
	}
	n, err := s.store.RetryBatchItems(ctx, id, s.batchJobTx())
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, Errorf(CodeConflict, "batch %d has no failed files to retry", id)
	}
	return s.store.Batch(ctx, id)
}

// RunBatch imports a batch's folder: it lists the files (once), then adds each pending one. It is
// safe to run again after a crash: listed files are not listed twice and added ones are skipped.
// Where batches are queue jobs it stops after Limits.BatchSlice with ErrMoreToImport.
func (s *Service) RunBatch(ctx context.Context, id int64) error {
	var deadline time.Time
	if s.batches != nil {
		deadline = time.Now().Add(s.limits.BatchSlice)
	}
	b, err := s.store.Batch(ctx, id)
	if err != nil {
		return err
	}
	if b.Finished() {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	s.runs.mu.Lock()
	if s.runs.cancel == nil {
		s.runs.cancel = map[int64]context.CancelFunc{}
	}
	if s.runs.cancel[id] != nil {
		// Already running in this process (a resumed job and a rescued one can meet).
		s.runs.mu.Unlock()
		cancel()
		return nil
	}
	s.runs.cancel[id] = cancel
	s.runs.mu.Unlock()
	defer func() {
		cancel()
		s.runs.mu.Lock()
		delete(s.runs.cancel, id)
		s.runs.mu.Unlock()
	}()

	if b.State == BatchQueued || b.State == BatchScanning {
		if err := s.store.SetBatchState(ctx, id, BatchScanning, ""); err != nil {
			return err
		}
		if err := s.scanBatch(ctx, b); err != nil {
			if ctx.Err() != nil {
				return nil // cancelled
			}
			_ = s.store.SetBatchState(context.WithoutCancel(ctx), id, BatchFailed, err.Error())
			return err
		}
		if err := s.store.SetBatchState(ctx, id, BatchRunning, ""); err != nil {
			return err
		}
	}
	last := time.Time{}
	publish := func(current string, force bool) {
		if s.events == nil || (!force && time.Since(last) < 100*time.Millisecond) {
			return
		}
		last = time.Now()
		if cur, err := s.store.Batch(ctx, id); err == nil {
			s.events.Publish(BatchTopic(id), events.Event{Type: "progress", Data: cur.Progress(current)})
		}
	}
	for {
		// Another process may have cancelled it.
		if cur, err := s.store.Batch(ctx, id); err == nil && cur.State == BatchCancelled {
			return nil
		}
		paths, err := s.store.PendingBatchItems(ctx, id, 200)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		if len(paths) == 0 {
			break
		}
		for _, rel := range paths {
			if ctx.Err() != nil {
				return nil // cancelled or shutting down: pending items resume next time
			}
			if !deadline.IsZero() && time.Now().After(deadline) {
				publish("", true)
				return ErrMoreToImport
			}
			publish(rel, false)
			item := s.importFile(ctx, b, rel)
			if ctx.Err() != nil && item.State == ItemFailed {
				return nil
			}
			if err := s.store.SetBatchItem(ctx, id, item); err != nil {
				return err
			}
		}
	}
	if err := s.store.SetBatchState(ctx, id, BatchDone, ""); err != nil {
		return err
	}
	publish("", true)
	if s.events != nil {
		s.events.Publish(BatchTopic(id), events.Event{Type: "complete"})
	}
	return nil
}

// scanBatch lists the batch's files (regular files and symlinks that stay inside the folder).
func (s *Service) scanBatch(ctx context.Context, b *Batch) error {
	var chunk []string
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		err := s.store.AddBatchItems(ctx, b.ID, chunk)
		chunk = chunk[:0]
		return err
	}
	err := filepath.WalkDir(b.Root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // an unreadable folder is skipped, not fatal
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		name := d.Name()
		if d.IsDir() {
			if path != b.Root && strings.HasPrefix(name, ".") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasPrefix(name, ".") || (!d.Type().IsRegular() && d.Type()&fs.ModeSymlink == 0) {
			return nil
		}
		rel, err := filepath.Rel(b.Root, path)
		if err != nil {
			return nil
		}
		chunk = append(chunk, filepath.ToSlash(rel))
		if len(chunk) >= 500 {
			return flush()
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("scan %s: %w", b.Root, err)
	}
	return flush()
}

// importFile adds one file of a batch and says what became of it.
func (s *Service) importFile(ctx context.Context, b *Batch, rel string) BatchItem {
	item := BatchItem{Path: rel, State: ItemFailed}
	path := filepath.Join(b.Root, filepath.FromSlash(rel))
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		item.Reason = "the file is gone"
		return item
	}
	if !within(real, b.Root) {
		item.State, item.Reason = ItemSkipped, "a symlink that leads outside the imported folder"
		return item
	}
	f, err := os.Open(real)
	if err != nil {
		item.Reason = "cannot open: " + errors.Unwrap(err).Error()
		return item
	}
	defer f.Close()
	head := make([]byte, audio.DetectHeaderSize)
	n, _ := io.ReadFull(f, head)
	if _, err := audio.Detect(head[:n]); err != nil {
		item.State, item.Reason = ItemSkipped, "not audio (WAV, AIFF, MP3, FLAC or Ogg Vorbis)"
		return item
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		item.Reason = err.Error()
		return item
	}
	tags := slices.Clone(b.Tags)
	if b.TagsFromFolders {
		for _, dir := range strings.Split(filepath.ToSlash(filepath.Dir(rel)), "/") {
			if t, err := NormalizeTags([]string{dir}); err == nil && dir != "." {
				tags = append(tags, t...)
			}
		}
	}
	u, err := s.StageUpload(ctx, filepath.Base(rel), f)
	if err != nil {
		item.Reason = ErrorMessage(err)
		if ErrorCode(err) == CodeUnsupported {
			item.State = ItemSkipped
		}
		return item
	}
	added, err := s.AddUploads(ctx, []*Upload{u}, tags)
	if err != nil {
		item.Reason = ErrorMessage(err)
		return item
	}
	id := added[0].ID
	item.SampleID = &id
	item.State = ItemAdded
	if added[0].Duplicate {
		item.State = ItemDuplicate
	}
	return item
}
