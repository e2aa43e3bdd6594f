package library

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"github.com/sp404agent/sp404agent/internal/analysis"
	"github.com/sp404agent/sp404agent/internal/audio"
	"github.com/sp404agent/sp404agent/internal/events"
)

// Store persists the library. store.Store implements it on SQLite and PostgreSQL.
type Store interface {
	CollectionStore
	KitStore
	VectorStore
	FingerprintStore
	ExportStore
	VibeStore
	BatchStore

	// InsertSample adds s unless a sample with the same content hash exists; then it loads that
	// one into s and reports existing = true. A new sample's analysis job is inserted by then
	// (when not nil) in the same transaction.
	InsertSample(ctx context.Context, s *Sample, then EnqueueTx) (existing bool, err error)
	Sample(ctx context.Context, id int64) (*Sample, error)
	Samples(ctx context.Context, f SampleFilter) ([]Sample, int, error)
	UpdateSample(ctx context.Context, id int64, p SamplePatch) (*Sample, error)
	// DeleteSample removes a sample and returns the removed rows, the sample first. A sample
	// with slices is a conflict unless withSlices is set; then its slices go in the same
	// transaction.
	DeleteSample(ctx context.Context, id int64, withSlices bool) ([]Sample, error)
	// UnusedBlobs returns those of keys that no sample refers to any more.
	UnusedBlobs(ctx context.Context, keys []string) ([]string, error)
	// InsertSlices writes slices of one original (each new one unless a sample with its content
	// hash exists, which is reused), puts slice i on pads[i] and runs then for each new slice,
	// all in one transaction. It fills in the slices' ids and returns those of the new ones.
	InsertSlices(ctx context.Context, kitID int64, slices []*Sample, pads []Pad, then EnqueueTx) (created []int64, err error)
	// SetAnalysisState records where a sample's analysis is, with the error text of a failure.
	SetAnalysisState(ctx context.Context, id int64, state AnalysisState, errText string) error
	// StartAnalysis marks a sample analyzing and returns what reading its audio needs.
	StartAnalysis(ctx context.Context, id int64) (AnalysisSource, error)
	// RequeueAnalysis marks a sample pending and inserts its analysis job by then, together.
	RequeueAnalysis(ctx context.Context, id int64, then EnqueueTx) error
	// SaveAnalysis stores an analysis; then (when not nil) inserts a follow-up job with it.
	SaveAnalysis(ctx context.Context, id int64, a *Analysis, then EnqueueTx) error
	SamplePeaks(ctx context.Context, id int64) (*analysis.Peaks, error)
	SampleOnsets(ctx context.Context, id int64) ([]float64, error)
	CoarsePeaks(ctx context.Context, ids []int64) (map[int64][]int8, error)
	SampleIDsInState(ctx context.Context, states ...AnalysisState) ([]int64, error)
	BulkEdit(ctx context.Context, b BulkEdit) error
	// Storage counts the samples and the stored files with their bytes.
	Storage(ctx context.Context) (StorageStats, error)
	Ping(ctx context.Context) error
}

// StorageStats is how much the library holds. A file is stored once however many samples use it
// (a chop's slices share their original's file), so Files and Bytes count each file once.
type StorageStats struct {
	Samples int   `json:"samples"`
	Files   int   `json:"files"`
	Bytes   int64 `json:"bytes" doc:"Bytes of the stored sample files"`
}

// AnalysisSource is where a sample's audio is: its name (a hint for the analysis), its stored
// file and, for a slice, the region of that file it plays.
type AnalysisSource struct {
	Name                   string
	BlobKey                string
	RegionStart, RegionEnd int64 // frames of the decoded file; RegionEnd 0 = the whole file
}

// Staged is an uploaded file held aside until the whole request has been checked.
type Staged interface {
	Hash() string                     // hex SHA-256 of the content
	Size() int64                      // bytes
	Head() []byte                     // the first bytes, for sniffing the format
	Open() (io.ReadSeekCloser, error) // reads the staged content back
	Commit(ctx context.Context) (key string, err error)
	Discard() error
}

