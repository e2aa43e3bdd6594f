#!/usr/bin/env bash
# Load and soak test: list, search, similar and audio range requests at a steady rate while an
# import uploads generated WAVs through the API; p50/p99 latency, error rate and RSS over time.
#
#   bench/soak/soak.sh [-d MINUTES] [-r RATE] [-c CONNS] [-w WINDOW_S] [-s SEED] [-i IMPORT_PER_S]
#                      [-b BINARY] [-D DATABASE_URL] [-u BASE_URL -p PID] [-o OUT_DIR] [-k]
#
#   -d  minutes of load (default 10; decimals allowed, e.g. -d 0.5 for a quick try)
#   -r  total request rate, req/s (default 200), split list 30 % / search 20 % / similar 20 % / audio 30 %
#   -c  connections per request kind (default 2); one wrk process per kind
#   -w  window length in seconds (default 30): latency percentiles are reported per window
#   -s  samples uploaded and analysed before the load starts (default 500)
#   -i  WAV uploads per second during the load (default 1; 0 keeps the library fixed, to tell a
#       leak from memory that grows with the library)
#   -b  sp404agent binary to run (default: build one into bench/out/soak/ with the Dockerfile's flags)
#   -D  DATABASE_URL for that server (default: SQLite in a temp DATA_DIR)
#   -u/-p  test an already running server at BASE_URL whose process id is PID (for RSS) instead;
#          set SOAK_TOKEN=<API token> when it has authentication on, and start it with
#          RATE_LIMIT_RPS=0 (all load comes from one client address)
#   -o  output folder (default bench/out/soak/<UTC time>)
#   -k  keep the temp DATA_DIR
#
# Writes w-NNN.jsonl (one line per kind per window, from wrk's done()), rss.csv, import.csv,
# server.log, meta.json, summary.json and summary.md. Exits 0 when p99 < 50 ms in every window
# for every kind, RSS is flat (the lowest anonymous RSS of each window grows < 1 MiB/min; file-backed
# pages, the mapped database, are reported beside it) and no request failed;
# 3 when the run completed but missed one of those; 1 on any other failure.
#
# Needs wrk (Debian: apt-get install -y wrk), curl, python3; go to build the binary.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

minutes=10 rate=200 conns=2 window=30 seed=500 import_rate=1
binary= dburl= base= pid= out= keep=0
while getopts "d:r:c:w:s:i:b:D:u:p:o:kh" opt; do
	case $opt in
	d) minutes=$OPTARG ;; r) rate=$OPTARG ;; c) conns=$OPTARG ;; w) window=$OPTARG ;;
	s) seed=$OPTARG ;; i) import_rate=$OPTARG ;; b) binary=$OPTARG ;; D) dburl=$OPTARG ;;
	u) base=$OPTARG ;; p) pid=$OPTARG ;; o) out=$OPTARG ;; k) keep=1 ;;
	h) sed -n '2,30p' "$0"; exit 0 ;;
	*) exit 2 ;;
	esac
done
die() { echo "soak: FAIL: $*" >&2; exit 1; }
for c in wrk curl python3; do
	command -v "$c" >/dev/null || die "$c is not installed (wrk: apt-get install -y wrk)"
done
if [ -n "$base" ] && [ -z "$pid" ]; then die "-u needs -p PID (the server's process, for RSS)"; fi

