package sp404

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// Hex strings below are copied from the test vectors of
// docs/sp404-formats.md §3; the golden hashes come from real device files.

func mustPadconf(t testing.TB, name string) *Padconf {
	t.Helper()
	pc, err := NewPadconf(name)
	if err != nil {
		t.Fatalf("NewPadconf: %v", err)
	}
	return pc
}

func mustEncode(t testing.TB, pc *Padconf) []byte {
	t.Helper()
	b, err := pc.MarshalBinary()
	if err != nil {
		t.Fatalf("MarshalBinary: %v", err)
	}
	return b
}

// Vector 1.
func TestNewPadconfHeaderMatchesFirmwareFreshProject(t *testing.T) {
	want := unhex(t, "52465044 000000a0 03000000 00007a80 | 00002328 00000000 00000000 00000040 00000040 00000040 00000000"+
		repeat("00000020", 5)+repeat("00004650", 10)+repeat("00000000", 6))
	want = append(want, "PROJECT_16"...)
	want = append(want, make([]byte, 32-len("PROJECT_16"))...)

	got := mustEncode(t, mustPadconf(t, "PROJECT_16"))
	if len(got) != PadconfSize {
		t.Fatalf("size %d, want %d", len(got), PadconfSize)
	}
	if !bytes.Equal(got[:0xA0], want) {
		t.Errorf("header: %s", firstDiff(got[:0xA0], want))
	}
}

const emptyRecordHex = "00000000 00000000 00000000 0000007f 00000001 00000000 00000001 00000000 00000000 00002328 " +
	"00000000 00000000 00000000 00000000 00000000 00000000 00002710 00000001 00000040 00000000 00000001 00000002 00000000 00000064 00000000"

func emptyRecordBytes(t testing.TB) []byte {
	return append(unhex(t, emptyRecordHex), make([]byte, 72)...)
}

func recordAt(b []byte, i int) []byte { return b[0xA0+172*i:][:172] }

// Vector 2.
func TestEmptyPadRecordEncodesAsFirmwareTemplate(t *testing.T) {
	want := emptyRecordBytes(t)
	got := mustEncode(t, mustPadconf(t, "X"))
	for _, i := range []int{0, 1, 77, 159} {
		if r := recordAt(got, i); !bytes.Equal(r, want) {
			t.Errorf("pad %s: %s", PadLabel(i), firstDiff(r, want))
		}
	}

	var p PadRecord
	if err := p.decodeRecord(want); err != nil {
		t.Fatalf("decode template: %v", err)
	}
	empty := EmptyPadRecord()
	p.Name, p.Chops, p.ChopReserved = empty.Name, empty.Chops, empty.ChopReserved
	if p != empty {
		t.Errorf("decoded template %+v, want %+v", p, empty)
	}
}

// Vector 3.
func TestLoadSampleWritesDeviceImportOffsets(t *testing.T) {
	if got := SMPSize(24116, 2); got != 96976 {
		t.Fatalf("SMPSize(24116 stereo frames) = %d, want 96976", got)
	}
	pc := mustPadconf(t, "X")
	if err := pc.Pads[0].LoadSample(96976); err != nil {
		t.Fatal(err)
	}
	want := emptyRecordBytes(t)
	copy(want, unhex(t, "00017ad0 00000200 00017ad0"))
	copy(want[0x2C:], unhex(t, "00000200"))
	if got := recordAt(mustEncode(t, pc), 0); !bytes.Equal(got, want) {
		t.Errorf("A1: %s", firstDiff(got, want))
	}
}

func TestLoadSampleRefusesSizeWithoutAudio(t *testing.T) {
	p := EmptyPadRecord()
	for _, size := range []uint32{0, 100, 512} {
		if err := p.LoadSample(size); err == nil {
			t.Errorf("LoadSample(%d) succeeded", size)
		}
	}
}

