package export

import (
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/sp404agent/sp404agent/internal/sp404"
)

// Folders of each target inside Options.Out (spec §1.2 and §2.1).
const (
	mk2ImportDir  = "IMPORT"
	mk2ProjectDir = "EXPORT/PROJECT"
	kitTextFile   = "kit.txt"
	wavHeaderSize = 44
)

// planMK2 lays out IMPORT/<KIT>/A01_NAME.wav … and kit.txt.
func planMK2(res *PlanResult, kit *Kit, jobs []*job) error {
	res.Root = mk2ImportDir + "/" + SanitizeName(kit.Name, MaxNameLen)
	names := newUniqueNames()
	var table strings.Builder
	fmt.Fprintf(&table, "SP-404MKII kit %q: load with IMPORT SAMPLE from SD:/%s/\n", kit.Name, res.Root)
	fmt.Fprintf(&table, "48 kHz, 16-bit PCM WAV. Kit tempo: %s\n\n", bpmText(kit.BPM))
	fmt.Fprintf(&table, "%-4s %-28s %-8s %-6s %s\n", "PAD", "FILE", "BPM", "KEY", "SAMPLE")
	for _, j := range jobs {
		p := j.pad
		prefix := fmt.Sprintf("%s%02d_", sp404.BankLetter(p.Bank), p.Pad)
		stem := names.take(prefix+SanitizeName(p.Source.Name, MaxNameLen-len(prefix)), MaxNameLen)
		file := stem + ".wav"
		j.file = len(res.Files)
		res.Files = append(res.Files, audioFile(res.Root+"/"+file, j, wavHeaderSize+j.probe.outFrames*2*int64(j.probe.channels)))
		key := p.Source.Key
		if key == "" {
			key = "-"
		}
		fmt.Fprintf(&table, "%-4s %-28s %-8s %-6s %s\n", p.Label(), file, bpmText(p.BPM), key, p.Source.Name)
	}
	if n := countCustomised(jobs, false); n > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d pads have settings (level, pitch, loop…) that loose WAVs cannot carry: use mk2-project to keep them", n))
	}
	res.Files = append(res.Files, PlannedFile{Path: res.Root + "/" + kitTextFile, Size: int64(table.Len()), data: []byte(table.String())})
	return nil
}

func bpmText(bpm float64) string {
	if bpm == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f", bpm)
}

func audioFile(p string, j *job, size int64) PlannedFile {
	return PlannedFile{
		Path: p, Size: size, Pad: j.pad.Label(), Sample: j.pad.Source.Name,
		Channels: j.probe.channels, Frames: j.probe.outFrames, SampleRate: j.probe.outRate, job: j,
	}
}

// planMK2Project lays out EXPORT/PROJECT/PROJECT_NN/ with PTN/, the SMP
// files and PADCONF.BIN, which is built here in full.
func planMK2Project(res *PlanResult, kit *Kit, jobs []*job) error {
	slot := res.opts.Slot
	if slot == 0 {
		slot = 1
	}
	folder, err := sp404.ProjectFolderName(slot)
	if err != nil {
		return err
	}
	res.Root = mk2ProjectDir + "/" + folder
	pc, err := buildPadconf(kit, jobs, res.opts.ProjectName)
	if err != nil {
		return err
	}
	res.Files = append(res.Files, PlannedFile{Path: res.Root + "/" + sp404.PTNDir + "/"})
	for _, j := range jobs {
		name, err := sp404.SMPName(j.pad.Bank, j.pad.Pad)
		if err != nil {
			return err
		}
		j.file = len(res.Files)
		res.Files = append(res.Files, audioFile(res.Root+"/"+sp404.SMPLDir+"/"+name, j, sp404.SMPSize(j.probe.outFrames, j.probe.channels)))
	}
	b, err := pc.MarshalBinary()
	if err != nil {
		return err
	}
	// PADCONF.BIN goes last, as on the device: a folder without it is
	// plainly unfinished.
	res.Files = append(res.Files, PlannedFile{Path: res.Root + "/" + sp404.PadconfFile, Size: int64(len(b)), data: b})
	return nil
}

// projectName picks and checks the MKII project name.
func projectName(kit *Kit, explicit string) (string, error) {
	if explicit != "" {
		if _, err := sp404.NewProjectName(explicit); err != nil {
			return "", err
		}
		return explicit, nil
	}
	var b strings.Builder
	for _, r := range foldLatin(kit.Name) {
		if r >= 0x20 && r <= 0x7E {
			b.WriteRune(r)
		}
	}
	name := strings.TrimSpace(b.String())
	if len(name) > 31 {
		name = strings.TrimSpace(name[:31])
	}
	if name == "" {
		name = "PROJECT"
	}
	return name, nil
}

// tempo100 converts BPM to the BPM×100 the MKII stores; 0 gives fallback.
func tempo100(bpm float64, fallback uint32) uint32 {
	if bpm == 0 {
		return fallback
	}
	return uint32(math.Round(bpm * 100))
}

