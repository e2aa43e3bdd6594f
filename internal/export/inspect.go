package export

import (
	"bytes"
	"crypto/md5"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/sp404agent/sp404agent/internal/sp404"
)

// InspectOptions configures Inspect.
type InspectOptions struct {
	// All lists empty pads too; by default only loaded pads are listed.
	All bool
}

// Offset is a position in a device sample file: the byte offset the device
// stores and the frame it points at.
type Offset struct {
	Bytes uint32 `json:"bytes"`
	Frame int64  `json:"frame"`
}

func offsetOf(b uint32, channels int) Offset {
	return Offset{Bytes: b, Frame: sp404.OffsetFrame(int64(b), channels)}
}

// PadconfReport is a decoded PADCONF.BIN.
type PadconfReport struct {
	Kind             string         `json:"kind"` // "padconf"
	Path             string         `json:"path,omitempty"`
	Version          uint32         `json:"version"`
	ProjectName      string         `json:"project_name"`
	TempoBPM         float64        `json:"tempo_bpm"`
	TempoFromProject bool           `json:"tempo_from_project"`
	Banks            []BankReport   `json:"banks"`
	Pads             []MK2PadReport `json:"pads"`
}

// BankReport is one bank of a PADCONF.BIN header.
type BankReport struct {
	Bank     string  `json:"bank"`
	TempoBPM float64 `json:"tempo_bpm"`
	Protect  bool    `json:"protect"`
	Volume   int     `json:"volume"`
}

// MK2PadReport is one PADCONF.BIN pad with units spelled out. Frames use
// the channel count of the pad's SMP when known, otherwise stereo, which
// ChannelsKnown tells.
type MK2PadReport struct {
	Pad           string   `json:"pad"`
	Index         int      `json:"index"`
	Loaded        bool     `json:"loaded"`
	Name          string   `json:"name"`
	SizeBytes     uint32   `json:"size_bytes"`
	Channels      int      `json:"channels"`
	ChannelsKnown bool     `json:"channels_known"`
	Start         Offset   `json:"start"`
	End           Offset   `json:"end"`
	LoopTop       Offset   `json:"loop_top"`
	Level         uint32   `json:"level"`
	Pan           int      `json:"pan"` // −50 L … +50 R
	PitchSemi     int32    `json:"pitch_semitones"`
	PitchFine     int32    `json:"pitch_fine_cents"`
	SpeedPercent  float64  `json:"speed_percent"`
	PlayMode      PlayMode `json:"play_mode"`
	Loop          bool     `json:"loop"`
	Gate          bool     `json:"gate"`
	OneShot       bool     `json:"one_shot"`
	FixedVelocity bool     `json:"fixed_velocity"`
	ModeFlags     uint32   `json:"mode_flags"`
	MuteGroup     uint32   `json:"mute_group"`
	BPMSync       bool     `json:"bpm_sync"`
	BPM           float64  `json:"bpm"`
	Vinyl         bool     `json:"vinyl"`
	PadLink       uint32   `json:"pad_link"`
	Bus           uint32   `json:"bus"` // 0 dry, 1, 2
	Roll          uint32   `json:"roll"`
	Attack        uint32   `json:"attack"`
	HoldPercent   uint32   `json:"hold_percent"`
	Release       uint32   `json:"release"`
	ChopFrames    []int32  `json:"chop_frames,omitempty"`
}

// PadInfoReport is a decoded PAD_INFO.BIN.
type PadInfoReport struct {
	Kind string        `json:"kind"` // "pad_info"
	Path string        `json:"path,omitempty"`
	Pads []SXPadReport `json:"pads"`
}

// SXPadReport is one PAD_INFO.BIN record with units spelled out.
type SXPadReport struct {
	Pad              string  `json:"pad"`
	Index            int     `json:"index"`
	Loaded           bool    `json:"loaded"`
	OriginalStart    Offset  `json:"original_start"`
	OriginalEnd      Offset  `json:"original_end"`
	UserStart        Offset  `json:"user_start"`
	UserEnd          Offset  `json:"user_end"`
	Volume           uint8   `json:"volume"`
	Lofi             bool    `json:"lofi"`
	Loop             bool    `json:"loop"`
	Gate             bool    `json:"gate"`
	Reverse          bool    `json:"reverse"`
	Format           string  `json:"format"`
	Channels         uint8   `json:"channels"`
	TempoMode        string  `json:"tempo_mode"`
	OriginalTempoBPM float64 `json:"original_tempo_bpm"`
	UserTempoBPM     float64 `json:"user_tempo_bpm"`
}

