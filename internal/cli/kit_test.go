package cli_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestKitRoundTripThroughTheLibrary exports a kit file to each device format, imports the result
// into the library, exports the library kit again, and expects the same pad table byte for byte.
func TestKitRoundTripThroughTheLibrary(t *testing.T) {
	dir := t.TempDir()
	writeTone(t, filepath.Join(dir, "kick.wav"), 0.5)
	writeTone(t, filepath.Join(dir, "loop.wav"), 2)
	kitFile := filepath.Join(dir, "kit.json")
	err := os.WriteFile(kitFile, []byte(`{"name":"Round Trip","device":"mk2","bpm":92,"bank_volumes":{"B":100},
 "pads":[{"pad":"A1","file":"kick.wav","name":"Kick","level":110,"pan":-20,"pitch":-3},
         {"pad":"B12","file":"loop.wav","loop":true,"bpm":92,"end_frame":66150,"chops":[0,22050,44100]}]}`), 0o600)
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DATA_DIR": filepath.Join(dir, "data")}
	for _, tt := range []struct {
		target, table string
	}{
		{"mk2-project", "EXPORT/PROJECT/PROJECT_01/PADCONF.BIN"},
		{"sx", "ROLAND/SP-404SX/SMPL/PAD_INFO.BIN"},
	} {
		first := filepath.Join(dir, "first-"+tt.target)
		if out, errs, code := run(t, env, "export", kitFile, "--target", tt.target, "--out", first); code != 0 {
			t.Fatalf("export %s: %d %s %s", tt.target, code, out, errs)
		}
		out, errs, code := run(t, env, "import-kit", first)
		if code != 0 || !strings.Contains(out, "2 pads") {
			t.Fatalf("import-kit: %d %s %s", code, out, errs)
		}
		id := strings.Fields(out)[2] // "imported kit N …"
		again := filepath.Join(dir, "again-"+tt.target)
		if out, errs, code := run(t, env, "export", id, "--target", tt.target, "--out", again); code != 0 {
			t.Fatalf("export library kit: %d %s %s", code, out, errs)
		}
		a, err := os.ReadFile(filepath.Join(first, tt.table))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(again, tt.table))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			for i := range a {
				if a[i] != b[i] {
					t.Errorf("%s: %s differs at byte %#x (%#x vs %#x) after import and export again", tt.target, tt.table, i, a[i], b[i])
					break
				}
			}
		}
		out, _, code = run(t, env, "inspect", filepath.Join(again, tt.table))
		if code != 0 || !strings.Contains(out, "A1") {
			t.Errorf("inspect: %d %s", code, out)
		}
	}
	// Exporting over an existing export is refused and leaves it alone.
	if _, errs, code := run(t, env, "export", kitFile, "--target", "sx", "--out", filepath.Join(dir, "first-sx")); code == 0 {
		t.Fatalf("export over a non-empty folder succeeded: %s", errs)
	}
	// The dry run writes nothing.
	plan := filepath.Join(dir, "plan")
	if out, _, code := run(t, env, "export", kitFile, "--target", "mk2", "--out", plan, "--dry-run"); code != 0 || !strings.Contains(out, "A01") {
		t.Fatalf("dry run: %d %s", code, out)
	}
	if _, err := os.Stat(plan); !os.IsNotExist(err) {
		t.Fatalf("dry run created %s", plan)
	}
	if _, _, code := run(t, env, "export", "No Such Kit", "--target", "mk2", "--out", plan); code != 1 {
		t.Fatalf("unknown kit: exit %d", code)
	}
	if _, _, code := run(t, env, "export", kitFile, "--out", plan); code != 2 {
		t.Fatalf("missing --target: exit %d", code)
	}
}
