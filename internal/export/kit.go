package export

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	"github.com/sp404agent/sp404agent/internal/sp404"
)

// Device names the pad layout a kit was built for.
type Device string

// Devices a kit can be laid out for.
const (
	DeviceMK2 Device = "mk2" // SP-404MKII: 10 banks × 16 pads
	DeviceSX  Device = "sx"  // SP-404SX / SP-404A: 10 banks × 12 pads
)

// PadsPerBank returns how many pads a bank of d has, or 0 for an unknown device.
func (d Device) PadsPerBank() int {
	switch d {
	case DeviceMK2:
		return sp404.PadsPerBank
	case DeviceSX:
		return sp404.SXPadsPerBank
	}
	return 0
}

// PlayMode is the playback direction of a pad.
type PlayMode string

// Play modes. ReversePingPong exists on the MKII only (pad field F15 = 3).
const (
	Forward         PlayMode = "forward"
	Reverse         PlayMode = "reverse"
	PingPong        PlayMode = "pingpong"
	ReversePingPong PlayMode = "reverse-pingpong"
)

// Limits of the kit model. They are the device's own ranges (spec §1.5.2 and
// §2.3), expressed in musical units.
const (
	MinBPM        = 40.0  // MKII sample BPM 4000 as BPM×100
	MaxBPM        = 200.0 // MKII sample BPM 20000
	MaxChops      = 16
	MaxMuteGroup  = 10
	PanLimit      = 51 // ±50 is L50/R50; ±51 are the MONO L/R ends the device stores as 13 and 115
	panCentre     = 64
	DefaultLevel  = 127
	DefaultVolume = 127
)

// SampleRef points a pad at a sample. Open returns a fresh reader each call;
// the export never writes through it.
type SampleRef struct {
	// ID is the library's sample ID, 0 when the sample is not in the library.
	ID int64 `json:"id,omitempty"`
	// Name is the sample's display name; it becomes the pad name and, for the
	// mk2 target, part of the file name.
	Name string `json:"name"`
	// Path is the file the sample was loaded from, for messages and kit.txt.
	Path string `json:"path,omitempty"`
	// Key is the musical key if known ("Am", "F#"), for kit.txt.
	Key string `json:"key,omitempty"`
	// Open opens the sample's audio in any format the audio package decodes.
	Open func() (io.ReadSeekCloser, error) `json:"-"`
	// RegionStart and RegionEnd, when RegionEnd is not 0, make the sample frames
	// [RegionStart, RegionEnd) of what Open decodes to: a slice of a longer
	// file (the library's chopped loops), cut without copying the file.
	RegionStart int64 `json:"region_start,omitempty"`
	RegionEnd   int64 `json:"region_end,omitempty"`
}

// FileSource returns a SampleRef that opens the file at path.
func FileSource(path, name string) SampleRef {
	return SampleRef{Name: name, Path: path, Open: func() (io.ReadSeekCloser, error) { return os.Open(path) }}
}