// BlobFile is an open stored file.
type BlobFile interface {
	io.ReadSeekCloser
	io.ReaderAt
	Size() int64
	ModTime() time.Time
}

// Blobs keeps sample files, keyed by content hash.
type Blobs interface {
	// Stage copies r aside, hashing it; more than maxBytes fails with CodeTooLarge.
	Stage(ctx context.Context, r io.Reader, maxBytes int64) (Staged, error)
	Open(ctx context.Context, key string) (BlobFile, error)
	Delete(ctx context.Context, key string) error
}

// EnqueueTx inserts a background job for the row with the given id inside the store transaction
// that writes that row, so a crash can leave neither a row waiting for a job that was never
// queued nor a job for a row that was never written.
type EnqueueTx func(ctx context.Context, tx *sql.Tx, id int64) error

// Queue schedules sample analyses.
type Queue interface {
	EnqueueAnalysis(ctx context.Context, sampleID int64) error
}

// TxQueue is a Queue whose jobs live in the library's database (River), so they can be inserted
// in the transaction that writes their row. A queue that is not one (the in-process pool of the
// import command) is told after the commit, and the pending state in the database is its record.
type TxQueue interface {
	EnqueueAnalysisTx(ctx context.Context, tx *sql.Tx, sampleID int64) error
}

// VibeQueue is a queue that also runs vibe analyses (for auto-vibe).
type VibeQueue interface {
	EnqueueVibeTx(ctx context.Context, tx *sql.Tx, sampleID int64) error
}

// Analysis is what decoding and analysing a sample learns about it.
type Analysis struct {
	Format     audio.Format
	SampleRate int
	Channels   int
	BitDepth   int
	Frames     int64
	DurationS  float64
	Features   *analysis.Features
	// AudioHash and Fingerprint find duplicates (analysis.AudioHash, analysis.Fingerprint).
	AudioHash   string
	Fingerprint []float32
}

// Service is the library's use cases over its store, blobs and queue.
type Service struct {
	store   Store
	blobs   Blobs
	queue   Queue
	log     *slog.Logger
	limits  Limits
	similar *SimilarityIndex
	exports ExportQueue
	batches BatchQueue
	vibe    VibeSetup
	events  *events.Broker
	runs    batchRuns
}

// Limits bound what one request may bring.
type Limits struct {
	MaxFileBytes    int64    // per uploaded file
	MaxFiles        int      // per upload request
	MaxDecodeFrames int64    // refuse to decode longer audio (memory guard)
	ExportDir       string   // where export ZIPs are written
	ImportRoots     []string // folders server-side imports may read
	// BatchSlice is how long one queued run of a folder import works before it yields with
	// ErrMoreToImport, so no run outlives the queue's per-job timeout.
	BatchSlice time.Duration
}

// DefaultLimits are used for zero fields.
var DefaultLimits = Limits{MaxFileBytes: 200 << 20, MaxFiles: 100, MaxDecodeFrames: audio.DefaultMaxFrames, BatchSlice: time.Minute}

// NewService builds the service. queue may be nil: then nothing is analysed in the background.
func NewService(store Store, blobs Blobs, queue Queue, log *slog.Logger, limits Limits) *Service {
	if limits.MaxFileBytes == 0 {
		limits.MaxFileBytes = DefaultLimits.MaxFileBytes
	}
	if limits.MaxFiles == 0 {
		limits.MaxFiles = DefaultLimits.MaxFiles
	}
	if limits.MaxDecodeFrames == 0 {
		limits.MaxDecodeFrames = DefaultLimits.MaxDecodeFrames
	}
	if limits.BatchSlice == 0 {
		limits.BatchSlice = DefaultLimits.BatchSlice
	}
	return &Service{store: store, blobs: blobs, queue: queue, log: log, limits: limits, similar: NewSimilarityIndex()}
}

