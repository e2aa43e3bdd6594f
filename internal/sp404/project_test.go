package sp404

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func testProject(t *testing.T) *Project {
	t.Helper()
	r := rand.New(rand.NewPCG(17, 18))
	p := &Project{Padconf: mustPadconf(t, "PROJECT_05")}
	for _, s := range []struct{ index, channels, frames int }{{0, 2, 3000}, {17, 1, 5000}, {159, 2, 100}} {
		smp := &SMP{Channels: s.channels, PCM: randomPCM(r, s.frames*s.channels)}
		if err := p.SetSample(s.index, smp); err != nil {
			t.Fatal(err)
		}
	}
	p.Padconf.Pads[17].Loop = true
	return p
}

func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if d.IsDir() {
			rel += "/"
		}
		out = append(out, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWriteProjectLaysOutDeviceFolder(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "PROJECT_05")
	p := testProject(t)
	if err := WriteProject(dir, p); err != nil {
		t.Fatal(err)
	}
	want := []string{"./", "PADCONF.BIN", "PTN/", "SMPL/", "SMPL/BANK1-01.SMP", "SMPL/BANK10-16.SMP", "SMPL/BANK2-02.SMP"}
	if got := listTree(t, dir); !slices.Equal(got, want) {
		t.Errorf("tree %v, want %v", got, want)
	}
	for _, name := range []string{"SMPL/BANK1-01.SMP", "PADCONF.BIN"} {
		st, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		switch name {
		case "PADCONF.BIN":
			if st.Size() != PadconfSize {
				t.Errorf("PADCONF.BIN is %d bytes", st.Size())
			}
		default:
			if uint32(st.Size()) != p.Padconf.Pads[0].Size {
				t.Errorf("%s is %d bytes, pad says %d", name, st.Size(), p.Padconf.Pads[0].Size)
			}
		}
	}

	back, err := ReadProject(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Padconf, p.Padconf) || len(back.Missing) != 0 {
		t.Error("read padconf differs from the one written")
	}
	for i, s := range p.Samples {
		if got := back.Samples[i]; got == nil || got.Channels != s.Channels || !slices.Equal(got.PCM, s.PCM) {
			t.Errorf("pad %s sample differs after reading back", PadLabel(i))
		}
	}
}

func TestWriteProjectIntoEmptyExistingFolder(t *testing.T) {
	dir := t.TempDir()
	if err := WriteProject(dir, testProject(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, PadconfFile)); err != nil {
		t.Error(err)
	}
}

func TestWriteProjectRefusesNonEmptyTarget(t *testing.T) {
	dir := t.TempDir()
	keep := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(keep, []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	err := WriteProject(dir, testProject(t))
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("WriteProject = %v, want a not-empty error", err)
	}
	if got := listTree(t, dir); !slices.Equal(got, []string{"./", "notes.txt"}) {
		t.Errorf("target changed: %v", got)
	}
}

func TestWriteProjectRefusesInconsistentProjects(t *testing.T) {
	tests := []struct {
		name string
		edit func(*Project)
		want string
	}{
		{"loaded pad without sample", func(p *Project) { delete(p.Samples, 17) }, "pad B2: loaded but has no sample"},
		{"sample on empty pad", func(p *Project) { p.Samples[40] = p.Samples[0] }, "pad C9: has a sample"},
		{"size disagrees", func(p *Project) { p.Padconf.Pads[0].Size += 4 }, "pad A1: sample is"},
		{"invalid padconf", func(p *Project) { p.Padconf.Pads[0].Level = 300 }, "level 300"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := testProject(t)
			tt.edit(p)
			dir := filepath.Join(t.TempDir(), "out")
			err := WriteProject(dir, p)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("WriteProject = %v, want an error containing %q", err, tt.want)
			}
			if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("target was created: %v", err)
			}
		})
	}
}

func TestWriteProjectRemovesItsOwnPartialOutput(t *testing.T) {
	p := testProject(t)
	// A sample whose PCM disagrees with its channel count only fails when
	// the SMP is written, after folders and earlier files exist.
	p.Samples[159].PCM = p.Samples[159].PCM[:len(p.Samples[159].PCM)-1]
	p.Padconf.Pads[159].Size = uint32(p.Samples[159].Size())
	dir := filepath.Join(t.TempDir(), "out")
	if err := WriteProject(dir, p); err == nil {
		t.Fatal("WriteProject succeeded with half a stereo frame")
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("partial output left behind: %v", err)
	}
}

func TestReadProjectDropsPadsWithoutSMPLikeTheDevice(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "P")
	if err := WriteProject(dir, testProject(t)); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "SMPL", "BANK2-02.SMP")); err != nil {
		t.Fatal(err)
	}
	p, err := ReadProject(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(p.Missing, []int{17}) || p.Padconf.Pads[17].Loaded() || p.Samples[17] != nil {
		t.Errorf("missing %v, B2 loaded %v", p.Missing, p.Padconf.Pads[17].Loaded())
	}
	if len(p.Samples) != 2 {
		t.Errorf("%d samples, want 2", len(p.Samples))
	}
}

func TestReadProjectRejectsSMPOfWrongSize(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "P")
	if err := WriteProject(dir, testProject(t)); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "SMPL", "BANK1-01.SMP")
	if err := os.Truncate(path, 1000); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadProject(dir); err == nil || !strings.Contains(err.Error(), "pad A1") {
		t.Errorf("ReadProject = %v, want an error about pad A1", err)
	}
}

func TestProjectNamingHelpers(t *testing.T) {
	tests := []struct {
		bank, pad int
		want      string
	}{
		{0, 1, "BANK1-01.SMP"}, {0, 16, "BANK1-16.SMP"}, {1, 2, "BANK2-02.SMP"}, {9, 16, "BANK10-16.SMP"},
	}
	for _, tt := range tests {
		if got, err := SMPName(tt.bank, tt.pad); err != nil || got != tt.want {
			t.Errorf("SMPName(%d, %d) = %q, %v, want %q", tt.bank, tt.pad, got, err, tt.want)
		}
	}
	if _, err := SMPName(10, 1); err == nil {
		t.Error("bank 10 (K) accepted")
	}
	for slot, want := range map[int]string{1: "PROJECT_01", 16: "PROJECT_16"} {
		if got, err := ProjectFolderName(slot); err != nil || got != want {
			t.Errorf("ProjectFolderName(%d) = %q, %v", slot, got, err)
		}
	}
	for _, slot := range []int{0, 17} {
		if _, err := ProjectFolderName(slot); err == nil {
			t.Errorf("slot %d accepted", slot)
		}
	}
}
