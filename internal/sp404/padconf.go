package sp404

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Counts of the SP-404MKII pad grid.
const (
	Banks       = 10  // banks A..J
	PadsPerBank = 16  // pads 1..16 in an MKII bank
	Pads        = 160 // Banks × PadsPerBank
)

// Sizes of the two PADCONF.BIN forms.
const (
	PadconfSize   = 52000 // version 3, firmware 5.x
	PadconfV2Size = 31488 // version 2: no project name, no chop table
)

// LoopOn is the value the firmware stores in a pad's loop field when loop is
// on. The set-parameter message uses 0/1, the file uses this.
const LoopOn uint32 = 0x7FFFFFFF

// NoChop marks an unused chop point.
const NoChop int32 = -1

// Layout of PADCONF.BIN. Version 2 lacks the 32-byte project name, which
// moves every later section 0x20 bytes earlier, and it ends after the names
// (0x80 + 160×172 + 160×24 = 31,488 bytes, the size reported for it).
const (
	padconfMagic      = "RFPD"
	padconfWord04     = 0x000000A0 // same value in both versions
	padconfWord0C     = 0x00007A80 // 160×172 + 160×24
	headerWordsOff    = 0x10
	headerWords       = 28
	projectNameOff    = 0x80
	projectNameSize   = 32
	padRecordSize     = 172
	padRecordWords    = 43
	padNameSize       = 24
	chopBlockSize     = 128
	chopPoints        = 16
	v3RecordsOff      = 0xA0
	v2RecordsOff      = 0x80
	namesAfterRecords = Pads * padRecordSize
	chopsAfterNames   = Pads * padNameSize
)

// Default values of a fresh project, from the firmware-written
// PADCONF001.BIN and the PROJECT_03 file (spec §1.5.1).
const (
	DefaultTempo      = 9000 // 90.00 BPM, as BPM×100
	DefaultBankVolume = 127
)

// ModeFlags is the bit field in pad field F10.
type ModeFlags uint32

// Bits of ModeFlags. Bits 1, 2 and 5 were seen changing on the device; bits
// 0, 3 and 4 come from a single reverse-engineering source.
const (
	FixedVelocity ModeFlags = 1 << 0
	VariBacking   ModeFlags = 1 << 1
	VariEnsemble  ModeFlags = 1 << 2
	Chromatic1    ModeFlags = 1 << 3
	Chromatic2    ModeFlags = 1 << 4
	OneShot       ModeFlags = 1 << 5
)

// Has reports whether every bit of f is set in m.
func (m ModeFlags) Has(f ModeFlags) bool { return m&f == f }

// Set returns m with the bits of f set when on is true and cleared when
// it is false.
func (m ModeFlags) Set(f ModeFlags, on bool) ModeFlags {
	if on {
		return m | f
	}
	return m &^ f
}

// PlayMode is pad field F15, the playback direction.
type PlayMode uint32

// Values of PlayMode.
const (
	Forward         PlayMode = 0
	Reverse         PlayMode = 1
	PingPong        PlayMode = 2
	ReversePingPong PlayMode = 3
)

// Bus is pad field F20, the bus effect routing.
type Bus uint32

// Values of Bus.
const (
	BusDry Bus = 0
	Bus1   Bus = 1
	Bus2   Bus = 2
)

// PadName is the 24-byte display name of a pad: up to 23 ASCII characters,
// then NUL. It is kept as raw bytes because the firmware writes two padding
// styles (NUL fill and space fill) and both must survive a round trip.
type PadName [padNameSize]byte

// EmptyPadName returns the name the firmware writes for an empty pad:
// 23 spaces and a NUL.
func EmptyPadName() PadName {
	var n PadName
	for i := range padNameSize - 1 {
		n[i] = ' '
	}
	return n
}

// NewPadName returns s as a pad name in the form the firmware writes for a
// loaded pad: the characters, then NUL fill. s must be printable ASCII of at
// most 23 characters.
func NewPadName(s string) (PadName, error) {
	var n PadName
	if len(s) > padNameSize-1 {
		return n, fmt.Errorf("pad name %q: longer than %d characters", s, padNameSize-1)
	}
	if err := checkASCII(s); err != nil {
		return n, fmt.Errorf("pad name %q: %w", s, err)
	}
	copy(n[:], s)
	return n, nil
}

// String returns the displayed text: the bytes before the first NUL with
// trailing spaces removed, so an empty pad's name reads as "".
func (n PadName) String() string {
	return strings.TrimRight(cString(n[:]), " ")
}

