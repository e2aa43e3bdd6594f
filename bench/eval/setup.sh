#!/bin/sh
# setup.sh installs what bench/eval needs: the Debian packages (as root) and essentia.js, the
# outside reference key estimator, into bench/eval/node_modules (git-ignored, never committed,
# never imported by Go code). Run from anywhere:
#
#	bench/eval/setup.sh            # apt packages + npm install
#	NO_APT=1 bench/eval/setup.sh   # npm install only
set -eu
cd "$(dirname "$0")"
if [ -z "${NO_APT:-}" ]; then
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		fluidsynth fluid-soundfont-gm hydrogen-drumkits aubio-tools bpm-tools ffmpeg sox libsox-fmt-all
fi
npm install --no-audit --no-fund
