// Package dsp holds the pure numeric kernels the sample analysis is built from: windows, a
// reusable short-time Fourier transform, mel filterbank and MFCC, chroma (HPCP) with a tuning
// estimate, RBJ biquads, the ITU-R BS.1770-4 K-weighting filters and loudness meter, a
// 4×-oversampling true-peak meter, onset strength (spectral flux), autocorrelation and the
// YIN fundamental-frequency estimator.
//
// Conventions: audio is float32 at full scale 1.0; frequencies are in Hz; sample rates are
// in frames per second. Functions that write a result take the destination first
// (f(dst, src) []float32) and allocate when dst is nil or too short. Plan objects (STFT, Mel,
// DCT, MFCC, Chroma, OnsetDetector, TruePeak, YIN, Biquad) own their scratch buffers or
// state, are created once per size and are not safe for concurrent use; create one per
// goroutine. The package does no I/O, keeps
// no mutable package state and never logs.
package dsp
