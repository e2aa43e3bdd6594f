package sp404

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// Counts and sizes of the SP-404SX / SP-404A card (spec §2).
const (
	SXPadsPerBank = 12
	SXPads        = Banks * SXPadsPerBank // 120
	PadInfoSize   = SXPads * sxRecordSize // 3840
	SXSampleRate  = 44100
	sxRecordSize  = 32
)

// SXCardDir is the sample folder of an SX/A card, relative to the card root.
const SXCardDir = "ROLAND/SP-404SX/SMPL"

// PadInfoFile is the pad table's name inside SXCardDir.
const PadInfoFile = "PAD_INFO.BIN"

// SXFormat is the sample file format byte of a PAD_INFO record.
type SXFormat uint8

// Values of SXFormat.
const (
	FormatAIFF SXFormat = 0
	FormatWAVE SXFormat = 1
)

// TempoMode is the tempo mode byte of a PAD_INFO record.
type TempoMode uint8

// Values of TempoMode.
const (
	TempoOff     TempoMode = 0
	TempoPattern TempoMode = 1
	TempoUser    TempoMode = 2
)

// DefaultSXTempo is 120.0 BPM as BPM×10, the tempo of an empty pad. A tempo
// of 0 is reported to crash the unit, so it is never written.
const DefaultSXTempo = 1200

// SXPad is one 32-byte PAD_INFO.BIN record. Offsets are byte offsets into
// the pad's sample file; the audio starts at 512 and a pad that plays the
// whole file ends at the file length.
type SXPad struct {
	OriginalStart uint32
	OriginalEnd   uint32
	UserStart     uint32
	UserEnd       uint32
	Volume        uint8 // 0–127
	Lofi          bool
	Loop          bool
	Gate          bool
	Reverse       bool
	Format        SXFormat
	Channels      uint8 // 1 or 2
	TempoMode     TempoMode
	OriginalTempo uint32 // BPM×10
	UserTempo     uint32 // BPM×10
}

// EmptySXPad returns the record of an empty pad (spec vector 13).
func EmptySXPad() SXPad {
	return SXPad{
		OriginalStart: 512, OriginalEnd: 512, UserStart: 512, UserEnd: 512,
		Volume: 127, Gate: true, Format: FormatWAVE, Channels: 2,
		OriginalTempo: DefaultSXTempo, UserTempo: DefaultSXTempo,
	}
}

// LoadSample points the pad at a whole sample file of fileSize bytes with
// the given channel count and format, keeping its other settings.
func (p *SXPad) LoadSample(fileSize uint32, channels int, format SXFormat) error {
	if fileSize <= 512 {
		return fmt.Errorf("load sample: file size %d leaves no audio after the 512-byte header", fileSize)
	}
	if channels != 1 && channels != 2 {
		return fmt.Errorf("load sample: channels %d: want 1 or 2", channels)
	}
	p.OriginalStart, p.OriginalEnd, p.UserStart, p.UserEnd = 512, fileSize, 512, fileSize
	p.Channels = uint8(channels)
	p.Format = format
	return nil
}

// Validate checks the field ranges, start ≤ end, and that neither tempo is 0.
func (p *SXPad) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if p.OriginalStart < 512 || p.OriginalStart > p.OriginalEnd {
		add("original start %d, end %d: want 512 ≤ start ≤ end", p.OriginalStart, p.OriginalEnd)
	}
	if p.UserStart < p.OriginalStart || p.UserStart > p.UserEnd || p.UserEnd > p.OriginalEnd {
		add("user start %d, end %d: want within original %d–%d", p.UserStart, p.UserEnd, p.OriginalStart, p.OriginalEnd)
	}
	if p.Volume > 127 {
		add("volume %d: want 0–127", p.Volume)
	}
	if p.Format > FormatWAVE {
		add("format %d: want 0 (AIFF) or 1 (WAVE)", p.Format)
	}
	if p.Channels != 1 && p.Channels != 2 {
		add("channels %d: want 1 or 2", p.Channels)
	}
	if p.TempoMode > TempoUser {
		add("tempo mode %d: want 0–2", p.TempoMode)
	}
	if p.OriginalTempo == 0 || p.UserTempo == 0 {
		add("tempo 0 (original %d, user %d): a zero tempo crashes the unit", p.OriginalTempo, p.UserTempo)
	}
	return errors.Join(errs...)
}

// PadInfo is a decoded PAD_INFO.BIN: 120 pads in the order A1..A12, B1..J12.
type PadInfo struct {
	Pads [SXPads]SXPad
}

// NewPadInfo returns a PAD_INFO with every pad empty.
func NewPadInfo() *PadInfo {
	pi := &PadInfo{}
	for i := range pi.Pads {
		pi.Pads[i] = EmptySXPad()
	}
	return pi
}

// SXPadIndex returns the index of pad (1..12) in bank (0 = A … 9 = J):
// bank×12 + pad − 1. The RLND chunk stores the same number.
func SXPadIndex(bank, pad int) (int, error) {
	if bank < 0 || bank >= Banks {
		return 0, fmt.Errorf("bank %d: want 0 (A) to %d (J)", bank, Banks-1)
	}
	if pad < 1 || pad > SXPadsPerBank {
		return 0, fmt.Errorf("sx pad %d: want 1 to %d", pad, SXPadsPerBank)
	}
	return bank*SXPadsPerBank + pad - 1, nil
}