// Limits returns the service's limits.
func (s *Service) Limits() Limits { return s.limits }

// SetQueue connects the background queues (built after the service, since workers call back
// into it).
func (s *Service) SetQueue(q Queue, e ExportQueue, b BatchQueue) {
	s.queue, s.exports, s.batches = q, e, b
}

// SetEvents connects the broker that carries progress to sockets.
func (s *Service) SetEvents(b *events.Broker) { s.events = b }

// Ping checks the database.
func (s *Service) Ping(ctx context.Context) error { return s.store.Ping(ctx) }

// Sample returns one sample.
func (s *Service) Sample(ctx context.Context, id int64) (*Sample, error) {
	return s.store.Sample(ctx, id)
}

// Samples lists samples.
func (s *Service) Samples(ctx context.Context, f SampleFilter) (Page[Sample], error) {
	if err := f.Validate(); err != nil {
		return Page[Sample]{}, err
	}
	items, total, err := s.store.Samples(ctx, f)
	if err != nil {
		return Page[Sample]{}, err
	}
	if items == nil {
		items = []Sample{}
	}
	return Page[Sample]{Items: items, Total: total, Page: f.Page, Limit: f.Limit}, nil
}

// UpdateSample applies a patch.
func (s *Service) UpdateSample(ctx context.Context, id int64, p SamplePatch) (*Sample, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if p.Empty() {
		return s.store.Sample(ctx, id)
	}
	return s.store.UpdateSample(ctx, id, p)
}

// DeleteSample removes a sample, and its file when no other sample reads it. A sample on a kit's
// pads, or an original with slices, is a conflict unless force is set; then its pads, its slices
// and their pads go too.
func (s *Service) DeleteSample(ctx context.Context, id int64, force bool) error {
	if !force {
		uses, err := s.store.SampleUses(ctx, id)
		if err != nil {
			return err
		}
		if len(uses) > 0 {
			names := make([]string, 0, len(uses))
			for _, u := range uses {
				names = append(names, fmt.Sprintf("%s %s%d", u.KitName, u.Bank, u.Pad))
			}
			return Errorf(CodeConflict, "sample %d is on %d pad(s) (%s); delete with force=true to clear them too",
				id, len(uses), strings.Join(names, ", "))
		}
	}
	removed, err := s.store.DeleteSample(ctx, id, force)
	if err != nil {
		return err
	}
	s.dropFiles(ctx, removed)
	return nil
}

// dropFiles forgets removed samples and deletes the stored files no remaining sample reads (a
// slice shares its original's file). The rows are gone, so the samples are deleted for the user
// even if removing a file fails; a leftover file is only wasted space.
func (s *Service) dropFiles(ctx context.Context, removed []Sample) {
	keys := make([]string, 0, len(removed))
	for _, smp := range removed {
		s.similar.Delete(smp.ID)
		if !slices.Contains(keys, smp.BlobKey) {
			keys = append(keys, smp.BlobKey)
		}
	}
	unused, err := s.store.UnusedBlobs(ctx, keys)
	if err != nil {
		s.log.Warn("check sample files in use", "err", err)
		return
	}
	for _, key := range unused {
		if err := s.blobs.Delete(ctx, key); err != nil {
			s.log.Warn("delete sample file", "blob_key", key, "err", err)
		}
	}
}

// OpenAudio opens the audio a sample plays, in the format AudioFormat names: its stored file, or
// for a slice its region of the original's file as WAV (SliceWAV).
func (s *Service) OpenAudio(ctx context.Context, id int64) (*Sample, BlobFile, error) {
	smp, err := s.store.Sample(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if smp.IsSlice() {
		wav, err := s.sliceWAV(ctx, smp)
		if err != nil {
			return nil, nil, err
		}
		return smp, memFile{Reader: bytes.NewReader(wav), mod: smp.CreatedAt}, nil
	}
	f, err := s.blobs.Open(ctx, smp.BlobKey)
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", smp, err)
	}
	return smp, f, nil
}

