//go:build !race

package dsp

// raceEnabled is true under the race detector, which slows numeric loops about tenfold; the
// accuracy grids then run a fixed subset so `go test -race` stays quick.
const raceEnabled = false
