package library

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Devices a kit targets, with their pad grids.
const (
	DeviceMK2 = "mk2" // SP-404MKII: 10 banks × 16 pads
	DeviceSX  = "sx"  // SP-404SX / SP-404A: 10 banks × 12 pads
)

// Banks is the number of banks (A–J) on every SP-404.
const Banks = 10

// PadsPerBank is the pad count of a bank on the device.
func PadsPerBank(device string) int {
	if device == DeviceSX {
		return 12
	}
	return 16
}

// BankLetter is "A" for 0 … "J" for 9.
func BankLetter(b int) string { return string(rune('A' + b)) }

// ParseBank reads "A"–"J" (either case) as 0–9.
func ParseBank(s string) (int, error) {
	if len(s) == 1 {
		c := s[0] | 0x20
		if c >= 'a' && c <= 'j' {
			return int(c - 'a'), nil
		}
	}
	return 0, Errorf(CodeInvalid, "bank %q is not A–J", s)
}

// Play modes of a pad.
var PlayModes = []string{"forward", "reverse", "pingpong", "reverse-pingpong"}

// PadSettings are the device's settings of one pad, in the ranges the SP-404 accepts. They are the
// fields the SP-404 exports write.
type PadSettings struct {
	Level     int     `json:"level" minimum:"0" maximum:"127" doc:"Pad volume 0–127"`
	Pan       int     `json:"pan" minimum:"-51" maximum:"51" doc:"L50 … R50, 0 = centre; ±51 = the MKII's mono left/right"`
	Pitch     int     `json:"pitch" minimum:"-12" maximum:"12" doc:"Semitones"`
	Fine      int     `json:"fine" minimum:"-100" maximum:"100" doc:"Cents"`
	Speed     float64 `json:"speed" minimum:"50" maximum:"150" doc:"Time-stretch speed in percent (0.01 steps)"`
	PlayMode  string  `json:"play_mode" enum:"forward,reverse,pingpong,reverse-pingpong"`
	Loop      bool    `json:"loop"`
	Gate      bool    `json:"gate" doc:"Sound only while the pad is held"`
	OneShot   bool    `json:"one_shot"`
	MuteGroup int     `json:"mute_group" minimum:"0" maximum:"10" doc:"0 = none"`
	Bus       int     `json:"bus" minimum:"0" maximum:"2" doc:"0 dry, 1 bus 1, 2 bus 2"`
	Attack    int     `json:"attack" minimum:"0" maximum:"127"`
	Hold      int     `json:"hold" minimum:"1" maximum:"100" doc:"Percent"`
	Release   int     `json:"release" minimum:"0" maximum:"127"`
	Start     int64   `json:"start_frame" minimum:"0" doc:"Trim start in frames"`
	End       int64   `json:"end_frame" minimum:"0" doc:"Trim end in frames; 0 = the end of the sample"`
	Chops     []int64 `json:"chops" maxItems:"16" doc:"Chop points in frames, ascending (the MKII's chop table)"`
	SampleBPM float64 `json:"sample_bpm" minimum:"0" maximum:"400" doc:"Tempo of the sample for BPM sync; 0 = from the analysis"`
}

// DefaultPadSettings are a freshly loaded pad's settings on the device.
func DefaultPadSettings() PadSettings {
	return PadSettings{Level: 127, Speed: 100, PlayMode: "forward", Gate: true, Bus: 1, Hold: 100, Chops: []int64{}}
}

