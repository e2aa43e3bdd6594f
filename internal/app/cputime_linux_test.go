package app_test

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/sp404agent/sp404agent/internal/config"
	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// cpuTime is the CPU time used so far by this process (the app and the HTTP client both run in
// it) and, when the target is a PostgreSQL server on this machine, by the server processes
// serving the target's database (found by their process titles in /proc).
func cpuTime(b *testing.B, target storetest.Target) time.Duration {
	b.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	total := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	if target.Kind != config.Postgres {
		return total
	}
	u, err := url.Parse(target.URL)
	if err != nil {
		b.Fatal(err)
	}
	dbName := " " + strings.TrimPrefix(u.Path, "/") + " "
	procs, _ := filepath.Glob("/proc/[0-9]*/cmdline")
	for _, p := range procs {
		title, err := os.ReadFile(p)
		if err != nil || !bytes.HasPrefix(title, []byte("postgres: ")) || !bytes.Contains(title, []byte(dbName)) {
			continue
		}
		stat, err := os.ReadFile(filepath.Join(filepath.Dir(p), "stat"))
		if err != nil {
			continue
		}
		// Fields after the command name: state is the first, utime and stime the 12th and 13th,
		// in clock ticks of 10 ms.
		f := strings.Fields(string(stat[bytes.LastIndexByte(stat, ')')+1:]))
		if len(f) < 13 {
			continue
		}
		ut, _ := strconv.ParseInt(f[11], 10, 64)
		st, _ := strconv.ParseInt(f[12], 10, 64)
		total += time.Duration(ut+st) * 10 * time.Millisecond
	}
	return total
}
