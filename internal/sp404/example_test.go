package sp404_test

import (
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"

	"github.com/sp404agent/sp404agent/internal/sp404"
)

// Build a one-pad MKII project: a mono sample on B3, looped, and write the
// folder the device imports.
func Example() {
	root, err := os.MkdirTemp("", "sp404-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(root)

	pc, err := sp404.NewPadconf("MY KIT")
	if err != nil {
		log.Fatal(err)
	}
	project := &sp404.Project{Padconf: pc}
	pad, err := sp404.PadIndex(1, 3) // bank B, pad 3
	if err != nil {
		log.Fatal(err)
	}
	sample := &sp404.SMP{Channels: 1, PCM: make([]int16, 48000)} // one second of silence
	if err := project.SetSample(pad, sample); err != nil {
		log.Fatal(err)
	}
	pc.Pads[pad].Loop = true
	if pc.Pads[pad].Name, err = sp404.NewPadName("Silence"); err != nil {
		log.Fatal(err)
	}

	folder, err := sp404.ProjectFolderName(1)
	if err != nil {
		log.Fatal(err)
	}
	dir := filepath.Join(root, folder)
	if err := sp404.WriteProject(dir, project); err != nil {
		log.Fatal(err)
	}
	filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(root, path)
		if rel != "." {
			fmt.Println(filepath.ToSlash(rel))
		}
		return err
	})
	// Output:
	// PROJECT_01
	// PROJECT_01/PADCONF.BIN
	// PROJECT_01/PTN
	// PROJECT_01/SMPL
	// PROJECT_01/SMPL/BANK2-03.SMP
}

// Write the pad table of an SX card with one stereo sample on A1.
func ExamplePadInfo() {
	info := sp404.NewPadInfo()
	frames := int64(44100)
	if err := info.Pads[0].LoadSample(uint32(sp404.SXSampleSize(frames, 2)), 2, sp404.FormatWAVE); err != nil {
		log.Fatal(err)
	}
	info.Pads[0].Volume = 100
	b, err := info.MarshalBinary()
	if err != nil {
		log.Fatal(err)
	}
	name, _ := sp404.SXSampleName(0, 1, "WAV")
	fmt.Println(len(b), name, info.Pads[0].UserEnd)
	// Output: 3840 A0000001.WAV 176912
}