// Vector 4.
func TestPadNamesEncodeAsFirmwareWritesThem(t *testing.T) {
	if got, want := EmptyPadName(), unhex(t, repeat("20", 23)+"00"); !bytes.Equal(got[:], want) {
		t.Errorf("empty name % x, want % x", got, want)
	}
	n, err := NewPadName("New Sample")
	if err != nil {
		t.Fatal(err)
	}
	want := append([]byte("New Sample"), make([]byte, 14)...)
	if !bytes.Equal(n[:], want) {
		t.Errorf("name % x, want % x", n, want)
	}
	if n.String() != "New Sample" || EmptyPadName().String() != "" {
		t.Errorf("String() = %q and %q", n.String(), EmptyPadName().String())
	}
}

func TestNewPadNameRejectsLongOrNonASCII(t *testing.T) {
	for _, s := range []string{strings.Repeat("a", 24), "caf\u00e9", "tab\there"} {
		if _, err := NewPadName(s); err == nil {
			t.Errorf("NewPadName(%q) succeeded", s)
		}
	}
	if _, err := NewPadName(strings.Repeat("a", 23)); err != nil {
		t.Errorf("23 characters refused: %v", err)
	}
}

// Vector 5.
func TestChopBlocksEncodeUnusedAndRealPoints(t *testing.T) {
	pc := mustPadconf(t, "X")
	if err := pc.Pads[0].LoadSample(96976); err != nil {
		t.Fatal(err)
	}
	for i := range pc.Pads[0].Chops {
		pc.Pads[0].Chops[i] = int32(1508 * i)
	}
	b := mustEncode(t, pc)
	if got, want := b[0x7B20:][:16], unhex(t, "00000000 000005e4 00000bc8 000011ac"); !bytes.Equal(got, want) {
		t.Errorf("A1 chops start % x, want % x", got, want)
	}
	if got, want := b[0x7B20+128:][:128], unhex(t, repeat("ff", 64)+repeat("00", 64)); !bytes.Equal(got, want) {
		t.Errorf("A2 empty chop block: %s", firstDiff(got, want))
	}
}

// Vector 6.
func TestTempoWordsEncodeAsOnDevice(t *testing.T) {
	word := func(b []byte, off int) []byte { return b[off : off+4] }
	tests := []struct {
		name string
		edit func(*Padconf)
		off  int
		want string
	}{
		{"project 89.00 in project mode", func(pc *Padconf) { pc.Tempo, pc.TempoFromProject = 8900, true }, 0x10, "000122c4"},
		{"bank A 92.50", func(pc *Padconf) { pc.Banks[0].Tempo = 9250 }, 0x40, "00004844"},
		{"bank A 91.00", func(pc *Padconf) { pc.Banks[0].Tempo = 9100 }, 0x40, "00004718"},
		{"bank J 44.00", func(pc *Padconf) { pc.Banks[9].Tempo = 4400 }, 0x40 + 4*9, "00002260"},
		{"bank A 126.00", func(pc *Padconf) { pc.Banks[0].Tempo = 12600 }, 0x40, "00006270"},
		{"bank C 120.00 protected", func(pc *Padconf) { pc.Banks[2].Tempo, pc.Banks[2].Protect = 12000, true }, 0x40 + 8, "00005dc1"},
		{"pad 90.00", func(pc *Padconf) { pc.Pads[0].BPM = 9000 }, 0xA0 + 0x24, "00002328"},
		{"pad 81.00", func(pc *Padconf) { pc.Pads[0].BPM = 8100 }, 0xA0 + 0x24, "00001fa4"},
		{"pad 120.00", func(pc *Padconf) { pc.Pads[5].BPM = 12000 }, 0xA0 + 172*5 + 0x24, "00002ee0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pc := mustPadconf(t, "X")
			tt.edit(pc)
			b := mustEncode(t, pc)
			if got := word(b, tt.off); !bytes.Equal(got, unhex(t, tt.want)) {
				t.Errorf("word at %#x = % x, want %s", tt.off, got, tt.want)
			}
			back, err := DecodePadconf(b)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(back, pc) {
				t.Errorf("decode does not give back the model")
			}
		})
	}
}