out=${out:-$root/bench/out/soak/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
out=$(cd "$out" && pwd)
echo "soak: output in $out"

tmp=$(mktemp -d /tmp/sp404-soak.XXXXXX)
server_pid= bg_pids=()
cleanup() {
	for p in "${bg_pids[@]}"; do kill "$p" 2>/dev/null || true; done
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	if [ "$keep" = 1 ]; then echo "soak: kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# --- the server -------------------------------------------------------------------------------
if [ -z "$base" ]; then
	if [ -z "$binary" ]; then
		binary=$root/bench/out/soak/sp404agent
		version=$(git -C "$root" describe --tags --always --dirty 2>/dev/null || echo dev)
		commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo none)
		echo "soak: building $binary ($version)"
		(cd "$root" && CGO_ENABLED=0 GOTOOLCHAIN=local go build -trimpath \
			-ldflags "-s -w -X main.version=$version -X main.commit=$commit" \
			-o "$binary" ./cmd/sp404agent) || die "go build failed"
	fi
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	base=http://127.0.0.1:$port
	mkdir -p "$tmp/data"
	# Production settings on loopback, without authentication. The per-client rate limit is off:
	# every request here comes from one address, and this measures serving, not the limiter.
	env -i PATH="$PATH" HOME="$tmp" DATA_DIR="$tmp/data" ADDR="127.0.0.1:$port" ENVIRONMENT=production \
		RATE_LIMIT_RPS=0 ${dburl:+DATABASE_URL="$dburl"} "$binary" serve >"$out/server.log" 2>&1 &
	server_pid=$!
	pid=$server_pid
	for _ in $(seq 1 150); do
		kill -0 "$server_pid" 2>/dev/null || { tail -20 "$out/server.log" >&2; die "server exited during start"; }
		curl -fsS -o /dev/null "$base/health" 2>/dev/null && break
		sleep 0.2
	done
fi
health=$(curl -fsS "$base/health") || die "$base/health is not healthy"
echo "soak: server $base (pid $pid): $health"

# --- seed the library -------------------------------------------------------------------------
python3 "$here/soak.py" seed "$base" "$seed" "$out/ids.txt" || die "seeding failed"

# --- load -------------------------------------------------------------------------------------
total_s=$(python3 -c "print(max(1, round(float('$minutes') * 60)))")
windows=$(python3 -c "import math; print(math.ceil($total_s / $window))")
now=$(date +%s)
load_start=$((now + 5)) # 5 s of idle RSS before the load
load_end=$((load_start + total_s))
python3 "$here/soak.py" rss "$pid" 2 "$((load_end + 5))" "$out/rss.csv" "$base" &
bg_pids+=($!)
sleep $((load_start - $(date +%s)))
python3 "$here/soak.py" import "$base" "$import_rate" "$load_end" "$out/import.csv" &
bg_pids+=($!)
importer=$!

declare -A weight=([list]=30 [search]=20 [similar]=20 [audio]=30)
echo "soak: $total_s s of load in $windows windows of ${window} s, $rate req/s, $conns connections per kind, import $import_rate WAV/s"
for ((i = 1; i <= windows; i++)); do
	left=$((load_end - $(date +%s)))
	[ "$left" -gt 0 ] || break
	len=$((left < window ? left : window))
	wpids=()
	for k in list search similar audio; do
		delay=$(python3 -c "print(max(1, round($conns * 1000 / ($rate * ${weight[$k]} / 100))))")
		SOAK_KIND=$k SOAK_DELAY_MS=$delay SOAK_IDS=$out/ids.txt SOAK_WINDOW_OUT=$(printf '%s/w-%03d.jsonl' "$out" "$i") \
			wrk -t1 -c"$conns" -d"${len}s" --timeout 2s -s "$here/mix.lua" "$base" >"$tmp/wrk-$k.txt" 2>&1 &
		wpids+=($!)
	done
	for p in "${wpids[@]}"; do wait "$p" || die "wrk failed: $(cat "$tmp"/wrk-*.txt)"; done
	python3 - "$out" "$i" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(f"{sys.argv[1]}/w-{int(sys.argv[2]):03d}.jsonl")]
req = sum(r["requests"] for r in rows)
err = sum(r["err_connect"] + r["err_read"] + r["err_write"] + r["err_status"] + r["err_timeout"] for r in rows)
print(f"window {sys.argv[2]:>3}: {req} requests, {err} errors, " +
      ", ".join(f"{r['kind']} p50 {r['p50_us']/1000:.1f} p99 {r['p99_us']/1000:.1f} ms" for r in rows), flush=True)
PY
done
wait "$importer" || true
backlog=$(python3 - "$base" <<'PY'
import json, sys, urllib.request
import os
h = {"Authorization": "Bearer " + os.environ["SOAK_TOKEN"]} if os.environ.get("SOAK_TOKEN") else {}
t = lambda s: json.load(urllib.request.urlopen(urllib.request.Request(
    f"{sys.argv[1]}/api/v1/samples?limit=1&analysis_state={s}", headers=h)))["total"]
print(json.dumps({"pending": t("pending"), "analyzing": t("analyzing"), "failed": t("failed"), "done": t("done")}))
PY
)
sleep 6 # the last RSS samples after the load

version=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["version"])' "$health")
db=$([ -n "$dburl" ] && echo PostgreSQL || echo SQLite)
cat >"$out/meta.json" <<EOF
{"started": "$(date -u -d "@$load_start" +%Y-%m-%dT%H:%M:%SZ)", "minutes": $minutes, "rate": $rate,
 "mix": "list 30 %, search 20 %, similar 20 %, audio range 30 %", "connections": $conns, "window_s": $window,
 "windows": $windows, "import_per_s": $import_rate, "seed": $seed, "version": "$version", "database": "$db",
 "load_start": $load_start, "load_end": $load_end, "backlog_after": $backlog,
 "machine": "$(nproc) CPUs, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(uname -sr)",
 "wrk": "$(wrk -v 2>&1 | head -1 | cut -c1-60)"}
EOF

rc=0
python3 "$here/soak.py" report "$out" || rc=$?

if [ -n "$server_pid" ]; then
	kill -TERM "$server_pid"
	src=0; wait "$server_pid" || src=$?
	server_pid=
	[ "$src" = 0 ] || { echo "soak: server exited with status $src after SIGTERM" >&2; rc=1; }
fi
exit "$rc"