// buildPadconf maps the kit onto a version 3 PADCONF.BIN.
func buildPadconf(kit *Kit, jobs []*job, explicitName string) (*sp404.Padconf, error) {
	name, err := projectName(kit, explicitName)
	if err != nil {
		return nil, err
	}
	pc, err := sp404.NewPadconf(name)
	if err != nil {
		return nil, err
	}
	if h := kit.MK2Header; h != nil {
		// Keep what the model does not carry; the kit's own values are set
		// below. Version 2 files are written as version 3.
		pads := pc.Pads
		*pc = *h
		pc.Pads, pc.Version = pads, 3
		if h.Name.String() != name {
			if pc.Name, err = sp404.NewProjectName(name); err != nil {
				return nil, err
			}
		}
	}
	pc.Tempo = uint16(tempo100(kit.BPM, uint32(pc.Tempo)))
	for b := range pc.Banks {
		fallback := uint32(pc.Banks[b].Tempo)
		if kit.MK2Header == nil && kit.BPM != 0 {
			fallback = uint32(pc.Tempo)
		}
		pc.Banks[b].Tempo = uint16(tempo100(kit.BankTempos[b], fallback))
		pc.Banks[b].Volume = kit.BankVolumes[b]
	}
	for _, j := range jobs {
		rec, err := mk2Record(j)
		if err != nil {
			return nil, fmt.Errorf("pad %s: %w", j.pad.Label(), err)
		}
		pc.Pads[j.index] = rec
	}
	if err := pc.Validate(); err != nil {
		return nil, err
	}
	return pc, nil
}

// mk2Record builds one pad record: the imported record (or the firmware's
// empty one) with the kit's settings laid over it.
func mk2Record(j *job) (sp404.PadRecord, error) {
	p, s := j.pad, j.probe
	rec := sp404.EmptyPadRecord()
	if p.MK2Base != nil {
		rec = *p.MK2Base
	}
	size := sp404.SMPSize(s.outFrames, s.channels)
	if size > math.MaxUint32 {
		return rec, fmt.Errorf("smp of %d bytes does not fit the 32-bit size field", size)
	}
	baseLoopTop, baseSize := rec.LoopTop, rec.Size
	if err := rec.LoadSample(uint32(size)); err != nil {
		return rec, err
	}
	start, end := regionOut(j)
	rec.Start = uint32(sp404.FrameOffset(start, s.channels))
	rec.End = uint32(sp404.FrameOffset(end, s.channels))
	rec.LoopTop = rec.Start
	if p.MK2Base != nil && baseSize == rec.Size && baseLoopTop >= rec.Start && baseLoopTop <= rec.End {
		rec.LoopTop = baseLoopTop
	}
	rec.Level = uint32(p.Level)
	rec.Gate, rec.Loop = p.Gate, p.Loop
	rec.MuteGroup = uint32(p.MuteGroup)
	fallbackBPM := uint32(sp404.DefaultTempo)
	if p.MK2Base != nil {
		fallbackBPM = p.MK2Base.BPM
	}
	rec.BPM = tempo100(p.BPM, fallbackBPM)
	rec.Mode = rec.Mode.Set(sp404.OneShot, p.OneShot)
	rec.PitchCoarse, rec.PitchFine = int32(p.Pitch), int32(p.Fine)
	rec.PlayMode = mk2PlayMode(p.PlayMode)
	rec.Speed = uint32(math.Round(p.Speed * 100))
	rec.Pan = uint32(panCentre + p.Pan)
	rec.Bus = sp404.Bus(p.Bus)
	rec.Attack, rec.Hold, rec.Release = uint32(p.Attack), uint32(p.Hold), uint32(p.Release)
	if dn := displayName(p.Source.Name); p.MK2Base == nil || p.MK2Base.Name.String() != dn {
		n, err := sp404.NewPadName(dn)
		if err != nil {
			return rec, err
		}
		rec.Name = n
	}
	for i := range rec.Chops {
		rec.Chops[i] = sp404.NoChop
		if i < len(p.Chops) {
			rec.Chops[i] = int32(s.mapFrame(p.Chops[i]))
		}
	}
	return rec, rec.Validate()
}

// planSX lays out ROLAND/SP-404SX/SMPL/ with the RLND WAVs and PAD_INFO.BIN.
func planSX(res *PlanResult, kit *Kit, jobs []*job) error {
	res.Root = sp404.SXCardDir
	pi := sp404.NewPadInfo()
	for _, j := range jobs {
		name, err := sp404.SXSampleName(j.pad.Bank, j.pad.Pad, "WAV")
		if err != nil {
			return err
		}
		rec, err := sxRecord(j)
		if err != nil {
			return fmt.Errorf("pad %s: %w", j.pad.Label(), err)
		}
		pi.Pads[j.index] = rec
		j.file = len(res.Files)
		res.Files = append(res.Files, audioFile(res.Root+"/"+name, j, sp404.SXSampleSize(j.probe.outFrames, j.probe.channels)))
	}
	if n := countCustomised(jobs, true); n > 0 {
		res.Warnings = append(res.Warnings, fmt.Sprintf("%d pads have settings the SX does not store (pan, pitch, speed, ping-pong, mute group, bus, envelope, one-shot or chops): they are left out", n))
	}
	b, err := pi.MarshalBinary()
	if err != nil {
		return err
	}
	res.Files = append(res.Files, PlannedFile{Path: res.Root + "/" + sp404.PadInfoFile, Size: int64(len(b)), data: b})
	return nil
}

