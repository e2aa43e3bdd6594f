package audio

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"strings"
	"unicode/utf16"
)

// maxID3Tag bounds how much of an ID3v2 tag is read for metadata. Tags carrying cover art run
// to a few megabytes; a larger one is skipped unread, since the tempo and key frames are not
// worth buffering an absurd tag for.
const maxID3Tag = 16 << 20

// id3v2Header describes an ID3v2 tag found at the start of a file.
type id3v2Header struct {
	major byte
	flags byte
	size  int64 // body bytes after the 10-byte header
	total int64 // header, body and optional footer
}

// parseID3v2Header reads the 10-byte ID3v2 header; ok is false when b does not start one.
func parseID3v2Header(b []byte) (id3v2Header, bool) {
	if len(b) < 10 || string(b[0:3]) != "ID3" || b[3] < 2 || b[3] > 4 || b[4] == 0xFF || !syncsafeOK(b[6:10]) {
		return id3v2Header{}, false
	}
	h := id3v2Header{major: b[3], flags: b[5], size: int64(syncsafe(b[6:10]))}
	h.total = 10 + h.size
	if h.major == 4 && h.flags&0x10 != 0 {
		h.total += 10 // footer
	}
	return h, true
}

// syncsafe decodes a 28-bit integer stored 7 bits per byte.
func syncsafe(b []byte) uint32 {
	return uint32(b[0]&0x7F)<<21 | uint32(b[1]&0x7F)<<14 | uint32(b[2]&0x7F)<<7 | uint32(b[3]&0x7F)
}

// id3Names maps ID3v2.3/2.4 frame ids (and their ID3v2.2 three-letter forms) to the shared tag
// names.
var id3Names = map[string]string{
	"TIT2": "title", "TT2": "title",
	"TPE1": "artist", "TP1": "artist",
	"TALB": "album", "TAL": "album",
	"TCON": "genre", "TCO": "genre",
	"TYER": "date", "TYE": "date", "TDRC": "date",
	"TSSE": "software", "TSS": "software",
	"TCOP": "copyright", "TCR": "copyright",
	"TBPM": "bpm", "TBP": "bpm",
	"TKEY": "key", "TKE": "key",
	"COMM": "comment", "COM": "comment",
}

// parseID3v2 reads the text frames of an ID3v2.2/2.3/2.4 tag body into md: TBPM becomes
// TempoBPM, TKEY becomes Key, and the common text frames become SourceTags. Frames that are
// compressed or encrypted, and anything malformed, are skipped; metadata never fails a decode.
func parseID3v2(h id3v2Header, body []byte, md *Metadata) {
	if h.flags&0x80 != 0 && h.major < 4 {
		body = removeUnsync(body) // v2.2/2.3 unsynchronise the whole tag
	}
	if h.flags&0x40 != 0 {
		switch h.major {
		case 2:
			return // v2.2 used this bit for a compression scheme nobody defined
		case 3:
			if len(body) < 4 {
				return
			}
			skip := 4 + int64(binary.BigEndian.Uint32(body))
			if skip > int64(len(body)) {
				return
			}
			body = body[skip:]
		case 4:
			if len(body) < 4 {
				return
			}
			skip := int64(syncsafe(body))
			if skip > int64(len(body)) {
				return
			}
			body = body[skip:]
		}
	}
	idLen, headLen := 4, 10
	if h.major == 2 {
		idLen, headLen = 3, 6
	}
	for p := 0; p+headLen <= len(body); {
		id := string(body[p : p+idLen])
		if body[p] == 0 || !isFrameID(id) {
			return // padding or garbage: the frame list has ended
		}
		var size int
		var flags uint16
		switch h.major {
		case 2:
			size = int(body[p+3])<<16 | int(body[p+4])<<8 | int(body[p+5])
		case 3:
			size = int(binary.BigEndian.Uint32(body[p+4:]))
			flags = binary.BigEndian.Uint16(body[p+8:])
		case 4:
			size = int(syncsafe(body[p+4:]))
			flags = binary.BigEndian.Uint16(body[p+8:])
		}
		start := p + headLen
		if size < 0 || size > len(body)-start {
			return
		}
		data := body[start : start+size]
		p = start + size
		if h.major == 3 {
			if flags&0x00C0 != 0 { // compressed or encrypted
				continue
			}
			if flags&0x0020 != 0 && len(data) > 0 { // grouping identity byte
				data = data[1:]
			}
		}
		if h.major == 4 {
			if flags&0x000C != 0 { // compressed or encrypted
				continue
			}
			if flags&0x0040 != 0 && len(data) > 0 { // grouping identity byte
				data = data[1:]
			}
			if flags&0x0002 != 0 {
				data = removeUnsync(data)
			}
			if flags&0x0001 != 0 && len(data) >= 4 { // data length indicator
				data = data[4:]
			}
		}
		name, ok := id3Names[id]
		if !ok {
			continue
		}
		var value string
		if name == "comment" {
			value = id3Comment(data)
		} else {
			value = id3Text(data)
		}
		switch name {
		case "bpm":
			if bpm, err := strconv.ParseFloat(strings.TrimSpace(value), 64); err == nil {
				setTempo(md, bpm)
			}
		case "key":
			if md.Key == "" {
				md.Key = value
			}
		default:
			setTag(md, name, value)
		}
	}
}

