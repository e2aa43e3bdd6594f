package audio

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"testing"
)

// seekOnly hides io.ReaderAt so Decode takes its seek-and-read path.
type seekOnly struct{ r *bytes.Reader }

func (s seekOnly) Read(p []byte) (int, error)                { return s.r.Read(p) }
func (s seekOnly) Seek(off int64, whence int) (int64, error) { return s.r.Seek(off, whence) }

// Decode reads from the reader's current offset, through io.ReaderAt when it has one and
// through Seek and Read when it does not, with the same result.
func TestDecodeReaders(t *testing.T) {
	var wav bytes.Buffer
	src := gridBuffer(9, 22050, 2, 300, 16)
	if err := EncodeWAV(&wav, src, PCM16); err != nil {
		t.Fatal(err)
	}
	prefix := []byte("not part of the file")
	whole := append(bytes.Clone(prefix), wav.Bytes()...)
	readers := map[string]io.ReadSeeker{
		"ReaderAt":  bytes.NewReader(whole),
		"seek only": seekOnly{bytes.NewReader(whole)},
	}
	for name, r := range readers {
		t.Run(name, func(t *testing.T) {
			if _, err := r.Seek(int64(len(prefix)), io.SeekStart); err != nil {
				t.Fatal(err)
			}
			buf, md, err := Decode(r)
			if err != nil {
				t.Fatal(err)
			}
			equalBuffers(t, buf, src, 0)
			if md.Format != FormatWAV || md.RootNote != -1 || md.RLNDPad != -1 {
				t.Errorf("metadata %+v", md)
			}
		})
	}
}

func TestDecodeFileErrors(t *testing.T) {
	if _, _, err := DecodeFile("testdata/does-not-exist.wav"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, _, err := DecodeFile("testdata/README.md"); !errors.Is(err, ErrUnsupportedFormat) {
		t.Errorf("text file: %v", err)
	}
	if _, _, err := Decode(bytes.NewReader(nil)); !errors.Is(err, ErrUnsupportedFormat) {
		t.Errorf("empty input: %v", err)
	}
}

// A negative MaxFrames lifts the limit; zero applies DefaultMaxFrames.
func TestDecoderLimitDefaults(t *testing.T) {
	if got := (Decoder{}).maxFrames(); got != DefaultMaxFrames {
		t.Errorf("zero value: %d", got)
	}
	if got := (Decoder{MaxFrames: -1}).maxFrames(); got < 1<<62 {
		t.Errorf("negative: %d", got)
	}
	if got := (Decoder{MaxFrames: 10}).maxFrames(); got != 10 {
		t.Errorf("explicit: %d", got)
	}
}