// Vector 7.
func TestBankVolumesEncodeAs127MinusVolumeInSwappedHalves(t *testing.T) {
	pc := mustPadconf(t, "X")
	for b, v := range []int{126, 125, 124, 123, 122, 121, 120, 119, 118, 118} {
		pc.Banks[b].Volume = v
	}
	b := mustEncode(t, pc)
	want := unhex(t, "0002 0001 0004 0003 0006 0005 0008 0007 0009 0009")
	if got := b[0x6C:0x80]; !bytes.Equal(got, want) {
		t.Errorf("0x6C..0x7F = % x, want % x", got, want)
	}
	back, err := DecodePadconf(b)
	if err != nil {
		t.Fatal(err)
	}
	if back.Banks != pc.Banks {
		t.Errorf("banks decode as %+v, want %+v", back.Banks, pc.Banks)
	}
}

// Vector 8.
func TestFrameOffsetsMatchDeviceDiffs(t *testing.T) {
	tests := []struct {
		frame    int64
		channels int
		want     int64
	}{
		{0, 2, 512}, {1, 2, 516}, {1000, 2, 0x11A0}, {8704, 2, 0x8A00}, {1000, 1, 2512},
	}
	for _, tt := range tests {
		if got := FrameOffset(tt.frame, tt.channels); got != tt.want {
			t.Errorf("FrameOffset(%d, %d) = %d, want %d", tt.frame, tt.channels, got, tt.want)
		}
		if got := OffsetFrame(tt.want, tt.channels); got != tt.frame {
			t.Errorf("OffsetFrame(%d, %d) = %d, want %d", tt.want, tt.channels, got, tt.frame)
		}
	}
}

// Vector 9.
func TestSpeedLoopAndOneShotEncodeAsOnDevice(t *testing.T) {
	field := func(b []byte, f int) []byte { return recordAt(b, 0)[4*f:][:4] }
	pc := mustPadconf(t, "X")
	pc.Pads[0].Speed = 5000
	if got := field(mustEncode(t, pc), 16); !bytes.Equal(got, unhex(t, "00001388")) {
		t.Errorf("speed 50%% = % x", got)
	}
	pc.Pads[0].Speed = 10000
	if got := field(mustEncode(t, pc), 16); !bytes.Equal(got, unhex(t, "00002710")) {
		t.Errorf("speed 100%% = % x", got)
	}
	pc.Pads[0].Loop = true
	if got := field(mustEncode(t, pc), 5); !bytes.Equal(got, unhex(t, "7fffffff")) {
		t.Errorf("loop on = % x", got)
	}
	pc.Pads[0].SetOneShot(true)
	b := mustEncode(t, pc)
	if got := field(b, 10); !bytes.Equal(got, unhex(t, "00000020")) {
		t.Errorf("one-shot F10 = % x", got)
	}
	if g, l := field(b, 4), field(b, 5); !bytes.Equal(g, make([]byte, 4)) || !bytes.Equal(l, make([]byte, 4)) {
		t.Errorf("one-shot F4 = % x, F5 = % x, want zeros", g, l)
	}
	if !pc.Pads[0].OneShot() {
		t.Error("OneShot() false after SetOneShot(true)")
	}
}

