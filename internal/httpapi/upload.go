package httpapi

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/sp404agent/sp404agent/internal/analysis"
	"github.com/sp404agent/sp404agent/internal/library"
)

// maxFieldBytes bounds non-file form fields (tags).
const maxFieldBytes = 4096

// uploadResponse is the body of POST /api/v1/samples.
type uploadResponse struct {
	Items []library.Added `json:"items"`
}

// uploadSamples streams each "file" part to a staged temp file (never into memory), checks them
// all, and only then adds them, so a bad file refuses the request without changing the library.
func (s *Server) uploadSamples(w http.ResponseWriter, r *http.Request) {
	ups, tags, err := s.readUploads(r)
	if err != nil {
		library.DiscardUploads(ups)
		writeError(w, r, s.log, err)
		return
	}
	added, err := s.lib.AddUploads(r.Context(), ups, tags)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	status := http.StatusOK
	for _, a := range added {
		if !a.Duplicate {
			status = http.StatusCreated
		}
	}
	writeJSON(w, status, uploadResponse{Items: added})
}

// analyzeUpload analyses one uploaded file and returns the design.md §7 JSON without storing it.
func (s *Server) analyzeUpload(w http.ResponseWriter, r *http.Request) {
	ups, _, err := s.readUploads(r)
	defer library.DiscardUploads(ups)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	if len(ups) != 1 {
		writeProblem(w, http.StatusUnprocessableEntity, "send exactly one file part")
		return
	}
	u := ups[0]
	f, err := u.Staged.Open()
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	defer f.Close()
	a, err := s.lib.AnalyzeReader(r.Context(), f, u.Name)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	writeJSON(w, http.StatusOK, analysis.Result{
		Path: u.Name, Format: string(a.Format), SampleRate: a.SampleRate, Channels: a.Channels,
		BitDepth: a.BitDepth, DurationS: a.DurationS, Frames: int(a.Frames), Features: a.Features,
	})
}

// readUploads reads a multipart body: "file" parts are staged, "tags" is a comma-separated list,
// other parts are refused. On error the uploads staged so far are returned for discarding.
func (s *Server) readUploads(r *http.Request) (ups []*library.Upload, tags []string, err error) {
	ct, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || ct != "multipart/form-data" {
		return nil, nil, library.Errorf(library.CodeUnsupported, "send multipart/form-data with one or more \"file\" parts")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, badRequest("malformed multipart body: %v", err)
	}
	limits := s.lib.Limits()
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return ups, nil, multipartError(err)
		}
		switch part.FormName() {
		case "file":
			if len(ups) >= limits.MaxFiles {
				part.Close()
				return ups, nil, library.Errorf(library.CodeTooLarge, "at most %d files per request", limits.MaxFiles)
			}
			u, err := s.lib.StageUpload(r.Context(), part.FileName(), part)
			part.Close()
			if err != nil {
				return ups, nil, multipartError(err)
			}
			ups = append(ups, u)
		case "tags":
			b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
			part.Close()
			if err != nil {
				return ups, nil, multipartError(err)
			}
			if len(b) > maxFieldBytes {
				return ups, nil, library.Errorf(library.CodeInvalid, "tags field is longer than %d bytes", maxFieldBytes)
			}
			tags = append(tags, strings.Split(string(b), ",")...)
		default:
			part.Close()
			return ups, nil, library.Errorf(library.CodeInvalid, "unexpected form field %q (want file or tags)", part.FormName())
		}
	}
	if len(ups) == 0 {
		return nil, nil, library.Errorf(library.CodeInvalid, "no \"file\" part in the request")
	}
	return ups, tags, nil
}

// multipartError classifies errors met while reading a multipart body.
func multipartError(err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return library.Errorf(library.CodeTooLarge, "request body is larger than %d bytes", tooBig.Limit)
	case library.ErrorCode(err) != library.CodeInternal:
		return err
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, multipart.ErrMessageTooLarge),
		strings.Contains(err.Error(), "multipart"):
		return badRequest("malformed multipart body: %v", err)
	}
	return err
}

type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string  { return e.msg }
func (e *httpError) GetStatus() int { return e.status }

func badRequest(format string, args ...any) error {
	return &httpError{status: http.StatusBadRequest, msg: fmt.Sprintf(format, args...)}
}
