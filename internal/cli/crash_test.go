package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sp404agent/sp404agent/internal/audio"
	"github.com/sp404agent/sp404agent/internal/cli"
)

// TestHelperServe is the child process of the multi-process tests: it runs `sp404agent serve`,
// or the command in SP404_HELPER_CMD.
func TestHelperServe(t *testing.T) {
	if os.Getenv("SP404_HELPER_SERVE") != "1" {
		t.Skip("child process of TestImportSurvivesKill9 and TestWorkersShareTheJobs")
	}
	args := []string{"serve", "--addr", os.Getenv("SP404_HELPER_ADDR")}
	if c := os.Getenv("SP404_HELPER_CMD"); c != "" {
		args = strings.Fields(c)
	}
	err := cli.Run(context.Background(), args, os.Getenv, os.Stdout, os.Stderr, cli.Build{Version: "crash-test"})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

type child struct {
	cmd  *exec.Cmd
	base string
}

func startServer(t *testing.T, dataDir string, env ...string) *child {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestHelperServe$", "-test.count=1")
	cmd.Env = append(os.Environ(), "SP404_HELPER_SERVE=1", "SP404_HELPER_ADDR="+addr, "DATA_DIR="+dataDir,
		"WORKERS=2", "RATE_LIMIT_RPS=0", "DATABASE_URL=")
	cmd.Env = append(cmd.Env, env...)
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &child{cmd: cmd, base: "http://" + addr}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(c.base + "/health"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return c
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("server did not start:\n%s", logs.String())
	return nil
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		t.Fatal(err)
	}
}

// TestImportSurvivesKill9 kills the server with SIGKILL in the middle of a 1,000-file folder
// import, starts it again, and checks that every file ends up imported and analysed, once.
func TestImportSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("imports 1,000 files")
	}
	dataDir := t.TempDir()
	pack := filepath.Join(dataDir, "import", "pack")
	if err := os.MkdirAll(pack, 0o755); err != nil {
		t.Fatal(err)
	}
	const files = 1000
	for i := range files {
		buf := audio.NewBuffer(22050, 1, 1100+i) // every file different
		for j := range buf.Data[0] {
			buf.Data[0][j] = float32(0.5 * math.Sin(float64(j)*float64(i%50+1)/40) * math.Exp(-float64(j)/400))
		}
		var out bytes.Buffer
		if err := audio.EncodeWAV(&out, buf, audio.PCM16); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pack, fmt.Sprintf("hit_%04d.wav", i)), out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	srv := startServer(t, dataDir)
	res, err := http.Post(srv.base+"/api/v1/batches", "application/json", strings.NewReader(fmt.Sprintf(`{"path":%q}`, pack)))
	if err != nil || res.StatusCode != http.StatusAccepted {
		t.Fatalf("start import: %v %v", res, err)
	}
	var b struct {
		ID                 int64
		State              string
		Total, Done, Added int
		Duplicates, Failed int
	}
	json.NewDecoder(res.Body).Decode(&b)
	res.Body.Close()
	deadline := time.Now().Add(5 * time.Minute)
	for b.Done < files/3 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		getJSON(t, fmt.Sprintf("%s/api/v1/batches/%d", srv.base, b.ID), &b)
	}
	if b.Done >= files {
		t.Fatalf("import finished before the kill (%d files): make the test larger", b.Done)
	}
	if err := srv.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	srv.cmd.Wait()
	t.Logf("killed with %d of %d files done", b.Done, files)

	srv = startServer(t, dataDir)
	var page struct{ Total int }
	deadline = time.Now().Add(10 * time.Minute)
	for time.Now().Before(deadline) {
		getJSON(t, fmt.Sprintf("%s/api/v1/batches/%d", srv.base, b.ID), &b)
		pending := 0
		for _, st := range []string{"pending", "analyzing"} {
			getJSON(t, srv.base+"/api/v1/samples?limit=1&analysis_state="+st, &page)
			pending += page.Total
		}
		if b.State == "done" && pending == 0 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if b.State != "done" || b.Total != files || b.Failed != 0 {
		t.Fatalf("after the restart the import is %+v", b)
	}
	getJSON(t, srv.base+"/api/v1/samples?limit=1", &page)
	if page.Total != files {
		t.Fatalf("%d samples in the library, want exactly %d", page.Total, files)
	}
	getJSON(t, srv.base+"/api/v1/samples?limit=1&analysis_state=done", &page)
	if page.Total != files {
		t.Fatalf("%d samples analysed, want %d", page.Total, files)
	}
	// A file whose sample was stored just before the kill, but not yet marked, comes back as a
	// duplicate of itself: still one sample.
	if b.Added+b.Duplicates != files {
		t.Fatalf("added %d + duplicates %d, want %d", b.Added, b.Duplicates, files)
	}
}