// Vector 10: the model reproduces two firmware-written files exactly.
func TestPadconfGoldenFilesFromFieldValues(t *testing.T) {
	newSample := func(t testing.TB) PadName {
		n, err := NewPadName("New Sample")
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	tests := []struct {
		name  string
		build func(t testing.TB) *Padconf
		want  string
		// skip explains why a case cannot be checked yet.
		skip string
	}{
		{
			name: "GS-P PROJECT_16 export",
			// The spec gives only the first four of A1's sixteen chop points
			// (0, 1508, 3016, 4524, "evenly spaced"). Steps of 1508 and the
			// obvious roundings of 24116/16 do not reproduce the hash, so
			// the remaining points are needed from the real file.
			skip: "spec vector 10 does not list all 16 chop points of GS-P A1",
			build: func(t testing.TB) *Padconf {
				pc := mustPadconf(t, "PROJECT_16")
				for b, v := range []int{126, 125, 124, 123, 122, 121, 120, 119, 118, 118} {
					pc.Banks[b].Volume = v
				}
				for i, size := range []uint32{96976, 165888} {
					if err := pc.Pads[i].LoadSample(size); err != nil {
						t.Fatal(err)
					}
					pc.Pads[i].Name = newSample(t)
				}
				for c := range pc.Pads[0].Chops {
					pc.Pads[0].Chops[c] = int32(1508 * c)
				}
				return pc
			},
			want: "726704998a9e6029e9502b62290df416012f832d851d373d78113963d9f9ae08",
		},
		{
			name: "GS-B PADCONF001",
			build: func(t testing.TB) *Padconf {
				pc := mustPadconf(t, "PROJECT_16")
				pads := []struct{ size, start, loopTop uint32 }{
					{99840, 2048, 2048}, {165888, 2036, 2036}, {184506368, 512, 183053816},
				}
				for i, p := range pads {
					if err := pc.Pads[i].LoadSample(p.size); err != nil {
						t.Fatal(err)
					}
					pc.Pads[i].Start, pc.Pads[i].LoopTop = p.start, p.loopTop
					pc.Pads[i].Name = newSample(t)
				}
				return pc
			},
			want: "270ef0149a4ac977e13434cca35ed92b31ecf82a5f2a657971bab9fba25cc2f0",
		},
		{
			name:  "empty PROJECT_01",
			build: func(t testing.TB) *Padconf { return mustPadconf(t, "PROJECT_01") },
			want:  "8d7b23ef04962566568d2902da856e203bbe3980649367d3de41d7d48331d3be",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := mustEncode(t, tt.build(t))
			if tt.skip != "" {
				t.Skipf("%s; sha256 with steps of 1508 is %s, want %s", tt.skip, sha(b), tt.want)
			}
			if got := sha(b); got != tt.want {
				t.Errorf("sha256 %s, want %s", got, tt.want)
			}
		})
	}
}

// Vector 10, round trip: the real PROJECT_03 file decodes and re-encodes to
// the same bytes, and passes validation.
func TestRealPadconfDecodeEncodeIsIdentity(t *testing.T) {
	in := readTestdata(t, "PADCONF.BIN")
	pc, err := ReadPadconf(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	out, err := pc.MarshalBinary()
	if err != nil {
		t.Fatalf("real file fails validation: %v", err)
	}
	if !bytes.Equal(out, in) {
		t.Fatalf("re-encode differs: %s", firstDiff(out, in))
	}
	// Spot checks of values visible in the hex of the file.
	if pc.Name.String() != "PROJECT_03" || pc.Banks[0].Tempo != 12600 || pc.Pads[0].BPM != 8100 {
		t.Errorf("name %q, bank A tempo %d, A1 bpm %d", pc.Name, pc.Banks[0].Tempo, pc.Pads[0].BPM)
	}
	a1 := pc.Pads[0]
	if !a1.Loop || a1.Gate || a1.Mode != FixedVelocity|VariEnsemble || a1.Start != 512 || a1.End != a1.Size {
		t.Errorf("A1 = %+v", a1)
	}
	if got := a1.Name.String(); got != "Wave Race 64 - M" {
		t.Errorf("A1 name %q", got)
	}
}

func TestDecodePadconfRejectsMalformedHeaders(t *testing.T) {
	good := mustEncode(t, mustPadconf(t, "X"))
	tests := []struct {
		name string
		edit func([]byte) []byte
	}{
		{"empty input", func(b []byte) []byte { return nil }},
		{"wrong magic", func(b []byte) []byte { copy(b, "RFWV"); return b }},
		{"unknown version", func(b []byte) []byte { b[8] = 4; return b }},
		{"big-endian version", func(b []byte) []byte { b[8], b[11] = 0, 3; return b }},
		{"truncated", func(b []byte) []byte { return b[:PadconfSize-1] }},
		{"trailing byte", func(b []byte) []byte { return append(b, 0) }},
		{"v2 marker on a v3 body", func(b []byte) []byte { b[8] = 2; return b }},
		{"record offset word changed", func(b []byte) []byte { b[7] = 0x80; return b }},
		{"loop field 1", func(b []byte) []byte { b[0xA0+0x17] = 1; return b }},
		{"gate field 2", func(b []byte) []byte { b[0xA0+0x13] = 2; return b }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.edit(bytes.Clone(good))
			if _, err := DecodePadconf(b); err == nil {
				t.Error("decoded without error")
			}
		})
	}
}