// Validate checks the settings against the device's ranges; frames, when known, bounds the trims.
func (p *PadSettings) Validate(frames int64) error {
	bad := func(field, rng string) error { return Errorf(CodeInvalid, "pad setting %s must be %s", field, rng) }
	switch {
	case p.Level < 0 || p.Level > 127:
		return bad("level", "0–127")
	case p.Pan < -51 || p.Pan > 51:
		return bad("pan", "-51–51")
	case p.Pitch < -12 || p.Pitch > 12:
		return bad("pitch", "-12–12 semitones")
	case p.Fine < -100 || p.Fine > 100:
		return bad("fine", "-100–100 cents")
	case p.Speed < 50 || p.Speed > 150:
		return bad("speed", "50–150 %")
	case !slices.Contains(PlayModes, p.PlayMode):
		return bad("play_mode", "forward, reverse, pingpong or reverse-pingpong")
	case p.MuteGroup < 0 || p.MuteGroup > 10:
		return bad("mute_group", "0–10")
	case p.Bus < 0 || p.Bus > 2:
		return bad("bus", "0, 1 or 2")
	case p.Attack < 0 || p.Attack > 127:
		return bad("attack", "0–127")
	case p.Hold < 1 || p.Hold > 100:
		return bad("hold", "1–100 %")
	case p.Release < 0 || p.Release > 127:
		return bad("release", "0–127")
	case p.Start < 0 || p.End < 0:
		return bad("start_frame and end_frame", "≥ 0")
	case p.End != 0 && p.End <= p.Start:
		return bad("end_frame", "after start_frame")
	case p.SampleBPM != 0 && (p.SampleBPM < 40 || p.SampleBPM > 200):
		return bad("sample_bpm", "0 (from the analysis) or 40–200, the device's range")
	case len(p.Chops) > 16:
		return bad("chops", "at most 16 points")
	}
	if frames > 0 && (p.Start >= frames || p.End > frames) {
		return Errorf(CodeInvalid, "pad trim %d–%d is outside the sample's %d frames", p.Start, p.End, frames)
	}
	for i, c := range p.Chops {
		if c < 0 || (i > 0 && c <= p.Chops[i-1]) || (frames > 0 && c >= frames) {
			return Errorf(CodeInvalid, "pad setting chops must be ascending frame positions inside the sample")
		}
	}
	if p.Chops == nil {
		p.Chops = []int64{}
	}
	return nil
}

// PadSettingsPatch changes some pad settings; nil fields keep their value.
type PadSettingsPatch struct {
	Level     *int     `json:"level,omitempty"`
	Pan       *int     `json:"pan,omitempty"`
	Pitch     *int     `json:"pitch,omitempty"`
	Fine      *int     `json:"fine,omitempty"`
	Speed     *float64 `json:"speed,omitempty"`
	PlayMode  *string  `json:"play_mode,omitempty"`
	Loop      *bool    `json:"loop,omitempty"`
	Gate      *bool    `json:"gate,omitempty"`
	OneShot   *bool    `json:"one_shot,omitempty"`
	MuteGroup *int     `json:"mute_group,omitempty"`
	Bus       *int     `json:"bus,omitempty"`
	Attack    *int     `json:"attack,omitempty"`
	Hold      *int     `json:"hold,omitempty"`
	Release   *int     `json:"release,omitempty"`
	Start     *int64   `json:"start_frame,omitempty"`
	End       *int64   `json:"end_frame,omitempty"`
	Chops     *[]int64 `json:"chops,omitempty"`
	SampleBPM *float64 `json:"sample_bpm,omitempty"`
}

// Apply returns s with the patch's fields set.
func (p *PadSettingsPatch) Apply(s PadSettings) PadSettings {
	set := func(dst *int, v *int) {
		if v != nil {
			*dst = *v
		}
	}
	set(&s.Level, p.Level)
	set(&s.Pan, p.Pan)
	set(&s.Pitch, p.Pitch)
	set(&s.Fine, p.Fine)
	if p.Speed != nil {
		s.Speed = *p.Speed
	}
	set(&s.MuteGroup, p.MuteGroup)
	set(&s.Bus, p.Bus)
	set(&s.Attack, p.Attack)
	set(&s.Hold, p.Hold)
	set(&s.Release, p.Release)
	if p.PlayMode != nil {
		s.PlayMode = *p.PlayMode
	}
	for _, b := range []struct {
		dst *bool
		v   *bool
	}{{&s.Loop, p.Loop}, {&s.Gate, p.Gate}, {&s.OneShot, p.OneShot}} {
		if b.v != nil {
			*b.dst = *b.v
		}
	}
	if p.Start != nil {
		s.Start = *p.Start
	}
	if p.End != nil {
		s.End = *p.End
	}
	if p.Chops != nil {
		s.Chops = slices.Clone(*p.Chops)
	}
	if p.SampleBPM != nil {
		s.SampleBPM = *p.SampleBPM
	}
	return s
}

