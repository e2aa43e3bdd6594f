//go:build race

package main

// raceEnabled is true under the race detector, which slows the analysis about tenfold; the
// accuracy test then runs a smaller corpus.
const raceEnabled = true