// SampleReport describes one device sample file (SMP or RLND WAV/AIFF).
type SampleReport struct {
	Kind       string  `json:"kind"` // "smp" or "sx_sample"
	Path       string  `json:"path,omitempty"`
	Pad        string  `json:"pad,omitempty"`
	Format     string  `json:"format"`
	SizeBytes  int64   `json:"size_bytes"`
	Channels   int     `json:"channels"`
	SampleRate int     `json:"sample_rate"`
	Bits       int     `json:"bits"`
	Frames     int64   `json:"frames"`
	Seconds    float64 `json:"seconds"`
	DataOffset int     `json:"data_offset"`
	// DigestOK is the SMP header MD5 check (the device refuses a mismatch).
	DigestOK *bool `json:"digest_ok,omitempty"`
	// RLNDPad is the pad stored in an SX file's RLND chunk, "" when none.
	RLNDPad string `json:"rlnd_pad,omitempty"`
	// DeviceReady tells whether an SX file has what the SX needs: RLND chunk,
	// 44.1 kHz, audio at byte 512.
	DeviceReady *bool `json:"device_ready,omitempty"`
}

// ProjectReport is a whole MKII project folder or SX card tree.
type ProjectReport struct {
	Kind    string         `json:"kind"` // "mk2_project" or "sx_card"
	Path    string         `json:"path"`
	Padconf *PadconfReport `json:"padconf,omitempty"`
	PadInfo *PadInfoReport `json:"pad_info,omitempty"`
	Samples []SampleReport `json:"samples"`
	// Missing lists loaded pads whose sample file is absent.
	Missing []string `json:"missing,omitempty"`
}

// Inspect decodes a PADCONF.BIN, PAD_INFO.BIN, .SMP, SX card WAV/AIFF, or a
// whole MKII project folder or SX card tree (found up to 8 folders down),
// and returns a JSON-friendly report: *PadconfReport, *PadInfoReport,
// *SampleReport or *ProjectReport. Sample files are read only as far as
// their headers where the format allows.
func Inspect(p string, o InspectOptions) (any, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	if st.IsDir() {
		r, err := inspectTree(p, o)
		if err != nil {
			return nil, fmt.Errorf("inspect %s: %w", p, err)
		}
		return r, nil
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("inspect: %w", err)
	}
	defer f.Close()
	r, err := inspectFile(f, st.Size(), filepath.Base(p), o)
	if err != nil {
		return nil, fmt.Errorf("inspect %s: %w", p, err)
	}
	switch v := r.(type) {
	case *PadconfReport:
		v.Path = p
	case *PadInfoReport:
		v.Path = p
	case *SampleReport:
		v.Path = p
	}
	return r, nil
}

// inspectFile identifies one file by its magic bytes (PAD_INFO.BIN has none,
// so by its name or exact size).
func inspectFile(r io.ReaderAt, size int64, name string, o InspectOptions) (any, error) {
	var magic [12]byte
	n, _ := r.ReadAt(magic[:], 0)
	sr := io.NewSectionReader(r, 0, size)
	switch {
	case n >= 4 && string(magic[:4]) == "RFPD":
		pc, err := sp404.ReadPadconf(sr)
		if err != nil {
			return nil, err
		}
		return padconfReport(pc, nil, o), nil
	case n >= 4 && string(magic[:4]) == "RFWV":
		return smpReport(r, size)
	case n == 12 && (string(magic[:4]) == "RIFF" || string(magic[:4]) == "FORM"):
		return sxSampleReport(sr)
	case strings.EqualFold(name, sp404.PadInfoFile) || size == sp404.PadInfoSize:
		pi, err := sp404.ReadPadInfo(sr)
		if err != nil {
			return nil, err
		}
		return padInfoReport(pi, o), nil
	}
	return nil, errors.New("not a PADCONF.BIN, PAD_INFO.BIN, SMP or SX sample file")
}

