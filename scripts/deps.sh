#!/usr/bin/env bash
# Installs the system packages camwall needs to build, run and test on
# Debian or Ubuntu. Idempotent: packages already present are skipped, so a
# second run costs one dpkg query and no network.
set -euo pipefail

# Compiler and tools for cgo, the FFmpeg build and its tarball.
build=(gcc g++ make pkg-config nasm xz-utils ca-certificates dpkg-dev zlib1g-dev libbz2-dev)
# Fyne's GLFW driver (X11 + OpenGL headers).
fyne=(libgl1-mesa-dev libgl1-mesa-dri libx11-dev libxrandr-dev libxcursor-dev libxinerama-dev libxi-dev libxxf86vm-dev libxkbcommon-dev)
# VAAPI headers: FFmpeg compiles VAAPI in when they are present.
hw=(libva-dev)
# Tests: a real X server, Debian's ffmpeg/ffprobe and onvif-util as
# independent peers, iproute2 for the tests' own network namespaces, and
# xdotool for the README's screenshots (make screenshots).
testing=(xvfb xauth ffmpeg xdotool onvif-tools iproute2)
# Windows cross-build (make windows, make dist) and its tests under Wine
# (make test-windows): mingw-w64 for cgo and the FFmpeg cross-build, Wine 8
# to run the .exe, zip for the release archive; zlib for mingw since FFmpeg
# links it (--enable-zlib).
windows=(gcc-mingw-w64-x86-64 binutils-mingw-w64-x86-64 libz-mingw-w64-dev wine wine64 zip)
# The Debian package (make dist, scripts/deb.sh and scripts/deb-test.sh):
# lintian checks it, desktop-file-validate its menu entry, mmdebstrap builds
# the throw-away Debian root it is installed into; file reads the icon's size.
deb=(lintian desktop-file-utils mmdebstrap file)

# Outside Debian and Ubuntu there is nothing this script can install: say
# what is needed and let the build go on (macOS: Homebrew; Windows: MSYS2).
if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
	echo "deps: no apt here; make sure a C compiler, pkg-config and FFmpeg 8 are installed (see README.md)" >&2
	exit 0
fi

# Flags add groups: --test (make test), --windows (make windows, make dist,
# make test-windows), --deb (make dist); several may be given.
want=("${build[@]}" "${fyne[@]}" "${hw[@]}")
for flag in "$@"; do
	case "$flag" in
	--test) want+=("${testing[@]}") ;;
	--windows) want+=("${windows[@]}") ;;
	--deb) want+=("${deb[@]}") ;;
	*) echo "deps: unknown flag $flag (want --test, --windows, --deb)" >&2; exit 2 ;;
	esac
done

missing=()
for p in "${want[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

sudo=()
if [[ $(id -u) -ne 0 ]]; then
	command -v sudo >/dev/null || { echo "deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1; }
	sudo=(sudo)
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