// AudioFormat is the format of what OpenAudio reads for the sample: its own, or WAV for a slice.
func AudioFormat(smp *Sample) string {
	if smp.IsSlice() {
		return string(audio.FormatWAV)
	}
	return smp.Format
}

// memFile is audio made in memory, served like a stored file.
type memFile struct {
	*bytes.Reader
	mod time.Time
}

func (memFile) Close() error         { return nil }
func (f memFile) ModTime() time.Time { return f.mod }

// PlayableWAV decodes the audio a sample plays and returns it as WAV, for browsers that cannot
// play its own container (Chromium and AIFF): 24-bit, or for a slice as SliceWAV makes it. The
// decoder's frame limit bounds the memory.
func (s *Service) PlayableWAV(ctx context.Context, id int64) (*Sample, []byte, error) {
	smp, err := s.store.Sample(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if smp.IsSlice() {
		wav, err := s.sliceWAV(ctx, smp)
		return smp, wav, err
	}
	buf, _, err := s.decodeSample(ctx, smp)
	if err != nil {
		return nil, nil, err
	}
	var out bytes.Buffer
	if err := audio.EncodeWAV(&out, buf, audio.PCM24); err != nil {
		return nil, nil, fmt.Errorf("encode %s as WAV: %w", smp, err)
	}
	return smp, out.Bytes(), nil
}

// sliceWAV is a slice's region of its original as WAV, at a depth that keeps the decoded samples
// exactly: 16 or 24 bits for integer sources up to that depth, else 32-bit float (lossy codecs
// and float files).
func (s *Service) sliceWAV(ctx context.Context, smp *Sample) ([]byte, error) {
	buf, md, err := s.decodeSample(ctx, smp)
	if err != nil {
		return nil, err
	}
	enc := audio.Float32
	switch {
	case md.Float || md.BitDepth == 0 || md.BitDepth > 24:
	case md.BitDepth <= 16:
		enc = audio.PCM16
	default:
		enc = audio.PCM24
	}
	var out bytes.Buffer
	if err := audio.EncodeWAV(&out, buf, enc); err != nil {
		return nil, fmt.Errorf("encode %s as WAV: %w", smp, err)
	}
	return out.Bytes(), nil
}

// decodeSample decodes the audio a sample plays: its stored file, or a slice's region of it.
func (s *Service) decodeSample(ctx context.Context, smp *Sample) (*audio.Buffer, audio.Metadata, error) {
	f, err := s.blobs.Open(ctx, smp.BlobKey)
	if err != nil {
		return nil, audio.Metadata{}, fmt.Errorf("open %s: %w", smp, err)
	}
	defer f.Close()
	buf, md, err := audio.Decoder{MaxFrames: s.limits.MaxDecodeFrames}.Decode(f)
	if err != nil {
		return nil, md, &Error{Code: CodeUnsupported, Message: "cannot decode audio: " + err.Error(), Err: err}
	}
	start, end := smp.Region()
	buf, err = cutRegion(buf, start, end)
	return buf, md, err
}

// cutRegion returns frames [start, end) of buf (the whole buffer when end is 0).
func cutRegion(buf *audio.Buffer, start, end int64) (*audio.Buffer, error) {
	if end == 0 {
		return buf, nil
	}
	region, err := buf.Region(start, end)
	if err != nil {
		return nil, &Error{Code: CodeConflict, Message: "the slice does not fit its original: " + err.Error(), Err: err}
	}
	return region, nil
}

// Peaks returns a sample's waveform peaks; CodeConflict until it is analysed.
func (s *Service) Peaks(ctx context.Context, id int64) (*analysis.Peaks, error) {
	p, err := s.store.SamplePeaks(ctx, id)
	if err != nil {
		return nil, err
	}
	if p == nil {
		return nil, Errorf(CodeConflict, "sample %d has not been analysed yet", id)
	}
	return p, nil
}

// CoarseWaveform is a sample's small waveform for list rows.
type CoarseWaveform struct {
	ID     int64  `json:"id"`
	Coarse []int8 `json:"coarse" doc:"min,max pairs of 64 buckets, scaled to ±127"`
}

// MaxWaveformIDs bounds one batch of list waveforms.
const MaxWaveformIDs = 200

// CoarseWaveforms returns the list waveforms of many samples at once (those analysed; others
// are left out).
func (s *Service) CoarseWaveforms(ctx context.Context, ids []int64) ([]CoarseWaveform, error) {
	if len(ids) == 0 || len(ids) > MaxWaveformIDs {
		return nil, Errorf(CodeInvalid, "give 1 to %d sample ids", MaxWaveformIDs)
	}
	m, err := s.store.CoarsePeaks(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]CoarseWaveform, 0, len(m))
	for _, id := range ids {
		if c, ok := m[id]; ok {
			out = append(out, CoarseWaveform{ID: id, Coarse: c})
			delete(m, id) // an id given twice is answered once
		}
	}
	return out, nil
}

