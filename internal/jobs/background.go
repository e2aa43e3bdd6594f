package jobs

import "runtime"

// inBackground runs fn on an OS thread of its own whose scheduling priority is lowered, and waits
// for it. Analyses and imports run this way so that the kernel gives the CPU to the API's
// threads as soon as a request arrives, instead of the request waiting for Go's scheduler to
// preempt an analysis (up to 10 ms a time, several times per request when every P is busy). It
// needs spare Ps to pay off: see ReserveProcs.
//
// A thread's priority cannot be raised again without privileges, so the thread is never handed
// back to the runtime: it ends with fn's goroutine. A panic in fn is re-raised in the caller's
// goroutine, where River's executor recovers it as it would have without this.
func inBackground(fn func() error) error {
	type result struct {
		err      error
		panicked bool
		value    any
	}
	done := make(chan result, 1)
	go func() {
		runtime.LockOSThread() // never unlocked: see above
		lowerThreadPriority()
		defer func() {
			if p := recover(); p != nil {
				done <- result{panicked: true, value: p}
			}
		}()
		done <- result{err: fn()}
	}()
	r := <-done
	if r.panicked {
		panic(r.value)
	}
	return r.err
}

// ReserveProcs lets the Go scheduler run `workers` background jobs beside as many goroutines as
// it ran before (GOMAXPROCS grows by workers), so a request always finds a P and competes for a
// CPU in the kernel, where the background threads' lower priority makes it win. It returns a
// function that restores the previous setting. An explicit GOMAXPROCS in the environment is left
// alone.
func ReserveProcs(workers int, getenv func(string) string) (restore func()) {
	if workers <= 0 || getenv("GOMAXPROCS") != "" {
		return func() {}
	}
	prev := runtime.GOMAXPROCS(0)
	runtime.GOMAXPROCS(prev + workers)
	return func() { runtime.GOMAXPROCS(prev) }
}
