package jobs

import "syscall"

// backgroundNice is how much background threads are niced: 10 steps lower, a thread gets about
// a tenth of the CPU share of one at the process's own priority when both want it, and all of
// it when the API is idle.
const backgroundNice = 10

// lowerThreadPriority makes the calling thread backgroundNice steps nicer than it is (Linux nice
// values are per thread). A failure only costs responsiveness, so it is ignored.
func lowerThreadPriority() {
	tid := syscall.Gettid()
	p, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid) // the raw syscall answers 20 − nice
	if err != nil {
		return
	}
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, tid, min(20-p+backgroundNice, 19))
}