// ProjectName is the 32-byte project name field of a version 3 file, kept raw
// for the same reason as PadName.
type ProjectName [projectNameSize]byte

// NewProjectName returns s NUL-padded. The manual allows 32 characters, but
// the longest name seen in a real file is 31 characters plus NUL, so 31 is
// the limit here.
func NewProjectName(s string) (ProjectName, error) {
	var n ProjectName
	if len(s) > projectNameSize-1 {
		return n, fmt.Errorf("project name %q: longer than %d characters", s, projectNameSize-1)
	}
	if err := checkASCII(s); err != nil {
		return n, fmt.Errorf("project name %q: %w", s, err)
	}
	copy(n[:], s)
	return n, nil
}

// String returns the name up to the first NUL.
func (n ProjectName) String() string { return cString(n[:]) }

// BankSettings holds one bank's tempo, protect flag and volume from the
// PADCONF.BIN header.
type BankSettings struct {
	// Tempo is the bank tempo as BPM×100 (90.00 BPM = 9000), bits 1–16 of
	// the bank word.
	Tempo uint16
	// Protect is bit 0 of the bank word.
	Protect bool
	// TempoWordHigh holds bits 17–31 of the bank word, unused so far and
	// carried through unchanged.
	TempoWordHigh uint32
	// Volume is the bank volume 0–127. The file stores 127−Volume in 16 bits;
	// an out-of-range stored value decodes to a Volume outside 0–127, which
	// Validate reports and encoding reproduces.
	Volume int
}

// PadRecord is one pad: the 172-byte parameter record (fields F0..F42), its
// name and its chop table. Start, End and LoopTop are byte offsets into the
// pad's SMP file (see FrameOffset).
type PadRecord struct {
	Size        uint32     // F0: SMP file size in bytes; 0 = empty pad
	Start       uint32     // F1: byte offset, ≥ 512
	End         uint32     // F2: byte offset, ≤ Size
	Level       uint32     // F3: 0–127
	Gate        bool       // F4
	Loop        bool       // F5: stored as LoopOn or 0
	Unknown6    uint32     // F6: 1 on every pad seen
	MuteGroup   uint32     // F7: 0 = off, 1–10
	BPMSync     bool       // F8
	BPM         uint32     // F9: sample tempo, BPM×100, 4000–20000
	Mode        ModeFlags  // F10
	LoopTop     uint32     // F11: byte offset in [Start, End]
	Unknown12   uint32     // F12: cleared when one-shot is enabled
	PitchCoarse int32      // F13: semitones −12..+12
	PitchFine   int32      // F14: hundredths of a semitone −100..+100
	PlayMode    PlayMode   // F15
	Speed       uint32     // F16: percent×100, 5000–15000
	Vinyl       bool       // F17
	Pan         uint32     // F18: 13–115, centre 64
	PadLink     uint32     // F19: 0 = off, 1–10
	Bus         Bus        // F20
	Roll        uint32     // F21: 0–10, 2 = 1/4
	Attack      uint32     // F22: 0–127
	Hold        uint32     // F23: 1–100 percent
	Release     uint32     // F24: 0–127
	Unknown     [18]uint32 // F25..F42: meaning unknown, carried through

	Name         PadName            // display name; the SMP is found by pad index
	Chops        [chopPoints]int32  // frames; NoChop when unused; version 3 only
	ChopReserved [chopPoints]uint32 // zero in every real file; version 3 only
}

// EmptyPadRecord returns the record the firmware writes for an empty pad
// (spec §1.5.2, identical in every real file).
func EmptyPadRecord() PadRecord {
	p := PadRecord{
		Level:    127,
		Gate:     true,
		Unknown6: 1,
		BPM:      DefaultTempo,
		Speed:    10000,
		Vinyl:    true,
		Pan:      64,
		Bus:      Bus1,
		Roll:     2,
		Hold:     100,
		Name:     EmptyPadName(),
	}
	for i := range p.Chops {
		p.Chops[i] = NoChop
	}
	return p
}

// Loaded reports whether the pad holds a sample.
func (p *PadRecord) Loaded() bool { return p.Size != 0 }

// LoadSample points the pad at an SMP file of smpSize bytes the way a fresh
// import on the device does: Start = LoopTop = 512, End = Size = smpSize.
// The other fields are left as they are.
func (p *PadRecord) LoadSample(smpSize uint32) error {
	if smpSize <= SMPHeaderSize {
		return fmt.Errorf("load sample: smp size %d leaves no audio after the %d-byte header", smpSize, SMPHeaderSize)
	}
	p.Size, p.Start, p.End, p.LoopTop = smpSize, SMPHeaderSize, smpSize, SMPHeaderSize
	return nil
}

