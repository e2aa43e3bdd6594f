package sp404

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
)

// Names inside an MKII project folder (spec §1.2).
const (
	PadconfFile = "PADCONF.BIN"
	SMPLDir     = "SMPL"
	PTNDir      = "PTN"
)

// SMPName returns the SMP file name of pad (1..16) in bank (0 = A … 9 = J):
// "BANK1-01.SMP" … "BANK10-16.SMP". The file name counts banks from 1.
func SMPName(bank, pad int) (string, error) {
	if _, err := PadIndex(bank, pad); err != nil {
		return "", fmt.Errorf("smp name: %w", err)
	}
	return fmt.Sprintf("BANK%d-%02d.SMP", bank+1, pad), nil
}

// smpNameAt is SMPName for a pad index already known to be valid.
func smpNameAt(index int) string {
	return fmt.Sprintf("BANK%d-%02d.SMP", index/PadsPerBank+1, index%PadsPerBank+1)
}

// ProjectFolderName returns "PROJECT_01" … "PROJECT_16", the folder names
// the manual asks for when loading a project from the card.
func ProjectFolderName(slot int) (string, error) {
	if slot < 1 || slot > 16 {
		return "", fmt.Errorf("project slot %d: want 1 to 16", slot)
	}
	return fmt.Sprintf("PROJECT_%02d", slot), nil
}

// Project is an MKII project folder: the PADCONF.BIN and the samples of its
// loaded pads, keyed by pad index.
type Project struct {
	Padconf *Padconf
	Samples map[int]*SMP
	// Missing lists, when reading, the loaded pads whose SMP file is absent.
	// The device drops such pads, so the reader does too instead of failing.
	Missing []int
}

// SetSample puts s on pad index i and points the pad record at it the way
// an import on the device does (see PadRecord.LoadSample).
func (p *Project) SetSample(i int, s *SMP) error {
	if i < 0 || i >= Pads {
		return fmt.Errorf("set sample: pad index %d out of range", i)
	}
	if p.Padconf == nil {
		return errors.New("set sample: project has no padconf")
	}
	size := s.Size()
	if size > smpMaxSize {
		return fmt.Errorf("set sample %s: %d bytes is too large", PadLabel(i), size)
	}
	if err := p.Padconf.Pads[i].LoadSample(uint32(size)); err != nil {
		return fmt.Errorf("set sample %s: %w", PadLabel(i), err)
	}
	if p.Samples == nil {
		p.Samples = make(map[int]*SMP)
	}
	p.Samples[i] = s
	return nil
}

// Validate checks the padconf and that loaded pads and samples agree: every
// loaded pad has a sample whose encoded size equals the pad's Size, and no
// sample sits on an empty pad.
func (p *Project) Validate() error {
	if p.Padconf == nil {
		return errors.New("project has no padconf")
	}
	var errs []error
	if err := p.Padconf.Validate(); err != nil {
		errs = append(errs, err)
	}
	for i := range p.Padconf.Pads {
		pad := &p.Padconf.Pads[i]
		s, ok := p.Samples[i]
		switch {
		case pad.Loaded() && !ok:
			errs = append(errs, fmt.Errorf("pad %s: loaded but has no sample", PadLabel(i)))
		case !pad.Loaded() && ok:
			errs = append(errs, fmt.Errorf("pad %s: has a sample but the pad is empty", PadLabel(i)))
		case ok && s.Size() != int64(pad.Size):
			errs = append(errs, fmt.Errorf("pad %s: sample is %d bytes, pad size is %d", PadLabel(i), s.Size(), pad.Size))
		}
	}
	for i := range p.Samples {
		if i < 0 || i >= Pads {
			errs = append(errs, fmt.Errorf("sample on pad index %d: out of range", i))
		}
	}
	return errors.Join(errs...)
}

