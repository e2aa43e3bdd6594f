package audio

import (
	"math"
	"testing"
	"time"
)

func TestNormalizePeakHitsTarget(t *testing.T) {
	for _, tc := range []struct {
		name   string
		target float64
	}{{"to -1 dBFS", -1}, {"to -6 dBFS", -6}, {"to 0 dBFS", 0}} {
		t.Run(tc.name, func(t *testing.T) {
			buf := &Buffer{SampleRate: 48000, Data: [][]float32{toneF32(100, 0.25, 0.3, 48000, 2000), toneF32(300, 0.1, 0, 48000, 2000)}}
			before := buf.Data[0][7]
			out, db := NormalizePeak(buf, tc.target)
			// float32 samples carry 24 bits: 1e-6 dB is far above their rounding.
			if got := PeakDBFS(out); math.Abs(got-tc.target) > 1e-4 {
				t.Errorf("peak %.6f dBFS, want %.1f", got, tc.target)
			}
			if buf.Data[0][7] != before {
				t.Error("NormalizePeak modified its input")
			}
			// Both channels share the gain: the ratio between them is kept.
			if r := out.Data[1][500] / out.Data[0][500]; math.Abs(float64(r-buf.Data[1][500]/buf.Data[0][500])) > 1e-5 {
				t.Errorf("channel ratio changed to %v", r)
			}
			if math.Abs(db-(tc.target-GainToDB(0.25))) > 1e-3 {
				t.Errorf("reported gain %.4f dB", db)
			}
		})
	}
	if out, db := NormalizePeak(NewBuffer(48000, 1, 10), -1); db != 0 || Peak(out) != 0 {
		t.Error("silence should stay silent with 0 dB gain")
	}
}

func TestNormalizeLoudnessAppliesTargetMinusMeasured(t *testing.T) {
	buf := &Buffer{SampleRate: 48000, Data: [][]float32{toneF32(100, 0.1, 0, 48000, 1000)}}
	for _, tc := range []struct {
		name                   string
		measured, target, ceil float64
		wantDB                 float64
	}{
		{"quieter by 6 dB", -14, -20, 0, -6},
		{"louder by 3 dB", -23, -20, 0, 3},
		{"capped at the ceiling", -30, -10, -1, -1 - GainToDB(Peak(buf))}, // +20 dB would clip
		{"silence stays put", math.Inf(-1), -14, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, db := NormalizeLoudness(buf, tc.measured, tc.target, tc.ceil)
			if math.Abs(db-tc.wantDB) > 1e-9 {
				t.Errorf("gain %.4f dB, want %.4f", db, tc.wantDB)
			}
			if got := GainToDB(Peak(out) / Peak(buf)); math.Abs(got-tc.wantDB) > 1e-4 {
				t.Errorf("peak moved by %.4f dB, want %.4f", got, tc.wantDB)
			}
		})
	}
}

// toneBurst is silence, a 1 kHz tone of amp for the given frames, then silence.
func toneBurst(rate, lead, length, tail int, amp float64, channels int) *Buffer {
	b := NewBuffer(rate, channels, lead+length+tail)
	tone := toneF32(1000, amp, 0.5, rate, length)
	for _, ch := range b.Data {
		copy(ch[lead:], tone)
	}
	return b
}