// sxRecord builds one PAD_INFO record from the pad's settings the SX has.
func sxRecord(j *job) (sp404.SXPad, error) {
	p, s := j.pad, j.probe
	rec := sp404.EmptySXPad()
	if p.SXBase != nil {
		rec = *p.SXBase
	}
	size := sp404.SXSampleSize(s.outFrames, s.channels)
	if size > math.MaxUint32 {
		return rec, fmt.Errorf("wav of %d bytes does not fit the 32-bit size field", size)
	}
	if err := rec.LoadSample(uint32(size), s.channels, sp404.FormatWAVE); err != nil {
		return rec, err
	}
	start, end := regionOut(j)
	rec.UserStart = uint32(sp404.SXSampleSize(start, s.channels))
	rec.UserEnd = uint32(sp404.SXSampleSize(end, s.channels))
	rec.Volume = uint8(p.Level)
	rec.Loop, rec.Gate = p.Loop, p.Gate
	rec.Reverse = p.PlayMode == Reverse || p.PlayMode == ReversePingPong
	if p.BPM != 0 {
		// BPM×10; never 0, which is reported to crash the unit.
		rec.OriginalTempo = max(1, uint32(math.Round(p.BPM*10)))
		if p.SXBase == nil {
			rec.UserTempo = rec.OriginalTempo
		}
	}
	return rec, rec.Validate()
}

// countCustomised counts pads whose settings a target cannot store: on the
// mk2 target none are stored; on the SX, the ones it lacks.
func countCustomised(jobs []*job, sx bool) int {
	n := 0
	for _, j := range jobs {
		p := j.pad
		lacks := p.Pan != 0 || p.Pitch != 0 || p.Fine != 0 || p.Speed != 100 ||
			p.PlayMode == PingPong || p.PlayMode == ReversePingPong || p.MuteGroup != 0 ||
			p.Bus != 1 || p.Attack != 0 || p.Hold != 100 || p.Release != 0 || p.OneShot || len(p.Chops) > 0
		if !sx {
			lacks = lacks || p.Level != DefaultLevel || p.Loop || p.PlayMode == Reverse ||
				p.StartFrame != 0 || p.EndFrame != 0
		}
		if lacks {
			n++
		}
	}
	return n
}

// writeAudio writes one converted sample in the target's file format.
func writeAudio(w io.Writer, t Target, j *job, c *converted) error {
	switch t {
	case TargetMK2:
		return writeWAV16(w, c.channels, 48000, c.pcm)
	case TargetMK2Project:
		sw, err := sp404.NewSMPWriter(w, c.channels, c.frames)
		if err != nil {
			return err
		}
		if err := sw.Write(c.pcm); err != nil {
			return err
		}
		return sw.Close()
	case TargetSX:
		return sp404.WriteRLNDWAV(w, j.index, c.channels, c.pcm)
	}
	return fmt.Errorf("target %q: no writer", t)
}

// writeWAV16 writes a canonical 44-byte-header RIFF WAVE of 16-bit PCM: a
// 16-byte fmt chunk and the data chunk, nothing else, which is the most
// widely read form and what IMPORT SAMPLE expects (spec §1.6 route 1).
func writeWAV16(w io.Writer, channels, rate int, pcm []int16) error {
	le := binary.LittleEndian
	dataBytes := uint32(2 * len(pcm))
	var h [wavHeaderSize]byte
	copy(h[0:], "RIFF")
	le.PutUint32(h[4:], wavHeaderSize-8+dataBytes)
	copy(h[8:], "WAVEfmt ")
	le.PutUint32(h[16:], 16)
	le.PutUint16(h[20:], 1)
	le.PutUint16(h[22:], uint16(channels))
	le.PutUint32(h[24:], uint32(rate))
	le.PutUint32(h[28:], uint32(rate*2*channels))
	le.PutUint16(h[32:], uint16(2*channels))
	le.PutUint16(h[34:], 16)
	copy(h[36:], "data")
	le.PutUint32(h[40:], dataBytes)
	if _, err := w.Write(h[:]); err != nil {
		return fmt.Errorf("write wav: %w", err)
	}
	buf := make([]byte, 2*min(len(pcm), 8192))
	for len(pcm) > 0 {
		n := min(len(pcm), 8192)
		for i, v := range pcm[:n] {
			le.PutUint16(buf[2*i:], uint16(v))
		}
		if _, err := w.Write(buf[:2*n]); err != nil {
			return fmt.Errorf("write wav: %w", err)
		}
		pcm = pcm[n:]
	}
	return nil
}