// Pad is a filled pad of a kit.
type Pad struct {
	Bank     string `json:"bank" doc:"A–J"`
	Pad      int    `json:"pad" doc:"1–16 (1–12 on the SX)"`
	SampleID int64  `json:"sample_id"`
	// A summary of the sample, for showing the grid without another request.
	SampleName string      `json:"sample_name"`
	Category   *string     `json:"category"`
	DurationS  float64     `json:"duration_s"`
	SampleRate int         `json:"sample_rate" doc:"Of the sample, to turn the trim and chop frames into time"`
	BPM        *float64    `json:"bpm"`
	Settings   PadSettings `json:"settings"`
	// DeviceBase is the device record the pad was imported from (JSON), kept for exports.
	DeviceBase string `json:"-"`
}

// Kit is a pad layout for one SP-404.
type Kit struct {
	ID          int64          `json:"id"`
	Name        string         `json:"name"`
	Device      string         `json:"device" enum:"mk2,sx"`
	BPM         float64        `json:"bpm" doc:"Project tempo"`
	BankTempos  [Banks]float64 `json:"bank_tempos" doc:"Per bank A–J; 0 = the kit's tempo"`
	BankVolumes [Banks]int     `json:"bank_volumes" doc:"Per bank A–J, 0–127"`
	PadCount    int            `json:"pad_count"`
	Pads        []Pad          `json:"pads,omitempty" doc:"Filled pads (on GET of one kit)"`
	// DeviceHeader is the PADCONF.BIN header the kit was imported from (JSON), kept for exports.
	DeviceHeader string    `json:"-"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Limits on kits.
const MaxKitName = 64

// KitInput creates a kit; omitted tempos and volumes take the device's defaults.
type KitInput struct {
	Name        string          `json:"name" minLength:"1" maxLength:"64"`
	Device      string          `json:"device,omitempty" enum:"mk2,sx," doc:"Default mk2"`
	BPM         float64         `json:"bpm,omitempty" minimum:"0" maximum:"200" doc:"Default 90, the device's"`
	BankTempos  *[Banks]float64 `json:"bank_tempos,omitempty"`
	BankVolumes *[Banks]int     `json:"bank_volumes,omitempty"`
}

// KitPatch changes a kit; nil fields stay.
type KitPatch struct {
	Name        *string         `json:"name,omitempty" minLength:"1" maxLength:"64"`
	Device      *string         `json:"device,omitempty" enum:"mk2,sx"`
	BPM         *float64        `json:"bpm,omitempty" minimum:"40" maximum:"200"`
	BankTempos  *[Banks]float64 `json:"bank_tempos,omitempty"`
	BankVolumes *[Banks]int     `json:"bank_volumes,omitempty"`
}

func checkTempo(what string, v float64, zeroOK bool) error {
	if (v == 0 && zeroOK) || (v >= 40 && v <= 200) {
		return nil
	}
	return Errorf(CodeInvalid, "%s must be 40–200 BPM (the device's range)", what)
}

func checkBanks(tempos *[Banks]float64, volumes *[Banks]int) error {
	if tempos != nil {
		for b, t := range tempos {
			if err := checkTempo("bank "+BankLetter(b)+" tempo", t, true); err != nil {
				return err
			}
		}
	}
	if volumes != nil {
		for b, v := range volumes {
			if v < 0 || v > 127 {
				return Errorf(CodeInvalid, "bank %s volume must be 0–127", BankLetter(b))
			}
		}
	}
	return nil
}

// NewKit validates the input and returns the kit it describes.
func (in *KitInput) NewKit() (*Kit, error) {
	name, err := cleanName(in.Name, "kit", MaxKitName)
	if err != nil {
		return nil, err
	}
	k := &Kit{Name: name, Device: in.Device, BPM: in.BPM}
	if k.Device == "" {
		k.Device = DeviceMK2
	}
	if k.Device != DeviceMK2 && k.Device != DeviceSX {
		return nil, Errorf(CodeInvalid, "device must be mk2 or sx")
	}
	if k.BPM == 0 {
		k.BPM = 90
	}
	if err := checkTempo("bpm", k.BPM, false); err != nil {
		return nil, err
	}
	if err := checkBanks(in.BankTempos, in.BankVolumes); err != nil {
		return nil, err
	}
	for b := range k.BankVolumes {
		k.BankVolumes[b] = 127
	}
	if in.BankTempos != nil {
		k.BankTempos = *in.BankTempos
	}
	if in.BankVolumes != nil {
		k.BankVolumes = *in.BankVolumes
	}
	return k, nil
}

// Validate checks and normalises the patch.
func (p *KitPatch) Validate() error {
	if p.Name != nil {
		n, err := cleanName(*p.Name, "kit", MaxKitName)
		if err != nil {
			return err
		}
		p.Name = &n
	}
	if p.Device != nil && *p.Device != DeviceMK2 && *p.Device != DeviceSX {
		return Errorf(CodeInvalid, "device must be mk2 or sx")
	}
	if p.BPM != nil {
		if err := checkTempo("bpm", *p.BPM, false); err != nil {
			return err
		}
	}
	return checkBanks(p.BankTempos, p.BankVolumes)
}

// PadRef names a pad of a kit.
type PadRef struct {
	Bank int // 0–9
	Pad  int // 1–16
}

func (r PadRef) String() string { return fmt.Sprintf("%s%d", BankLetter(r.Bank), r.Pad) }

// ParsePadRef reads a bank letter and pad number, checking the pad exists on the device.
func ParsePadRef(bank string, pad int, device string) (PadRef, error) {
	b, err := ParseBank(bank)
	if err != nil {
		return PadRef{}, err
	}
	if n := PadsPerBank(device); pad < 1 || pad > n {
		return PadRef{}, Errorf(CodeInvalid, "pad %d does not exist on the %s (1–%d)", pad, strings.ToUpper(device), n)
	}
	return PadRef{Bank: b, Pad: pad}, nil
}

// PadInput assigns a sample to a pad. Settings omitted keep the pad's current ones (or the
// device's defaults on an empty pad).
type PadInput struct {
	SampleID int64             `json:"sample_id" minimum:"1"`
	Settings *PadSettingsPatch `json:"settings,omitempty"`
}

// PadUse is one pad that uses a sample.
type PadUse struct {
	KitID   int64  `json:"kit_id"`
	KitName string `json:"kit_name"`
	Bank    string `json:"bank"`
	Pad     int    `json:"pad"`
}

// KitStore persists kits.
type KitStore interface {
	CreateKit(ctx context.Context, k *Kit) error
	Kit(ctx context.Context, id int64) (*Kit, error)
	Kits(ctx context.Context, page, limit int) ([]Kit, int, error)
	UpdateKit(ctx context.Context, id int64, p KitPatch) (*Kit, error)
	DeleteKit(ctx context.Context, id int64) error
	// SetPad fills or replaces a pad: build gets the pad's current settings (nil when empty)
	// and the sample's frame count, and returns the settings to store.
	SetPad(ctx context.Context, kitID int64, ref PadRef, sampleID int64, build func(cur *PadSettings, frames int64) (PadSettings, error)) error
	ClearPad(ctx context.Context, kitID int64, ref PadRef) error
	AddPads(ctx context.Context, kitID int64, pads []Pad) error
	// ReplacePads writes pads over whatever the kit holds at their places, all or none.
	ReplacePads(ctx context.Context, kitID int64, pads []Pad) error
	MovePad(ctx context.Context, kitID int64, from, to PadRef, swap bool) error
	SampleUses(ctx context.Context, sampleID int64) ([]PadUse, error)
}

// CreateKit makes an empty kit.
func (s *Service) CreateKit(ctx context.Context, in KitInput) (*Kit, error) {
	k, err := in.NewKit()
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateKit(ctx, k); err != nil {
		return nil, err
	}
	return s.store.Kit(ctx, k.ID)
}

// Kit returns a kit with its pads.
func (s *Service) Kit(ctx context.Context, id int64) (*Kit, error) { return s.store.Kit(ctx, id) }

// Kits lists kits without their pads.
func (s *Service) Kits(ctx context.Context, page, limit int) (Page[Kit], error) {
	if page < 1 || limit < 1 || limit > MaxPageLimit {
		return Page[Kit]{}, Errorf(CodeInvalid, "page must be ≥ 1 and limit between 1 and %d", MaxPageLimit)
	}
	items, total, err := s.store.Kits(ctx, page, limit)
	if err != nil {
		return Page[Kit]{}, err
	}
	if items == nil {
		items = []Kit{}
	}
	return Page[Kit]{Items: items, Total: total, Page: page, Limit: limit}, nil
}

// UpdateKit changes a kit's name, device, tempos or volumes. Switching to the SX while pads 13–16
// are filled is a conflict: the SX has 12 pads per bank.
func (s *Service) UpdateKit(ctx context.Context, id int64, p KitPatch) (*Kit, error) {
	if err := p.Validate(); err != nil {
		return nil, err
	}
	return s.store.UpdateKit(ctx, id, p)
}

// DeleteKit removes a kit (never its samples).
func (s *Service) DeleteKit(ctx context.Context, id int64) error { return s.store.DeleteKit(ctx, id) }

// kitPad loads a kit and checks that the pad exists on its device.
func (s *Service) kitPad(ctx context.Context, kitID int64, bank string, pad int) (*Kit, PadRef, error) {
	k, err := s.store.Kit(ctx, kitID)
	if err != nil {
		return nil, PadRef{}, err
	}
	ref, err := ParsePadRef(bank, pad, k.Device)
	return k, ref, err
}

// SetPad puts a sample on a pad, replacing what was there.
func (s *Service) SetPad(ctx context.Context, kitID int64, bank string, pad int, in PadInput) (*Kit, error) {
	_, ref, err := s.kitPad(ctx, kitID, bank, pad)
	if err != nil {
		return nil, err
	}
	if in.SampleID < 1 {
		return nil, Errorf(CodeInvalid, "sample_id is required")
	}
	err = s.store.SetPad(ctx, kitID, ref, in.SampleID, func(cur *PadSettings, frames int64) (PadSettings, error) {
		st := DefaultPadSettings()
		if cur != nil {
			st = *cur
		}
		if in.Settings != nil {
			st = in.Settings.Apply(st)
		}
		return st, st.Validate(frames)
	})
	if err != nil {
		return nil, err
	}
	return s.store.Kit(ctx, kitID)
}

// ClearPad empties a pad.
func (s *Service) ClearPad(ctx context.Context, kitID int64, bank string, pad int) (*Kit, error) {
	_, ref, err := s.kitPad(ctx, kitID, bank, pad)
	if err != nil {
		return nil, err
	}
	if err := s.store.ClearPad(ctx, kitID, ref); err != nil {
		return nil, err
	}
	return s.store.Kit(ctx, kitID)
}

// MovePad moves a pad to another; onto a filled pad it swaps them when swap is set and is a
// conflict otherwise.
func (s *Service) MovePad(ctx context.Context, kitID int64, bank string, pad int, toBank string, toPad int, swap bool) (*Kit, error) {
	k, from, err := s.kitPad(ctx, kitID, bank, pad)
	if err != nil {
		return nil, err
	}
	to, err := ParsePadRef(toBank, toPad, k.Device)
	if err != nil {
		return nil, err
	}
	if from == to {
		return k, nil
	}
	if err := s.store.MovePad(ctx, kitID, from, to, swap); err != nil {
		return nil, err
	}
	return s.store.Kit(ctx, kitID)
}

// SampleUses lists the pads that use a sample.
func (s *Service) SampleUses(ctx context.Context, sampleID int64) ([]PadUse, error) {
	if _, err := s.store.Sample(ctx, sampleID); err != nil {
		return nil, err
	}
	uses, err := s.store.SampleUses(ctx, sampleID)
	if uses == nil {
		uses = []PadUse{}
	}
	return uses, err
}
