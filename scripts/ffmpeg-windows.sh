#!/usr/bin/env bash
# Provides FFmpeg 8 for camwall's Windows cross-build (make windows): the same
# verified Debian source as scripts/ffmpeg.sh, built with mingw-w64 into its
# own cache directory.
#
#   scripts/ffmpeg-windows.sh          ensure the Windows build exists (build it once if needed)
#   scripts/ffmpeg-windows.sh env      ensure, then print the exports of a windows/amd64 cgo build
#                                      (CC, CGO_ENABLED, GOOS, GOARCH, PKG_CONFIG_*, CGO_LDFLAGS):
#                                      eval it in a subshell, not in a shell that builds for Linux
#   scripts/ffmpeg-windows.sh prefix   print the cache directory
#
# The component list is the native one (scripts/ffmpeg.sh configure_flags)
# without VAAPI, which is Linux-only, and without the ffmpeg program, which
# camwall does not run on Windows; plus Windows threads and the D3D11VA and
# DXVA2 hwaccels for H.264 and H.265. Like the native build it is LGPL-only:
# the build stops if --enable-gpl or --enable-nonfree is asked for or the
# configured licence is not LGPL.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=ffmpeg.sh
. "$here/ffmpeg.sh"

CROSS=x86_64-w64-mingw32-

windows_configure_flags() {
	configure_flags | grep -v -x -E -e '--enable-vaapi' -e '--enable-hwaccel=[a-z0-9_,]*vaapi[a-z0-9_,]*' \
		-e '--enable-ffmpeg' -e '--disable-ffplay' -e '--disable-ffprobe' -e '--enable-pic'
	local f=(
		--target-os=mingw32 --arch=x86_64 --cross-prefix="$CROSS" --pkg-config=pkg-config
		--disable-programs
		# Autodetection is off, so each Windows feature is named.
		--enable-w32threads --enable-d3d11va --enable-dxva2
		--enable-hwaccel=h264_d3d11va,h264_d3d11va2,hevc_d3d11va,hevc_d3d11va2,h264_dxva2,hevc_dxva2
	)
	printf '%s\n' "${f[@]}"
}

windows_prefix() {
	local key
	key=$( (echo "windows-amd64 $FFMPEG_VERSION $DEB_VERSION $NVHEADERS_VERSION"; windows_configure_flags) | sha256sum | cut -c1-12)
	echo "$(cache_root)/ffmpeg-$FFMPEG_VERSION-windows-amd64-$key"
}

windows_build() {
	local out=$1
	command -v "${CROSS}gcc" >/dev/null || die "${CROSS}gcc not found: run scripts/deps.sh --windows"
	work=$(mktemp -d "$(cache_root)/build.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	log "cross-building FFmpeg $FFMPEG_VERSION for windows/amd64 into $out"
	local stage="$out.tmp"
	fetch_source "$stage"
	local src="$work/ffmpeg-$FFMPEG_VERSION"
	mapfile -t flags < <(windows_configure_flags)
	check_lgpl_flags "${flags[@]}"
	# PKG_CONFIG_LIBDIR, not _PATH: the host's own .pc files (libva, libz…)
	# must not leak into a Windows build.
	(cd "$src" && PKG_CONFIG_LIBDIR="$stage/lib/pkgconfig" ./configure --prefix="$out" "${flags[@]}" >"$work/configure.log" 2>&1) ||
		{ tail -40 "$work/configure.log" >&2; tail -40 "$src/ffbuild/config.log" >&2 || true; die "configure failed"; }
	check_lgpl_config "$src"
	(cd "$src" && make -j"$(nproc)" >"$work/make.log" 2>&1) || { tail -60 "$work/make.log" >&2; die "make failed"; }
	(cd "$src" && make install prefix="$stage" >"$work/install.log" 2>&1) || { tail -40 "$work/install.log" >&2; die "make install failed"; }
	sed -i "s|$stage|$out|g" "$stage"/lib/pkgconfig/*.pc
	# The configure line travels with the build, for the third-party notices.
	printf '%s\n' "${flags[@]}" >"$stage/configure-flags.txt"
	rm -rf "$out"; mv "$stage" "$out"
	log "FFmpeg $FFMPEG_VERSION for windows/amd64 ready in $out"
}

windows_ensure() {
	local out
	out=$(windows_prefix)
	if [[ ! -f "$out/lib/libavcodec.a" || ! -f "$out/lib/pkgconfig/libavcodec.pc" ]]; then
		mkdir -p "$(cache_root)"
		windows_build "$out"
	fi
}

case "${1:-ensure}" in
ensure) windows_ensure ;;
env)
	windows_ensure
	out=$(windows_prefix)
	echo "export CGO_ENABLED=1 GOOS=windows GOARCH=amd64 CC=${CROSS}gcc CXX=${CROSS}g++"
	echo "export PKG_CONFIG_LIBDIR='$out/lib/pkgconfig' PKG_CONFIG_PATH='$out/lib/pkgconfig'"
	# --static for the same reason as the native build: go-astiav's #cgo
	# pkg-config line asks without it, and the archives' own dependencies
	# (ws2_32, bcrypt, zlib…) must be on the link line.
	echo "export CGO_LDFLAGS='$(PKG_CONFIG_LIBDIR="$out/lib/pkgconfig" pkg-config --static --libs $LIBS)'"
	;;
prefix) windows_prefix ;;
flags) windows_configure_flags ;;
*) die "unknown command $1 (want: ensure, env, prefix, flags)" ;;
esac