// SXPadLabel returns "A1" … "J12" for an SX pad index.
func SXPadLabel(index int) string {
	if index < 0 || index >= SXPads {
		return fmt.Sprintf("#%d", index)
	}
	return fmt.Sprintf("%s%d", BankLetter(index/SXPadsPerBank), index%SXPadsPerBank+1)
}

// SXSampleName returns the card file name of pad (1..12) in bank (0..9):
// the bank letter and the pad number in 7 digits, "A0000001.WAV" …
// "J0000012.WAV". ext is "WAV" or "AIF".
func SXSampleName(bank, pad int, ext string) (string, error) {
	if _, err := SXPadIndex(bank, pad); err != nil {
		return "", fmt.Errorf("sx sample name: %w", err)
	}
	if ext != "WAV" && ext != "AIF" {
		return "", fmt.Errorf("sx sample name: extension %q: want WAV or AIF", ext)
	}
	return fmt.Sprintf("%s%07d.%s", BankLetter(bank), pad, ext), nil
}

// ReadPadInfo reads and decodes a PAD_INFO.BIN, reading at most one byte
// more than a valid file.
func ReadPadInfo(r io.Reader) (*PadInfo, error) {
	b, err := io.ReadAll(io.LimitReader(r, PadInfoSize+1))
	if err != nil {
		return nil, fmt.Errorf("read pad info: %w", err)
	}
	return DecodePadInfo(b)
}

// DecodePadInfo decodes a 3840-byte PAD_INFO.BIN. Flag bytes other than 0
// and 1 are rejected, so every accepted file re-encodes to the same bytes.
func DecodePadInfo(b []byte) (*PadInfo, error) {
	if len(b) != PadInfoSize {
		return nil, fmt.Errorf("decode pad info: %d bytes, want %d", len(b), PadInfoSize)
	}
	pi := &PadInfo{}
	for i := range pi.Pads {
		if err := pi.Pads[i].decode(b[i*sxRecordSize:][:sxRecordSize]); err != nil {
			return nil, fmt.Errorf("decode pad info: pad %s: %w", SXPadLabel(i), err)
		}
	}
	return pi, nil
}

// DecodeSXPad decodes a single 32-byte record.
func DecodeSXPad(b []byte) (SXPad, error) {
	var p SXPad
	if len(b) != sxRecordSize {
		return p, fmt.Errorf("decode sx pad: %d bytes, want %d", len(b), sxRecordSize)
	}
	if err := p.decode(b); err != nil {
		return p, fmt.Errorf("decode sx pad: %w", err)
	}
	return p, nil
}

func (p *SXPad) decode(b []byte) error {
	be := binary.BigEndian
	var err error
	flag := func(off int, name string) bool {
		switch b[off] {
		case 0:
			return false
		case 1:
			return true
		}
		if err == nil {
			err = fmt.Errorf("%s byte is %d, want 0 or 1", name, b[off])
		}
		return false
	}
	*p = SXPad{
		OriginalStart: be.Uint32(b[0:]),
		OriginalEnd:   be.Uint32(b[4:]),
		UserStart:     be.Uint32(b[8:]),
		UserEnd:       be.Uint32(b[12:]),
		Volume:        b[16],
		Lofi:          flag(17, "lofi"),
		Loop:          flag(18, "loop"),
		Gate:          flag(19, "gate"),
		Reverse:       flag(20, "reverse"),
		Format:        SXFormat(b[21]),
		Channels:      b[22],
		TempoMode:     TempoMode(b[23]),
		OriginalTempo: be.Uint32(b[24:]),
		UserTempo:     be.Uint32(b[28:]),
	}
	return err
}

// AppendBinary appends the 32-byte record to b without validating it.
func (p *SXPad) AppendBinary(b []byte) ([]byte, error) {
	be := binary.BigEndian
	b = be.AppendUint32(b, p.OriginalStart)
	b = be.AppendUint32(b, p.OriginalEnd)
	b = be.AppendUint32(b, p.UserStart)
	b = be.AppendUint32(b, p.UserEnd)
	b = append(b, p.Volume, byte(b2u(p.Lofi)), byte(b2u(p.Loop)), byte(b2u(p.Gate)),
		byte(b2u(p.Reverse)), byte(p.Format), p.Channels, byte(p.TempoMode))
	b = be.AppendUint32(b, p.OriginalTempo)
	b = be.AppendUint32(b, p.UserTempo)
	return b, nil
}

// MarshalBinary validates every pad and encodes the 3840-byte file.
func (pi *PadInfo) MarshalBinary() ([]byte, error) {
	if err := pi.Validate(); err != nil {
		return nil, fmt.Errorf("encode pad info: %w", err)
	}
	return pi.encode(), nil
}

func (pi *PadInfo) encode() []byte {
	b := make([]byte, 0, PadInfoSize)
	for i := range pi.Pads {
		b, _ = pi.Pads[i].AppendBinary(b)
	}
	return b
}

// Validate checks every pad and returns all problems found.
func (pi *PadInfo) Validate() error {
	var errs []error
	for i := range pi.Pads {
		if err := pi.Pads[i].Validate(); err != nil {
			errs = append(errs, fmt.Errorf("pad %s: %w", SXPadLabel(i), err))
		}
	}
	return errors.Join(errs...)
}

// WriteTo validates pi and writes the file to w.
func (pi *PadInfo) WriteTo(w io.Writer) (int64, error) {
	b, err := pi.MarshalBinary()
	if err != nil {
		return 0, err
	}
	n, err := w.Write(b)
	if err != nil {
		return int64(n), fmt.Errorf("write pad info: %w", err)
	}
	return int64(n), nil
}
