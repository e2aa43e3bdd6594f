package export

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// maxKitFile bounds a kit description; a 160-pad kit is a few tens of KB.
const maxKitFile = 4 << 20

// kitFile is the JSON form of a kit read by LoadKitFile. Optional settings
// are pointers so that an absent one takes the device default.
type kitFile struct {
	Name        string             `json:"name"`
	Device      Device             `json:"device"`
	BPM         float64            `json:"bpm"`
	BankTempos  map[string]float64 `json:"bank_tempos"`
	BankVolumes map[string]int     `json:"bank_volumes"`
	Pads        []padFile          `json:"pads"`
}

type padFile struct {
	Pad        string    `json:"pad"`
	File       string    `json:"file"`
	Name       string    `json:"name"`
	ID         int64     `json:"id"`
	Key        string    `json:"key"`
	Level      *int      `json:"level"`
	Pan        *int      `json:"pan"`
	Pitch      *int      `json:"pitch"`
	Fine       *int      `json:"fine"`
	Speed      *float64  `json:"speed"`
	PlayMode   *PlayMode `json:"play_mode"`
	Loop       *bool     `json:"loop"`
	Gate       *bool     `json:"gate"`
	OneShot    *bool     `json:"one_shot"`
	MuteGroup  *int      `json:"mute_group"`
	Bus        *int      `json:"bus"`
	Attack     *int      `json:"attack"`
	Hold       *int      `json:"hold"`
	Release    *int      `json:"release"`
	StartFrame int64     `json:"start_frame"`
	EndFrame   int64     `json:"end_frame"`
	Chops      []int64   `json:"chops"`
	BPM        float64   `json:"bpm"`
}

// LoadKitFile reads a kit described as JSON (format in docs/sp404.md). Pad
// positions are labels ("A1" … "J16"); sample files are relative to the
// JSON file's folder; settings left out take the defaults of NewPad and
// NewKit. Unknown fields, a bad label or a missing file name are errors, all
// reported at once. Sample files are not opened here: Plan does that.
func LoadKitFile(path string) (*Kit, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load kit: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxKitFile+1))
	if err != nil {
		return nil, fmt.Errorf("load kit %s: %w", path, err)
	}
	if len(b) > maxKitFile {
		return nil, fmt.Errorf("load kit %s: larger than %d bytes", path, maxKitFile)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var kf kitFile
	if err := dec.Decode(&kf); err != nil {
		return nil, fmt.Errorf("load kit %s: %w", path, err)
	}
	k, err := kf.kit(filepath.Dir(path))
	if err != nil {
		return nil, fmt.Errorf("load kit %s: %w", path, err)
	}
	return k, nil
}

func (kf *kitFile) kit(dir string) (*Kit, error) {
	device := kf.Device
	if device == "" {
		device = DeviceMK2
	}
	k := NewKit(kf.Name, device)
	k.BPM = kf.BPM
	var errs []error
	for label, bpm := range kf.BankTempos {
		b, err := parseBank(label)
		if err != nil {
			errs = append(errs, fmt.Errorf("bank_tempos: %w", err))
			continue
		}
		k.BankTempos[b] = bpm
	}
	for label, v := range kf.BankVolumes {
		b, err := parseBank(label)
		if err != nil {
			errs = append(errs, fmt.Errorf("bank_volumes: %w", err))
			continue
		}
		k.BankVolumes[b] = v
	}
	for i, pf := range kf.Pads {
		bank, pad, err := ParsePadLabel(pf.Pad)
		if err != nil {
			errs = append(errs, fmt.Errorf("pads[%d]: %w", i, err))
		}
		if pf.File == "" {
			errs = append(errs, fmt.Errorf("pads[%d] (%s): no file", i, pf.Pad))
			continue
		}
		file := pf.File
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, filepath.FromSlash(file))
		}
		name := pf.Name
		if name == "" {
			name = strings.TrimSuffix(filepath.Base(file), filepath.Ext(file))
		}
		src := FileSource(file, name)
		src.ID, src.Key = pf.ID, pf.Key
		p := NewPad(bank, pad, src)
		setInt(&p.Level, pf.Level)
		setInt(&p.Pan, pf.Pan)
		setInt(&p.Pitch, pf.Pitch)
		setInt(&p.Fine, pf.Fine)
		if pf.Speed != nil {
			p.Speed = *pf.Speed
		}
		if pf.PlayMode != nil {
			p.PlayMode = *pf.PlayMode
		}
		setBool(&p.Loop, pf.Loop)
		setBool(&p.Gate, pf.Gate)
		setBool(&p.OneShot, pf.OneShot)
		setInt(&p.MuteGroup, pf.MuteGroup)
		setInt(&p.Bus, pf.Bus)
		setInt(&p.Attack, pf.Attack)
		setInt(&p.Hold, pf.Hold)
		setInt(&p.Release, pf.Release)
		p.StartFrame, p.EndFrame, p.Chops, p.BPM = pf.StartFrame, pf.EndFrame, pf.Chops, pf.BPM
		k.Pads = append(k.Pads, p)
	}
	return k, errors.Join(errs...)
}

func setInt(dst, v *int) {
	if v != nil {
		*dst = *v
	}
}

func setBool(dst, v *bool) {
	if v != nil {
		*dst = *v
	}
}

func parseBank(s string) (int, error) {
	if len(s) == 1 {
		c := s[0] | 0x20
		if c >= 'a' && c <= 'j' {
			return int(c - 'a'), nil
		}
	}
	return 0, fmt.Errorf("bank %q: want A–J", s)
}

// ParsePadLabel parses a pad label such as "A1" or "j16" into a bank
// (0 = A … 9 = J) and a pad number (1–16).
func ParsePadLabel(s string) (bank, pad int, err error) {
	if len(s) < 2 {
		return 0, 0, fmt.Errorf("pad %q: want a label like A1 … J16", s)
	}
	bank, err = parseBank(s[:1])
	if err != nil {
		return 0, 0, fmt.Errorf("pad %q: want a label like A1 … J16", s)
	}
	pad, err = strconv.Atoi(s[1:])
	if err != nil || pad < 1 || pad > 16 {
		return 0, 0, fmt.Errorf("pad %q: want a label like A1 … J16", s)
	}
	return bank, pad, nil
}
