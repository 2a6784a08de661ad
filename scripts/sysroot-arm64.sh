#!/usr/bin/env bash
# Provides a Debian bookworm arm64 sysroot for camwall's linux/arm64
# cross-build (make linux-arm64) and for running that build under
# qemu-user (make test-arm64): the C library, the X11 and OpenGL headers and
# libraries Fyne's GLFW driver links or loads, zlib and libdrm for FFmpeg,
# and Mesa's software renderer (llvmpipe) for the window under Xvfb.
#
#   scripts/sysroot-arm64.sh          ensure the sysroot exists (build it once if needed)
#   scripts/sysroot-arm64.sh path     ensure, then print its directory
#   scripts/sysroot-arm64.sh key      print its directory without building it
#
# mmdebstrap's extract variant only unpacks the packages (with their
# dependencies) and runs no maintainer script, so it needs no arm64 emulation
# and works as root or through mmdebstrap's unshare mode. Packages come from
# the Debian mirror of this machine's own apt sources (CAMWALL_DEBIAN_MIRROR
# overrides it); mmdebstrap uses its own apt configuration inside the target,
# so the host's apt configuration is never changed. Absolute symbolic links
# are made relative, so that the compiler's --sysroot and qemu's -L resolve
# them inside the tree rather than on this machine. The result lives in
# ~/.cache/camwall/sysroot-bookworm-arm64-HASH, HASH of the suite and package
# list: change the list and a new one is built beside the old.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=debian-mirror.sh
. "$here/debian-mirror.sh"

log() { echo "sysroot-arm64: $*" >&2; }
die() { log "error: $*"; exit 1; }

SUITE=bookworm
ARCH=arm64
PACKAGES=(
	# The C library and its start files for the link.
	libc6-dev
	# Fyne's GLFW driver: OpenGL (libglvnd) and Xlib, plus the X extensions
	# GLFW loads at run time.
	libgl-dev libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev
	# FFmpeg: zlib (--enable-zlib) and libdrm (DRM PRIME frames of the V4L2
	# decoders).
	zlib1g-dev libdrm-dev
	# Running the binary under qemu with Xvfb: Mesa's GLX and llvmpipe.
	libglx-mesa0 libgl1-mesa-dri
)

cache_root() { echo "${CAMWALL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/camwall}"; }

sysroot_dir() {
	local key
	key=$(printf '%s\n' "mmdebstrap extract $SUITE $ARCH" "${PACKAGES[@]}" | sha256sum | cut -c1-12)
	echo "$(cache_root)/sysroot-$SUITE-$ARCH-$key"
}

# relink ROOT: every absolute symbolic link under ROOT becomes the relative
# link to the same path inside ROOT.
relink() {
	local root=$1 link target dir n=0
	while IFS= read -r -d '' link; do
		target=$(readlink "$link")
		[[ "$target" == /* ]] || continue
		dir=$(dirname "$link")
		ln -sfn "$(realpath -m -s --relative-to="$dir" "$root$target")" "$link"
		n=$((n + 1))
	done < <(find "$root" -type l -print0)
	log "made $n absolute links relative"
}

build() {
	local out=$1 mirror stage t0=$SECONDS
	command -v mmdebstrap >/dev/null || die "mmdebstrap missing: run scripts/deps.sh --arm64 (make deps-arm64)"
	mirror=$(debian_mirror "$SUITE")
	stage="$out.tmp"
	rm -rf "$stage"
	mkdir -p "$(cache_root)"
	log "building the $SUITE $ARCH sysroot from $mirror into $out, once"
	local mode=()
	[[ $(id -u) -eq 0 ]] && mode=(--mode=root)
	mmdebstrap --quiet --variant=extract --architectures="$ARCH" "${mode[@]}" \
		--include="$(IFS=,; echo "${PACKAGES[*]}")" \
		"$SUITE" "$stage" "$mirror" </dev/null >&2 || { rm -rf "$stage"; die "mmdebstrap failed"; }
	# What mmdebstrap leaves for apt and dpkg is no part of a sysroot.
	rm -rf "$stage/var/cache/apt" "$stage/var/lib/apt/lists"
	relink "$stage"
	# Checks: the loader, the C library and GL for the link, llvmpipe for the test.
	local f
	for f in lib/ld-linux-aarch64.so.1 usr/lib/aarch64-linux-gnu/libc.so usr/lib/aarch64-linux-gnu/libGL.so \
		usr/lib/aarch64-linux-gnu/libX11.so usr/include/GL/gl.h usr/include/X11/extensions/Xrandr.h \
		usr/lib/aarch64-linux-gnu/libz.so usr/lib/aarch64-linux-gnu/pkgconfig/libdrm.pc; do
		[[ -e "$stage/$f" ]] || die "the sysroot lacks /$f"
	done
	[[ -n "$(find "$stage/usr/lib/aarch64-linux-gnu/dri" -name 'swrast_dri.so' 2>/dev/null)" ]] || die "the sysroot lacks Mesa's swrast_dri.so"
	rm -rf "$out"
	mv "$stage" "$out"
	log "sysroot ready in $out ($(du -sh "$out" | cut -f1), $((SECONDS - t0)) s)"
}

ensure() {
	local out
	out=$(sysroot_dir)
	[[ -e "$out/lib/ld-linux-aarch64.so.1" ]] || build "$out"
}

case "${1:-ensure}" in
ensure) ensure ;;
path)
	ensure
	sysroot_dir
	;;
key) sysroot_dir ;;
*) die "unknown command $1 (want: ensure, path, key)" ;;
esac
