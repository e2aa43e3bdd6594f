package sp404

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

const emptySXPadHex = "00000200 00000200 00000200 00000200 7f 00 00 01 00 01 02 00 000004b0 000004b0"

// Vector 13.
func TestEmptySXPadMatchesDeviceDefaults(t *testing.T) {
	p := EmptySXPad()
	got, err := p.AppendBinary(nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := unhex(t, emptySXPadHex); !bytes.Equal(got, want) {
		t.Errorf("empty pad % x, want % x", got, want)
	}
	if want := readTestdata(t, "PAD_DEFAULTS.BIN"); !bytes.Equal(got, want) {
		t.Errorf("empty pad differs from PAD_DEFAULTS.BIN: %s", firstDiff(got, want))
	}
	b, err := NewPadInfo().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sha(b), "fcff39639c81dfc9eee284aa49d9719d73834f65bd311e03882fb93d526adffa"; got != want {
		t.Errorf("all-empty PAD_INFO sha256 %s, want %s", got, want)
	}
}

// Vector 14: real records decode to the values the spec reads from them.
func TestRealSXRecordsDecodeToSpecValues(t *testing.T) {
	a1File := int64(len(readTestdata(t, "A0000001.wav")))
	tests := []struct {
		name string
		raw  []byte
		want SXPad
	}{
		{
			name: "UP A1 (reverse, vol 87, 109.9 BPM)",
			raw:  unhex(t, "00000200 0005e16c 00000200 0005e16c 57 00 00 00 01 01 02 00 0000044b 0000044b"),
			want: SXPad{OriginalStart: 512, OriginalEnd: uint32(a1File), UserStart: 512, UserEnd: uint32(a1File),
				Volume: 87, Reverse: true, Format: FormatWAVE, Channels: 2, OriginalTempo: 1099, UserTempo: 1099},
		},
		{
			name: "UP A1 fixture file",
			raw:  readTestdata(t, "PAD_A1.BIN"),
			want: SXPad{OriginalStart: 512, OriginalEnd: 385388, UserStart: 512, UserEnd: 385388,
				Volume: 87, Reverse: true, Format: FormatWAVE, Channels: 2, OriginalTempo: 1099, UserTempo: 1099},
		},
		{
			name: "UP J12 fixture file (gate, 100.0 BPM)",
			raw:  readTestdata(t, "PAD_J12.BIN"),
			want: SXPad{OriginalStart: 512, OriginalEnd: 53424, UserStart: 512, UserEnd: 53424,
				Volume: 127, Gate: true, Format: FormatWAVE, Channels: 2, OriginalTempo: 1000, UserTempo: 1000},
		},
		{
			name: "FV A1 (loop, 106.4 BPM)",
			raw:  unhex(t, "00000200 000613e0 00000200 000613e0 7f 00 01 00 00 01 02 00 00000428 00000428"),
			want: SXPad{OriginalStart: 512, OriginalEnd: 0x613e0, UserStart: 512, UserEnd: 0x613e0,
				Volume: 127, Loop: true, Format: FormatWAVE, Channels: 2, OriginalTempo: 1064, UserTempo: 1064},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeSXPad(tt.raw)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("decoded %+v\nwant    %+v", got, tt.want)
			}
			back, _ := got.AppendBinary(nil)
			if !bytes.Equal(back, tt.raw) {
				t.Errorf("re-encode % x, want % x", back, tt.raw)
			}
		})
	}
}

