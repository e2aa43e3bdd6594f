package export

import (
	"fmt"
	"strings"
)

// MaxNameLen is the longest sample name the SP-404MKII shows (spec §1.1).
const MaxNameLen = 23

// foldLatin folds the accented Latin-1 letters most sample names use to
// their ASCII base letters, so "Café Rhodes" becomes "Cafe Rhodes" instead of
// "Caf Rhodes". Other characters are returned unchanged.
func foldLatin(s string) string {
	var b strings.Builder
	for _, r := range s {
		b.WriteString(foldRune(r))
	}
	return b.String()
}

func foldRune(r rune) string {
	const (
		from = "àáâãäåçèéêëìíîïñòóôõöøùúûüýÿÀÁÂÃÄÅÇÈÉÊËÌÍÎÏÑÒÓÔÕÖØÙÚÛÜÝ"
		to   = "aaaaaaceeeeiiiinoooooouuuuyyAAAAAACEEEEIIIINOOOOOOUUUUY"
	)
	switch r {
	case 'æ':
		return "ae"
	case 'Æ':
		return "AE"
	case 'ß':
		return "ss"
	}
	if i := strings.IndexRune(from, r); i >= 0 {
		// from is two bytes per rune; to is one byte per rune.
		return to[i/2 : i/2+1]
	}
	return string(r)
}

// SanitizeName turns s into a file-name-safe sample name of at most max
// characters: accented letters lose their accent, spaces become '_', and
// everything other than ASCII letters, digits, '_' and '-' is dropped. Runs of
// '_' collapse and leading/trailing '_' and '-' are removed. An empty result
// becomes "SAMPLE". The name is upper-cased so that it cannot clash with
// another on the case-insensitive FAT file system of the card.
func SanitizeName(s string, max int) string {
	s = foldLatin(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-':
			b.WriteRune(r)
		case r == ' ' || r == '_' || r == '\t':
			if n := b.Len(); n > 0 && b.String()[n-1] != '_' {
				b.WriteByte('_')
			}
		}
	}
	out := strings.Trim(b.String(), "_-")
	if len(out) > max {
		out = strings.TrimRight(out[:max], "_-")
	}
	if out == "" {
		out = "SAMPLE"
		if len(out) > max {
			out = out[:max]
		}
	}
	return out
}

// displayName turns s into a pad display name: printable ASCII only (accents
// folded, other characters dropped), at most 23 characters, case kept.
func displayName(s string) string {
	s = foldLatin(s)
	var b strings.Builder
	for _, r := range s {
		if r >= 0x20 && r <= 0x7E {
			b.WriteRune(r)
		}
	}
	out := strings.TrimSpace(b.String())
	if len(out) > MaxNameLen {
		out = strings.TrimSpace(out[:MaxNameLen])
	}
	return out
}

// uniqueNames hands out names that differ case-insensitively, keeping each
// within a length limit by shortening the stem before a "_N" suffix.
type uniqueNames struct {
	used map[string]bool
}

func newUniqueNames() *uniqueNames { return &uniqueNames{used: make(map[string]bool)} }

// take returns stem, or stem shortened and suffixed with _2, _3 … when stem
// (compared case-insensitively) was taken already. The result is at most max
// characters.
func (u *uniqueNames) take(stem string, max int) string {
	name := stem
	for n := 2; u.used[strings.ToUpper(name)]; n++ {
		suffix := fmt.Sprintf("_%d", n)
		cut := min(len(stem), max-len(suffix))
		name = stem[:cut] + suffix
	}
	u.used[strings.ToUpper(name)] = true
	return name
}
