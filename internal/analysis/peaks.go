package analysis

import (
	"math"

	"github.com/sp404agent/sp404agent/internal/audio"
)

// waveformPeaks computes the coarse and fine min/max peaks of buf over all channels. When
// every fine bucket holds a frame, coarse bucket i is exactly fine buckets 16i…16i+15
// (⌊i·F/64⌋ = ⌊16i·F/1024⌋), so it is folded from them instead of read again.
func waveformPeaks(buf *audio.Buffer) Peaks {
	fine := minMax(buf, PeaksFineBuckets)
	if buf.Frames() < PeaksFineBuckets {
		return Peaks{Coarse: minMax(buf, PeaksCoarseBuckets), Fine: fine}
	}
	const k = PeaksFineBuckets / PeaksCoarseBuckets
	coarse := make([]int8, 2*PeaksCoarseBuckets)
	for i := 0; i < PeaksCoarseBuckets; i++ {
		mn, mx := int8(127), int8(-127)
		for j := i * k; j < (i+1)*k; j++ {
			mn = min(mn, fine[2*j])
			mx = max(mx, fine[2*j+1])
		}
		coarse[2*i], coarse[2*i+1] = mn, mx
	}
	return Peaks{Coarse: coarse, Fine: fine}
}

// minMax returns 2·buckets interleaved min/max values scaled to ±127. A bucket that holds no
// frame (files shorter than the bucket count) takes the frame under its start.
func minMax(buf *audio.Buffer, buckets int) []int8 {
	out := make([]int8, 2*buckets)
	n := buf.Frames()
	if n == 0 {
		return out
	}
	for b := 0; b < buckets; b++ {
		lo := b * n / buckets
		hi := (b + 1) * n / buckets
		if hi <= lo {
			hi = lo + 1
		}
		mn, mx := float32(math.Inf(1)), float32(math.Inf(-1))
		for _, ch := range buf.Data {
			for _, v := range ch[lo:hi] {
				if v < mn {
					mn = v
				}
				if v > mx {
					mx = v
				}
			}
		}
		out[2*b] = scale127(mn)
		out[2*b+1] = scale127(mx)
	}
	return out
}

func scale127(v float32) int8 {
	x := math.Round(float64(v) * 127)
	return int8(max(-127, min(127, x)))
}
