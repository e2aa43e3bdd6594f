// Package backup writes a consistent snapshot of the library (database rows and sample files)
// into one ZIP file, and restores it into an empty database of either kind: the way to move
// from SQLite to PostgreSQL and back.
//
// Layout: manifest.json, db/<table>.jsonl (one JSON object per row), blobs/<key> (the sample
// files by content hash).
package backup

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"time"

	"github.com/sp404agent/sp404agent/internal/library"
	"github.com/sp404agent/sp404agent/internal/store"
)

// FormatVersion is the layout version of backup files.
const FormatVersion = 1

// Manifest describes a backup.
type Manifest struct {
	Format        int            `json:"format"`
	CreatedAt     time.Time      `json:"created_at"`
	SchemaVersion int64          `json:"schema_version"`
	Database      string         `json:"database"`
	Rows          map[string]int `json:"rows"`
	Blobs         int            `json:"blobs"`
	MissingBlobs  []string       `json:"missing_blobs,omitempty"`
}

// Blobs is what backup needs of the sample file store.
type Blobs interface {
	Open(ctx context.Context, key string) (library.BlobFile, error)
	Stage(ctx context.Context, r io.Reader, maxBytes int64) (library.Staged, error)
}

// Write streams a backup to w while the server may keep running: rows come from one database
// snapshot, and sample files are immutable under their content hash.
func Write(ctx context.Context, db *store.DB, blobs Blobs, w io.Writer) (*Manifest, error) {
	snap, err := db.Snapshot(ctx)
	if err != nil {
		return nil, err
	}
	defer snap.Close()
	m := &Manifest{Format: FormatVersion, CreatedAt: time.Now().UTC(), Database: db.Kind(), Rows: map[string]int{}}
	if m.SchemaVersion, err = snap.SchemaVersion(ctx); err != nil {
		return nil, fmt.Errorf("backup: schema version: %w", err)
	}
	zw := zip.NewWriter(w)
	for _, t := range store.BackupTables {
		fw, err := zw.Create("db/" + t + ".jsonl")
		if err != nil {
			return nil, err
		}
		if m.Rows[t], err = snap.WriteTable(ctx, t, fw); err != nil {
			return nil, fmt.Errorf("backup: %w", err)
		}
	}
	keys, err := snap.BlobKeys(ctx)
	if err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	for _, k := range keys {
		f, err := blobs.Open(ctx, k)
		if err != nil {
			// A sample deleted since the snapshot began takes its file with it.
			m.MissingBlobs = append(m.MissingBlobs, k)
			continue
		}
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: "blobs/" + k, Method: zip.Store, Modified: m.CreatedAt})
		if err == nil {
			_, err = io.Copy(fw, f)
		}
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("backup blob %s: %w", k, err)
		}
		m.Blobs++
	}
	fw, err := zw.Create("manifest.json")
	if err != nil {
		return nil, err
	}
	enc := json.NewEncoder(fw)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return m, zw.Close()
}

// maxBlob bounds one restored file (the decoder's own limit is far below).
const maxBlob = 4 << 30

// Restore loads a backup into an empty, migrated database and blob store. Every sample file is
// re-hashed on the way in, so a damaged backup is refused rather than restored wrong.
func Restore(ctx context.Context, db *store.DB, blobs Blobs, r io.ReaderAt, size int64) (*Manifest, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("restore: not a backup file: %w", err)
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		if strings.Contains(f.Name, "..") || path.IsAbs(f.Name) || strings.Contains(f.Name, `\`) {
			return nil, fmt.Errorf("restore: unsafe entry %q", f.Name)
		}
		files[f.Name] = f
	}
	mf, ok := files["manifest.json"]
	if !ok {
		return nil, errors.New("restore: no manifest.json: not a backup file")
	}
	var m Manifest
	if err := readJSON(mf, &m); err != nil {
		return nil, fmt.Errorf("restore: manifest: %w", err)
	}
	if m.Format != FormatVersion {
		return nil, fmt.Errorf("restore: backup format %d is not supported (want %d)", m.Format, FormatVersion)
	}
	empty, err := db.Empty(ctx)
	if err != nil {
		return nil, err
	}
	if !empty {
		return nil, errors.New("restore: the database is not empty; restore into a new data folder or database")
	}
	for name, f := range files {
		key, ok := strings.CutPrefix(name, "blobs/")
		if !ok {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		st, err := blobs.Stage(ctx, rc, maxBlob)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("restore blob %s: %w", key, err)
		}
		if !strings.HasSuffix(key, st.Hash()) {
			st.Discard()
			return nil, fmt.Errorf("restore: blob %s is damaged (its content hashes to %s)", key, st.Hash())
		}
		if _, err := st.Commit(ctx); err != nil {
			return nil, fmt.Errorf("restore blob %s: %w", key, err)
		}
	}
	for _, t := range store.BackupTables {
		f, ok := files["db/"+t+".jsonl"]
		if !ok {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, err
		}
		n, err := db.RestoreTable(ctx, t, rc)
		rc.Close()
		if err != nil {
			return nil, err
		}
		if n != m.Rows[t] {
			return nil, fmt.Errorf("restore %s: %d rows, the manifest says %d", t, n, m.Rows[t])
		}
	}
	// Backups made before full-text search (schema 11 and older) carry their search words in a
	// table of their own, which is not restored: the words are made again from the samples.
	if _, err := store.New(db).ReindexSearch(ctx); err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	return &m, nil
}

func readJSON(f *zip.File, v any) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	return json.NewDecoder(io.LimitReader(rc, 1<<20)).Decode(v)
}
