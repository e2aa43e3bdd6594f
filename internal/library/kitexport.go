package library

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/sp404agent/sp404agent/internal/export"
	"github.com/sp404agent/sp404agent/internal/sp404"
)

// deviceBase is how a pad's imported device record is kept (Pad.DeviceBase).
type deviceBase struct {
	MK2 *sp404.PadRecord `json:"mk2,omitempty"`
	SX  *sp404.SXPad     `json:"sx,omitempty"`
}

// ExportKitModel turns a library kit into the exporter's model, with sources that read the
// stored sample files.
func (s *Service) ExportKitModel(ctx context.Context, id int64) (*export.Kit, error) {
	k, err := s.store.Kit(ctx, id)
	if err != nil {
		return nil, err
	}
	ek := export.NewKit(k.Name, export.Device(k.Device))
	ek.BPM, ek.BankTempos, ek.BankVolumes = k.BPM, k.BankTempos, k.BankVolumes
	if k.DeviceHeader != "" {
		raw, err := base64.StdEncoding.DecodeString(k.DeviceHeader)
		if err == nil {
			ek.MK2Header, err = sp404.DecodePadconf(raw)
		}
		if err != nil {
			return nil, fmt.Errorf("kit %d device header: %w", id, err)
		}
	}
	for _, p := range k.Pads {
		smp, err := s.store.Sample(ctx, p.SampleID)
		if err != nil {
			return nil, err
		}
		bank, err := ParseBank(p.Bank)
		if err != nil {
			return nil, err
		}
		key := smp.BlobKey
		ref := export.SampleRef{
			ID: smp.ID, Name: strings.TrimSuffix(smp.FileName, extOf(smp.FileName)), Path: smp.FileName,
			Open: func() (io.ReadSeekCloser, error) { return s.blobs.Open(ctx, key) },
		}
		// A slice exports only its region of the original's file.
		ref.RegionStart, ref.RegionEnd = smp.Region()
		if smp.Key != nil {
			ref.Key = *smp.Key
			if smp.Scale != nil && *smp.Scale == "minor" {
				ref.Key += "m"
			}
		}
		st := p.Settings
		ep := export.NewPad(bank, p.Pad, ref)
		ep.Level, ep.Pan, ep.Pitch, ep.Fine, ep.Speed = st.Level, st.Pan, st.Pitch, st.Fine, st.Speed
		ep.PlayMode, ep.Loop, ep.Gate, ep.OneShot = export.PlayMode(st.PlayMode), st.Loop, st.Gate, st.OneShot
		ep.MuteGroup, ep.Bus, ep.Attack, ep.Hold, ep.Release = st.MuteGroup, st.Bus, st.Attack, st.Hold, st.Release
		ep.StartFrame, ep.EndFrame, ep.Chops = st.Start, st.End, st.Chops
		ep.BPM = st.SampleBPM
		if ep.BPM == 0 && smp.BPM != nil {
			ep.BPM = *smp.BPM
		}
		if p.DeviceBase != "" {
			var base deviceBase
			if err := json.Unmarshal([]byte(p.DeviceBase), &base); err != nil {
				return nil, fmt.Errorf("kit %d pad %s%d device record: %w", id, p.Bank, p.Pad, err)
			}
			ep.MK2Base, ep.SXBase = base.MK2, base.SX
		}
		ek.Pads = append(ek.Pads, ep)
	}
	return ek, nil
}

// PlanExport validates an export of a kit and lists what it would write.
func (s *Service) PlanExport(ctx context.Context, id int64, opts export.Options) (*export.PlanResult, error) {
	ek, err := s.ExportKitModel(ctx, id)
	if err != nil {
		return nil, err
	}
	res, err := export.Plan(ctx, ek, opts)
	if err != nil {
		return nil, &Error{Code: CodeInvalid, Message: err.Error(), Err: err}
	}
	return res, nil
}

// ExportKit writes a kit for the device. The library's files are only read.
func (s *Service) ExportKit(ctx context.Context, id int64, opts export.Options, progress func(done, total int)) (*export.PlanResult, error) {
	ek, err := s.ExportKitModel(ctx, id)
	if err != nil {
		return nil, err
	}
	res, err := export.Export(ctx, ek, opts, progress)
	if err != nil {
		return nil, &Error{Code: CodeInvalid, Message: err.Error(), Err: err}
	}
	return res, nil
}

// ImportKit brings an SX card, an MKII project folder or a ZIP of either into the library: its
// samples (identical audio stored once) and a kit with every pad setting. It returns the kit and
// what the import noticed (missing files and the like).
func (s *Service) ImportKit(ctx context.Context, path, name string) (*Kit, []string, error) {
	ek, samples, err := export.ImportKit(path)
	if err != nil {
		return nil, nil, &Error{Code: CodeInvalid, Message: err.Error(), Err: err}
	}
	if name == "" {
		name = ek.Name
	}
	in := KitInput{Name: name, Device: string(ek.Device), BPM: ek.BPM, BankTempos: &ek.BankTempos, BankVolumes: &ek.BankVolumes}
	if in.BPM == 0 {
		in.BPM = 90
	}
	k, err := in.NewKit()
	if err != nil {
		return nil, nil, err
	}
	if ek.MK2Header != nil {
		raw, err := ek.MK2Header.MarshalBinary()
		if err != nil {
			return nil, nil, fmt.Errorf("import kit header: %w", err)
		}
		k.DeviceHeader = base64.StdEncoding.EncodeToString(raw)
	}
	ups := make([]*Upload, 0, len(samples))
	for _, smp := range samples {
		u, err := s.StageUpload(ctx, smp.Name+".wav", bytes.NewReader(smp.WAV))
		if err != nil {
			DiscardUploads(ups)
			return nil, nil, fmt.Errorf("import %s: %w", smp.Label, err)
		}
		ups = append(ups, u)
	}
	added, err := s.AddUploads(ctx, ups, []string{"imported"})
	if err != nil {
		return nil, nil, err
	}
	if err := s.store.CreateKit(ctx, k); err != nil {
		return nil, nil, err
	}
	pads := make([]Pad, 0, len(ek.Pads))
	for i, ep := range ek.Pads {
		st := PadSettings{
			Level: ep.Level, Pan: ep.Pan, Pitch: ep.Pitch, Fine: ep.Fine, Speed: ep.Speed,
			PlayMode: string(ep.PlayMode), Loop: ep.Loop, Gate: ep.Gate, OneShot: ep.OneShot,
			MuteGroup: ep.MuteGroup, Bus: ep.Bus, Attack: ep.Attack, Hold: ep.Hold, Release: ep.Release,
			Start: ep.StartFrame, End: ep.EndFrame, Chops: ep.Chops, SampleBPM: ep.BPM,
		}
		if st.PlayMode == "" {
			st.PlayMode = "forward"
		}
		if err := st.Validate(samples[i].Frames); err != nil {
			return nil, nil, fmt.Errorf("import pad %s: %w", samples[i].Label, err)
		}
		base, err := json.Marshal(deviceBase{MK2: ep.MK2Base, SX: ep.SXBase})
		if err != nil {
			return nil, nil, err
		}
		pads = append(pads, Pad{Bank: BankLetter(ep.Bank), Pad: ep.Pad, SampleID: added[i].ID, Settings: st, DeviceBase: string(base)})
	}
	if err := s.store.AddPads(ctx, k.ID, pads); err != nil {
		return nil, nil, err
	}
	out, err := s.store.Kit(ctx, k.ID)
	return out, ek.Notes, err
}