// SetOneShot turns one-shot playback on or off. Turning it on clears Gate,
// Loop and F12, as the device does (spec vector 9 and F12's note).
func (p *PadRecord) SetOneShot(on bool) {
	if !on {
		p.Mode &^= OneShot
		return
	}
	p.Mode |= OneShot
	p.Gate, p.Loop, p.Unknown12 = false, false, 0
}

// OneShot reports whether the one-shot bit is set.
func (p *PadRecord) OneShot() bool { return p.Mode.Has(OneShot) }

// FixedVelocity reports whether the fixed-velocity bit is set.
func (p *PadRecord) FixedVelocity() bool { return p.Mode.Has(FixedVelocity) }

// Padconf is a decoded PADCONF.BIN: the project header and 160 pads, A1
// first. Fields whose meaning is unknown are kept as read so that
// decode→encode gives back the same bytes.
type Padconf struct {
	// Version is 3 (52,000 bytes) or 2 (31,488 bytes). Zero encodes as 3.
	Version uint32
	// Tempo is the project tempo as BPM×100, bits 0–15 of W0.
	Tempo uint16
	// TempoFromProject is bit 16 of W0: true plays every bank at Tempo,
	// false uses each bank's own tempo.
	TempoFromProject bool
	// TempoWordHigh holds bits 17–31 of W0, unused so far.
	TempoWordHigh uint32
	// Words1to11 are header words W1..W11 (0, 0, 64, 64, 64, 0, 32 ×5 in
	// every real file); their meaning is unknown.
	Words1to11 [11]uint32
	// Banks are A..J.
	Banks [Banks]BankSettings
	// Word22 is header word W22, 0 in every real file.
	Word22 uint32
	// Name is the project name; version 2 files have none.
	Name ProjectName
	// Pads are indexed by PadIndex: A1 = 0 … J16 = 159.
	Pads [Pads]PadRecord
}

// NewPadconf returns the PADCONF.BIN of a fresh project named name, with the
// firmware's defaults: tempo 90.00 in bank mode, every bank at 90.00,
// unprotected and at full volume, and 160 empty pads.
func NewPadconf(name string) (*Padconf, error) {
	pn, err := NewProjectName(name)
	if err != nil {
		return nil, fmt.Errorf("new padconf: %w", err)
	}
	pc := &Padconf{
		Version:    3,
		Tempo:      DefaultTempo,
		Words1to11: [11]uint32{0, 0, 64, 64, 64, 0, 32, 32, 32, 32, 32},
		Name:       pn,
	}
	for b := range pc.Banks {
		pc.Banks[b] = BankSettings{Tempo: DefaultTempo, Volume: DefaultBankVolume}
	}
	for i := range pc.Pads {
		pc.Pads[i] = EmptyPadRecord()
	}
	return pc, nil
}

// PadIndex returns the index of pad (1..16) in bank (0 = A … 9 = J):
// bank×16 + pad − 1.
func PadIndex(bank, pad int) (int, error) {
	if bank < 0 || bank >= Banks {
		return 0, fmt.Errorf("bank %d: want 0 (A) to %d (J)", bank, Banks-1)
	}
	if pad < 1 || pad > PadsPerBank {
		return 0, fmt.Errorf("pad %d: want 1 to %d", pad, PadsPerBank)
	}
	return bank*PadsPerBank + pad - 1, nil
}

// FrameOffset returns the SMP byte offset of frame: 512 + frame×2×channels.
func FrameOffset(frame int64, channels int) int64 {
	return SMPHeaderSize + frame*2*int64(channels)
}

// OffsetFrame returns the frame at SMP byte offset off, the inverse of
// FrameOffset. Offsets inside the header give negative frames.
func OffsetFrame(off int64, channels int) int64 {
	if channels <= 0 {
		return 0
	}
	return (off - SMPHeaderSize) / (2 * int64(channels))
}

// padconfLayout gives where each section starts in a given version.
type padconfLayout struct {
	size, records, names, chops int
	hasName                     bool
}

