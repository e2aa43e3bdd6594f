//go:build !linux

package app_test

import (
	"testing"
	"time"

	"github.com/sp404agent/sp404agent/internal/store/storetest"
)

// cpuTime is not measured here (it reads Linux's /proc); benchmarks report zero CPU time.
func cpuTime(*testing.B, storetest.Target) time.Duration { return 0 }