func TestValidateReportsEveryWriterRuleBroken(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Padconf)
		want string
	}{
		{"start below header", func(pc *Padconf) { pc.Pads[3].Start = 100 }, "pad A4"},
		{"end beyond size", func(pc *Padconf) { pc.Pads[3].End = pc.Pads[3].Size + 4 }, "512 ≤ start < end ≤ size"},
		{"start equals end", func(pc *Padconf) { pc.Pads[3].Start = pc.Pads[3].End }, "start"},
		{"loop top outside region", func(pc *Padconf) { pc.Pads[3].LoopTop = 600; pc.Pads[3].Start = 1000 }, "loop top"},
		{"level 128", func(pc *Padconf) { pc.Pads[20].Level = 128 }, "pad B5: level 128"},
		{"pitch -13", func(pc *Padconf) { pc.Pads[3].PitchCoarse = -13 }, "pitch coarse -13"},
		{"bank volume 200", func(pc *Padconf) { pc.Banks[9].Volume = 200 }, "bank J volume"},
		{"tempo zero", func(pc *Padconf) { pc.Tempo = 0 }, "project tempo 0"},
		{"name without NUL", func(pc *Padconf) { pc.Pads[0].Name[23] = 'x' }, "byte 23"},
		{"chop -2", func(pc *Padconf) { pc.Pads[0].Chops[4] = -2 }, "chop 5"},
		{"empty pad with offsets", func(pc *Padconf) { pc.Pads[100].Start = 512 }, "empty pad"},
		{"version 5", func(pc *Padconf) { pc.Version = 5 }, "version 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pc := mustPadconf(t, "X")
			if err := pc.Pads[3].LoadSample(10000); err != nil {
				t.Fatal(err)
			}
			tt.edit(pc)
			err := pc.Validate()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate() = %v, want an error mentioning %q", err, tt.want)
			}
			if _, err := pc.MarshalBinary(); err == nil {
				t.Error("MarshalBinary accepted an invalid model")
			}
		})
	}
}

func TestPadIndexFollowsBankTimesSixteen(t *testing.T) {
	tests := []struct {
		bank, pad, want int
		label           string
	}{
		{0, 1, 0, "A1"}, {0, 16, 15, "A16"}, {1, 1, 16, "B1"}, {9, 16, 159, "J16"},
	}
	for _, tt := range tests {
		got, err := PadIndex(tt.bank, tt.pad)
		if err != nil || got != tt.want || PadLabel(got) != tt.label {
			t.Errorf("PadIndex(%d, %d) = %d, %v (label %s), want %d %s", tt.bank, tt.pad, got, err, PadLabel(got), tt.want, tt.label)
		}
	}
	for _, bp := range [][2]int{{-1, 1}, {10, 1}, {0, 0}, {0, 17}} {
		if _, err := PadIndex(bp[0], bp[1]); err == nil {
			t.Errorf("PadIndex(%d, %d) succeeded", bp[0], bp[1])
		}
	}
}