// BytesSource returns a SampleRef whose audio is held in memory, as ImportKit
// produces.
func BytesSource(name string, data []byte) SampleRef {
	return SampleRef{Name: name, Open: func() (io.ReadSeekCloser, error) {
		return nopCloser{bytes.NewReader(data)}, nil
	}}
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

// Pad is one pad of a kit. Frame positions (StartFrame, EndFrame, Chops) count
// frames of the source sample at its own sample rate; the export scales them
// to the device rate. Use NewPad for the device defaults: the zero value has
// level 0, speed 0 and hold 0, and speed 0 and hold 0 do not validate.
type Pad struct {
	Bank   int       `json:"bank"` // 0 = A … 9 = J
	Pad    int       `json:"pad"`  // 1–16 (MKII) or 1–12 (SX)
	Source SampleRef `json:"source"`

	Level     int      `json:"level"`      // 0–127
	Pan       int      `json:"pan"`        // −50 (L50) … 0 (centre) … +50 (R50); ±51 = MONO L/R
	Pitch     int      `json:"pitch"`      // semitones −12..+12
	Fine      int      `json:"fine"`       // hundredths of a semitone −100..+100
	Speed     float64  `json:"speed"`      // percent 50–150, stored to 0.01 %
	PlayMode  PlayMode `json:"play_mode"`  // forward, reverse, pingpong, reverse-pingpong
	Loop      bool     `json:"loop"`       //
	Gate      bool     `json:"gate"`       //
	OneShot   bool     `json:"one_shot"`   //
	MuteGroup int      `json:"mute_group"` // 0 = off, 1–10
	Bus       int      `json:"bus"`        // 0 dry, 1 bus 1, 2 bus 2
	Attack    int      `json:"attack"`     // 0–127
	Hold      int      `json:"hold"`       // 1–100 %
	Release   int      `json:"release"`    // 0–127

	// StartFrame and EndFrame select the played region; EndFrame is
	// exclusive and 0 means the end of the sample.
	StartFrame int64 `json:"start_frame"`
	EndFrame   int64 `json:"end_frame"`
	// Chops are chop points in frames, at most 16 (MKII only).
	Chops []int64 `json:"chops,omitempty"`
	// BPM is the sample's tempo, 0 when unknown.
	BPM float64 `json:"bpm"`

	// MK2Base and SXBase hold the device record a pad was imported from.
	// The export starts from them instead of the firmware defaults, so fields
	// this model does not carry (vinyl, roll, pad link, unknown words, the
	// name's padding bytes) survive an import → export round trip.
	MK2Base *sp404.PadRecord `json:"-"`
	SXBase  *sp404.SXPad     `json:"-"`
}

// NewPad returns a pad at bank/pad holding src with the settings the MKII
// gives a freshly imported sample: level 127, centre pan, no pitch change,
// speed 100 %, forward, gate on, bus 1, hold 100 %.
func NewPad(bank, pad int, src SampleRef) Pad {
	return Pad{
		Bank: bank, Pad: pad, Source: src,
		Level: DefaultLevel, Speed: 100, PlayMode: Forward, Gate: true,
		Bus: 1, Hold: 100,
	}
}

// Label returns the pad's name on the device, "A1" … "J16".
func (p *Pad) Label() string { return padLabel(p.Bank, p.Pad) }

func padLabel(bank, pad int) string {
	return fmt.Sprintf("%s%d", sp404.BankLetter(bank), pad)
}

// Kit is a set of samples laid out on pads, with the project-level settings
// the devices store. Use NewKit for the defaults.
type Kit struct {
	Name   string `json:"name"`
	Device Device `json:"device"`
	// BPM is the project tempo, 0 when unset (the device default 90 is used).
	BPM float64 `json:"bpm"`
	// BankTempos are the per-bank tempos A..J, 0 when unset (the project
	// tempo, or 90, is used).
	BankTempos [10]float64 `json:"bank_tempos"`
	// BankVolumes are the bank volumes 0–127. 0 is silent: NewKit and
	// LoadKitFile start every bank at 127.
	BankVolumes [10]int `json:"bank_volumes"`
	Pads        []Pad   `json:"pads"`

	// MK2Header holds the PADCONF.BIN a kit was imported from, for the header
	// fields this model does not carry (bank protect, tempo select, unknown
	// words, the name's padding bytes). Its pads are ignored.
	MK2Header *sp404.Padconf `json:"-"`

	// Notes are what ImportKit noticed while reading the device files
	// (missing sample files, sizes that disagree), for the user.
	Notes []string `json:"notes,omitempty"`
}

// NewKit returns an empty kit with every bank at full volume.
func NewKit(name string, device Device) *Kit {
	k := &Kit{Name: name, Device: device}
	for b := range k.BankVolumes {
		k.BankVolumes[b] = DefaultVolume
	}
	return k
}

// Validate checks the kit against the ranges of its device and returns every
// problem at once, joined, one per line.
func (k *Kit) Validate() error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	if k.Name == "" {
		add("kit: name is empty")
	}
	perBank := k.Device.PadsPerBank()
	if perBank == 0 {
		add("kit: device %q: want mk2 or sx", k.Device)
		perBank = sp404.PadsPerBank
	}
	checkTempo := func(what string, bpm float64) {
		if bpm != 0 && !(bpm >= MinBPM && bpm <= MaxBPM) {
			add("%s: tempo %g: want %g–%g BPM or 0 (unset)", what, bpm, MinBPM, MaxBPM)
		}
	}
	checkTempo("kit", k.BPM)
	for b := range k.BankTempos {
		checkTempo("bank "+sp404.BankLetter(b), k.BankTempos[b])
		if v := k.BankVolumes[b]; v < 0 || v > 127 {
			add("bank %s: volume %d: want 0–127", sp404.BankLetter(b), v)
		}
	}
	seen := make(map[[2]int]int)
	for i := range k.Pads {
		p := &k.Pads[i]
		where := fmt.Sprintf("pad %d", i+1)
		if p.Bank >= 0 && p.Bank < sp404.Banks && p.Pad >= 1 && p.Pad <= sp404.PadsPerBank {
			where = "pad " + p.Label()
			if prev, ok := seen[[2]int{p.Bank, p.Pad}]; ok {
				add("%s: also used by pad entry %d: two samples on one pad", where, prev+1)
			} else {
				seen[[2]int{p.Bank, p.Pad}] = i
			}
		}
		for _, err := range p.problems(perBank) {
			errs = append(errs, fmt.Errorf("%s: %w", where, err))
		}
	}
	return errors.Join(errs...)
}

