package library

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/sp404agent/sp404agent/internal/audio"
)

// Upload is one staged file of an upload request.
type Upload struct {
	Name   string // cleaned display name
	Format audio.Format
	Staged Staged
}

// Added is the outcome for one uploaded file.
type Added struct {
	Sample
	Duplicate bool `json:"duplicate" doc:"true when identical content was already in the library; the existing sample is returned"`
}

// StageUpload copies one uploaded file aside and checks it: at most MaxFileBytes, and audio we
// can read by its magic bytes. The name is only cleaned for display, never used as a path.
func (s *Service) StageUpload(ctx context.Context, name string, r io.Reader) (*Upload, error) {
	clean, err := CleanFileName(name)
	if err != nil {
		return nil, err
	}
	st, err := s.blobs.Stage(ctx, r, s.limits.MaxFileBytes)
	if err != nil {
		return nil, err
	}
	format, err := audio.Detect(st.Head())
	if err != nil {
		_ = st.Discard()
		if errors.Is(err, audio.ErrUnsupportedFormat) {
			return nil, &Error{Code: CodeUnsupported, Message: fmt.Sprintf("%s is not WAV, AIFF, MP3, FLAC or Ogg Vorbis audio", clean), Err: err}
		}
		return nil, &Error{Code: CodeUnsupported, Message: fmt.Sprintf("%s: %v", clean, err), Err: err}
	}
	return &Upload{Name: clean, Format: format, Staged: st}, nil
}

// AddUploads stores staged files as samples (identical content once) and queues their analysis.
// The caller has staged every file of the request first, so a bad file refuses the whole request
// before anything is stored.
func (s *Service) AddUploads(ctx context.Context, ups []*Upload, tags []string) ([]Added, error) {
	tags, err := NormalizeTags(tags)
	if err != nil {
		return nil, err
	}
	out := make([]Added, 0, len(ups))
	for i, u := range ups {
		key, err := u.Staged.Commit(ctx)
		if err != nil {
			discardAll(ups[i+1:])
			return out, fmt.Errorf("store %s: %w", u.Name, err)
		}
		now := time.Now().UTC().Truncate(time.Microsecond) // what PostgreSQL keeps
		smp := Sample{
			FileName: u.Name, ContentHash: u.Staged.Hash(), BlobKey: key, Format: string(u.Format),
			SizeBytes: u.Staged.Size(), AnalysisState: StatePending, BPMSource: "none",
			Tags: tags, CreatedAt: now, UpdatedAt: now,
		}
		existing, err := s.store.InsertSample(ctx, &smp, s.analysisJobTx())
		if err != nil {
			discardAll(ups[i+1:])
			return out, fmt.Errorf("add %s: %w", u.Name, err)
		}
		if !existing {
			if err := s.enqueueAnalysisAfter(ctx, smp.ID); err != nil {
				// The sample is stored as pending; the next sweep of pending samples finds it.
				s.log.Warn("enqueue analysis", "sample_id", smp.ID, "err", err)
			}
		}
		out = append(out, Added{Sample: smp, Duplicate: existing})
	}
	return out, nil
}

// DiscardUploads removes staged files of a refused request.
func DiscardUploads(ups []*Upload) { discardAll(ups) }

func discardAll(ups []*Upload) {
	for _, u := range ups {
		_ = u.Staged.Discard()
	}
}
