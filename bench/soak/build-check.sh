#!/usr/bin/env bash
# The Dockerfile's build, without Docker: for build machines that run no Docker engine.
#
#   bench/soak/build-check.sh [--in-place] [--keep]
#
# 1. copies the build context (the files git tracks or would track, less .dockerignore's
#    entries) into a temp folder, as `docker build .` would send it; --in-place builds in the
#    work tree instead (rewrites web/node_modules and web/dist);
# 2. web stage:   npm ci --no-audit --no-fund && npm run build      (in web/)
# 3. build stage: CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=… -X main.commit=…"
#    and checks the result is statically linked;
# 4. starts it as the image does (ENVIRONMENT=production, an empty DATA_DIR, SQLite) on a free
#    loopback port, waits for `sp404agent healthcheck` (the image's HEALTHCHECK) to pass;
# 5. runs ../shared/scripts/smoke.sh against it (SMOKE_SCRIPT=path overrides);
# 6. reports the binary size and the expected image size, stops the server (SIGTERM) and checks
#    that it exits cleanly and that the health check then fails.
#
# Writes the binary to bench/out/build-check/sp404agent (kept with --keep). Exits non-zero on
# any failure. Needs: go (1.26), node 20 + npm, curl, python3.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

in_place=0 keep=0
for a in "$@"; do
	case "$a" in
	--in-place) in_place=1 ;;
	--keep) keep=1 ;;
	-h | --help) sed -n '2,20p' "$0"; exit 0 ;;
	*) echo "build-check: unknown argument $a" >&2; exit 2 ;;
	esac
done

say() { printf '\n== %s\n' "$*"; }
die() { echo "build-check: FAIL: $*" >&2; exit 1; }

for c in go node npm curl python3; do command -v "$c" >/dev/null || die "$c is not installed"; done

VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
COMMIT=${COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo none)}
smoke=${SMOKE_SCRIPT:-$root/../shared/scripts/smoke.sh}
[ -f "$smoke" ] || die "smoke test script not found at $smoke (set SMOKE_SCRIPT)"

out=$root/bench/out/build-check
mkdir -p "$out"
bin=$out/sp404agent
work=$(mktemp -d /tmp/sp404-build-check.XXXXXX)
pid=
cleanup() {
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
	rm -rf "$work"
	if [ "$keep" = 0 ]; then rm -f "$bin"; fi
}
trap cleanup EXIT

# --- build context --------------------------------------------------------------------------
if [ "$in_place" = 1 ]; then
	src=$root
	say "building in place in $src"
else
	src=$work/src
	mkdir -p "$src"
	say "copying the build context to $src"
	# Like .dockerignore: no VCS data, local data, build outputs, node_modules, web/dist, .env.
	git ls-files -z --cached --others --exclude-standard |
		grep -zvE '^(\.git/|data/|bin/|dist/|bench/out/|docs/|web/dist/|web/node_modules/|web/test-results/|\.env$)|(^|/)node_modules/|\.(test|prof)$' |
		while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
		tar --null -T - -cf - | tar -xf - -C "$src"
	# Must exist for //go:embed before the web stage fills it (the Dockerfile copies dist in).
	mkdir -p "$src/web/dist"
fi

# --- web stage --------------------------------------------------------------------------------
say "web: npm ci && npm run build (node $(node --version))"
t0=$(date +%s)
(cd "$src/web" && npm ci --no-audit --no-fund && npm run build) || die "web build failed"
[ -f "$src/web/dist/index.html" ] || die "web build wrote no web/dist/index.html"
echo "web build: $(($(date +%s) - t0)) s, web/dist $(du -sk "$src/web/dist" | cut -f1) KiB"

# --- build stage ------------------------------------------------------------------------------
say "go: CGO_ENABLED=0 go build -trimpath (version $VERSION, commit $COMMIT; $(go version | cut -d' ' -f3))"
t0=$(date +%s)
(cd "$src" && CGO_ENABLED=0 GOTOOLCHAIN=local go build -trimpath \
	-ldflags "-s -w -X main.version=$VERSION -X main.commit=$COMMIT" \
	-o "$bin" ./cmd/sp404agent) || die "go build failed"
