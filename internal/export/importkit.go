package export

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/sp404agent/sp404agent/internal/audio"
	"github.com/sp404agent/sp404agent/internal/sp404"
)

// Limits of import-kit. A full MKII project is at most 160 samples of
// about 185 MB each, so these stop only inputs no device wrote.
const (
	MaxImportEntries     = 4096      // files in a ZIP, or visited in a folder tree
	MaxImportFileSize    = 200 << 20 // one sample file: the 16-minute MKII maximum is 184.5 MB
	MaxImportTotalSize   = 4 << 30   // all audio of one kit
	maxImportSearchDepth = 8         // folder depth searched for PADCONF.BIN / PAD_INFO.BIN
)

// ImportedSample is the audio of one imported pad: exactly the samples the
// device file holds, as a 16-bit PCM WAV ready to be added to the library.
type ImportedSample struct {
	Bank       int    `json:"bank"`
	Pad        int    `json:"pad"`
	Label      string `json:"label"` // "A1" … "J16"
	Name       string `json:"name"`
	File       string `json:"file"` // the device file it came from, relative to the project or card folder
	Channels   int    `json:"channels"`
	SampleRate int    `json:"sample_rate"`
	Frames     int64  `json:"frames"`
	WAV        []byte `json:"-"`
}

// Open returns a reader over the WAV bytes.
func (s *ImportedSample) Open() (io.ReadSeekCloser, error) {
	return nopCloser{bytes.NewReader(s.WAV)}, nil
}

// Buffer decodes the WAV bytes into an audio.Buffer.
func (s *ImportedSample) Buffer() (*audio.Buffer, error) {
	buf, _, err := audio.Decode(bytes.NewReader(s.WAV))
	if err != nil {
		return nil, fmt.Errorf("imported sample %s: %w", s.Label, err)
	}
	return buf, nil
}

// ImportKit reads an SP-404SX/A card tree (ROLAND/SP-404SX/SMPL/…), an MKII
// project folder (PADCONF.BIN + SMPL/), or a ZIP of either, and returns the
// kit with every pad setting the files hold, plus the audio of each loaded
// pad. Pad sources point at the returned audio, so exporting the kit again
// to the same target reproduces PADCONF.BIN or PAD_INFO.BIN byte for byte.
//
// path may be the folder, any folder above it (searched up to 8 levels), the
// PADCONF.BIN / PAD_INFO.BIN file itself, or a .zip. ZIP entries are checked
// before anything is read: absolute paths, ".." and backslashes, more than
// MaxImportEntries entries or entries declaring more than MaxImportFileSize
// bytes are refused, and no entry is read beyond its declared size.
// Loaded MKII pads whose SMP file is missing are dropped, as the device does,
// and listed in Kit.Notes. The samples come in the order of Kit.Pads:
// samples[i] is the audio of kit.Pads[i].
func ImportKit(path string) (*Kit, []ImportedSample, error) {
	fsys, closeFS, defName, err := openImportFS(path)
	if err != nil {
		return nil, nil, fmt.Errorf("import kit: %w", err)
	}
	defer closeFS()
	root, kind, err := locateKit(fsys)
	if err != nil {
		return nil, nil, fmt.Errorf("import kit %s: %w", path, err)
	}
	var (
		kit     *Kit
		samples []ImportedSample
	)
	switch kind {
	case DeviceMK2:
		kit, samples, err = importMK2(fsys, root)
	default:
		kit, samples, err = importSX(fsys, root)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("import kit %s: %w", path, err)
	}
	if kit.Name == "" {
		kit.Name = defName
	}
	return kit, samples, nil
}

// openImportFS opens path as a file system rooted where the kit is looked
// for, and gives a default kit name from the path.
func openImportFS(p string) (fs.FS, func(), string, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, nil, "", err
	}
	base := strings.TrimSuffix(filepath.Base(p), filepath.Ext(p))
	if st.IsDir() {
		return os.DirFS(p), func() {}, filepath.Base(p), nil
	}
	if strings.EqualFold(filepath.Ext(p), ".zip") {
		zr, err := zip.OpenReader(p)
		if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
			return nil, nil, "", fmt.Errorf("open zip: %w", err)
		}
		if zr == nil {
			return nil, nil, "", fmt.Errorf("open zip: %w", err)
		}
		if err := checkZip(&zr.Reader); err != nil {
			zr.Close()
			return nil, nil, "", err
		}
		return &zr.Reader, func() { zr.Close() }, base, nil
	}
	switch strings.ToUpper(filepath.Base(p)) {
	case sp404.PadconfFile, sp404.PadInfoFile:
		dir := filepath.Dir(p)
		return os.DirFS(dir), func() {}, filepath.Base(dir), nil
	}
	return nil, nil, "", fmt.Errorf("%s: want a project or card folder, its PADCONF.BIN or PAD_INFO.BIN, or a .zip", p)
}

