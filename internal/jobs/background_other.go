//go:build !linux

package jobs

// lowerThreadPriority does nothing where niceness is per process.
func lowerThreadPriority() {}