echo "go build: $(($(date +%s) - t0)) s"
# Static: no program interpreter (PT_INTERP) in the ELF program headers.
python3 - "$bin" <<'PY' || die "binary is not statically linked"
import struct, sys
with open(sys.argv[1], "rb") as f:
    h = f.read(64)
    assert h[:4] == b"\x7fELF" and h[4] == 2, "not a 64-bit ELF file"
    phoff, = struct.unpack_from("<Q", h, 0x20)
    phentsize, phnum = struct.unpack_from("<HH", h, 0x36)
    f.seek(phoff)
    for _ in range(phnum):
        if struct.unpack_from("<I", f.read(phentsize))[0] == 3:
            sys.exit("has an ELF interpreter: dynamically linked")
print("static: yes (no ELF interpreter)")
PY
"$bin" version

# --- run as the image does ----------------------------------------------------------------------
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
data=$work/data
mkdir -p "$data"
base=http://127.0.0.1:$port
say "starting on $base (ENVIRONMENT=production, DATA_DIR=$data, SQLite)"
env -i PATH="$PATH" HOME="$work" DATA_DIR="$data" ADDR="127.0.0.1:$port" PORT="$port" ENVIRONMENT=production \
	"$bin" serve >"$work/server.log" 2>&1 &
pid=$!
ok=0
for _ in $(seq 1 150); do
	kill -0 "$pid" 2>/dev/null || { cat "$work/server.log" >&2; die "server exited during start"; }
	if PORT=$port "$bin" healthcheck >/dev/null 2>&1; then ok=1; break; fi
	sleep 0.2
done
[ "$ok" = 1 ] || { tail -20 "$work/server.log" >&2; die "no healthy /health within 30 s"; }
health=$(curl -fsS "$base/health") || die "GET /health failed"
echo "GET /health: $health"
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["status"]=="ok" and d["database"]=="ok" and d["version"]==sys.argv[2], d' \
	"$health" "$VERSION" || die "/health does not report status ok, database ok and version $VERSION"
PORT=$port "$bin" healthcheck --url "$base/health" >/dev/null || die "sp404agent healthcheck --url failed"
echo "sp404agent healthcheck: exit 0"

# --- smoke tests ------------------------------------------------------------------------------
say "smoke tests: $smoke $base"
bash "$smoke" "$base" || { tail -20 "$work/server.log" >&2; die "smoke tests failed"; }

# --- sizes ------------------------------------------------------------------------------------
size=$(stat -c %s "$bin")
say "sizes"
python3 - "$size" <<'PY'
import sys
b = int(sys.argv[1]); base = 2.4 * 2**20  # gcr.io/distroless/static-debian12, uncompressed (about 2-2.5 MB)
print(f"binary: {b} bytes ({b / 2**20:.1f} MiB), stripped (-s -w), static, web UI embedded")
print(f"expected image: about {(b + base) / 2**20:.0f} MiB uncompressed (binary + distroless/static base); target < 40 MB")
PY
[ "$size" -lt $((38 * 1024 * 1024)) ] || die "binary is $size bytes: the image would exceed the 40 MB target"

# --- stop ---------------------------------------------------------------------------------------
say "stopping (SIGTERM)"
kill -TERM "$pid"
for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then die "server still running 10 s after SIGTERM"; fi
rc=0; wait "$pid" || rc=$?
pid=
[ "$rc" = 0 ] || { tail -20 "$work/server.log" >&2; die "server exited with status $rc after SIGTERM"; }
if PORT=$port "$bin" healthcheck >/dev/null 2>&1; then die "healthcheck passes with the server stopped"; fi
echo "stopped cleanly (exit 0); healthcheck now fails as it should"
[ "$keep" = 1 ] && echo "binary kept at $bin"
echo
echo "build-check: OK"