// checkZip refuses archives that could write outside a folder if unpacked
// (zip slip) or that claim more data than a kit can hold (zip bomb).
func checkZip(zr *zip.Reader) error {
	if len(zr.File) > MaxImportEntries {
		return fmt.Errorf("zip has %d entries: at most %d", len(zr.File), MaxImportEntries)
	}
	seen := make(map[string]bool, len(zr.File))
	var total uint64
	for _, f := range zr.File {
		name := f.Name
		clean := strings.TrimSuffix(name, "/")
		switch {
		case name == "" || strings.HasPrefix(name, "/") || strings.Contains(name, `\`) ||
			(len(name) >= 2 && name[1] == ':'):
			return fmt.Errorf("zip entry %q: absolute or non-portable path", name)
		case !fs.ValidPath(clean):
			return fmt.Errorf("zip entry %q: path leaves the archive (\"..\" or empty element)", name)
		case seen[clean]:
			return fmt.Errorf("zip entry %q: appears twice", name)
		case f.UncompressedSize64 > MaxImportFileSize:
			return fmt.Errorf("zip entry %q: declares %d bytes, at most %d", name, f.UncompressedSize64, MaxImportFileSize)
		}
		seen[clean] = true
		total += f.UncompressedSize64
		if total > MaxImportTotalSize {
			return fmt.Errorf("zip declares more than %d bytes in total", uint64(MaxImportTotalSize))
		}
	}
	return nil
}

// locateKit finds the one PADCONF.BIN or PAD_INFO.BIN in fsys and returns
// the folder holding it.
func locateKit(fsys fs.FS) (string, Device, error) {
	type hit struct {
		dir  string
		kind Device
	}
	var hits []hit
	visited := 0
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if visited++; visited > MaxImportEntries {
			return fmt.Errorf("more than %d files searched: point at the project or card folder", MaxImportEntries)
		}
		if d.IsDir() {
			if p != "." && (strings.HasPrefix(d.Name(), ".") || d.Name() == "__MACOSX" ||
				strings.Count(p, "/") >= maxImportSearchDepth) {
				return fs.SkipDir
			}
			return nil
		}
		switch strings.ToUpper(d.Name()) {
		case sp404.PadconfFile:
			hits = append(hits, hit{path.Dir(p), DeviceMK2})
		case sp404.PadInfoFile:
			hits = append(hits, hit{path.Dir(p), DeviceSX})
		}
		return nil
	})
	if err != nil {
		return "", "", err
	}
	switch len(hits) {
	case 0:
		return "", "", errors.New("no PADCONF.BIN (MKII project) or PAD_INFO.BIN (SX/A card) found")
	case 1:
		return hits[0].dir, hits[0].kind, nil
	}
	var where []string
	for _, h := range hits {
		where = append(where, h.dir)
	}
	return "", "", fmt.Errorf("%d kits found (%s): point at one of them", len(hits), strings.Join(where, ", "))
}

// findFile returns the path of name in dir, matching case-insensitively as
// the card's FAT file system does, or "" when absent.
func findFile(fsys fs.FS, dir, name string) (string, error) {
	p := path.Join(dir, name)
	if _, err := fs.Stat(fsys, p); err == nil {
		return p, nil
	}
	entries, err := fs.ReadDir(fsys, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	for _, e := range entries {
		if !e.IsDir() && strings.EqualFold(e.Name(), name) {
			return path.Join(dir, e.Name()), nil
		}
	}
	return "", nil
}

// readLimited reads a whole file of at most limit bytes, whatever size its
// directory entry claims.
func readLimited(fsys fs.FS, p string, limit int64) ([]byte, error) {
	f, err := fsys.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Size() > limit {
		return nil, fmt.Errorf("%s is %d bytes: at most %d", p, st.Size(), limit)
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", p, limit)
	}
	return b, nil
}

// budget tracks the audio read so far against MaxImportTotalSize.
type budget struct{ used int64 }

func (b *budget) take(n int) error {
	b.used += int64(n)
	if b.used > MaxImportTotalSize {
		return fmt.Errorf("kit audio exceeds %d bytes", int64(MaxImportTotalSize))
	}
	return nil
}

func importMK2(fsys fs.FS, root string) (*Kit, []ImportedSample, error) {
	pcPath, err := findFile(fsys, root, sp404.PadconfFile)
	if err != nil {
		return nil, nil, err
	}
	b, err := readLimited(fsys, pcPath, sp404.PadconfSize)
	if err != nil {
		return nil, nil, err
	}
	pc, err := sp404.DecodePadconf(b)
	if err != nil {
		return nil, nil, err
	}
	kit := NewKit(strings.TrimSpace(pc.Name.String()), DeviceMK2)
	header := *pc
	kit.MK2Header = &header
	kit.BPM = float64(pc.Tempo) / 100
	for bank, s := range pc.Banks {
		kit.BankTempos[bank] = float64(s.Tempo) / 100
		kit.BankVolumes[bank] = s.Volume
	}
	smplDir := path.Join(root, sp404.SMPLDir)
	var samples []ImportedSample
	var spent budget
	for i := range pc.Pads {
		rec := pc.Pads[i]
		if !rec.Loaded() {
			continue
		}
		bank, padNo := i/sp404.PadsPerBank, i%sp404.PadsPerBank+1
		name, _ := sp404.SMPName(bank, padNo)
		p, err := findFile(fsys, smplDir, name)
		if err != nil {
			return nil, nil, err
		}
		if p == "" {
			kit.Notes = append(kit.Notes, fmt.Sprintf("pad %s: %s is missing; the pad is left empty, as the device does", sp404.PadLabel(i), name))
			continue
		}
		data, err := readLimited(fsys, p, MaxImportFileSize)
		if err != nil {
			return nil, nil, fmt.Errorf("pad %s: %w", sp404.PadLabel(i), err)
		}
		if err := spent.take(len(data)); err != nil {
			return nil, nil, err
		}
		if int64(len(data)) != int64(rec.Size) {
			return nil, nil, fmt.Errorf("pad %s: %s is %d bytes, PADCONF.BIN says %d", sp404.PadLabel(i), name, len(data), rec.Size)
		}
		smp, err := sp404.DecodeSMP(data)
		if errors.Is(err, sp404.ErrSMPDigest) {
			kit.Notes = append(kit.Notes, fmt.Sprintf("pad %s: %s has a wrong header digest; the audio is kept", sp404.PadLabel(i), name))
		} else if err != nil {
			return nil, nil, fmt.Errorf("pad %s: %w", sp404.PadLabel(i), err)
		}
		display := rec.Name.String()
		is, err := importedSample(bank, padNo, display, p, smp.Channels, sp404.SMPSampleRate, smp.PCM)
		if err != nil {
			return nil, nil, err
		}
		pad, err := padFromMK2(&rec, bank, padNo, smp.Channels, &is)
		if err != nil {
			return nil, nil, fmt.Errorf("pad %s: %w", sp404.PadLabel(i), err)
		}
		kit.Pads = append(kit.Pads, pad)
		samples = append(samples, is)
	}
	return kit, samples, nil
}

// importedSample wraps device PCM as a 16-bit WAV.
func importedSample(bank, pad int, name, file string, channels, rate int, pcm []int16) (ImportedSample, error) {
	var wav bytes.Buffer
	wav.Grow(wavHeaderSize + 2*len(pcm))
	if err := writeWAV16(&wav, channels, rate, pcm); err != nil {
		return ImportedSample{}, err
	}
	return ImportedSample{
		Bank: bank, Pad: pad, Label: padLabel(bank, pad), Name: name, File: file,
		Channels: channels, SampleRate: rate, Frames: int64(len(pcm) / channels), WAV: wav.Bytes(),
	}, nil
}

// padFromMK2 maps a pad record onto the kit model.
func padFromMK2(rec *sp404.PadRecord, bank, padNo, channels int, is *ImportedSample) (Pad, error) {
	mode, err := playModeFromMK2(rec.PlayMode)
	if err != nil {
		return Pad{}, err
	}
	base := *rec
	p := Pad{
		Bank: bank, Pad: padNo,
		Source:    BytesSource(is.Name, is.WAV),
		Level:     int(rec.Level),
		Pan:       int(rec.Pan) - panCentre,
		Pitch:     int(rec.PitchCoarse),
		Fine:      int(rec.PitchFine),
		Speed:     float64(rec.Speed) / 100,
		PlayMode:  mode,
		Loop:      rec.Loop,
		Gate:      rec.Gate,
		OneShot:   rec.OneShot(),
		MuteGroup: int(rec.MuteGroup),
		Bus:       int(rec.Bus),
		Attack:    int(rec.Attack),
		Hold:      int(rec.Hold),
		Release:   int(rec.Release),
		BPM:       float64(rec.BPM) / 100,
		MK2Base:   &base,
	}
	p.Source.Path = is.File
	if rec.Start > sp404.SMPHeaderSize {
		p.StartFrame = sp404.OffsetFrame(int64(rec.Start), channels)
	}
	if rec.End != rec.Size {
		p.EndFrame = sp404.OffsetFrame(int64(rec.End), channels)
	}
	for _, c := range rec.Chops {
		if c != sp404.NoChop {
			p.Chops = append(p.Chops, int64(c))
		}
	}
	return p, nil
}

func importSX(fsys fs.FS, root string) (*Kit, []ImportedSample, error) {
	piPath, err := findFile(fsys, root, sp404.PadInfoFile)
	if err != nil {
		return nil, nil, err
	}
	b, err := readLimited(fsys, piPath, sp404.PadInfoSize)
	if err != nil {
		return nil, nil, err
	}
	pi, err := sp404.DecodePadInfo(b)
	if err != nil {
		return nil, nil, err
	}
	kit := NewKit("", DeviceSX)
	var samples []ImportedSample
	var spent budget
	for i := range pi.Pads {
		rec := pi.Pads[i]
		bank, padNo := i/sp404.SXPadsPerBank, i%sp404.SXPadsPerBank+1
		var p string
		for _, ext := range []string{"WAV", "AIF"} {
			name, _ := sp404.SXSampleName(bank, padNo, ext)
			if p, err = findFile(fsys, root, name); err != nil {
				return nil, nil, err
			}
			if p != "" {
				break
			}
		}
		if p == "" {
			if rec != sp404.EmptySXPad() {
				kit.Notes = append(kit.Notes, fmt.Sprintf("pad %s: PAD_INFO.BIN has settings but no sample file; left empty", sp404.SXPadLabel(i)))
			}
			continue
		}
		data, err := readLimited(fsys, p, MaxImportFileSize)
		if err != nil {
			return nil, nil, fmt.Errorf("pad %s: %w", sp404.SXPadLabel(i), err)
		}
		if err := spent.take(len(data)); err != nil {
			return nil, nil, err
		}
		s, err := sp404.DecodeSXSample(data)
		if err != nil {
			return nil, nil, fmt.Errorf("pad %s: %w", sp404.SXPadLabel(i), err)
		}
		if s.Frames() == 0 {
			return nil, nil, fmt.Errorf("pad %s: %s holds no audio", sp404.SXPadLabel(i), p)
		}
		if int64(rec.OriginalEnd) != int64(len(data)) || s.DataOffset != 512 {
			kit.Notes = append(kit.Notes, fmt.Sprintf("pad %s: %s is %d bytes with audio at %d; PAD_INFO.BIN expects %d and 512", sp404.SXPadLabel(i), path.Base(p), len(data), s.DataOffset, rec.OriginalEnd))
		}
		label := sp404.SXPadLabel(i)
		is, err := importedSample(bank, padNo, label, p, s.Channels, s.SampleRate, s.PCM)
		if err != nil {
			return nil, nil, err
		}
		base := rec
		pad := Pad{
			Bank: bank, Pad: padNo, Source: BytesSource(label, is.WAV),
			Level: int(rec.Volume), Speed: 100, PlayMode: Forward, Gate: rec.Gate, Loop: rec.Loop,
			Bus: 1, Hold: 100, BPM: float64(rec.OriginalTempo) / 10, SXBase: &base,
		}
		pad.Source.Path = p
		if rec.Reverse {
			pad.PlayMode = Reverse
		}
		if pad.BPM < MinBPM || pad.BPM > MaxBPM {
			// SX tempos run wider than the MKII's; keep the record's value
			// through SXBase and leave the kit's BPM unknown.
			pad.BPM = 0
		}
		ch := int64(s.Channels)
		if rec.UserStart > 512 {
			pad.StartFrame = (int64(rec.UserStart) - 512) / (2 * ch)
		}
		if rec.UserEnd != rec.OriginalEnd && rec.UserEnd > 512 {
			pad.EndFrame = min((int64(rec.UserEnd)-512)/(2*ch), int64(s.Frames()))
		}
		if pad.EndFrame == int64(s.Frames()) {
			pad.EndFrame = 0
		}
		kit.Pads = append(kit.Pads, pad)
		samples = append(samples, is)
	}
	return kit, samples, nil
}