func TestTrimSilence(t *testing.T) {
	const rate = 48000
	opts := DefaultTrimOptions() // 5 ms = 240 frames pre-roll and fade, 20 ms = 960 post-roll
	for _, tc := range []struct {
		name                 string
		buf                  *Buffer
		opts                 TrimOptions
		wantFrames, wantFrom int
		fadeIn, fadeOut      bool
	}{
		{"cuts both ends keeping pre- and post-roll", toneBurst(rate, 10000, 4800, 10000, 0.5, 2), opts, 240 + 4800 + 960, 10000 - 240, true, true},
		{"mono stays mono", toneBurst(rate, 10000, 4800, 10000, 0.5, 1), opts, 240 + 4800 + 960, 10000 - 240, true, true},
		{"keeps a buffer that starts loud uncut and unfaded", toneBurst(rate, 0, 4800, 0, 0.5, 1), opts, 4800, 0, false, false},
		{"short lead keeps what there is", toneBurst(rate, 100, 4800, 100, 0.5, 1), opts, 100 + 4800 + 100, 0, false, false},
		{"treats a tone under the threshold as silence", toneBurst(rate, 100, 4800, 100, 0.0005, 1), opts, 0, 0, false, false},
		{"honours a lower threshold", toneBurst(rate, 1000, 4800, 1000, 0.0005, 1), TrimOptions{ThresholdDBFS: -80}, 4798, 1001, false, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, from := TrimSilence(tc.buf, tc.opts)
			if out.Channels() != tc.buf.Channels() {
				t.Fatalf("%d channels, want %d", out.Channels(), tc.buf.Channels())
			}
			// A sine's zero crossings may fall under the threshold, so the first and last
			// loud frames can move inwards by a frame or two.
			if absInt(out.Frames()-tc.wantFrames) > 3 || absInt(from-tc.wantFrom) > 2 {
				t.Errorf("kept %d frames from %d, want %d from %d", out.Frames(), from, tc.wantFrames, tc.wantFrom)
			}
			if out.Frames() == 0 {
				return
			}
			ch := out.Data[0]
			if got := ch[0] == 0; got != tc.fadeIn && tc.buf.Data[0][from] != 0 {
				t.Errorf("first frame %v: fade-in %v, want %v", ch[0], got, tc.fadeIn)
			}
			if tc.fadeOut && ch[len(ch)-1] != 0 {
				t.Errorf("last frame %v, want 0 after the fade-out", ch[len(ch)-1])
			}
			// The tone itself is never touched by the fades.
			lead := tc.wantFrom
			if tc.wantFrames > 0 && tc.opts.PreRoll > 0 {
				i := 10000 - lead + 10
				if i > 0 && i < len(ch) && ch[i] != tc.buf.Data[0][from+i] {
					t.Errorf("frame %d changed: %v, want %v", i, ch[i], tc.buf.Data[0][from+i])
				}
			}
		})
	}
}

func TestTrimSilenceFadesOnlyTheRolls(t *testing.T) {
	// With a 1 ms pre-roll and a 5 ms fade, the fade shrinks to the pre-roll: the first
	// loud frame keeps its value.
	buf := toneBurst(48000, 1000, 4800, 1000, 0.5, 1)
	o := DefaultTrimOptions()
	o.PreRoll = time.Millisecond
	out, from := TrimSilence(buf, o)
	first := 1000 - from
	for i := first; i < first+100; i++ {
		if out.Data[0][i] != buf.Data[0][from+i] {
			t.Fatalf("frame %d of the tone was faded", i)
		}
	}
}

func TestFadeShape(t *testing.T) {
	buf := NewBuffer(48000, 2, 100)
	for _, ch := range buf.Data {
		for i := range ch {
			ch[i] = 1
		}
	}
	out := Fade(buf, 10, 20)
	if buf.Data[0][0] != 1 {
		t.Fatal("Fade modified its input")
	}
	for _, ch := range out.Data {
		if ch[0] != 0 || ch[99] != 0 {
			t.Errorf("ends %v, %v; want 0", ch[0], ch[99])
		}
		if ch[10] != 1 || ch[79] != 1 {
			t.Errorf("frames after the fades changed: %v %v", ch[10], ch[79])
		}
		// sin²(π/4) = 0.5 halfway through each fade
		if math.Abs(float64(ch[5])-0.5) > 1e-6 || math.Abs(float64(ch[89])-0.5) > 1e-6 {
			t.Errorf("mid-fade gains %v, %v; want 0.5", ch[5], ch[89])
		}
		for i := 1; i < 10; i++ {
			if ch[i] <= ch[i-1] {
				t.Errorf("fade-in not rising at %d", i)
			}
		}
	}
	// Lengths past the buffer are clamped rather than panicking.
	if got := Fade(buf, 500, -3); got.Frames() != 100 || got.Data[0][99] == 0 {
		t.Error("clamped fade misbehaved")
	}
}

func absInt(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func TestRegionSharesFramesOfEveryChannel(t *testing.T) {
	buf := NewBuffer(48000, 2, 10)
	for c := range buf.Data {
		for i := range buf.Data[c] {
			buf.Data[c][i] = float32(c*100 + i)
		}
	}
	r, err := buf.Region(3, 7)
	if err != nil || r.SampleRate != 48000 || r.Channels() != 2 || r.Frames() != 4 || r.Data[1][0] != 103 || r.Data[0][3] != 6 {
		t.Fatalf("Region(3, 7) = %+v, %v", r, err)
	}
	for _, bad := range [][2]int64{{-1, 4}, {4, 4}, {5, 3}, {0, 11}} {
		if _, err := buf.Region(bad[0], bad[1]); err == nil {
			t.Errorf("Region(%d, %d) of 10 frames: no error", bad[0], bad[1])
		}
	}
	// An append to the region must not overwrite the frames after it.
	_ = append(r.Data[0], -1)
	if buf.Data[0][7] != 7 {
		t.Fatalf("append to a region overwrote frame 7: %g", buf.Data[0][7])
	}
}