func padconfReport(pc *sp404.Padconf, channels map[int]int, o InspectOptions) *PadconfReport {
	r := &PadconfReport{
		Kind: "padconf", Version: pc.Version, ProjectName: pc.Name.String(),
		TempoBPM: float64(pc.Tempo) / 100, TempoFromProject: pc.TempoFromProject,
	}
	for b, s := range pc.Banks {
		r.Banks = append(r.Banks, BankReport{Bank: sp404.BankLetter(b), TempoBPM: float64(s.Tempo) / 100, Protect: s.Protect, Volume: s.Volume})
	}
	for i := range pc.Pads {
		p := &pc.Pads[i]
		if !p.Loaded() && !o.All {
			continue
		}
		ch, known := channels[i]
		if !known {
			ch = 2
		}
		mode, _ := playModeFromMK2(p.PlayMode)
		pr := MK2PadReport{
			Pad: sp404.PadLabel(i), Index: i, Loaded: p.Loaded(), Name: p.Name.String(),
			SizeBytes: p.Size, Channels: ch, ChannelsKnown: known,
			Start: offsetOf(p.Start, ch), End: offsetOf(p.End, ch), LoopTop: offsetOf(p.LoopTop, ch),
			Level: p.Level, Pan: int(p.Pan) - panCentre, PitchSemi: p.PitchCoarse, PitchFine: p.PitchFine,
			SpeedPercent: float64(p.Speed) / 100, PlayMode: mode, Loop: p.Loop, Gate: p.Gate,
			OneShot: p.OneShot(), FixedVelocity: p.FixedVelocity(), ModeFlags: uint32(p.Mode),
			MuteGroup: p.MuteGroup, BPMSync: p.BPMSync, BPM: float64(p.BPM) / 100, Vinyl: p.Vinyl,
			PadLink: p.PadLink, Bus: uint32(p.Bus), Roll: p.Roll, Attack: p.Attack,
			HoldPercent: p.Hold, Release: p.Release,
		}
		if !p.Loaded() {
			pr.Start, pr.End, pr.LoopTop = Offset{}, Offset{}, Offset{}
		}
		for _, c := range p.Chops {
			if c != sp404.NoChop {
				pr.ChopFrames = append(pr.ChopFrames, c)
			}
		}
		r.Pads = append(r.Pads, pr)
	}
	return r
}

func padInfoReport(pi *sp404.PadInfo, o InspectOptions) *PadInfoReport {
	r := &PadInfoReport{Kind: "pad_info"}
	for i, p := range pi.Pads {
		loaded := p.OriginalEnd > p.OriginalStart
		if !loaded && !o.All {
			continue
		}
		ch := max(int(p.Channels), 1)
		format := "wav"
		if p.Format == sp404.FormatAIFF {
			format = "aiff"
		}
		r.Pads = append(r.Pads, SXPadReport{
			Pad: sp404.SXPadLabel(i), Index: i, Loaded: loaded,
			OriginalStart: offsetOf(p.OriginalStart, ch), OriginalEnd: offsetOf(p.OriginalEnd, ch),
			UserStart: offsetOf(p.UserStart, ch), UserEnd: offsetOf(p.UserEnd, ch),
			Volume: p.Volume, Lofi: p.Lofi, Loop: p.Loop, Gate: p.Gate, Reverse: p.Reverse,
			Format: format, Channels: p.Channels, TempoMode: tempoModeName(p.TempoMode),
			OriginalTempoBPM: float64(p.OriginalTempo) / 10, UserTempoBPM: float64(p.UserTempo) / 10,
		})
	}
	return r
}

func tempoModeName(m sp404.TempoMode) string {
	switch m {
	case sp404.TempoOff:
		return "off"
	case sp404.TempoPattern:
		return "pattern"
	case sp404.TempoUser:
		return "user"
	}
	return fmt.Sprintf("unknown(%d)", m)
}

// smpReport reads only the 512-byte header of an SMP and its size, so a
// 185 MB sample is described without being loaded.
func smpReport(r io.ReaderAt, size int64) (*SampleReport, error) {
	var h [sp404.SMPHeaderSize]byte
	if _, err := r.ReadAt(h[:], 0); err != nil {
		return nil, fmt.Errorf("read smp header: %w", err)
	}
	be := binary.BigEndian
	if got := int64(be.Uint32(h[4:])) + 8; got != size {
		return nil, fmt.Errorf("smp header gives file size %d, file is %d bytes", got, size)
	}
	ch, rate, bits := int(be.Uint32(h[12:])), int(be.Uint32(h[8:])), int(be.Uint32(h[16:]))
	if ch != 1 && ch != 2 || bits != 16 || rate <= 0 {
		return nil, fmt.Errorf("smp header: %d channels, %d Hz, %d bits: want 1–2 channels of 16-bit audio", ch, rate, bits)
	}
	sum := md5.Sum(h[4:0x14])
	ok := bytes.Equal(sum[:], h[0x20:0x30])
	frames := (size - sp404.SMPHeaderSize) / int64(2*ch)
	return &SampleReport{
		Kind: "smp", Format: "smp", SizeBytes: size, Channels: ch, SampleRate: rate, Bits: bits,
		Frames: frames, Seconds: float64(frames) / float64(rate), DataOffset: sp404.SMPHeaderSize, DigestOK: &ok,
	}, nil
}

