package analysis

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"math"

	"github.com/sp404agent/sp404agent/internal/audio"
)

// FingerprintDims is the length of a Fingerprint.
const FingerprintDims = 2 * fingerprintSegments

const fingerprintSegments = 32

// AudioHash is the hex SHA-256 of the decoded audio quantised to 16 bits, interleaved, with the
// sample rate and channel count. Two files with the same sound in different containers or with
// different metadata (a WAV and its FLAC, a re-tagged MP3) hash alike; the file hash cannot see
// that.
func AudioHash(buf *audio.Buffer) string {
	h := sha256.New()
	// Built-in min/max and PutUint16 into a fixed block keep this loop free of calls: it runs
	// once per sample of every import. The bytes hashed are a stored contract (duplicates are
	// found by this hash across versions), pinned by TestAudioHashIsStable.
	var block [4096]byte
	binary.LittleEndian.PutUint32(block[0:], uint32(buf.SampleRate))
	binary.LittleEndian.PutUint32(block[4:], uint32(buf.Channels()))
	h.Write(block[:8])
	chs := buf.Data
	frame := 2 * len(chs)
	o := 0
	for i := range buf.Frames() {
		if o+frame > len(block) {
			h.Write(block[:o])
			o = 0
		}
		for _, ch := range chs {
			binary.LittleEndian.PutUint16(block[o:], uint16(quantize16(ch[i])))
			o += 2
		}
	}
	h.Write(block[:o])
	return hex.EncodeToString(h.Sum(nil))
}

// quantize16 is int16(clamp(math.Round(v·32767))) at a third of the cost: compares instead of
// Go's float min/max (which also order −0 and NaN), and rounding half away from zero by
// truncating v·32767 ± 0.5. That sum is exact: a float32 times 32767 has at most 39
// significant bits, and below 0.25 the truncation is 0 whatever the sum rounds to.
func quantize16(f float32) int16 {
	v := float64(f) * 32767
	switch {
	case v >= 32766.5:
		return 32767
	case v <= -32767.5:
		return -32768
	case v >= 0:
		return int16(v + 0.5)
	default:
		return -int16(-v + 0.5)
	}
}

// Fingerprint describes the sound's shape in a way that survives gain changes, added or removed
// leading and trailing silence, resampling and lossy re-encoding: the mono signal is trimmed to
// where it is within 50 dB of its peak and cut into 32 equal parts (relative positions, so the
// sample rate does not matter); each part contributes its log RMS level, with the mean level
// removed (gain), and its zero-crossing rate per second, log-scaled (a brightness proxy that
// codecs barely move). Compare fingerprints by cosine similarity; near duplicates score above
// about 0.98.
func Fingerprint(buf *audio.Buffer) []float32 { return fingerprint(buf.Mono(), buf.SampleRate) }

// fingerprint is Fingerprint of the mono mix, which Analyze has made already.
func fingerprint(mono []float32, rate int) []float32 {
	var peak float32
	for _, v := range mono {
		// A compare, not max: Go's float max also orders −0 and NaN, at several times the cost.
		if a := float32(math.Abs(float64(v))); a > peak {
			peak = a
		}
	}
	out := make([]float32, FingerprintDims)
	if peak == 0 {
		return out
	}
	floor := peak * float32(math.Pow(10, -50.0/20))
	lo, hi := 0, len(mono)
	for lo < hi && mono[lo] < floor && -mono[lo] < floor {
		lo++
	}
	for hi > lo && mono[hi-1] < floor && -mono[hi-1] < floor {
		hi--
	}
	sig := mono[lo:hi]
	if len(sig) < fingerprintSegments {
		return out
	}
	var mean float64
	levels := out[:fingerprintSegments]
	for s := range fingerprintSegments {
		a, b := s*len(sig)/fingerprintSegments, (s+1)*len(sig)/fingerprintSegments
		var sum float64
		var crossings int
		part := sig[a:b]
		prev := nonNegative(part[0])
		for _, v := range part {
			sum += float64(v) * float64(v)
			pos := nonNegative(v)
			crossings += pos ^ prev // no branch: noise crosses zero at random
			prev = pos
		}
		db := 10 * math.Log10(sum/float64(b-a)+1e-12)
		levels[s] = float32(db)
		mean += db
		perSecond := float64(crossings) * float64(rate) / float64(b-a)
		out[fingerprintSegments+s] = float32(10 * math.Log10(perSecond+1))
	}
	mean /= fingerprintSegments
	for s := range levels {
		levels[s] -= float32(mean)
	}
	return out
}

// nonNegative is 1 for v ≥ 0 (−0 included) and 0 otherwise; the compiler makes it a SETcc.
func nonNegative(v float32) int {
	if v >= 0 {
		return 1
	}
	return 0
}

// fingerprintShape turns a fingerprint into the vector near-duplicate search compares by cosine:
// the level contour as is (in dB, mean already removed), the zero-crossing contour with its mean
// removed and weighted ×3 (a 10 % rate change is 0.4 units), and the mean crossing rate relative
// to a typical one, so steady sounds (flat contours) still differ by brightness.
func fingerprintShape(fp []float32) []float64 {
	out := make([]float64, len(fp)+1)
	zcr := fp[fingerprintSegments:]
	var mean float64
	for _, z := range zcr {
		mean += float64(z) / fingerprintSegments
	}
	for i, l := range fp[:fingerprintSegments] {
		out[i] = float64(l)
	}
	for i, z := range zcr {
		out[fingerprintSegments+i] = 3 * (float64(z) - mean)
	}
	out[len(fp)] = 3 * (mean - 30)
	return out
}

// FingerprintSimilarity is the cosine similarity of two fingerprints' shapes (0 when either is
// silent or they are not fingerprints).
func FingerprintSimilarity(a, b []float32) float64 {
	if len(a) != FingerprintDims || len(b) != FingerprintDims {
		return 0
	}
	x, y := fingerprintShape(a), fingerprintShape(b)
	var dot, na, nb float64
	for i := range x {
		dot += x[i] * y[i]
		na += x[i] * x[i]
		nb += y[i] * y[i]
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// NearDuplicate reports whether two fingerprints are the same sound: shapes alike (cosine ≥
// 0.985) and mean crossing rates within 8 % (0.35 in 10·log10 units; band-limiting noise in a resampler moves it a few %), which a gain change,
// trimming, resampling or lossy coding keeps and a different pitch or timbre does not.
func NearDuplicate(a, b []float32) bool {
	if FingerprintSimilarity(a, b) < 0.985 {
		return false
	}
	var ma, mb float64
	for i := fingerprintSegments; i < FingerprintDims; i++ {
		ma += float64(a[i]) / fingerprintSegments
		mb += float64(b[i]) / fingerprintSegments
	}
	return math.Abs(ma-mb) < 0.35
}

// FingerprintVector is the shape vector as float32, for indexing (cosine of two of these is
// FingerprintSimilarity).
func FingerprintVector(fp []float32) []float32 {
	sh := fingerprintShape(fp)
	out := make([]float32, len(sh))
	for i, v := range sh {
		out[i] = float32(v)
	}
	return out
}
