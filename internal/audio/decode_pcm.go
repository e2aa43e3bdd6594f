package audio

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// pcmKind names one way of storing a sample in bytes.
type pcmKind int

const (
	pcmU8 pcmKind = iota + 1 // unsigned 8-bit, 128 = silence (WAV)
	pcmS8                    // signed 8-bit (AIFF)
	pcmS16LE
	pcmS16BE
	pcmS24LE
	pcmS24BE
	pcmS32LE
	pcmS32BE
	pcmF32LE
	pcmF32BE
	pcmF64LE
	pcmF64BE
	pcmALaw
	pcmULaw
)

// size is the number of bytes one sample occupies.
func (k pcmKind) size() int {
	switch k {
	case pcmU8, pcmS8, pcmALaw, pcmULaw:
		return 1
	case pcmS16LE, pcmS16BE:
		return 2
	case pcmS24LE, pcmS24BE:
		return 3
	case pcmS32LE, pcmS32BE, pcmF32LE, pcmF32BE:
		return 4
	case pcmF64LE, pcmF64BE:
		return 8
	}
	return 0
}

// Full-scale divisors: integer samples map to [-1, 1) by dividing by 2^(bits-1).
const (
	scale8  = 1.0 / 128
	scale16 = 1.0 / 32768
	scale24 = 1.0 / 8388608
	scale32 = 1.0 / 2147483648
)

// readBlockBytes is the size of the reads that feed sample conversion: large enough to amortise
// the read calls, small enough to stay in cache.
const readBlockBytes = 64 << 10

// readPCM decodes interleaved samples stored in src[off:off+n]. The frame count comes from n,
// which callers bound by the bytes really present, so a header's claim never sizes a buffer.
// A trailing partial frame is dropped.
func readPCM(src *io.SectionReader, off, n int64, channels int, kind pcmKind, lim limits) ([][]float32, error) {
	n = max(min(n, src.Size()-off), 0)
	block := int64(channels * kind.size())
	frames := n / block
	if err := lim.check(frames); err != nil {
		return nil, err
	}
	data := make([][]float32, channels)
	for c := range data {
		data[c] = make([]float32, frames)
	}
	chunkFrames := max(readBlockBytes/block, 1)
	raw := make([]byte, chunkFrames*block)
	for done := int64(0); done < frames; {
		k := min(chunkFrames, frames-done)
		b := raw[:k*block]
		got, err := src.ReadAt(b, off+done*block)
		if err != nil && !(errors.Is(err, io.EOF) && int64(got) == int64(len(b))) {
			if errors.Is(err, io.EOF) {
				// The section shrank underneath us (a file truncated while being read):
				// keep the whole frames that arrived.
				k = int64(got) / block
				b = b[:k*block]
				deinterleave(data, int(done), b, kind)
				for c := range data {
					data[c] = data[c][:done+k]
				}
				return data, nil
			}
			return nil, fmt.Errorf("read samples: %w", err)
		}
		deinterleave(data, int(done), b, kind)
		done += k
	}
	return data, nil
}

// deinterleave converts the interleaved frames in b into dst[c][at:]. The switch sits outside
// the loops so each format runs a tight loop of its own.
func deinterleave(dst [][]float32, at int, b []byte, kind pcmKind) {
	ch := len(dst)
	sz := kind.size()
	frames := len(b) / (ch * sz)
	for c := range ch {
		out := dst[c][at : at+frames]
		p := c * sz
		step := ch * sz
		switch kind {
		case pcmU8:
			for i := range out {
				out[i] = float32(int(b[p])-128) * scale8
				p += step
			}
		case pcmS8:
			for i := range out {
				out[i] = float32(int8(b[p])) * scale8
				p += step
			}
		case pcmS16LE:
			for i := range out {
				out[i] = float32(int16(binary.LittleEndian.Uint16(b[p:]))) * scale16
				p += step
			}
		case pcmS16BE:
			for i := range out {
				out[i] = float32(int16(binary.BigEndian.Uint16(b[p:]))) * scale16
				p += step
			}
		case pcmS24LE:
			for i := range out {
				v := int32(uint32(b[p])<<8|uint32(b[p+1])<<16|uint32(b[p+2])<<24) >> 8
				out[i] = float32(v) * scale24
				p += step
			}
		case pcmS24BE:
			for i := range out {
				v := int32(uint32(b[p+2])<<8|uint32(b[p+1])<<16|uint32(b[p])<<24) >> 8
				out[i] = float32(v) * scale24
				p += step
			}
		case pcmS32LE:
			for i := range out {
				out[i] = float32(float64(int32(binary.LittleEndian.Uint32(b[p:]))) * scale32)
				p += step
			}
		case pcmS32BE:
			for i := range out {
				out[i] = float32(float64(int32(binary.BigEndian.Uint32(b[p:]))) * scale32)
				p += step
			}
		case pcmF32LE:
			for i := range out {
				out[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[p:]))
				p += step
			}
		case pcmF32BE:
			for i := range out {
				out[i] = math.Float32frombits(binary.BigEndian.Uint32(b[p:]))
				p += step
			}
		case pcmF64LE:
			for i := range out {
				out[i] = float32(math.Float64frombits(binary.LittleEndian.Uint64(b[p:])))
				p += step
			}
		case pcmF64BE:
			for i := range out {
				out[i] = float32(math.Float64frombits(binary.BigEndian.Uint64(b[p:])))
				p += step
			}
		case pcmALaw:
			for i := range out {
				out[i] = float32(alawToLinear(b[p])) * scale16
				p += step
			}
		case pcmULaw:
			for i := range out {
				out[i] = float32(ulawToLinear(b[p])) * scale16
				p += step
			}
		}
	}
}

// alawToLinear expands one ITU-T G.711 A-law byte to 16-bit linear PCM.
func alawToLinear(a byte) int16 {
	a ^= 0x55
	t := int(a&0x0F) << 4
	seg := int(a&0x70) >> 4
	switch seg {
	case 0:
		t += 8
	case 1:
		t += 0x108
	default:
		t += 0x108
		t <<= seg - 1
	}
	if a&0x80 != 0 {
		return int16(t)
	}
	return int16(-t)
}

// ulawToLinear expands one ITU-T G.711 µ-law byte to 16-bit linear PCM.
func ulawToLinear(u byte) int16 {
	u = ^u
	t := (int(u&0x0F) << 3) + 0x84
	t <<= (int(u) & 0x70) >> 4
	if u&0x80 != 0 {
		return int16(0x84 - t)
	}
	return int16(t - 0x84)
}
