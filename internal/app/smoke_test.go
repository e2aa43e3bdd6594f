package app_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/sp404agent/sp404agent/internal/store"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// TestDeploymentSmokeChecks runs the deployment checklist's smoke script (shared/scripts/smoke.sh,
// beside the repository) against the real app on both databases.
func TestDeploymentSmokeChecks(t *testing.T) {
	script, err := filepath.Abs("../../../shared/scripts/smoke.sh")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(script); err != nil {
		t.Skipf("smoke script not found beside the repository (%s)", script)
	}
	for _, tool := range []string{"bash", "curl", "python3"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("smoke script needs %s", tool)
		}
	}
	storetest.EachDB(t, func(t *testing.T, target storetest.Target, _ *store.DB) {
		s := startApp(t, target, nil)
		out, err := exec.Command("bash", script, s.base).CombinedOutput()
		if err != nil || !strings.Contains(string(out), ", 0 failed") {
			t.Fatalf("smoke checks failed (%v):\n%s", err, out)
		}
	})
}
