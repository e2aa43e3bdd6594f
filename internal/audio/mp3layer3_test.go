package audio

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// mp3Stream returns a file's Layer III frames after any ID3 tag and Xing frame.
func mp3Stream(t *testing.T, path string) ([]byte, mp3Header) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	src := io.NewSectionReader(bytes.NewReader(raw), 0, int64(len(raw)))
	pos := int64(0)
	if h, ok := parseID3v2Header(raw); ok {
		pos = h.total
	}
	start, first, err := findMP3Frame(src, pos, int64(len(raw)))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := parseXing(raw[start:], first); ok {
		start += int64(first.frameSize)
	}
	return raw[start:], first
}

// decodeLayer3 decodes frames with this package's decoder.
func decodeLayer3(t *testing.T, data []byte, first mp3Header) *planar {
	t.Helper()
	out := newPlanar(first.channels(), 0, limits{maxFrames: 1 << 30})
	if err := newMP3Layer3(first, mp3TablesOnce()).decode(bytes.NewReader(data), 0, int64(len(data)), out); err != nil {
		t.Fatal(err)
	}
	return out
}

// mpg123MP3 decodes frames with mpg123 (float output, no gapless trimming) into interleaved
// samples. mpg123 is the reference: ffmpeg 5.1 disagrees with it, go-mp3 and this decoder on
// some MPEG-2 granules, and go-mp3 disagrees with the other three on short blocks that carry
// scale factors.
func mpg123MP3(t *testing.T, data []byte) []float64 {
	t.Helper()
	mpg123, err := exec.LookPath("mpg123")
	if err != nil {
		if os.Getenv("SP404_REQUIRE_EVAL") != "" { // CI installs mpg123
			t.Fatal("mpg123 not installed")
		}
		t.Skip("mpg123 not installed")
	}
	in := filepath.Join(t.TempDir(), "in.mp3")
	if err := os.WriteFile(in, data, 0o644); err != nil {
		t.Fatal(err)
	}
	raw, err := exec.Command(mpg123, "-q", "--no-gapless", "-e", "f32", "-s", in).Output()
	if err != nil {
		t.Fatalf("mpg123: %v", err)
	}
	out := make([]float64, len(raw)/4)
	for i := range out {
		out[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(raw[4*i:])))
	}
	return out
}

// mp3Features counts the granules of each block type, and those coded in M/S stereo.
func mp3Features(data []byte, first mp3Header) (blocks [4]int, midSide int) {
	d := newMP3Layer3(first, mp3TablesOnce())
	for pos := 0; pos+4 <= len(data); {
		h, ok := parseMP3Header(data[pos:])
		if !ok || pos+h.frameSize > len(data) {
			break
		}
		var s mp3Side
		d.sideInfo(data[pos+4:pos+4+h.sideInfo], h, &s)
		for gr := range h.granules() {
			for c := range h.channels() {
				blocks[s.gr[gr][c].blockType]++
			}
			if h.mode == 1 && h.modeExt&2 != 0 {
				midSide++
			}
		}
		pos += h.frameSize
	}
	return blocks, midSide
}

// Every stream decodes to within a small fraction of a 16-bit step of mpg123's, which also
// computes in float32.
func TestMP3MatchesMpg123(t *testing.T) {
	files, _ := filepath.Glob("testdata/mp3/*.mp3")
	more, _ := filepath.Glob("testdata/*.mp3")
	var blocks [4]int
	midSide := 0
	for _, f := range append(append(files, more...), "long") {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var data []byte
			var first mp3Header
			if f == "long" { // ten times a 320 kbit/s stream: longer than the read window
				one, h := mp3Stream(t, "testdata/mp3/mpeg1_44k_stereo_320.mp3")
				data, first = bytes.Repeat(one, 10), h
				if len(data) <= mp3ReadWindow {
					t.Fatalf("%d bytes fit one window", len(data))
				}
			} else {
				data, first = mp3Stream(t, f)
			}
			b, ms := mp3Features(data, first)
			for i := range blocks {
				blocks[i] += b[i]
			}
			midSide += ms
			ours := decodeLayer3(t, data, first)
			ref := mpg123MP3(t, data)
			nch := len(ours.data)
			if got := ours.frames(); got != len(ref)/nch {
				t.Fatalf("decoded %d frames, mpg123 %d", got, len(ref)/nch)
			}
			worst := 0.0
			for c, ch := range ours.data {
				for i, v := range ch {
					worst = max(worst, math.Abs(float64(v)-ref[nch*i+c]))
				}
			}
			if worst*32768 > 0.1 {
				t.Errorf("differs from mpg123 by up to %.3f 16-bit steps", worst*32768)
			}
			if testing.Verbose() {
				t.Logf("largest difference %.4f 16-bit steps", worst*32768)
			}
		})
	}
	// The fixtures must exercise every block type and M/S stereo.
	for bt, n := range blocks {
		if n == 0 {
			t.Errorf("no granule of block type %d in the fixtures", bt)
		}
	}
	if midSide == 0 {
		t.Error("no M/S stereo granule in the fixtures")
	}
	t.Logf("granules by block type %v, M/S %d", blocks, midSide)
}

