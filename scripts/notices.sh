#!/usr/bin/env bash
# Writes the third-party notices of a camwall build: FFmpeg's LGPL-2.1 notice
# with the exact source it is built from, then the licence files of the Go
# toolchain and of every Go module linked into the binary, read from the
# module cache (go list -deps), and of the C libraries linked statically.
# Needs no network; fails when a module has no licence file.
#
#   scripts/notices.sh linux|windows OUT.txt
set -euo pipefail
cd "$(dirname "$0")/.."
goos=${1:?usage: notices.sh linux|windows OUT.txt}
out=${2:?usage: notices.sh linux|windows OUT.txt}
. scripts/ffmpeg.sh

licence_files() { find "$1" -maxdepth 1 -type f \( -iname 'LICEN[CS]E*' -o -iname 'COPYING*' -o -iname 'NOTICE*' \) | sort; }
section() { printf '\n%s\n%s\n\n' "$1" "$(printf '=%.0s' $(seq 1 ${#1}))"; }

{
	echo "camwall third-party notices ($goos/amd64)"
	echo
	echo "camwall itself is under the MIT licence (LICENSE). The binary also carries"
	echo "the software below, each under its own licence."

	section "FFmpeg $FFMPEG_VERSION (GNU Lesser General Public License, version 2.1 or later)"
	cat <<-TXT
		camwall links FFmpeg's libraries (libavcodec, libavformat, libavfilter,
		libavdevice, libavutil, libswscale, libswresample) statically. FFmpeg is
		free software under the GNU LGPL version 2.1 or later; this build uses no
		GPL, version-3 or nonfree part (configured without --enable-gpl,
		--enable-version3 and --enable-nonfree; the build scripts refuse them).

		Source: Debian's source package ffmpeg $DEB_VERSION, file
		ffmpeg_$FFMPEG_VERSION.orig.tar.xz, SHA256
		$ORIG_SHA256
		(unmodified upstream FFmpeg $FFMPEG_VERSION; Debian's patches are not applied),
		configured by scripts/ffmpeg.sh (Linux) or scripts/ffmpeg-windows.sh
		(Windows) of camwall's source, which also rebuild it. To relink camwall with
		another FFmpeg build, build camwall from its source with that FFmpeg
		(README.md, "Build"). The NVDEC/CUVID code uses NVIDIA's nv-codec-headers
		$NVHEADERS_VERSION (Debian package $NVHEADERS_PKG, MIT licence).

		The text of the GNU LGPL version 2.1 follows.

	TXT
	cat /usr/share/common-licenses/LGPL-2.1

	section "The Go programming language (standard library and runtime)"
	cat "$(go env GOROOT)/LICENSE"

	mapfile -t mods < <(GOOS=$goos GOARCH=amd64 CGO_ENABLED=1 go list -deps -tags migrated_fynedo \
		-f '{{with .Module}}{{if not .Main}}{{.Path}} {{.Version}} {{.Dir}}{{end}}{{end}}' . | sort -u)
	for m in "${mods[@]}"; do
		read -r path version dir <<<"$m"
		section "Go module $path $version"
		mapfile -t files < <(licence_files "$dir")
		if [[ ${#files[@]} -eq 0 ]]; then
			echo "notices.sh: $path $version has no licence file in $dir" >&2
			exit 1
		fi
		for f in "${files[@]}"; do
			cat "$f"
			echo
		done
	done

	if [[ "$goos" == windows ]]; then
		section "zlib (Debian package libz-mingw-w64-dev, linked statically)"
		cat /usr/share/doc/libz-mingw-w64-dev/copyright
		section "MinGW-w64 runtime (Debian package mingw-w64-common, linked statically)"
		cat /usr/share/doc/mingw-w64-common/copyright
		section "GCC runtime library (libgcc, GPL-3 with the GCC Runtime Library Exception, linked statically)"
		cat /usr/share/doc/gcc-mingw-w64-base/copyright
	fi
} >"$out"
echo "notices.sh: wrote $out ($(grep -c '^Go module ' "$out") Go modules)" >&2
