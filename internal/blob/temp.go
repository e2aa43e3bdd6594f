package blob

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/sp404agent/sp404agent/internal/library"
)

// tempFile is content copied aside into a local temp file, with what was learned on the way.
type tempFile struct {
	f    *os.File
	hash string // hex SHA-256
	size int64
	head []byte
}

// stageTemp copies r into a new temp file in dir, hashing it and keeping its first bytes. More
// than maxBytes fails with CodeTooLarge and leaves no file behind.
func stageTemp(ctx context.Context, dir string, r io.Reader, maxBytes int64) (*tempFile, error) {
	f, err := os.CreateTemp(dir, "upload-*")
	if err != nil {
		return nil, fmt.Errorf("stage: %w", err)
	}
	t := &tempFile{f: f}
	h := sha256.New()
	hw := &headWriter{max: headSize}
	n, err := io.Copy(io.MultiWriter(f, h, hw), io.LimitReader(ctxReader{ctx, r}, maxBytes+1))
	if err != nil {
		t.remove()
		return nil, fmt.Errorf("stage: %w", err)
	}
	if n > maxBytes {
		t.remove()
		return nil, library.Errorf(library.CodeTooLarge, "file is larger than the %d MB limit", maxBytes>>20)
	}
	t.hash, t.size, t.head = hex.EncodeToString(h.Sum(nil)), n, hw.buf
	return t, nil
}

func (t *tempFile) remove() error {
	t.f.Close()
	return os.Remove(t.f.Name())
}

// sweepTempDir removes staged files older than age. Younger ones may belong to another process
// sharing the folder.
func sweepTempDir(dir string, age time.Duration) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > age {
			_ = os.Remove(filepath.Join(dir, e.Name()))
		}
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
