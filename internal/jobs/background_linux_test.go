package jobs

import (
	"runtime"
	"syscall"
	"testing"
)

// threadNice is the calling thread's nice value (the raw syscall answers 20 − nice).
func threadNice(t *testing.T) int {
	t.Helper()
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, syscall.Gettid())
	if err != nil {
		t.Fatal(err)
	}
	return 20 - p
}

func TestInBackgroundRunsAtLowerPriorityAndLeavesTheCallerAlone(t *testing.T) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	base := threadNice(t)
	var inside int
	_ = inBackground(func() error {
		inside = threadNice(t)
		return nil
	})
	if want := min(base+backgroundNice, 19); inside != want {
		t.Errorf("nice inside = %d, want %d", inside, want)
	}
	if got := threadNice(t); got != base {
		t.Errorf("the caller's thread went from nice %d to %d", base, got)
	}
}
