package sp404

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

// The fuzz targets check that readers never panic and that whatever they
// accept re-encodes faithfully. Seeds are the real device files plus files
// our writers produce.

func FuzzDecodePadconf(f *testing.F) {
	f.Add(readTestdata(f, "PADCONF.BIN"))
	pc := mustPadconf(f, "SEED")
	f.Add(mustEncode(f, pc))
	pc.Version = 2
	f.Add(mustEncode(f, pc))
	f.Add([]byte("RFPD"))
	check := func(t *testing.T, b []byte) {
		pc, err := DecodePadconf(b)
		if err != nil {
			return
		}
		out, err := pc.encode()
		if err != nil {
			t.Fatalf("decoded file does not re-encode: %v", err)
		}
		if !bytes.Equal(out, b) {
			t.Fatalf("decode→encode not identity: %s", firstDiff(out, b))
		}
		_ = pc.Validate() // must not panic on any decoded model
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		check(t, b)
		// Only two lengths are valid, which random mutations rarely keep;
		// also try the input fitted to the length its version byte asks
		// for, so that mutations reach the field decoding.
		size := PadconfSize
		if len(b) > 8 && b[8] == 2 {
			size = PadconfV2Size
		}
		check(t, fitLength(b, size))
	})
}

// fitLength returns b cut or zero-extended to n bytes.
func fitLength(b []byte, n int) []byte {
	out := make([]byte, n)
	copy(out, b)
	return out
}

func FuzzDecodeSMP(f *testing.F) {
	var buf bytes.Buffer
	if err := WriteSMP(&buf, 2, []int16{1, -1, 300, -300}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	buf.Reset()
	if err := WriteSMP(&buf, 1, nil); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("RFWV\xff\xff\xff\xff"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeSMP(b)
		if err != nil && !errors.Is(err, ErrSMPDigest) {
			if s != nil {
				t.Fatalf("sample returned with error %v", err)
			}
			return
		}
		out, merr := s.MarshalBinary()
		if merr != nil {
			t.Fatalf("decoded sample does not re-encode: %v", merr)
		}
		if err == nil && !bytes.Equal(out, b) {
			t.Fatalf("decode→encode not identity: %s", firstDiff(out, b))
		}
		if err != nil && !bytes.Equal(out[0x30:], b[0x30:]) {
			t.Fatal("repairing the digest changed more than the digest")
		}
	})
}

func FuzzDecodePadInfo(f *testing.F) {
	f.Add(readTestdata(f, "PAD_INFO.BIN"))
	b, err := NewPadInfo().MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	check := func(t *testing.T, b []byte) {
		pi, err := DecodePadInfo(b)
		if err != nil {
			return
		}
		if out := pi.encode(); !bytes.Equal(out, b) {
			t.Fatalf("decode→encode not identity: %s", firstDiff(out, b))
		}
		_ = pi.Validate()
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		check(t, b)
		check(t, fitLength(b, PadInfoSize))
	})
}

func FuzzDecodeSXSample(f *testing.F) {
	f.Add(readTestdata(f, "J0000012.WAV")[:4096])
	a1 := readTestdata(f, "A0000001.wav")[:2048]
	f.Add(a1)
	var buf bytes.Buffer
	if err := WriteRLNDAIFF(&buf, 7, 1, []int16{1, 2, 3, -4}); err != nil {
		f.Fatal(err)
	}
	f.Add(bytes.Clone(buf.Bytes()))
	buf.Reset()
	if err := WriteRLNDWAV(&buf, 119, 2, []int16{5, -5, 6, -6}); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("FORM\x00\x00\x00\x04AIFF"))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := DecodeSXSample(b)
		if err != nil {
			return
		}
		if s.Channels != 1 && s.Channels != 2 || len(s.PCM)%s.Channels != 0 {
			t.Fatalf("accepted %d channels with %d samples", s.Channels, len(s.PCM))
		}
		if 2*len(s.PCM) > len(b) {
			t.Fatalf("%d samples from %d input bytes", len(s.PCM), len(b))
		}
		idx := s.PadIndex
		if idx < 0 {
			idx = 0
		}
		var out bytes.Buffer
		write := WriteRLNDWAV
		if s.Format == FormatAIFF {
			write = WriteRLNDAIFF
		}
		if err := write(&out, idx, s.Channels, s.PCM); err != nil {
			t.Fatalf("accepted sample does not re-write: %v", err)
		}
		again, err := DecodeSXSample(out.Bytes())
		if err != nil {
			t.Fatalf("re-written sample does not decode: %v", err)
		}
		if !reflect.DeepEqual(again.PCM, s.PCM) && len(s.PCM) > 0 {
			t.Fatal("re-written sample has different audio")
		}
	})
}