func layoutFor(version uint32) (padconfLayout, error) {
	switch version {
	case 3, 0:
		return padconfLayout{
			size: PadconfSize, records: v3RecordsOff,
			names:   v3RecordsOff + namesAfterRecords,
			chops:   v3RecordsOff + namesAfterRecords + chopsAfterNames,
			hasName: true,
		}, nil
	case 2:
		return padconfLayout{
			size: PadconfV2Size, records: v2RecordsOff,
			names: v2RecordsOff + namesAfterRecords, chops: -1,
		}, nil
	}
	return padconfLayout{}, fmt.Errorf("padconf version %d: want 2 or 3", version)
}

// ReadPadconf reads and decodes a PADCONF.BIN. It reads at most one byte more
// than the largest valid file.
func ReadPadconf(r io.Reader) (*Padconf, error) {
	b, err := io.ReadAll(io.LimitReader(r, PadconfSize+1))
	if err != nil {
		return nil, fmt.Errorf("read padconf: %w", err)
	}
	return DecodePadconf(b)
}

// DecodePadconf decodes a version 3 or version 2 PADCONF.BIN.
func DecodePadconf(b []byte) (*Padconf, error) {
	if len(b) < 16 {
		return nil, fmt.Errorf("decode padconf: %d bytes is too short for a header", len(b))
	}
	if string(b[:4]) != padconfMagic {
		return nil, fmt.Errorf("decode padconf: magic %q, want %q", b[:4], padconfMagic)
	}
	be := binary.BigEndian
	// The version is stored little-endian (03 00 00 00) though everything
	// else is big-endian.
	version := binary.LittleEndian.Uint32(b[8:])
	lay, err := layoutFor(version)
	if err != nil || version == 0 {
		return nil, fmt.Errorf("decode padconf: version bytes % x: want 03 00 00 00 or 02 00 00 00", b[8:12])
	}
	if len(b) != lay.size {
		return nil, fmt.Errorf("decode padconf: version %d file is %d bytes, want %d", version, len(b), lay.size)
	}
	if w := be.Uint32(b[4:]); w != padconfWord04 {
		return nil, fmt.Errorf("decode padconf: word at 0x04 is %#x, want %#x", w, padconfWord04)
	}
	if w := be.Uint32(b[12:]); w != padconfWord0C {
		return nil, fmt.Errorf("decode padconf: word at 0x0C is %#x, want %#x", w, padconfWord0C)
	}

	pc := &Padconf{Version: version}
	var w [headerWords]uint32
	for i := range w {
		w[i] = be.Uint32(b[headerWordsOff+4*i:])
	}
	pc.Tempo = uint16(w[0])
	pc.TempoFromProject = w[0]&(1<<16) != 0
	pc.TempoWordHigh = w[0] &^ 0x1FFFF
	copy(pc.Words1to11[:], w[1:12])
	for bank := range pc.Banks {
		bw := w[12+bank]
		stored := w[23+bank/2] >> (16 * (bank % 2)) & 0xFFFF
		pc.Banks[bank] = BankSettings{
			Tempo:         uint16(bw >> 1),
			Protect:       bw&1 != 0,
			TempoWordHigh: bw &^ 0x1FFFF,
			Volume:        127 - int(stored),
		}
	}
	pc.Word22 = w[22]
	if lay.hasName {
		copy(pc.Name[:], b[projectNameOff:projectNameOff+projectNameSize])
	}

	for i := range pc.Pads {
		p := &pc.Pads[i]
		if err := p.decodeRecord(b[lay.records+i*padRecordSize:][:padRecordSize]); err != nil {
			return nil, fmt.Errorf("decode padconf: pad %s: %w", PadLabel(i), err)
		}
		copy(p.Name[:], b[lay.names+i*padNameSize:][:padNameSize])
		if lay.chops < 0 {
			// Version 2 has no chop table; a v3 encode of this model writes
			// the "no chops" block the firmware writes for such pads.
			for c := range p.Chops {
				p.Chops[c] = NoChop
			}
			continue
		}
		cb := b[lay.chops+i*chopBlockSize:][:chopBlockSize]
		for c := range p.Chops {
			p.Chops[c] = int32(be.Uint32(cb[4*c:]))
			p.ChopReserved[c] = be.Uint32(cb[4*chopPoints+4*c:])
		}
	}
	return pc, nil
}

