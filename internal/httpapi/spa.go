package httpapi

import (
	"bytes"
	"io/fs"
	"net/http"
	"path"
	"reflect"
	"strings"
	"time"
)

func typeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }

// ui serves the built web app: files by path, and index.html for every other route so the
// client-side router can take over. Hashed assets are cached for a year; index.html never.
func (s *Server) ui() http.Handler {
	var index []byte
	if s.opts.UI != nil {
		index, _ = fs.ReadFile(s.opts.UI, "index.html")
	}
	if index == nil {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("The web UI has not been built into this binary. Build it with `make build` " +
				"(or `make run`); the API is at /api/v1/docs.\n"))
		})
	}
	files := http.FileServerFS(s.opts.UI)
	modTime := time.Now()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			writeProblem(w, http.StatusMethodNotAllowed, "method not allowed")
			return
		}
		p := strings.TrimPrefix(path.Clean(r.URL.Path), "/")
		if p != "" && p != "index.html" {
			if info, err := fs.Stat(s.opts.UI, p); err == nil && !info.IsDir() {
				if strings.HasPrefix(p, "assets/") {
					w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
				}
				files.ServeHTTP(w, r)
				return
			}
		}
		w.Header().Set("Cache-Control", "no-cache")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		http.ServeContent(w, r, "index.html", modTime, bytes.NewReader(index))
	})
}
