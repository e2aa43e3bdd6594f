package sp404

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// uttoriPad is one pad as @uttori/audio-padinfo 1.2.2 reports it.
type uttoriPad struct {
	Filename            string  `json:"filename"`
	Label               string  `json:"label"`
	OriginalSampleStart uint32  `json:"originalSampleStart"`
	OriginalSampleEnd   uint32  `json:"originalSampleEnd"`
	UserSampleStart     uint32  `json:"userSampleStart"`
	UserSampleEnd       uint32  `json:"userSampleEnd"`
	Volume              uint8   `json:"volume"`
	Lofi                bool    `json:"lofi"`
	Loop                bool    `json:"loop"`
	Gate                bool    `json:"gate"`
	Reverse             bool    `json:"reverse"`
	Format              string  `json:"format"`
	Channels            string  `json:"channels"`
	TempoMode           string  `json:"tempoMode"`
	OriginalTempo       float64 `json:"originalTempo"`
	UserTempo           float64 `json:"userTempo"`
}

// TestPadInfoReadsBackInIndependentParser writes a PAD_INFO.BIN with varied
// values and has the uttori JavaScript parser (a separate reading of the
// format, checked against real cards) decode it.
func TestPadInfoReadsBackInIndependentParser(t *testing.T) {
	node, nodeErr := exec.LookPath("node")
	npm, npmErr := exec.LookPath("npm")
	if nodeErr != nil || npmErr != nil {
		t.Skip("node and npm are not on PATH; skipping the @uttori/audio-padinfo cross-check")
	}
	checkDir, err := filepath.Abs(filepath.Join("testdata", "padinfo-check"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(checkDir, "node_modules", "@uttori", "audio-padinfo")); err != nil {
		cmd := exec.Command(npm, "ci", "--no-audit", "--no-fund")
		cmd.Dir = checkDir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("npm ci in %s: %v\n%s", checkDir, err, out)
		}
	}

	r := rand.New(rand.NewPCG(19, 20))
	pi := NewPadInfo()
	for i := range pi.Pads {
		if i%3 != 0 {
			pi.Pads[i] = randomSXPad(r)
		}
	}
	// Pin the extremes too.
	pi.Pads[1] = SXPad{OriginalStart: 512, OriginalEnd: 0xFFFFFFFF, UserStart: 512, UserEnd: 0xFFFFFFFF,
		Volume: 0, Lofi: true, Loop: true, Gate: false, Reverse: true, Format: FormatAIFF, Channels: 1,
		TempoMode: TempoUser, OriginalTempo: 1, UserTempo: 9999}
	path := filepath.Join(t.TempDir(), PadInfoFile)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pi.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	cmd := exec.Command(node, filepath.Join(checkDir, "check.js"), path)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node check.js: %v\n%s", err, stderr.String())
	}
	var got []uttoriPad
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("parse node output: %v\n%s", err, out)
	}
	if len(got) != SXPads {
		t.Fatalf("uttori parsed %d pads, want %d", len(got), SXPads)
	}
	formats := map[SXFormat]string{FormatAIFF: "AIFF", FormatWAVE: "WAVE"}
	channels := map[uint8]string{1: "Mono", 2: "Stereo"}
	modes := map[TempoMode]string{TempoOff: "Off", TempoPattern: "Pattern", TempoUser: "User"}
	for i, g := range got {
		w := pi.Pads[i]
		bank, pad := i/SXPadsPerBank, i%SXPadsPerBank+1
		wantName, _ := SXSampleName(bank, pad, "WAV")
		want := uttoriPad{
			Filename: wantName, Label: SXPadLabel(i),
			OriginalSampleStart: w.OriginalStart, OriginalSampleEnd: w.OriginalEnd,
			UserSampleStart: w.UserStart, UserSampleEnd: w.UserEnd,
			Volume: w.Volume, Lofi: w.Lofi, Loop: w.Loop, Gate: w.Gate, Reverse: w.Reverse,
			Format: formats[w.Format], Channels: channels[w.Channels], TempoMode: modes[w.TempoMode],
			OriginalTempo: float64(w.OriginalTempo) / 10, UserTempo: float64(w.UserTempo) / 10,
		}
		if g != want {
			t.Errorf("pad %s:\nuttori %+v\nwrote  %+v", SXPadLabel(i), g, want)
		}
	}
}