// Vector 14: the real PAD_INFO.BIN, its hash, and byte-identical re-encode.
func TestRealPadInfoDecodeEncodeIsIdentity(t *testing.T) {
	in := readTestdata(t, "PAD_INFO.BIN")
	if got, want := sha(in), "f9726ffaeb0f59c6f81d594be6d1dcf927ffb568f1805d9635f7ad01bcf8a34a"; got != want {
		t.Fatalf("fixture sha256 %s, want %s", got, want)
	}
	pi, err := ReadPadInfo(bytes.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	out, err := pi.MarshalBinary()
	if err != nil {
		t.Fatalf("real file fails validation: %v", err)
	}
	if !bytes.Equal(out, in) {
		t.Fatalf("re-encode differs: %s", firstDiff(out, in))
	}
	if a1 := readTestdata(t, "PAD_A1.BIN"); !bytes.Equal(in[:32], a1) {
		t.Error("A1 record differs from PAD_A1.BIN")
	}
	if j12 := readTestdata(t, "PAD_J12.BIN"); !bytes.Equal(in[119*32:], j12) {
		t.Error("J12 record differs from PAD_J12.BIN")
	}
	empty := 0
	for _, p := range pi.Pads {
		if p == EmptySXPad() {
			empty++
		}
	}
	if empty != 102 {
		t.Errorf("%d empty pads, want 102", empty)
	}
}

func TestPadInfoRefusesTempoZeroAndBadFields(t *testing.T) {
	tests := []struct {
		name string
		edit func(*SXPad)
		want string
	}{
		{"original tempo 0", func(p *SXPad) { p.OriginalTempo = 0 }, "tempo 0"},
		{"user tempo 0", func(p *SXPad) { p.UserTempo = 0 }, "tempo 0"},
		{"volume 128", func(p *SXPad) { p.Volume = 128 }, "volume 128"},
		{"3 channels", func(p *SXPad) { p.Channels = 3 }, "channels 3"},
		{"format 2", func(p *SXPad) { p.Format = 2 }, "format 2"},
		{"tempo mode 3", func(p *SXPad) { p.TempoMode = 3 }, "tempo mode 3"},
		{"start inside header", func(p *SXPad) { p.OriginalStart = 100 }, "original start"},
		{"user end beyond original", func(p *SXPad) { p.UserEnd = 9999 }, "user start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pi := NewPadInfo()
			tt.edit(&pi.Pads[13])
			_, err := pi.MarshalBinary()
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "pad B2") {
				t.Errorf("MarshalBinary() error %v, want one naming pad B2 and %q", err, tt.want)
			}
		})
	}
}

func TestDecodePadInfoRejectsWrongSizeAndFlagBytes(t *testing.T) {
	good, err := NewPadInfo().MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string][]byte{
		"short":      good[:3839],
		"long":       append(bytes.Clone(good), 0),
		"loop = 2":   func() []byte { b := bytes.Clone(good); b[32+18] = 2; return b }(),
		"gate = 255": func() []byte { b := bytes.Clone(good); b[19] = 255; return b }(),
	} {
		if _, err := DecodePadInfo(b); err == nil {
			t.Errorf("%s: decoded without error", name)
		}
	}
}

func randomSXPad(r *rand.Rand) SXPad {
	channels := 1 + r.IntN(2)
	end := uint32(SXSampleSize(int64(1+r.IntN(1<<20)), channels))
	us := 512 + uint32(r.IntN(int(end-512)))
	return SXPad{
		OriginalStart: 512, OriginalEnd: end, UserStart: us, UserEnd: us + uint32(r.IntN(int(end-us)+1)),
		Volume: uint8(r.IntN(128)), Lofi: r.IntN(2) == 1, Loop: r.IntN(2) == 1, Gate: r.IntN(2) == 1,
		Reverse: r.IntN(2) == 1, Format: SXFormat(r.IntN(2)), Channels: uint8(channels),
		TempoMode: TempoMode(r.IntN(3)), OriginalTempo: uint32(1 + r.IntN(3000)), UserTempo: uint32(1 + r.IntN(3000)),
	}
}

func TestRandomPadInfoSurvivesEncodeDecode(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for range 50 {
		pi := NewPadInfo()
		for i := range pi.Pads {
			if r.IntN(2) == 0 {
				pi.Pads[i] = randomSXPad(r)
			}
		}
		b, err := pi.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		back, err := DecodePadInfo(b)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back, pi) {
			t.Fatal("decode(encode(model)) differs from model")
		}
	}
}

func TestSXNamingFollowsCardConvention(t *testing.T) {
	tests := []struct {
		bank, pad int
		ext       string
		want      string
		index     int
		label     string
	}{
		{0, 1, "WAV", "A0000001.WAV", 0, "A1"},
		{0, 12, "AIF", "A0000012.AIF", 11, "A12"},
		{9, 12, "WAV", "J0000012.WAV", 119, "J12"},
	}
	for _, tt := range tests {
		name, err := SXSampleName(tt.bank, tt.pad, tt.ext)
		idx, ierr := SXPadIndex(tt.bank, tt.pad)
		if err != nil || ierr != nil || name != tt.want || idx != tt.index || SXPadLabel(idx) != tt.label {
			t.Errorf("bank %d pad %d: %q %d %s (%v, %v)", tt.bank, tt.pad, name, idx, SXPadLabel(idx), err, ierr)
		}
	}
	if _, err := SXSampleName(0, 13, "WAV"); err == nil {
		t.Error("pad 13 accepted on an SX card")
	}
	if _, err := SXSampleName(0, 1, "wav"); err == nil {
		t.Error("lower-case extension accepted")
	}
}
