package export

import (
	"archive/zip"
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// zipTime is the modification time of every ZIP entry. A fixed time keeps
// two exports of the same kit byte-identical; 1 January 1980 is the first
// time the ZIP format's DOS date field can hold.
func zipTime() time.Time { return time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC) }

// sink receives the files of an export, one at a time, in plan order.
type sink interface {
	// mkdir creates a folder (rel is slash-separated, ends in "/").
	mkdir(rel string) error
	// create starts the file rel; the previous file is finished by then.
	create(rel string, compress bool) (io.Writer, error)
	// finish completes the export.
	finish() error
	// abort removes everything this export created.
	abort()
}

// newSink opens the destination: a ZIP file when out ends in .zip,
// otherwise a folder.
func newSink(out string) (sink, error) {
	if isZipPath(out) {
		return newZipSink(out)
	}
	return newDirSink(out)
}

// dirSink writes into a folder that did not exist or was empty. Every folder
// and file it creates is recorded so that abort removes exactly those.
type dirSink struct {
	root    string
	created []string
	dirs    map[string]bool
	f       *os.File
	bw      *bufio.Writer
}

func newDirSink(out string) (*dirSink, error) {
	if err := checkOut(out); err != nil {
		return nil, err
	}
	s := &dirSink{root: out, dirs: map[string]bool{}}
	if err := s.mkdirAll(out); err != nil {
		return nil, err
	}
	return s, nil
}

// mkdirAll creates dir and its missing parents, recording each one created.
func (s *dirSink) mkdirAll(dir string) error {
	if s.dirs[dir] {
		return nil
	}
	st, err := os.Stat(dir)
	if err == nil {
		if !st.IsDir() {
			return fmt.Errorf("%s exists and is not a folder", dir)
		}
		s.dirs[dir] = true
		return nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	if parent := filepath.Dir(dir); parent != dir {
		if err := s.mkdirAll(parent); err != nil {
			return err
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	s.created = append(s.created, dir)
	s.dirs[dir] = true
	return nil
}

func (s *dirSink) mkdir(rel string) error {
	if err := s.closeFile(); err != nil {
		return err
	}
	return s.mkdirAll(filepath.Join(s.root, filepath.FromSlash(strings.TrimSuffix(rel, "/"))))
}

func (s *dirSink) create(rel string, _ bool) (io.Writer, error) {
	if err := s.closeFile(); err != nil {
		return nil, err
	}
	p := filepath.Join(s.root, filepath.FromSlash(rel))
	if err := s.mkdirAll(filepath.Dir(p)); err != nil {
		return nil, err
	}
	// O_EXCL: never overwrite, even a file that appeared since the check.
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	s.created = append(s.created, p)
	s.f = f
	if s.bw == nil {
		s.bw = bufio.NewWriterSize(f, 256<<10)
	} else {
		s.bw.Reset(f)
	}
	return s.bw, nil
}

func (s *dirSink) closeFile() error {
	if s.f == nil {
		return nil
	}
	f := s.f
	s.f = nil
	if err := s.bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", f.Name(), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", f.Name(), err)
	}
	return nil
}

func (s *dirSink) finish() error { return s.closeFile() }

func (s *dirSink) abort() {
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
	for _, p := range slices.Backward(s.created) {
		_ = os.Remove(p)
	}
}

// zipSink streams entries into a new ZIP file: each entry is written as its
// audio is produced, so the archive is never held in memory.
type zipSink struct {
	path string
	f    *os.File
	bw   *bufio.Writer
	zw   *zip.Writer
}

func newZipSink(out string) (*zipSink, error) {
	if err := checkOut(out); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(f, 256<<10)
	return &zipSink{path: out, f: f, bw: bw, zw: zip.NewWriter(bw)}, nil
}

func (s *zipSink) mkdir(rel string) error {
	_, err := s.zw.CreateHeader(&zip.FileHeader{Name: path.Clean(rel) + "/", Method: zip.Store, Modified: zipTime()})
	return err
}

// create stores audio uncompressed (deflate gains little on PCM and costs
// most of the export time) and deflates the small metadata files.
func (s *zipSink) create(rel string, compress bool) (io.Writer, error) {
	m := zip.Store
	if compress {
		m = zip.Deflate
	}
	return s.zw.CreateHeader(&zip.FileHeader{Name: rel, Method: m, Modified: zipTime()})
}

func (s *zipSink) finish() error {
	if err := s.zw.Close(); err != nil {
		return fmt.Errorf("write %s: %w", s.path, err)
	}
	if err := s.bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", s.path, err)
	}
	if err := s.f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", s.path, err)
	}
	s.f = nil
	return nil
}

func (s *zipSink) abort() {
	if s.f != nil {
		s.f.Close()
		s.f = nil
	}
	_ = os.Remove(s.path)
}