// ReanalyzeSample queues a fresh analysis of a stored sample.
func (s *Service) ReanalyzeSample(ctx context.Context, id int64) (*Sample, error) {
	if s.queue == nil {
		return nil, Errorf(CodeConflict, "background analysis is off (WORKERS=0 and no worker attached)")
	}
	if _, err := s.store.Sample(ctx, id); err != nil {
		return nil, err
	}
	if err := s.store.RequeueAnalysis(ctx, id, s.analysisJobTx()); err != nil {
		return nil, err
	}
	if err := s.enqueueAnalysisAfter(ctx, id); err != nil {
		return nil, fmt.Errorf("enqueue analysis of sample %d: %w", id, err)
	}
	return s.store.Sample(ctx, id)
}

// AnalyzeSample decodes and analyses a stored sample and saves the result. A file that cannot be
// decoded is a permanent failure, recorded on the sample; the returned error says so.
func (s *Service) AnalyzeSample(ctx context.Context, id int64) error {
	src, err := s.store.StartAnalysis(ctx, id)
	if err != nil {
		return err
	}
	f, err := s.blobs.Open(ctx, src.BlobKey)
	if err != nil {
		// Possibly transient (the queue retries); FailAnalysis records it if it gives up.
		_ = s.store.SetAnalysisState(context.WithoutCancel(ctx), id, StatePending, "")
		return fmt.Errorf("open sample %d: %w", id, err)
	}
	defer f.Close()
	res, err := s.analyze(ctx, f, src.Name, src.RegionStart, src.RegionEnd)
	if err != nil {
		if ctx.Err() != nil {
			// Cancelled (shutdown or timeout): pending again, so the queue's retry finds it so.
			_ = s.store.SetAnalysisState(context.WithoutCancel(ctx), id, StatePending, "")
			return ctx.Err()
		}
		if ErrorCode(err) == CodeInternal {
			// Possibly transient: the queue retries, and FailAnalysis records it if it gives up.
			_ = s.store.SetAnalysisState(ctx, id, StatePending, "")
			return err
		}
		// A file we cannot read will not get better: record why, and do not retry.
		if serr := s.store.SetAnalysisState(ctx, id, StateFailed, ErrorMessage(err)); serr != nil {
			return errors.Join(err, serr)
		}
		return err
	}
	var vibeJob EnqueueTx
	if vq, ok := s.queue.(VibeQueue); ok && s.vibe.Analyzer != nil {
		if prefs, err := s.Preferences(ctx); err == nil && prefs.AutoVibe {
			vibeJob = vq.EnqueueVibeTx
		}
	}
	if err := s.store.SaveAnalysis(ctx, id, res, vibeJob); err != nil {
		return err
	}
	s.similar.Put(id, res.Features.Similarity)
	return nil
}

