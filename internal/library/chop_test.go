package library

import (
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestSliceNameKeepsTheExtensionWithinTheLimit(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{"break 120bpm.wav", "break 120bpm slice 03.wav"},
		{"loop", "loop slice 03"},
		{"Bass.Line.flac", "Bass.Line slice 03.flac"},
	} {
		if got := sliceName(tc.name, 3); got != tc.want {
			t.Errorf("sliceName(%q) = %q, want %q", tc.name, got, tc.want)
		}
	}
	long := strings.Repeat("é", MaxNameLen-4) + ".wav"
	got := sliceName(long, 12)
	if utf8.RuneCountInString(got) != MaxNameLen || !strings.HasSuffix(got, "é slice 12.wav") {
		t.Errorf("sliceName of a %d-rune name = %d runes, ends %q", MaxNameLen, utf8.RuneCountInString(got), got[len(got)-20:])
	}
}

func TestSliceHashIsTheRegionsOwn(t *testing.T) {
	root := &Sample{ID: 7, ContentHash: strings.Repeat("a", 64), BlobKey: "aa/aa/x", SampleRate: 48000}
	now := time.Now()
	a, b := newSlice(root, root, 1, 0, 24000, now), newSlice(root, root, 1, 0, 24000, now)
	c := newSlice(root, root, 2, 24000, 48000, now)
	if a.ContentHash != b.ContentHash || a.ContentHash == c.ContentHash || a.ContentHash == root.ContentHash || len(a.ContentHash) != 64 {
		t.Fatalf("hashes: %s %s %s", a.ContentHash, b.ContentHash, c.ContentHash)
	}
	if *a.SourceID != 7 || a.BlobKey != root.BlobKey || a.Frames != 24000 || a.DurationS != 0.5 || !a.IsSlice() {
		t.Fatalf("slice = %+v", a)
	}
}
