package sp404

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"reflect"
	"runtime"
	"testing"
)

func randomPCM(r *rand.Rand, n int) []int16 {
	pcm := make([]int16, n)
	for i := range pcm {
		pcm[i] = int16(r.Uint32())
	}
	return pcm
}

func writeSMPBytes(t testing.TB, channels int, pcm []int16) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteSMP(&buf, channels, pcm); err != nil {
		t.Fatalf("WriteSMP: %v", err)
	}
	return buf.Bytes()
}

// Vectors 11 and 12: header fields and the MD5 of bytes 0x04..0x13.
func TestSMPHeaderMatchesDeviceFiles(t *testing.T) {
	tests := []struct {
		name     string
		channels int
		frames   int
		header   string
		digest   string
		size     int
	}{
		{
			name: "GS-P BANK1-01.SMP", channels: 2, frames: 24116,
			header: "52465756 00017ac8 0000bb80 00000002 00000010" + repeat("00", 12),
			digest: "c2bf4f386fc097bb1a690fe0ceb89dab", size: 96976,
		},
		{
			name: "576000 stereo PCM bytes", channels: 2, frames: 576000 / 4,
			header: "52465756 0008cbf8 0000bb80 00000002 00000010" + repeat("00", 12),
			digest: "2974ff8580b1eaa1c14d537078f91bcd", size: 576000 + 512,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := writeSMPBytes(t, tt.channels, make([]int16, tt.frames*tt.channels))
			if len(b) != tt.size {
				t.Fatalf("size %d, want %d", len(b), tt.size)
			}
			if got, want := b[:0x20], unhex(t, tt.header); !bytes.Equal(got, want) {
				t.Errorf("header % x, want % x", got, want)
			}
			if got, want := b[0x20:0x30], unhex(t, tt.digest); !bytes.Equal(got, want) {
				t.Errorf("digest % x, want % x", got, want)
			}
		})
	}
}

func TestSMPStoresBigEndianPCMAtByte512(t *testing.T) {
	b := writeSMPBytes(t, 2, []int16{0x0102, -2, 0x7FFF, -0x8000})
	want := unhex(t, "0102 fffe 7fff 8000")
	if got := b[512:]; !bytes.Equal(got, want) {
		t.Errorf("pcm bytes % x, want % x", got, want)
	}
}

func TestSMPFillerIsReproducibleAndNotBlank(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	pcm := randomPCM(r, 2000)
	a, b := writeSMPBytes(t, 1, pcm), writeSMPBytes(t, 1, pcm)
	if !bytes.Equal(a, b) {
		t.Fatal("two writes of the same audio differ")
	}
	filler := a[0x30:0x200]
	zeros := 0
	for _, c := range filler {
		if c == 0 {
			zeros++
		}
	}
	if zeros > len(filler)/8 {
		t.Errorf("filler has %d zero bytes of %d; want random-looking bytes", zeros, len(filler))
	}
	other := writeSMPBytes(t, 2, pcm)
	if bytes.Equal(other[0x30:0x200], filler) {
		t.Error("mono and stereo headers got the same filler")
	}
	want, err := SMPFiller(1, int64(2*len(pcm)))
	if err != nil || !bytes.Equal(want, filler) {
		t.Errorf("SMPFiller disagrees with the written filler (err %v)", err)
	}
}

func TestSMPRoundTripKeepsSamplesAndBytes(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, channels := range []int{1, 2} {
		pcm := randomPCM(r, 4096*channels)
		b := writeSMPBytes(t, channels, pcm)
		s, err := DecodeSMP(b)
		if err != nil {
			t.Fatal(err)
		}
		if s.Channels != channels || !reflect.DeepEqual(s.PCM, pcm) || s.Frames() != 4096 || s.Size() != int64(len(b)) {
			t.Fatalf("%d channels: decoded %d channels, %d frames", channels, s.Channels, s.Frames())
		}
		again, err := s.MarshalBinary()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("re-encode differs (err %v)", err)
		}
	}
}

