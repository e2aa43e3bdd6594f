package cli_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sp404agent/sp404agent/internal/audio"
	"github.com/sp404agent/sp404agent/internal/cli"

	_ "modernc.org/sqlite"
)

func run(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	err := cli.Run(context.Background(), args, func(k string) string { return env[k] }, &out, &errb, cli.Build{Version: "1.2.3", Commit: "abc"})
	if err != nil {
		code = cli.ExitCode(err)
		errb.WriteString(err.Error())
	}
	return out.String(), errb.String(), code
}

func TestVersion(t *testing.T) {
	out, _, code := run(t, nil, "version")
	if code != 0 || !strings.Contains(out, "1.2.3") || !strings.Contains(out, "abc") {
		t.Fatalf("version: %d %q", code, out)
	}
}

func TestUsageErrorsExitWithTwo(t *testing.T) {
	for _, args := range [][]string{{"frobnicate"}, {"migrate"}, {"migrate", "sideways"}, {"serve", "--port", "x"}, {"analyze"}} {
		if _, errs, code := run(t, nil, args...); code != 2 {
			t.Errorf("%v: exit %d (%s), want 2", args, code, errs)
		}
	}
	if _, errs, code := run(t, map[string]string{"PORT": "nope"}, "serve"); code != 2 || !strings.Contains(errs, "PORT") {
		t.Errorf("bad PORT: exit %d %q", code, errs)
	}
}

func TestMigrateUpStatusDown(t *testing.T) {
	env := map[string]string{"DATA_DIR": t.TempDir()}
	if out, errs, code := run(t, env, "migrate", "up"); code != 0 || !strings.Contains(out, "applied") {
		t.Fatalf("up: %d %s %s", code, out, errs)
	}
	out, _, code := run(t, env, "migrate", "status")
	if code != 0 || strings.Contains(out, "pending") || !strings.Contains(out, "00001  applied") {
		t.Fatalf("status: %d\n%s", code, out)
	}
	if out, _, code = run(t, env, "migrate", "down"); code != 0 || !strings.Contains(out, "rolled back") {
		t.Fatalf("down: %d %s", code, out)
	}
	if out, _, _ = run(t, env, "migrate", "status"); !strings.Contains(out, "pending") {
		t.Fatalf("status after down:\n%s", out)
	}
}

func writeTone(t *testing.T, path string, seconds float64) {
	t.Helper()
	buf := audio.NewBuffer(44100, 1, int(seconds*44100))
	for i := range buf.Data[0] {
		buf.Data[0][i] = float32(0.5 * math.Sin(2*math.Pi*220*float64(i)/44100))
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := audio.EncodeWAV(f, buf, audio.PCM16); err != nil {
		t.Fatal(err)
	}
}

func TestAnalyzePrintsOneJSONObjectPerFileAndReportsBadOnes(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "tone.wav"), filepath.Join(dir, "bad.wav")
	writeTone(t, good, 1)
	if err := os.WriteFile(bad, []byte("not audio at all"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errs, code := run(t, nil, "analyze", "--json", good, bad, good)
	if code != 1 {
		t.Fatalf("exit %d, want 1", code)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 {
		t.Fatalf("want 2 JSON lines, got %q", out)
	}
	var res map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &res); err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"path", "format", "sample_rate", "channels", "bit_depth", "duration_s", "frames", "type",
		"category", "category_confidence", "bpm", "bpm_confidence", "bpm_alternates", "bpm_source", "key", "scale",
		"key_confidence", "root_note", "loudness_lufs", "true_peak_dbtp", "peak_dbfs", "spectral", "analysis_version"} {
		if _, ok := res[field]; !ok {
			t.Errorf("analysis JSON lacks %q", field)
		}
	}
	if res["sample_rate"] != 44100.0 || res["channels"] != 1.0 || res["frames"] != 44100.0 || res["format"] != "wav" {
		t.Errorf("facts = %v", res)
	}
	if !strings.Contains(errs, "bad.wav") || strings.Count(errs, "bad.wav") != 1 {
		t.Errorf("stderr should name the bad file once: %q", errs)
	}
}

func TestHealthcheckFollowsTheServersAnswer(t *testing.T) {
	ok := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(`{"status":"ok"}`)) }))
	defer ok.Close()
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(503) }))
	defer down.Close()
	if out, _, code := run(t, nil, "healthcheck", "--url", ok.URL); code != 0 || !strings.Contains(out, "ok") {
		t.Errorf("healthy: exit %d %q", code, out)
	}
	if _, _, code := run(t, nil, "healthcheck", "--url", down.URL); code != 1 {
		t.Errorf("unhealthy: exit %d", code)
	}
	if _, _, code := run(t, nil, "healthcheck", "--url", "http://127.0.0.1:1/health"); code != 1 {
		t.Errorf("unreachable: exit %d", code)
	}
}

func TestImportAddsAnalysesAndResumes(t *testing.T) {
	dir := t.TempDir()
	pack := filepath.Join(dir, "pack", "Drums")
	if err := os.MkdirAll(pack, 0o755); err != nil {
		t.Fatal(err)
	}
	for i, secs := range []float64{0.3, 0.5, 1} {
		writeTone(t, filepath.Join(pack, fmt.Sprintf("hit %d.wav", i)), secs)
	}
	if err := os.WriteFile(filepath.Join(pack, "notes.txt"), []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DATA_DIR": filepath.Join(dir, "data"), "WORKERS": "2"}
	out, errs, code := run(t, env, "import", "--tags-from-folders", "--tags", "mine", filepath.Join(dir, "pack"))
	if code != 0 || !strings.Contains(out, "added 3, duplicates skipped 0, unsupported 1, failed 0") || !strings.Contains(errs, "notes.txt") {
		t.Fatalf("import: %d\n%s\n%s", code, out, errs)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "data", "sp404.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var done int
	if err := db.QueryRow(`SELECT COUNT(*) FROM samples WHERE analysis_state = 'done'`).Scan(&done); err != nil || done != 3 {
		t.Fatalf("analysed after import: %d (%v), want 3", done, err)
	}
	out, _, code = run(t, env, "import", filepath.Join(dir, "pack"))
	if code != 0 || !strings.Contains(out, "added 0, duplicates skipped 3") {
		t.Fatalf("re-import: %d %s", code, out)
	}
	if _, errs, code := run(t, env, "import", filepath.Join(dir, "missing")); code != 1 || !strings.Contains(errs, "does not exist") {
		t.Fatalf("missing folder: %d %s", code, errs)
	}
}
