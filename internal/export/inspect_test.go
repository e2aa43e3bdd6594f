package export

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func inspect(t *testing.T, p string, all bool) any {
	t.Helper()
	r, err := Inspect(p, InspectOptions{All: all})
	if err != nil {
		t.Fatalf("inspect %s: %v", p, err)
	}
	if _, err := json.Marshal(r); err != nil {
		t.Fatalf("report of %s is not JSON: %v", p, err)
	}
	return r
}

func TestInspectDeviceFiles(t *testing.T) {
	pc := inspect(t, "../sp404/testdata/PADCONF.BIN", false).(*PadconfReport)
	if pc.ProjectName != "PROJECT_03" || pc.TempoBPM != 90 || len(pc.Pads) != 104 || len(pc.Banks) != 10 {
		t.Errorf("padconf: name %q, tempo %v, %d pads", pc.ProjectName, pc.TempoBPM, len(pc.Pads))
	}
	a1 := pc.Pads[0]
	if a1.Pad != "A1" || a1.BPM != 81 || a1.Name != "Wave Race 64 - M" || a1.ChannelsKnown ||
		a1.End.Bytes != 14933848 || a1.End.Frame != (14933848-512)/4 || a1.LoopTop.Frame != (8103336-512)/4 {
		t.Errorf("A1: %+v", a1)
	}
	if all := inspect(t, "../sp404/testdata/PADCONF.BIN", true).(*PadconfReport); len(all.Pads) != 160 {
		t.Errorf("--all lists %d pads, want 160", len(all.Pads))
	}

	pi := inspect(t, "../sp404/testdata/PAD_INFO.BIN", false).(*PadInfoReport)
	if len(pi.Pads) != 18 || pi.Pads[0].Pad != "A1" || pi.Pads[0].OriginalTempoBPM != 109.9 || !pi.Pads[0].Reverse ||
		pi.Pads[0].UserEnd.Frame != (385388-512)/4 || pi.Pads[17].Pad != "J12" {
		t.Errorf("pad info: %d pads, first %+v", len(pi.Pads), pi.Pads[0])
	}

	wav := inspect(t, "../sp404/testdata/J0000012.WAV", false).(*SampleReport)
	if wav.Kind != "sx_sample" || wav.RLNDPad != "J12" || wav.SampleRate != 44100 || wav.Channels != 2 ||
		wav.DataOffset != 512 || !*wav.DeviceReady || wav.Frames != (53424-512)/4 {
		t.Errorf("J0000012.WAV: %+v", wav)
	}
}

func TestInspectExportedTrees(t *testing.T) {
	dir := t.TempDir()
	k := mixedKit(t, dir, DeviceMK2)
	mk2 := filepath.Join(dir, "mk2")
	export(t, k, Options{Target: TargetMK2Project, Out: mk2})
	sx := filepath.Join(dir, "sx")
	export(t, k, Options{Target: TargetSX, Out: sx})

	proj := inspect(t, mk2, false).(*ProjectReport)
	if proj.Kind != "mk2_project" || len(proj.Samples) != len(k.Pads) || len(proj.Padconf.Pads) != len(k.Pads) {
		t.Fatalf("project: %+v", proj)
	}
	for i, p := range proj.Padconf.Pads {
		want := k.Pads[i]
		if p.Pad != want.Label() || !p.ChannelsKnown || p.Channels != mixedSources()[i].channels ||
			p.Pan != want.Pan || p.PlayMode != want.PlayMode || p.Name != want.Source.Name || len(p.ChopFrames) != 3 {
			t.Errorf("%s: %+v", want.Label(), p)
		}
		if s := proj.Samples[i]; s.Pad != want.Label() || !*s.DigestOK || s.SampleRate != 48000 {
			t.Errorf("%s sample: %+v", want.Label(), s)
		}
	}
	smp := inspect(t, filepath.Join(mk2, "EXPORT/PROJECT/PROJECT_01/SMPL/BANK1-02.SMP"), false).(*SampleReport)
	if smp.Kind != "smp" || smp.Channels != 2 || !*smp.DigestOK {
		t.Errorf("smp: %+v", smp)
	}
	pcFile := inspect(t, filepath.Join(mk2, "EXPORT/PROJECT/PROJECT_01/PADCONF.BIN"), false).(*PadconfReport)
	if pcFile.ProjectName != "Test Kit" || pcFile.TempoBPM != 93.5 {
		t.Errorf("padconf file: %+v", pcFile)
	}

	card := inspect(t, sx, false).(*ProjectReport)
	if card.Kind != "sx_card" || len(card.Samples) != len(k.Pads) || len(card.PadInfo.Pads) != len(k.Pads) {
		t.Fatalf("card: %+v", card)
	}
	if card.PadInfo.Pads[1].Pad != "A2" || card.Samples[1].RLNDPad != "A2" {
		t.Errorf("card pads: %+v / %+v", card.PadInfo.Pads[1], card.Samples[1])
	}

	junk := filepath.Join(dir, "junk.bin")
	if err := os.WriteFile(junk, []byte("hello"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Inspect(junk, InspectOptions{}); err == nil || !strings.Contains(err.Error(), "not a PADCONF.BIN") {
		t.Errorf("junk: %v", err)
	}
}
