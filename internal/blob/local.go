// Package blob stores sample files by content hash. Local keeps them in a folder, sharded by the
// first bytes of the hash so no directory grows huge; files are written to a temp file, synced and
// renamed into place, so a crash never leaves half a file under a real key.
package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
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
	l.sweepTemp(time.Hour)
	return l, nil
}

// sweepTemp removes staged files older than age. Younger ones may belong to another process
// sharing the folder.
func (l *Local) sweepTemp(age time.Duration) {
	entries, err := os.ReadDir(l.tmp)
	if err != nil {
		return
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > age {
			_ = os.Remove(filepath.Join(l.tmp, e.Name()))
		}
	}
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
	f, err := os.CreateTemp(l.tmp, "upload-*")
	if err != nil {
		return nil, fmt.Errorf("stage: %w", err)
	}
	st := &staged{l: l, f: f}
	h := sha256.New()
	hw := &headWriter{max: headSize}
	n, err := io.Copy(io.MultiWriter(f, h, hw), io.LimitReader(ctxReader{ctx, r}, maxBytes+1))
	if err != nil {
		st.Discard()
		return nil, fmt.Errorf("stage: %w", err)
	}
	if n > maxBytes {
		st.Discard()
		return nil, library.Errorf(library.CodeTooLarge, "file is larger than the %d MB limit", maxBytes>>20)
	}
	st.hash, st.size, st.head = hex.EncodeToString(h.Sum(nil)), n, hw.buf
	return st, nil
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
	f    *os.File
	hash string
	size int64
	head []byte
	done bool
}

func (s *staged) Hash() string { return s.hash }
func (s *staged) Size() int64  { return s.size }
func (s *staged) Head() []byte { return s.head }

// Open reads the staged content back (for analysing an upload that is not kept).
func (s *staged) Open() (io.ReadSeekCloser, error) {
	if s.done {
		return nil, errors.New("staged file already committed or discarded")
	}
	return os.Open(s.f.Name())
}

// Commit syncs the temp file and renames it into place. Identical content already stored wins and
// the temp file is dropped.
func (s *staged) Commit(_ context.Context) (string, error) {
	if s.done {
		return "", errors.New("staged file already committed or discarded")
	}
	key := KeyFor(s.hash)
	dst, err := s.l.path(key)
	if err != nil {
		return "", err
	}
	if err := s.f.Sync(); err != nil {
		s.Discard()
		return "", fmt.Errorf("commit blob: %w", err)
	}
	if err := s.f.Close(); err != nil {
		s.Discard()
		return "", fmt.Errorf("commit blob: %w", err)
	}
	s.done = true
	if _, err := os.Stat(dst); err == nil {
		_ = os.Remove(s.f.Name())
		return key, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o750); err != nil {
		_ = os.Remove(s.f.Name())
		return "", fmt.Errorf("commit blob: %w", err)
	}
	if err := os.Rename(s.f.Name(), dst); err != nil {
		_ = os.Remove(s.f.Name())
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
	s.f.Close()
	return os.Remove(s.f.Name())
}

// syncDir makes a rename durable; best effort, since not every file system supports it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// headWriter keeps the first max bytes written to it.
type headWriter struct {
	buf []byte
	max int
}

func (h *headWriter) Write(p []byte) (int, error) {
	if room := h.max - len(h.buf); room > 0 {
		h.buf = append(h.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// ctxReader stops a long copy when the request is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
