package audio

import (
	"bytes"
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"
)

// riffChunk builds one little-endian chunk with its pad byte.
func riffChunk(id string, data []byte) []byte {
	b := append([]byte(id), binary.LittleEndian.AppendUint32(nil, uint32(len(data)))...)
	b = append(b, data...)
	if len(data)&1 != 0 {
		b = append(b, 0)
	}
	return b
}

// riffChunkSized builds a chunk header that claims size bytes but carries only data.
func riffChunkSized(id string, size uint32, data []byte) []byte {
	b := append([]byte(id), binary.LittleEndian.AppendUint32(nil, size)...)
	return append(b, data...)
}

// wavBytes wraps chunks in a RIFF/WAVE header with a correct size.
func wavBytes(chunks ...[]byte) []byte {
	body := bytes.Join(chunks, nil)
	b := append([]byte("RIFF"), binary.LittleEndian.AppendUint32(nil, uint32(4+len(body)))...)
	b = append(b, "WAVE"...)
	return append(b, body...)
}

// fmtPCM builds a 16-byte fmt chunk body.
func fmtPCM(tag, channels, rate, bits int) []byte {
	le := binary.LittleEndian
	b := le.AppendUint16(nil, uint16(tag))
	b = le.AppendUint16(b, uint16(channels))
	b = le.AppendUint32(b, uint32(rate))
	block := channels * ((bits + 7) / 8)
	b = le.AppendUint32(b, uint32(rate*block))
	b = le.AppendUint16(b, uint16(block))
	return le.AppendUint16(b, uint16(bits))
}

// fmtExtensible builds a 40-byte WAVE_FORMAT_EXTENSIBLE fmt body around a plain tag.
func fmtExtensible(subTag, channels, rate, containerBits, validBits int) []byte {
	b := fmtPCM(0xFFFE, channels, rate, containerBits)
	le := binary.LittleEndian
	b = le.AppendUint16(b, 22)
	b = le.AppendUint16(b, uint16(validBits))
	b = le.AppendUint32(b, 0)
	b = le.AppendUint16(b, uint16(subTag))
	return append(b, wavGUIDSuffix[:]...)
}

// iffChunk builds one big-endian chunk with its pad byte.
func iffChunk(id string, data []byte) []byte {
	b := append([]byte(id), binary.BigEndian.AppendUint32(nil, uint32(len(data)))...)
	b = append(b, data...)
	if len(data)&1 != 0 {
		b = append(b, 0)
	}
	return b
}

// aiffBytes wraps chunks in a FORM header of the given type (AIFF or AIFC).
func aiffBytes(form string, chunks ...[]byte) []byte {
	body := bytes.Join(chunks, nil)
	b := append([]byte("FORM"), binary.BigEndian.AppendUint32(nil, uint32(4+len(body)))...)
	b = append(b, form...)
	return append(b, body...)
}

// commBody builds a COMM body; comp is empty for plain AIFF.
func commBody(channels int, frames uint32, bits int, rate uint32, comp string) []byte {
	be := binary.BigEndian
	b := be.AppendUint16(nil, uint16(channels))
	b = be.AppendUint32(b, frames)
	b = be.AppendUint16(b, uint16(bits))
	r := floatToExt80(rate)
	b = append(b, r[:]...)
	if comp != "" {
		b = append(b, comp...)
		b = append(b, 0, 0) // empty Pascal string, padded
	}
	return b
}

// ssndBody builds an SSND body with offset and block size 0.
func ssndBody(data []byte) []byte {
	return append(make([]byte, 8), data...)
}

// gridBuffer returns a deterministic noise buffer whose samples lie exactly on the grid of
// a bits-deep integer format (bits 0 means any float32), including both extremes, so an
// encode → decode round trip can be compared for equality.
func gridBuffer(seed uint64, rate, channels, frames, bits int) *Buffer {
	rng := rand.New(rand.NewPCG(seed, 1))
	b := NewBuffer(rate, channels, frames)
	for c := range b.Data {
		for i := range b.Data[c] {
			switch {
			case bits == 0:
				b.Data[c][i] = float32(rng.Float64()*2.2 - 1.1) // floats may exceed full scale
			default:
				full := int64(1) << (bits - 1)
				n := rng.Int64N(2*full) - full
				switch i {
				case 0:
					n = -full
				case 1:
					n = full - 1
				case 2:
					n = 0
				}
				b.Data[c][i] = float32(float64(n) / float64(full))
			}
		}
	}
	return b
}

// decodeBytes decodes b with a small frame limit so hostile cases stay cheap.
func decodeBytes(t testing.TB, b []byte) (*Buffer, Metadata, error) {
	t.Helper()
	return Decoder{MaxFrames: 1 << 22}.Decode(bytes.NewReader(b))
}

// mustDecode decodes b and fails the test on error.
func mustDecode(t testing.TB, b []byte) (*Buffer, Metadata) {
	t.Helper()
	buf, md, err := decodeBytes(t, b)
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	if err := buf.Validate(); err != nil {
		t.Fatalf("decoded buffer invalid: %v", err)
	}
	return buf, md
}

// equalBuffers reports the first difference between two buffers beyond tol.
func equalBuffers(t testing.TB, got, want *Buffer, tol float64) {
	t.Helper()
	if got.SampleRate != want.SampleRate || got.Channels() != want.Channels() || got.Frames() != want.Frames() {
		t.Fatalf("shape: got %d Hz × %d ch × %d frames, want %d Hz × %d ch × %d frames",
			got.SampleRate, got.Channels(), got.Frames(), want.SampleRate, want.Channels(), want.Frames())
	}
	for c := range want.Data {
		for i, w := range want.Data[c] {
			g := got.Data[c][i]
			if math.Abs(float64(g)-float64(w)) > tol {
				t.Fatalf("channel %d frame %d: got %v, want %v (tol %g)", c, i, g, w, tol)
			}
		}
	}
}