// isFrameID reports whether id is made of the upper-case letters and digits frame ids use.
func isFrameID(id string) bool {
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// removeUnsync undoes ID3 unsynchronisation: every 0xFF 0x00 pair was written for 0xFF.
func removeUnsync(b []byte) []byte {
	if !bytes.Contains(b, []byte{0xFF, 0x00}) {
		return b
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		out = append(out, b[i])
		if b[i] == 0xFF && i+1 < len(b) && b[i+1] == 0x00 {
			i++
		}
	}
	return out
}

// id3Text decodes a text frame: an encoding byte, then the text. ID3v2.4 separates multiple
// values with NUL; the first is kept.
func id3Text(b []byte) string {
	if len(b) < 1 {
		return ""
	}
	s, _ := id3String(b[0], b[1:])
	return strings.TrimSpace(s)
}

// id3Comment decodes a COMM frame: encoding, 3-byte language, a NUL-terminated description,
// then the text.
func id3Comment(b []byte) string {
	if len(b) < 4 {
		return ""
	}
	enc := b[0]
	_, rest := id3String(enc, b[4:])
	s, _ := id3String(enc, rest)
	return strings.TrimSpace(s)
}

// id3String decodes one NUL-terminated string in the given ID3 text encoding and returns it
// with the bytes after its terminator.
func id3String(enc byte, b []byte) (string, []byte) {
	switch enc {
	case 1, 2: // UTF-16 with BOM, UTF-16BE
		end := len(b) &^ 1
		for i := 0; i+1 < len(b); i += 2 {
			if b[i] == 0 && b[i+1] == 0 {
				end = i
				break
			}
		}
		rest := b[min(end+2, len(b)):]
		u := b[:end]
		bigEndian := enc == 2
		if len(u) >= 2 {
			switch {
			case u[0] == 0xFF && u[1] == 0xFE:
				bigEndian, u = false, u[2:]
			case u[0] == 0xFE && u[1] == 0xFF:
				bigEndian, u = true, u[2:]
			}
		}
		units := make([]uint16, len(u)/2)
		for i := range units {
			if bigEndian {
				units[i] = binary.BigEndian.Uint16(u[2*i:])
			} else {
				units[i] = binary.LittleEndian.Uint16(u[2*i:])
			}
		}
		return string(utf16.Decode(units)), rest
	default: // 0 Latin-1, 3 UTF-8
		end := bytes.IndexByte(b, 0)
		if end < 0 {
			end = len(b)
		}
		rest := b[min(end+1, len(b)):]
		return textValue(b[:end]), rest
	}
}
