package httpapi

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/sp404agent/sp404agent/internal/library"
)

// contentTypes maps stored formats to their media types.
var contentTypes = map[string]string{
	"wav": "audio/wav", "aiff": "audio/aiff", "mp3": "audio/mpeg", "flac": "audio/flac", "ogg": "audio/ogg",
}

// sampleAudio serves a sample's original file with Range, ETag and conditional requests (by
// http.ServeContent), so the browser can seek and cache. A slice has no file of its own: it is
// served as its region of the original, decoded and written as WAV.
func (s *Server) sampleAudio(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		writeProblem(w, http.StatusUnprocessableEntity, "sample id must be a positive whole number")
		return
	}
	if r.URL.Query().Get("as") == "wav" {
		s.sampleAudioAsWAV(w, r, id)
		return
	}
	smp, f, err := s.lib.OpenAudio(r.Context(), id)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	defer f.Close()
	ct := contentTypes[library.AudioFormat(smp)]
	if ct == "" {
		ct = "application/octet-stream"
	}
	h := w.Header()
	h.Set("Content-Type", ct)
	// Content never changes under a hash (a slice's is its original's and its region), so the
	// hash is a strong validator.
	h.Set("ETag", `"`+smp.ContentHash+`"`)
	h.Set("Cache-Control", "private, max-age=86400")
	h.Set("Content-Disposition", "inline")
	http.ServeContent(w, r, "", f.ModTime(), f)
}

// sampleAudioAsWAV serves a sample decoded to WAV (?as=wav), with ranges, for players that
// cannot read its own format.
func (s *Server) sampleAudioAsWAV(w http.ResponseWriter, r *http.Request, id int64) {
	smp, wav, err := s.lib.PlayableWAV(r.Context(), id)
	if err != nil {
		writeError(w, r, s.log, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "audio/wav")
	h.Set("ETag", `"`+smp.ContentHash+`-wav"`)
	h.Set("Cache-Control", "private, max-age=86400")
	h.Set("Content-Disposition", "inline")
	http.ServeContent(w, r, "", smp.CreatedAt, bytes.NewReader(wav))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