// analysisJobTx is how an analysis job joins the store's transaction, or nil when the queue
// cannot (then enqueueAnalysisAfter tells it after the commit).
func (s *Service) analysisJobTx() EnqueueTx {
	if q, ok := s.queue.(TxQueue); ok {
		return q.EnqueueAnalysisTx
	}
	return nil
}

// enqueueAnalysisAfter tells a queue outside the database about a sample committed as pending.
func (s *Service) enqueueAnalysisAfter(ctx context.Context, id int64) error {
	if _, ok := s.queue.(TxQueue); ok || s.queue == nil {
		return nil
	}
	return s.queue.EnqueueAnalysis(ctx, id)
}

// FailAnalysis records an analysis the queue gave up on (after its retries, or a panic).
func (s *Service) FailAnalysis(ctx context.Context, id int64, msg string) error {
	return s.store.SetAnalysisState(ctx, id, StateFailed, msg)
}

// RunVibe is the background vibe analysis of one sample (auto-vibe and POST …/vibe without a
// socket). A refused or failed model call keeps the offline vibe, so only a missing sample or a
// database error fails it.
func (s *Service) RunVibe(ctx context.Context, id int64) error {
	_, err := s.VibeSample(ctx, id, nil)
	return err
}

// AnalyzeReader decodes and analyses audio without storing anything.
func (s *Service) AnalyzeReader(ctx context.Context, r io.ReadSeeker, name string) (*Analysis, error) {
	return s.analyze(ctx, r, name, 0, 0)
}

// analyze decodes audio and analyses frames [start, end) of it (all of it when end is 0).
func (s *Service) analyze(ctx context.Context, r io.ReadSeeker, name string, start, end int64) (a *Analysis, err error) {
	// A decoder or analysis bug on one hostile file must fail that file, not the process.
	defer func() {
		if p := recover(); p != nil {
			a, err = nil, fmt.Errorf("analysis panicked: %v", p)
		}
	}()
	buf, meta, err := audio.Decoder{MaxFrames: s.limits.MaxDecodeFrames}.Decode(r)
	if err != nil {
		return nil, &Error{Code: CodeUnsupported, Message: "cannot decode audio: " + err.Error(), Err: err}
	}
	hints := analysis.Hints{Name: name, Meta: meta}
	if end != 0 {
		if buf, err = cutRegion(buf, start, end); err != nil {
			return nil, err
		}
		// A slice is analysed as its own sound: what the file says about itself (tempo, key,
		// one-shot flag, loops, beats) describes the whole file, not the region.
		hints.Meta = audio.Metadata{Format: meta.Format, BitDepth: meta.BitDepth, Float: meta.Float, RootNote: -1, RLNDPad: -1}
	}
	feat, err := analysis.Analyze(ctx, buf, hints)
	if err != nil {
		return nil, fmt.Errorf("analyse: %w", err)
	}
	return &Analysis{
		Format:      meta.Format,
		SampleRate:  buf.SampleRate,
		Channels:    buf.Channels(),
		BitDepth:    meta.BitDepth,
		Frames:      int64(buf.Frames()),
		DurationS:   buf.Duration(),
		Features:    feat,
		AudioHash:   analysis.AudioHash(buf),
		Fingerprint: feat.Fingerprint,
	}, nil
}

// Storage is how many samples and stored files the library holds, and their bytes.
func (s *Service) Storage(ctx context.Context) (StorageStats, error) {
	return s.store.Storage(ctx)
}

// BulkEdit tags, favourites or rates many samples in one transaction; an unknown id refuses all.
func (s *Service) BulkEdit(ctx context.Context, b BulkEdit) (int, error) {
	if err := b.Validate(); err != nil {
		return 0, err
	}
	return len(b.SampleIDs), s.store.BulkEdit(ctx, b)
}
