//go:build race

package analysis

// raceEnabled is true under the race detector, which slows numeric loops about tenfold; the
// accuracy grids then run a fixed subset so `go test -race` stays quick.
const raceEnabled = true