func (p *PadRecord) decodeRecord(rec []byte) error {
	var f [padRecordWords]uint32
	for i := range f {
		f[i] = binary.BigEndian.Uint32(rec[4*i:])
	}
	var err error
	flag := func(n int, name string) bool {
		switch f[n] {
		case 0:
			return false
		case 1:
			return true
		}
		if err == nil {
			err = fmt.Errorf("%s (F%d) is %d, want 0 or 1", name, n, f[n])
		}
		return false
	}
	*p = PadRecord{
		Size: f[0], Start: f[1], End: f[2], Level: f[3],
		Gate:      flag(4, "gate"),
		Unknown6:  f[6],
		MuteGroup: f[7],
		BPMSync:   flag(8, "bpm sync"),
		BPM:       f[9], Mode: ModeFlags(f[10]), LoopTop: f[11], Unknown12: f[12],
		PitchCoarse: int32(f[13]), PitchFine: int32(f[14]),
		PlayMode: PlayMode(f[15]), Speed: f[16],
		Vinyl: flag(17, "vinyl"),
		Pan:   f[18], PadLink: f[19], Bus: Bus(f[20]), Roll: f[21],
		Attack: f[22], Hold: f[23], Release: f[24],
	}
	switch f[5] {
	case 0:
	case LoopOn:
		p.Loop = true
	default:
		if err == nil {
			err = fmt.Errorf("loop (F5) is %#x, want 0 or %#x", f[5], LoopOn)
		}
	}
	copy(p.Unknown[:], f[25:])
	return err
}

func (p *PadRecord) encodeRecord(rec []byte) {
	loop := uint32(0)
	if p.Loop {
		loop = LoopOn
	}
	f := [25]uint32{
		p.Size, p.Start, p.End, p.Level, b2u(p.Gate), loop, p.Unknown6,
		p.MuteGroup, b2u(p.BPMSync), p.BPM, uint32(p.Mode), p.LoopTop,
		p.Unknown12, uint32(p.PitchCoarse), uint32(p.PitchFine),
		uint32(p.PlayMode), p.Speed, b2u(p.Vinyl), p.Pan, p.PadLink,
		uint32(p.Bus), p.Roll, p.Attack, p.Hold, p.Release,
	}
	for i, v := range f {
		binary.BigEndian.PutUint32(rec[4*i:], v)
	}
	for i, v := range p.Unknown {
		binary.BigEndian.PutUint32(rec[4*(25+i):], v)
	}
}

// MarshalBinary validates pc and encodes it in pc.Version (3 when zero).
func (pc *Padconf) MarshalBinary() ([]byte, error) {
	if err := pc.Validate(); err != nil {
		return nil, fmt.Errorf("encode padconf: %w", err)
	}
	return pc.encode()
}

// WriteTo validates pc and writes its encoding to w.
func (pc *Padconf) WriteTo(w io.Writer) (int64, error) {
	b, err := pc.MarshalBinary()
	if err != nil {
		return 0, err
	}
	n, err := w.Write(b)
	if err != nil {
		return int64(n), fmt.Errorf("write padconf: %w", err)
	}
	return int64(n), nil
}

// encode lays pc out without validating it, so that any file the decoder
// accepts can be re-encoded byte for byte.
func (pc *Padconf) encode() ([]byte, error) {
	lay, err := layoutFor(pc.Version)
	if err != nil {
		return nil, fmt.Errorf("encode padconf: %w", err)
	}
	version := pc.Version
	if version == 0 {
		version = 3
	}
	be := binary.BigEndian
	b := make([]byte, lay.size)
	copy(b, padconfMagic)
	be.PutUint32(b[4:], padconfWord04)
	binary.LittleEndian.PutUint32(b[8:], version)
	be.PutUint32(b[12:], padconfWord0C)

	var w [headerWords]uint32
	w[0] = pc.TempoWordHigh&^0x1FFFF | uint32(pc.Tempo)
	if pc.TempoFromProject {
		w[0] |= 1 << 16
	}
	copy(w[1:12], pc.Words1to11[:])
	for bank, s := range pc.Banks {
		w[12+bank] = s.TempoWordHigh&^0x1FFFF | uint32(s.Tempo)<<1 | b2u(s.Protect)
		w[23+bank/2] |= uint32(uint16(127-s.Volume)) << (16 * (bank % 2))
	}
	w[22] = pc.Word22
	for i, v := range w {
		be.PutUint32(b[headerWordsOff+4*i:], v)
	}
	if lay.hasName {
		copy(b[projectNameOff:], pc.Name[:])
	}
	for i := range pc.Pads {
		p := &pc.Pads[i]
		p.encodeRecord(b[lay.records+i*padRecordSize:][:padRecordSize])
		copy(b[lay.names+i*padNameSize:], p.Name[:])
		if lay.chops < 0 {
			continue
		}
		cb := b[lay.chops+i*chopBlockSize:][:chopBlockSize]
		for c := range p.Chops {
			be.PutUint32(cb[4*c:], uint32(p.Chops[c]))
			be.PutUint32(cb[4*chopPoints+4*c:], p.ChopReserved[c])
		}
	}
	return b, nil
}