// problems returns every range problem of one pad.
func (p *Pad) problems(perBank int) []error {
	var errs []error
	add := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	inRange := func(name string, v, lo, hi int) {
		if v < lo || v > hi {
			add("%s %d: want %d–%d", name, v, lo, hi)
		}
	}
	inRange("bank", p.Bank, 0, sp404.Banks-1)
	inRange("pad", p.Pad, 1, perBank)
	if p.Source.Open == nil {
		add("sample %q: no audio source", p.Source.Name)
	}
	inRange("level", p.Level, 0, 127)
	inRange("pan", p.Pan, -PanLimit, PanLimit)
	inRange("pitch", p.Pitch, -12, 12)
	inRange("fine", p.Fine, -100, 100)
	if !(p.Speed >= 50 && p.Speed <= 150) {
		add("speed %g: want 50–150 %%", p.Speed)
	}
	switch p.PlayMode {
	case Forward, Reverse, PingPong, ReversePingPong, "":
	default:
		add("play mode %q: want forward, reverse, pingpong or reverse-pingpong", p.PlayMode)
	}
	inRange("mute group", p.MuteGroup, 0, MaxMuteGroup)
	inRange("bus", p.Bus, 0, 2)
	inRange("attack", p.Attack, 0, 127)
	inRange("hold", p.Hold, 1, 100)
	inRange("release", p.Release, 0, 127)
	if p.StartFrame < 0 || p.EndFrame < 0 {
		add("start frame %d, end frame %d: want ≥ 0", p.StartFrame, p.EndFrame)
	} else if p.EndFrame != 0 && p.StartFrame >= p.EndFrame {
		add("start frame %d, end frame %d: want start < end", p.StartFrame, p.EndFrame)
	}
	if len(p.Chops) > MaxChops {
		add("%d chops: want at most %d", len(p.Chops), MaxChops)
	}
	for i, c := range p.Chops {
		if c < 0 || c > math.MaxInt32 {
			add("chop %d at frame %d: want 0–%d", i+1, c, math.MaxInt32)
		}
	}
	if p.BPM != 0 && !(p.BPM >= MinBPM && p.BPM <= MaxBPM) {
		add("bpm %g: want %g–%g or 0 (unknown)", p.BPM, MinBPM, MaxBPM)
	}
	return errs
}

// mk2PlayMode maps a PlayMode to pad field F15.
func mk2PlayMode(m PlayMode) sp404.PlayMode {
	switch m {
	case Reverse:
		return sp404.Reverse
	case PingPong:
		return sp404.PingPong
	case ReversePingPong:
		return sp404.ReversePingPong
	}
	return sp404.Forward
}

// playModeFromMK2 is the inverse of mk2PlayMode.
func playModeFromMK2(m sp404.PlayMode) (PlayMode, error) {
	switch m {
	case sp404.Forward:
		return Forward, nil
	case sp404.Reverse:
		return Reverse, nil
	case sp404.PingPong:
		return PingPong, nil
	case sp404.ReversePingPong:
		return ReversePingPong, nil
	}
	return "", fmt.Errorf("play mode %d: want 0–3", m)
}
