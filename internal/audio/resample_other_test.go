//go:build !amd64

package audio

// cpuKernels lists the assembly kernels this CPU can run: none off amd64.
func cpuKernels() map[string]testKernel { return map[string]testKernel{} }
