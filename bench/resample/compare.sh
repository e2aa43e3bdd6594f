#!/bin/sh
# compare.sh measures the audio package's resampler: filter response and residual against
# SoX (main.go), then the Go benchmarks on one core. Needs sox on PATH
# (apt-get install -y sox). Run from anywhere inside the repository:
#
#	bench/resample/compare.sh            # full run
#	COUNT=3 bench/resample/compare.sh    # fewer benchmark repetitions
set -eu
cd "$(dirname "$0")/../.."

echo "## Machine"
echo
echo "- CPUs (nproc): $(nproc)"
echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "- Go: $(go version)"
echo "- SoX: $(sox --version 2>&1 | sed 's/^sox: *//')"
echo

go run ./bench/resample "$@"

echo
echo "## Go benchmarks (-cpu 1; minimum ns/op over COUNT runs, since other load only adds time)"
echo
echo '```'
go test ./internal/audio -run '^$' -bench 'Resample|ConvolveKernel|Quantize16' \
	-benchtime "${BENCHTIME:-20x}" -count "${COUNT:-10}" -cpu 1 |
	awk '/^Benchmark/ { if (!($1 in min) || $3 < min[$1]) min[$1] = $3; n[$1]++ }
	     END { for (b in min) printf "%-48s %14d ns/op  (min of %d)\n", b, min[b], n[b] }' |
	sort
echo '```'
