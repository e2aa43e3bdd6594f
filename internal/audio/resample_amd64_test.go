package audio

// cpuKernels lists the assembly kernels this CPU can run.
func cpuKernels() map[string]testKernel {
	m := map[string]testKernel{}
	if haveFMA {
		m["avx2"] = testKernel{convolveFMA, 8}
	}
	if haveAVX512 {
		m["avx512"] = testKernel{convolveAVX512, 16}
	}
	return m
}