// Validate checks pc against the writer rules of spec §1.5.5 and the value
// ranges of §1.5.1–§1.5.4, and returns every problem found. Fields whose
// meaning is unknown are not checked: they are carried through as read.
func (pc *Padconf) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if _, err := layoutFor(pc.Version); err != nil {
		errs = append(errs, err)
	}
	checkTempo := func(what string, t uint16) {
		if t < 4000 || t > 20000 {
			add("%s tempo %d: want 4000–20000 (BPM×100)", what, t)
		}
	}
	checkTempo("project", pc.Tempo)
	for b, s := range pc.Banks {
		checkTempo("bank "+BankLetter(b), s.Tempo)
		if s.Volume < 0 || s.Volume > 127 {
			add("bank %s volume %d: want 0–127", BankLetter(b), s.Volume)
		}
	}
	if pc.Version != 2 {
		if pc.Name[projectNameSize-1] != 0 {
			add("project name: last byte must be NUL")
		}
		if err := checkASCII(pc.Name.String()); err != nil {
			add("project name: %w", err)
		}
	}
	for i := range pc.Pads {
		if err := pc.Pads[i].Validate(); err != nil {
			add("pad %s: %w", PadLabel(i), err)
		}
	}
	return errors.Join(errs...)
}

// Validate checks one pad's fields against the ranges of spec §1.5.2 and,
// for a loaded pad, 512 ≤ Start < End ≤ Size and Start ≤ LoopTop ≤ End.
func (p *PadRecord) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if p.Loaded() {
		if p.Start < SMPHeaderSize || p.Start >= p.End || p.End > p.Size {
			add("start %d, end %d, size %d: want 512 ≤ start < end ≤ size", p.Start, p.End, p.Size)
		}
		if p.LoopTop < p.Start || p.LoopTop > p.End {
			add("loop top %d: want within start %d and end %d", p.LoopTop, p.Start, p.End)
		}
	} else if p.Start != 0 || p.End != 0 || p.LoopTop != 0 {
		add("empty pad has start %d, end %d, loop top %d: want 0", p.Start, p.End, p.LoopTop)
	}
	inRange := func(name string, v, lo, hi int64) {
		if v < lo || v > hi {
			add("%s %d: want %d–%d", name, v, lo, hi)
		}
	}
	inRange("level", int64(p.Level), 0, 127)
	inRange("mute group", int64(p.MuteGroup), 0, 10)
	inRange("bpm", int64(p.BPM), 4000, 20000)
	inRange("pitch coarse", int64(p.PitchCoarse), -12, 12)
	inRange("pitch fine", int64(p.PitchFine), -100, 100)
	inRange("play mode", int64(p.PlayMode), 0, 3)
	inRange("speed", int64(p.Speed), 5000, 15000)
	inRange("pan", int64(p.Pan), 13, 115)
	inRange("pad link", int64(p.PadLink), 0, 10)
	inRange("bus", int64(p.Bus), 0, 2)
	inRange("roll", int64(p.Roll), 0, 10)
	inRange("attack", int64(p.Attack), 0, 127)
	inRange("hold", int64(p.Hold), 1, 100)
	inRange("release", int64(p.Release), 0, 127)
	if p.Name[padNameSize-1] != 0 {
		add("name: byte 23 must be NUL")
	}
	for c, v := range p.Chops {
		if v < NoChop {
			add("chop %d is %d: want a frame ≥ 0 or -1 (unused)", c+1, v)
		}
	}
	return errors.Join(errs...)
}

// BankLetter returns "A".."J" for bank 0..9, or "?" outside that range.
func BankLetter(bank int) string {
	if bank < 0 || bank >= Banks {
		return "?"
	}
	return string(rune('A' + bank))
}

// PadLabel returns the MKII label of a pad index, "A1" … "J16".
func PadLabel(index int) string {
	if index < 0 || index >= Pads {
		return fmt.Sprintf("#%d", index)
	}
	return fmt.Sprintf("%s%d", BankLetter(index/PadsPerBank), index%PadsPerBank+1)
}

func b2u(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

func cString(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}

func checkASCII(s string) error {
	for i := range len(s) {
		if c := s[i]; c < 0x20 || c > 0x7E {
			return fmt.Errorf("byte %#x at %d is not printable ASCII", c, i)
		}
	}
	return nil
}
