package audio

import (
	"encoding/binary"
	"strconv"
	"strings"
)

// vorbisNames maps Vorbis comment field names (case-insensitive, per the Vorbis I spec) to the
// shared tag names. BPM/TEMPO and KEY/INITIALKEY are handled separately.
var vorbisNames = map[string]string{
	"TITLE": "title", "ARTIST": "artist", "ALBUM": "album", "GENRE": "genre", "DATE": "date",
	"COMMENT": "comment", "DESCRIPTION": "comment", "COPYRIGHT": "copyright",
	"ENCODER": "software", "ENCODED-BY": "software",
}

// applyVorbisComments reads "NAME=value" comments into md: BPM or TEMPO becomes TempoBPM, KEY or
// INITIALKEY becomes Key, and the common fields become SourceTags.
func applyVorbisComments(comments []string, md *Metadata) {
	for _, c := range comments {
		name, value, ok := strings.Cut(c, "=")
		if !ok {
			continue
		}
		name = strings.ToUpper(strings.TrimSpace(name))
		value = strings.TrimSpace(value)
		switch name {
		case "BPM", "TEMPO":
			if md.TempoBPM == 0 {
				if bpm, err := strconv.ParseFloat(value, 64); err == nil {
					setTempo(md, bpm)
				}
			}
		case "KEY", "INITIALKEY":
			if md.Key == "" {
				md.Key = value
			}
		default:
			if tag, ok := vorbisNames[name]; ok {
				setTag(md, tag, value)
			}
		}
	}
}

// parseVorbisCommentBlock decodes a FLAC VORBIS_COMMENT block body: a little-endian length-
// prefixed vendor string, a count, then length-prefixed comments. Lengths are checked against
// the block before use, and a truncated block yields the comments that fit.
func parseVorbisCommentBlock(b []byte) []string {
	le := binary.LittleEndian
	if len(b) < 4 {
		return nil
	}
	vendor := int64(le.Uint32(b))
	p := 4 + vendor
	if p+4 > int64(len(b)) {
		return nil
	}
	count := le.Uint32(b[p:])
	p += 4
	var out []string
	for range count {
		if p+4 > int64(len(b)) {
			break
		}
		n := int64(le.Uint32(b[p:]))
		p += 4
		if n > int64(len(b))-p {
			break
		}
		out = append(out, string(b[p:p+n]))
		p += n
	}
	return out
}