// Without mpg123 at hand, go-mp3 is a second opinion on long blocks: it agrees to about a
// 16-bit step plus the 1e-4 by which its output is quieter.
func TestMP3MatchesGoMP3OnLongBlocks(t *testing.T) {
	data := synthMP3(rand.New(rand.NewPCG(3, 4)), 30, 184)
	first, _ := parseMP3Header(data)
	ours := decodeLayer3(t, data, first)
	ref := goMP3(t, data)
	if ours.frames() != len(ref)/2 {
		t.Fatalf("decoded %d frames, go-mp3 %d", ours.frames(), len(ref)/2)
	}
	for i, v := range ours.data[0] {
		if d := math.Abs(float64(v) - ref[2*i]); d*32768 > 1+1.2e-4*math.Abs(float64(v))*32768 {
			t.Fatalf("sample %d: %v, go-mp3 %v", i, v, ref[2*i])
		}
	}
}

// A frame with a CRC after its header decodes as the same frame without one.
func TestMP3FrameWithCRC(t *testing.T) {
	plain := synthMP3(rand.New(rand.NewPCG(5, 6)), 6, 180)
	var crc []byte
	for f := 0; f < len(plain); f += 1044 {
		frame := plain[f : f+1044]
		// The protection bit off, two CRC bytes after the header; the frame's unused tail
		// gives up the room.
		crc = append(crc, frame[0], frame[1]&^1, frame[2], frame[3], 0xAB, 0xCD)
		crc = append(crc, frame[4:1042]...)
	}
	first, _ := parseMP3Header(crc)
	if !first.crc {
		t.Fatal("test frame has no CRC flag")
	}
	a, b := decodeLayer3(t, plain, first), decodeLayer3(t, crc, first)
	if a.frames() != 6*1152 || !slices.Equal(a.data[0], b.data[0]) {
		t.Fatalf("CRC-protected frames decode differently (%d and %d frames)", a.frames(), b.frames())
	}
}

// Intensity stereo is left to go-mp3: a stream that uses it decodes exactly as go-mp3 decodes it.
func TestMP3IntensityStereoFallsBack(t *testing.T) {
	data, first := mp3Stream(t, "testdata/mp3/mpeg1_48k_joint_128.mp3")
	data = slices.Clone(data)
	// Mark every joint-stereo frame as intensity coded (mode extension bit 0).
	for pos := 0; pos+4 <= len(data); {
		h, ok := parseMP3Header(data[pos:])
		if !ok {
			t.Fatalf("no frame at %d", pos)
		}
		if h.mode == 1 {
			data[pos+3] |= 0x10
		}
		pos += h.frameSize
	}
	out := newPlanar(2, 0, limits{maxFrames: 1 << 30})
	if err := newMP3Layer3(first, mp3TablesOnce()).decode(bytes.NewReader(data), 0, int64(len(data)), out); !errors.Is(err, errMP3Fallback) {
		t.Fatalf("got %v, want the fallback", err)
	}
	buf, _, err := decodeMP3(section(data), limits{maxFrames: 1 << 30})
	if err != nil {
		t.Fatal(err)
	}
	ref := goMP3(t, data)
	if buf.Frames() != len(ref)/2 {
		t.Fatalf("%d frames, go-mp3 %d", buf.Frames(), len(ref)/2)
	}
	for c := range 2 {
		for i, v := range buf.Data[c] {
			if float64(v) != ref[2*i+c] {
				t.Fatalf("channel %d sample %d: %v, go-mp3 %v", c, i, v, ref[2*i+c])
			}
		}
	}
}

// Every code table is a complete prefix code (Kraft's sum is 1) of distinct values, so every
// lookup entry leads somewhere: decoding never stalls on a bit pattern.
func TestMP3HuffmanTablesAreComplete(t *testing.T) {
	tabs := mp3TablesOnce()
	check := func(name string, codes []uint32, h *mp3Huffman) {
		sum := 0.0
		seen := map[uint32]bool{}
		for _, e := range codes {
			sum += math.Ldexp(1, -int(e>>27))
			if seen[e&0xFF] {
				t.Errorf("%s: value %#x coded twice", name, e&0xFF)
			}
			seen[e&0xFF] = true
		}
		if sum != 1 {
			t.Errorf("%s: Kraft sum %v", name, sum)
		}
		for i, e := range h.lut {
			if e == 0 {
				t.Errorf("%s: lookup entry %d leads nowhere", name, i)
				break
			}
		}
	}
	for i, codes := range mp3HuffCodes {
		if codes != nil {
			check(fmt.Sprintf("table %d", i), codes, tabs.huff[i])
		}
	}
	check("count1 A", mp3Count1A, tabs.count1A)
}
