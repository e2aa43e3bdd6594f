package httpapi

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"strings"

	"github.com/sp404agent/sp404agent/internal/library"
)

// maxKitZip bounds an uploaded card or project ZIP: a full MKII project of long samples is large.
const maxKitZip = 2 << 30

type importKitResponse struct {
	Kit   *library.Kit `json:"kit"`
	Notes []string     `json:"notes"`
}

// importKit takes a ZIP of an SX/A card or an MKII project folder (multipart field "file",
// optional "name") and brings it into the library as samples and a kit with every pad setting.
func (s *Server) importKit(w http.ResponseWriter, r *http.Request) {
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "multipart/form-data" {
		writeProblem(w, http.StatusUnsupportedMediaType, `send multipart/form-data with a "file" part holding the ZIP`)
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		writeProblem(w, http.StatusBadRequest, "malformed multipart body")
		return
	}
	var zipPath, name string
	defer func() {
		if zipPath != "" {
			os.Remove(zipPath)
		}
	}()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			writeError(w, r, s.log, multipartError(err))
			return
		}
		switch part.FormName() {
		case "file":
			if zipPath != "" {
				part.Close()
				writeProblem(w, http.StatusUnprocessableEntity, "send one ZIP")
				return
			}
			f, err := os.CreateTemp("", "kit-import-*.zip")
			if err != nil {
				writeError(w, r, s.log, err)
				return
			}
			zipPath = f.Name()
			n, err := io.Copy(f, io.LimitReader(part, maxKitZip+1))
			f.Close()
			part.Close()
			if err != nil {
				writeError(w, r, s.log, multipartError(err))
				return
			}
			if n > maxKitZip {
				writeProblem(w, http.StatusRequestEntityTooLarge, "the ZIP is larger than 2 GB")
				return
			}
		case "name":
			b, err := io.ReadAll(io.LimitReader(part, 256))
			part.Close()
			if err != nil {
				writeError(w, r, s.log, multipartError(err))
				return
			}
			name = strings.TrimSpace(string(b))
		default:
			part.Close()
			writeProblem(w, http.StatusUnprocessableEntity, `unexpected form field (want "file" and optionally "name")`)
			return
		}
	}
	if zipPath == "" {
		writeProblem(w, http.StatusUnprocessableEntity, `no "file" part in the request`)
		return
	}
	kit, notes, err := s.lib.ImportKit(r.Context(), zipPath, name)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if notes == nil {
		notes = []string{}
	}
	writeJSON(w, http.StatusCreated, importKitResponse{Kit: kit, Notes: notes})
}