// randomPadconf builds a valid model with every named field varied.
func randomPadconf(t testing.TB, r *rand.Rand) *Padconf {
	pc := mustPadconf(t, "RANDOM_"+string(rune('A'+r.IntN(26))))
	pc.Tempo = uint16(4000 + r.IntN(16001))
	pc.TempoFromProject = r.IntN(2) == 1
	for b := range pc.Banks {
		pc.Banks[b] = BankSettings{Tempo: uint16(4000 + r.IntN(16001)), Protect: r.IntN(2) == 1, Volume: r.IntN(128)}
	}
	for i := range pc.Pads {
		if r.IntN(3) == 0 {
			continue
		}
		p := &pc.Pads[i]
		size := uint32(SMPSize(int64(1+r.IntN(1<<20)), 1+r.IntN(2)))
		if err := p.LoadSample(size); err != nil {
			t.Fatal(err)
		}
		p.Start = 512 + uint32(r.IntN(int(size-512)))
		p.End = p.Start + 1 + uint32(r.IntN(int(size-p.Start)))
		p.LoopTop = p.Start + uint32(r.IntN(int(p.End-p.Start+1)))
		p.Level = uint32(r.IntN(128))
		p.Gate, p.Loop, p.BPMSync, p.Vinyl = r.IntN(2) == 1, r.IntN(2) == 1, r.IntN(2) == 1, r.IntN(2) == 1
		p.MuteGroup = uint32(r.IntN(11))
		p.BPM = uint32(4000 + r.IntN(16001))
		p.Mode = ModeFlags(r.IntN(64))
		p.PitchCoarse = int32(r.IntN(25) - 12)
		p.PitchFine = int32(r.IntN(201) - 100)
		p.PlayMode = PlayMode(r.IntN(4))
		p.Speed = uint32(5000 + r.IntN(10001))
		p.Pan = uint32(13 + r.IntN(103))
		p.PadLink = uint32(r.IntN(11))
		p.Bus = Bus(r.IntN(3))
		p.Roll = uint32(r.IntN(11))
		p.Attack, p.Hold, p.Release = uint32(r.IntN(128)), uint32(1+r.IntN(100)), uint32(r.IntN(128))
		name := make([]byte, r.IntN(24))
		for j := range name {
			name[j] = byte(0x20 + r.IntN(0x5F))
		}
		n, err := NewPadName(string(name))
		if err != nil {
			t.Fatal(err)
		}
		p.Name = n
		for c := range p.Chops {
			if r.IntN(2) == 0 {
				p.Chops[c] = int32(r.IntN(1 << 20))
			}
		}
	}
	return pc
}

func TestRandomPadconfSurvivesEncodeDecode(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 50 {
		pc := randomPadconf(t, r)
		if err := pc.Validate(); err != nil {
			t.Fatalf("generator made an invalid model: %v", err)
		}
		back, err := DecodePadconf(mustEncode(t, pc))
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, pc) {
			t.Fatal("decode(encode(model)) differs from model")
		}
	}
}

func TestVersion2RoundTripKeepsRecordsAndNames(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		pc := randomPadconf(t, r)
		pc.Version = 2
		b := mustEncode(t, pc)
		if len(b) != PadconfV2Size {
			t.Fatalf("v2 size %d, want %d", len(b), PadconfV2Size)
		}
		if got := binary.LittleEndian.Uint32(b[8:]); got != 2 {
			t.Fatalf("version word %d", got)
		}
		// Records start at 0x80 in version 2, names at 0x6C00.
		if got := binary.BigEndian.Uint32(b[0x80:]); got != pc.Pads[0].Size {
			t.Fatalf("A1 size at 0x80 = %d, want %d", got, pc.Pads[0].Size)
		}
		if !bytes.Equal(b[0x6C00:0x6C18], pc.Pads[0].Name[:]) {
			t.Fatalf("A1 name at 0x6C00 = %q", b[0x6C00:0x6C18])
		}
		back, err := DecodePadconf(b)
		if err != nil {
			t.Fatal(err)
		}
		// Version 2 carries neither the project name nor chops.
		want := *pc
		want.Name = ProjectName{}
		for i := range want.Pads {
			for c := range want.Pads[i].Chops {
				want.Pads[i].Chops[c] = NoChop
			}
		}
		if !reflect.DeepEqual(*back, want) {
			t.Fatal("v2 decode(encode(model)) differs from model")
		}
		again, err := back.encode()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("v2 decode→encode not identity: %v", err)
		}
	}
}

func TestNewPadconfRejectsBadProjectName(t *testing.T) {
	for _, s := range []string{strings.Repeat("P", 32), "naïve"} {
		if _, err := NewPadconf(s); err == nil {
			t.Errorf("NewPadconf(%q) succeeded", s)
		}
	}
}

func TestModeFlagsSetAndClearSingleBits(t *testing.T) {
	m := ModeFlags(0).Set(FixedVelocity, true).Set(VariEnsemble, true)
	if m != 5 || !m.Has(FixedVelocity|VariEnsemble) || m.Has(OneShot) {
		t.Errorf("flags %#x", m)
	}
	if m = m.Set(FixedVelocity, false); m != VariEnsemble {
		t.Errorf("after clearing fixed velocity: %#x", m)
	}
}
