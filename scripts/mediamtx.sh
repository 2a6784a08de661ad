#!/usr/bin/env bash
# Provides mediamtx, an RTSP relay, for camwall's benchmarks and tests
# (playtest.StartMediaMTX): a real third-party server between camwall and
# its cameras.
#
#   scripts/mediamtx.sh build   build it once into the cache, if not built yet
#   scripts/mediamtx.sh path    print the absolute path of the binary (built or not)
#
# mediamtx is a Go module, so the go command fetches its source through the
# module proxy, as it does camwall's own dependencies. The files its
# `go generate` makes (the version, the HLS player's script) are not in the
# module: the build writes the version and leaves the script empty, as only
# the RTSP server is used. The binary goes into a per-user cache, like
# FFmpeg's (scripts/ffmpeg.sh), with a stamp naming what built it, so a second
# run does nothing.
set -euo pipefail

MEDIAMTX_MODULE=github.com/bluenviron/mediamtx
MEDIAMTX_VERSION=v1.20.1

log() { echo "mediamtx.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

cache_root() { echo "${CAMWALL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/camwall}"; }

dir() { realpath -m "$(cache_root)/mediamtx-$MEDIAMTX_VERSION"; }

bin() { echo "$(dir)/mediamtx"; }

# The Go toolchain the Makefile builds everything with (its
# `export GOTOOLCHAIN := …`), so that there is one place to change it.
toolchain() {
	local tc
	tc=$(sed -n 's/^export GOTOOLCHAIN *:= *\([^ ]*\).*/\1/p' "$root/Makefile")
	[[ -n "$tc" ]] || die "no 'export GOTOOLCHAIN := …' line in $root/Makefile"
	echo "$tc"
}

# What the stamp holds: a binary built from anything else is built again.
stamp_key() { echo "$MEDIAMTX_MODULE@$MEDIAMTX_VERSION $(toolchain) CGO_ENABLED=0 -trimpath"; }

built() {
	[[ -x "$(bin)" && -f "$(dir)/stamp" && "$(cat "$(dir)/stamp")" == "$(stamp_key)" ]]
}

build() {
	built && return 0
	local out tc
	out=$(dir)
	tc=$(toolchain)
	export GOTOOLCHAIN=$tc GOWORK=off CGO_ENABLED=0
	mkdir -p "$(cache_root)"
	# Global, not local: the EXIT trap runs after this function has returned.
	work=$(mktemp -d "$(cache_root)/build.XXXXXX")
	trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
	log "building mediamtx $MEDIAMTX_VERSION with $tc into $out (takes a few minutes on 2 cores)"

	# Outside any module, so camwall's go.mod and go.sum are left alone.
	local json src
	json=$(cd "$work" && go mod download -json "$MEDIAMTX_MODULE@$MEDIAMTX_VERSION") ||
		die "go mod download $MEDIAMTX_MODULE@$MEDIAMTX_VERSION failed${json:+: $json}"
	src=$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p' <<<"$json")
	[[ -n "$src" && -f "$src/go.mod" ]] || die "go mod download gave no module directory:"$'\n'"$json"

	# The module cache is read-only: build in a writable copy.
	cp -r "$src" "$work/src"
	chmod -R u+w "$work/src"
	echo "$MEDIAMTX_VERSION" >"$work/src/internal/core/VERSION"
	: >"$work/src/internal/servers/hls/hls.min.js"

	mkdir -p "$out"
	local tmp="$out/mediamtx.tmp.$$"
	log "compiling (the go command fetches mediamtx's dependencies first)"
	(cd "$work/src" && go build -buildvcs=false -trimpath -o "$tmp" . >"$work/build.log" 2>&1) ||
		{ rm -f "$tmp"; tail -60 "$work/build.log" >&2; die "go build failed (if mediamtx's go.mod asks for a newer Go than $tc, raise GOTOOLCHAIN in the Makefile)"; }
	# Move into place, then stamp: an interrupted build never leaves a
	# binary that a later run would trust.
	rm -f "$out/stamp"
	mv -f "$tmp" "$out/mediamtx"
	stamp_key >"$out/stamp"
	log "mediamtx $MEDIAMTX_VERSION ready: $out/mediamtx"
}

case "${1:-}" in
build) build ;;
path) bin ;;
*) die "unknown command '${1:-}' (want: build, path)" ;;
esac
