package export

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sp404agent/sp404agent/internal/audio"
)

func TestLoadKitFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "samples"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeSource(t, filepath.Join(dir, "samples"), "kick.wav", toneBuffer(44100, 1, 4410), audio.PCM16)
	doc := `{
  "name": "Boom Bap",
  "device": "mk2",
  "bpm": 92,
  "bank_tempos": {"B": 88},
  "bank_volumes": {"a": 110},
  "pads": [
    {"pad": "A1", "file": "samples/kick.wav", "level": 100, "pan": -10, "loop": true, "gate": false, "chops": [0, 2000], "bpm": 92, "key": "Am"},
    {"pad": "j16", "file": "samples/kick.wav", "name": "Kick Two", "speed": 125.5, "play_mode": "reverse"}
  ]
}`
	p := filepath.Join(dir, "kit.json")
	if err := os.WriteFile(p, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	k, err := LoadKitFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if k.Name != "Boom Bap" || k.BPM != 92 || k.BankTempos[1] != 88 || k.BankVolumes[0] != 110 || k.BankVolumes[1] != 127 {
		t.Errorf("kit: %+v", k)
	}
	a1, j16 := k.Pads[0], k.Pads[1]
	if a1.Bank != 0 || a1.Pad != 1 || a1.Level != 100 || a1.Pan != -10 || !a1.Loop || a1.Gate || len(a1.Chops) != 2 ||
		a1.Source.Name != "kick" || a1.Source.Key != "Am" || a1.Hold != 100 || a1.Speed != 100 {
		t.Errorf("A1: %+v", a1)
	}
	if j16.Bank != 9 || j16.Pad != 16 || j16.Speed != 125.5 || j16.PlayMode != Reverse || !j16.Gate || j16.Level != 127 ||
		j16.Source.Name != "Kick Two" || j16.Source.Path != filepath.Join(dir, "samples", "kick.wav") {
		t.Errorf("J16: %+v", j16)
	}
	export(t, k, Options{Target: TargetMK2Project, Out: filepath.Join(dir, "out")})

	bad := `{"name": "x", "pads": [{"pad": "K1", "file": "a.wav"}, {"pad": "A0"}, {"pad": "A2", "file": "a.wav", "levle": 3}]}`
	if err := os.WriteFile(p, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadKitFile(p); err == nil || !strings.Contains(err.Error(), `unknown field "levle"`) {
		t.Errorf("typo: %v", err)
	}
	bad = `{"name": "x", "bank_volumes": {"Z": 3}, "pads": [{"pad": "K1", "file": "a.wav"}, {"pad": "A0"}]}`
	if err := os.WriteFile(p, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = LoadKitFile(p)
	for _, want := range []string{`bank "Z"`, `pad "K1"`, `pad "A0"`, "pads[1] (A0): no file"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v lacks %q", err, want)
		}
	}
}