func sxSampleReport(r *io.SectionReader) (*SampleReport, error) {
	s, err := sp404.ReadSXSample(r)
	if err != nil {
		return nil, err
	}
	format := "wav"
	if s.Format == sp404.FormatAIFF {
		format = "aiff"
	}
	ready := s.PadIndex >= 0 && s.SampleRate == sp404.SXSampleRate && s.DataOffset == 512
	rep := &SampleReport{
		Kind: "sx_sample", Format: format, SizeBytes: r.Size(), Channels: s.Channels,
		SampleRate: s.SampleRate, Bits: 16, Frames: int64(s.Frames()),
		Seconds: float64(s.Frames()) / float64(s.SampleRate), DataOffset: s.DataOffset, DeviceReady: &ready,
	}
	if s.PadIndex >= 0 {
		rep.RLNDPad = sp404.SXPadLabel(s.PadIndex)
	}
	return rep, nil
}

// inspectTree reports the one project or card found under dir.
func inspectTree(dir string, o InspectOptions) (*ProjectReport, error) {
	fsys := os.DirFS(dir)
	root, kind, err := locateKit(fsys)
	if err != nil {
		return nil, err
	}
	rep := &ProjectReport{Path: filepath.Join(dir, filepath.FromSlash(root)), Samples: []SampleReport{}}
	openAt := func(p string) (*os.File, int64, error) {
		f, err := os.Open(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			return nil, 0, err
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, 0, err
		}
		return f, st.Size(), nil
	}
	if kind == DeviceMK2 {
		rep.Kind = "mk2_project"
		pcPath, err := findFile(fsys, root, sp404.PadconfFile)
		if err != nil {
			return nil, err
		}
		b, err := readLimited(fsys, pcPath, sp404.PadconfSize)
		if err != nil {
			return nil, err
		}
		pc, err := sp404.DecodePadconf(b)
		if err != nil {
			return nil, err
		}
		channels := make(map[int]int)
		for i := range pc.Pads {
			if !pc.Pads[i].Loaded() {
				continue
			}
			name, _ := sp404.SMPName(i/sp404.PadsPerBank, i%sp404.PadsPerBank+1)
			p, err := findFile(fsys, path.Join(root, sp404.SMPLDir), name)
			if err != nil {
				return nil, err
			}
			if p == "" {
				rep.Missing = append(rep.Missing, sp404.PadLabel(i))
				continue
			}
			f, size, err := openAt(p)
			if err != nil {
				return nil, err
			}
			s, err := smpReport(f, size)
			f.Close()
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p, err)
			}
			s.Path, s.Pad = p, sp404.PadLabel(i)
			channels[i] = s.Channels
			rep.Samples = append(rep.Samples, *s)
		}
		rep.Padconf = padconfReport(pc, channels, o)
		return rep, nil
	}
	rep.Kind = "sx_card"
	piPath, err := findFile(fsys, root, sp404.PadInfoFile)
	if err != nil {
		return nil, err
	}
	b, err := readLimited(fsys, piPath, sp404.PadInfoSize)
	if err != nil {
		return nil, err
	}
	pi, err := sp404.DecodePadInfo(b)
	if err != nil {
		return nil, err
	}
	rep.PadInfo = padInfoReport(pi, o)
	for i, rec := range pi.Pads {
		bank, padNo := i/sp404.SXPadsPerBank, i%sp404.SXPadsPerBank+1
		var p string
		for _, ext := range []string{"WAV", "AIF"} {
			name, _ := sp404.SXSampleName(bank, padNo, ext)
			if p, err = findFile(fsys, root, name); err != nil {
				return nil, err
			}
			if p != "" {
				break
			}
		}
		if p == "" {
			if rec.OriginalEnd > rec.OriginalStart {
				rep.Missing = append(rep.Missing, sp404.SXPadLabel(i))
			}
			continue
		}
		f, size, err := openAt(p)
		if err != nil {
			return nil, err
		}
		s, err := sxSampleReport(io.NewSectionReader(f, 0, size))
		f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		s.Path, s.Pad = p, sp404.SXPadLabel(i)
		rep.Samples = append(rep.Samples, *s)
	}
	return rep, nil
}