// WriteProject writes p into dir as PADCONF.BIN, SMPL/BANKb-pp.SMP and an
// empty PTN/. dir may be absent or an empty directory; anything else is
// refused, and no existing file is ever overwritten. On failure the files
// and folders this call created are removed again.
func WriteProject(dir string, p *Project) (err error) {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("write project: %w", err)
	}
	var created []string
	defer func() {
		if err == nil {
			return
		}
		for _, path := range slices.Backward(created) {
			_ = os.Remove(path)
		}
	}()

	switch entries, rerr := os.ReadDir(dir); {
	case errors.Is(rerr, fs.ErrNotExist):
		if mkErr := os.Mkdir(dir, 0o755); mkErr != nil {
			return fmt.Errorf("write project: %w", mkErr)
		}
		created = append(created, dir)
	case rerr != nil:
		return fmt.Errorf("write project: %w", rerr)
	case len(entries) > 0:
		return fmt.Errorf("write project: %s is not empty", dir)
	}
	for _, sub := range []string{SMPLDir, PTNDir} {
		path := filepath.Join(dir, sub)
		if err := os.Mkdir(path, 0o755); err != nil {
			return fmt.Errorf("write project: %w", err)
		}
		created = append(created, path)
	}

	indexes := make([]int, 0, len(p.Samples))
	for i := range p.Samples {
		indexes = append(indexes, i)
	}
	slices.Sort(indexes)
	for _, i := range indexes {
		path := filepath.Join(dir, SMPLDir, smpNameAt(i))
		s := p.Samples[i]
		err := createFile(path, &created, func(w io.Writer) error {
			return WriteSMP(w, s.Channels, s.PCM)
		})
		if err != nil {
			return fmt.Errorf("write project: pad %s: %w", PadLabel(i), err)
		}
	}
	// PADCONF.BIN goes last: a folder without it is plainly unfinished.
	err = createFile(filepath.Join(dir, PadconfFile), &created, func(w io.Writer) error {
		_, err := p.Padconf.WriteTo(w)
		return err
	})
	if err != nil {
		return fmt.Errorf("write project: %w", err)
	}
	return nil
}

// createFile creates path exclusively, records it in created, and fills it
// through a buffered writer.
func createFile(path string, created *[]string, fill func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	*created = append(*created, path)
	bw := bufio.NewWriterSize(f, 64<<10)
	if err := fill(bw); err != nil {
		f.Close()
		return err
	}
	if err := bw.Flush(); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	return nil
}

// ReadProject loads an MKII project folder: its PADCONF.BIN and the SMP of
// every loaded pad. A loaded pad without an SMP file is dropped from the
// padconf and listed in Missing, as the device does; an SMP that is
// unreadable or disagrees with its pad's size is an error.
func ReadProject(dir string) (*Project, error) {
	f, err := os.Open(filepath.Join(dir, PadconfFile))
	if err != nil {
		return nil, fmt.Errorf("read project: %w", err)
	}
	pc, err := ReadPadconf(f)
	f.Close()
	if err != nil {
		return nil, fmt.Errorf("read project %s: %w", dir, err)
	}
	p := &Project{Padconf: pc, Samples: make(map[int]*SMP)}
	for i := range pc.Pads {
		pad := &pc.Pads[i]
		if !pad.Loaded() {
			continue
		}
		path := filepath.Join(dir, SMPLDir, smpNameAt(i))
		s, err := readSMPFile(path, int64(pad.Size))
		if errors.Is(err, fs.ErrNotExist) {
			p.Missing = append(p.Missing, i)
			pc.Pads[i] = EmptyPadRecord()
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read project: pad %s: %w", PadLabel(i), err)
		}
		p.Samples[i] = s
	}
	return p, nil
}

// readSMPFile reads an SMP after checking that the file has the size its
// pad record expects, so a corrupt padconf cannot make us read a huge file
// for nothing.
func readSMPFile(path string, want int64) (*SMP, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() != want {
		return nil, fmt.Errorf("%s is %d bytes, pad size is %d", path, st.Size(), want)
	}
	s, err := ReadSMP(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return s, nil
}