func TestSMPStreamingWriterMatchesOneShotWriter(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	pcm := randomPCM(r, 2*30000)
	var buf bytes.Buffer
	sw, err := NewSMPWriter(&buf, 2, 30000)
	if err != nil {
		t.Fatal(err)
	}
	for rest := pcm; len(rest) > 0; {
		n := min(len(rest), 1+r.IntN(9000))
		if err := sw.Write(rest[:n]); err != nil {
			t.Fatal(err)
		}
		rest = rest[n:]
	}
	if err := sw.Close(); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), writeSMPBytes(t, 2, pcm)) {
		t.Error("streamed file differs from WriteSMP")
	}
}

func TestSMPWriterRefusesWrongLength(t *testing.T) {
	var buf bytes.Buffer
	sw, err := NewSMPWriter(&buf, 2, 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.Write(make([]int16, 18)); err != nil {
		t.Fatal(err)
	}
	if err := sw.Close(); err == nil {
		t.Error("Close after a short write succeeded")
	}
	sw, _ = NewSMPWriter(&buf, 1, 4)
	if err := sw.Write(make([]int16, 5)); err == nil {
		t.Error("writing past the declared length succeeded")
	}
	if err := WriteSMP(&buf, 2, make([]int16, 3)); err == nil {
		t.Error("odd sample count in stereo accepted")
	}
	if err := WriteSMP(&buf, 3, nil); err == nil {
		t.Error("3 channels accepted")
	}
}

func TestDecodeSMPReportsBadFiles(t *testing.T) {
	good := writeSMPBytes(t, 2, make([]int16, 200))
	tests := []struct {
		name   string
		edit   func([]byte) []byte
		digest bool // the error is a digest mismatch and a sample is returned
	}{
		{"short header", func(b []byte) []byte { return b[:100] }, false},
		{"wrong magic", func(b []byte) []byte { b[0] = 'X'; return b }, false},
		{"truncated pcm", func(b []byte) []byte { return b[:len(b)-4] }, false},
		{"size field larger than file", func(b []byte) []byte { b[4] = 0x7F; return b }, false},
		{"44.1 kHz", func(b []byte) []byte { b[10], b[11] = 0xAC, 0x44; return b }, false},
		{"3 channels", func(b []byte) []byte { b[15] = 3; return b }, false},
		{"8 bits", func(b []byte) []byte { b[19] = 8; return b }, false},
		{"reserved byte set", func(b []byte) []byte { b[0x15] = 1; return b }, false},
		{"digest changed", func(b []byte) []byte { b[0x25] ^= 0xFF; return b }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := DecodeSMP(tt.edit(bytes.Clone(good)))
			if err == nil {
				t.Fatal("decoded without error")
			}
			if got := errors.Is(err, ErrSMPDigest); got != tt.digest {
				t.Errorf("errors.Is(err, ErrSMPDigest) = %v, want %v (%v)", got, tt.digest, err)
			}
			if (s != nil) != tt.digest {
				t.Errorf("returned sample %v alongside %v", s != nil, err)
			}
		})
	}
}

func TestReadSMPDoesNotTrustClaimedSize(t *testing.T) {
	b := writeSMPBytes(t, 1, make([]int16, 10))
	b[4], b[5], b[6], b[7] = 0xFF, 0xFF, 0xFF, 0xF0 // claims about 4 GiB
	var err error
	allocated := bytesAllocated(func() { _, err = ReadSMP(bytes.NewReader(b)) })
	if err == nil {
		t.Fatal("file claiming 4 GiB accepted")
	}
	if allocated > 1<<20 {
		t.Errorf("allocated %d bytes for a %d-byte input", allocated, len(b))
	}
}

// bytesAllocated reports how many heap bytes f allocates.
func bytesAllocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
