package jobs

import (
	"errors"
	"runtime"
	"testing"
)

func TestInBackgroundReturnsTheErrorAndReraisesAPanic(t *testing.T) {
	want := errors.New("corrupt file")
	if err := inBackground(func() error { return want }); !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
	defer func() {
		if p := recover(); p != "boom" {
			t.Fatalf("recovered %v, want the panic re-raised in the caller", p)
		}
	}()
	_ = inBackground(func() error { panic("boom") })
	t.Fatal("no panic")
}

func TestReserveProcsAddsWorkersAndRestores(t *testing.T) {
	before := runtime.GOMAXPROCS(0)
	restore := ReserveProcs(3, func(string) string { return "" })
	if got := runtime.GOMAXPROCS(0); got != before+3 {
		t.Errorf("GOMAXPROCS = %d during, want %d", got, before+3)
	}
	restore()
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Errorf("GOMAXPROCS = %d after, want %d", got, before)
	}
	ReserveProcs(3, func(k string) string { return map[string]string{"GOMAXPROCS": "1"}[k] })()
	if got := runtime.GOMAXPROCS(0); got != before {
		t.Errorf("an explicit GOMAXPROCS was overridden: %d", got)
	}
}
