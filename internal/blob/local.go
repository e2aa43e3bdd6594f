// Package blob stores sample files by content hash. Local keeps them in a folder, sharded by the
// first bytes of the hash so no directory grows huge; files are written to a temp file, synced and
// renamed into place, so a crash never leaves half a file under a real key.
package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/sp404agent/sp404agent/internal/library"
)

const headSize = 4096

// keyPattern is the only shape of key Local accepts: "ab/cd/<64 hex>". Keys come from our own
// database, but checking them keeps a corrupted row from reaching outside the folder.
var keyPattern = regexp.MustCompile(`^[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}$`)

// Local is a blob store in a local folder.
type Local struct {
	root string
	tmp  string
}

// NewLocal opens (creating) the folder and removes temp files an earlier crash left behind.
func NewLocal(root string) (*Local, error) {
	l := &Local{root: root, tmp: filepath.Join(root, ".tmp")}
	if err := os.MkdirAll(l.tmp, 0o750); err != nil {
		return nil, fmt.Errorf("blob store: %w", err)
	}
	sweepTempDir(l.tmp, time.Hour)
	return l, nil
}

// KeyFor is the key of content with the given hex SHA-256.
func KeyFor(hash string) string { return hash[0:2] + "/" + hash[2:4] + "/" + hash }

func (l *Local) path(key string) (string, error) {
	if !keyPattern.MatchString(key) {
		return "", fmt.Errorf("blob key %q is malformed", key)
	}
	return filepath.Join(l.root, filepath.FromSlash(key)), nil
}

// Stage copies r into a temp file, hashing it on the way.
func (l *Local) Stage(ctx context.Context, r io.Reader, maxBytes int64) (library.Staged, error) {
	t, err := stageTemp(ctx, l.tmp, r, maxBytes)
	if err != nil {
		return nil, err
	}
	return &staged{l: l, temp: t}, nil
}

// Open opens a stored file.
func (l *Local) Open(_ context.Context, key string) (library.BlobFile, error) {
	p, err := l.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, library.Errorf(library.CodeNotFound, "the sample's file is missing from storage")
		}
		return nil, fmt.Errorf("open blob: %w", err)
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("open blob: %w", err)
	}
	return &file{File: f, info: info}, nil
}

// Delete removes a stored file; a missing one is not an error.
func (l *Local) Delete(_ context.Context, key string) error {
	p, err := l.path(key)
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete blob: %w", err)
	}
	return nil
}

type file struct {
	*os.File
	info fs.FileInfo
}

func (f *file) Size() int64        { return f.info.Size() }
func (f *file) ModTime() time.Time { return f.info.ModTime() }

type staged struct {
	l    *Local
	temp *tempFile
	done bool
}

func (s *staged) Hash() string { return s.temp.hash }
func (s *staged) Size() int64  { return s.temp.size }
func (s *staged) Head() []byte { return s.temp.head }

// Open reads the staged content back (for analysing an upload that is not kept).
func (s *staged) Open() (io.ReadSeekCloser, error) {
	if s.done {
		return nil, errors.New("staged file already committed or discarded")
	}
	return os.Open(s.temp.f.Name())
}

// Commit syncs the temp file and renames it into place. Identical content already stored wins and
// the temp file is dropped.
func (s *staged) Commit(_ context.Context) (string, error) {
	if s.done {
		return "", errors.New("staged file already committed or discarded")
	}
	key := KeyFor(s.temp.hash)
	dst, err := s.l.path(key)
	if err != nil {
		return "", err
	}
	f := s.temp.f
	if err := f.Sync(); err != nil {
		s.Discard()
		return "", fmt.Errorf("commit blob: %w", err)
	}
	if err := f.Close(); err != nil {
		s.Discard()
		return "", fmt.Errorf("commit blob: %w", err)
	}
	s.done = true
	if _, err := os.Stat(dst); err == nil {
		_ = os.Remove(f.Name())
		return key, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		_ = os.Remove(f.Name())
		return "", fmt.Errorf("commit blob: %w", err)
	}
	if err := os.Rename(f.Name(), dst); err != nil {
		_ = os.Remove(f.Name())
		return "", fmt.Errorf("commit blob: %w", err)
	}
	syncDir(filepath.Dir(dst))
	return key, nil
}

// Discard removes the temp file.
func (s *staged) Discard() error {
	if s.done {
		return nil
	}
	s.done = true
	return s.temp.remove()
}

// syncDir makes a rename durable; best effort, since not every file system supports it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}
