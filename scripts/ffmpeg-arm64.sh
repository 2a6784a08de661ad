#!/usr/bin/env bash
# Provides FFmpeg 8 for camwall's linux/arm64 cross-build (make linux-arm64):
# the same verified Debian source as scripts/ffmpeg.sh, cross-compiled with
# aarch64-linux-gnu-gcc against the Debian arm64 sysroot of
# scripts/sysroot-arm64.sh, static, into its own cache directory.
#
#   scripts/ffmpeg-arm64.sh          ensure the arm64 build exists (build it once if needed)
#   scripts/ffmpeg-arm64.sh env      ensure, then print the exports of a linux/arm64 cgo build
#                                    (CC with --sysroot, CGO_ENABLED, GOOS, GOARCH,
#                                    PKG_CONFIG_*, CGO_LDFLAGS): eval it in a subshell,
#                                    not in a shell that builds for this machine
#   scripts/ffmpeg-arm64.sh prefix   print the cache directory
#   scripts/ffmpeg-arm64.sh flags    print the configure flags
#
# The component list is the native one (scripts/ffmpeg.sh configure_flags)
# without VAAPI (no VAAPI driver on a Raspberry Pi) and without the programs,
# which camwall does not run from this build; plus the V4L2 mem2mem
# decoders for H.264 and H.265 (the Raspberry Pi 4's stateful H.264 decoder)
# and libdrm (FFmpeg's DRM hardware frames context). FFmpeg 8.1.2 has no
# V4L2 request (stateless) hwaccel upstream: the Pi's H.265 decoder (Pi 4 and
# Pi 5) needs Raspberry Pi's own FFmpeg fork, which this is not. Like the
# other builds it is LGPL-only: the build stops if
# --enable-gpl or --enable-nonfree is asked for or the configured licence is
# not LGPL (scripts/ffmpeg.sh check_lgpl_*).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=ffmpeg.sh
. "$here/ffmpeg.sh"

CROSS=aarch64-linux-gnu-
TRIPLET=aarch64-linux-gnu

arm64_configure_flags() {
	configure_flags | grep -v -x -E -e '--enable-vaapi' -e '--enable-hwaccel=[a-z0-9_,]*vaapi[a-z0-9_,]*' \
		-e '--enable-ffmpeg' -e '--disable-ffplay' -e '--disable-ffprobe'
	local f=(
		--enable-cross-compile --target-os=linux --arch=aarch64 --cross-prefix="$CROSS" --pkg-config=pkg-config
		--disable-programs
		# Autodetection is off, so each feature is named.
		--enable-neon --enable-v4l2-m2m --enable-libdrm
		--enable-decoder=h264_v4l2m2m,hevc_v4l2m2m
	)
	printf '%s\n' "${f[@]}"
}

sysroot() { "$here/sysroot-arm64.sh" path; }

arm64_prefix() {
	local key
	# The sysroot's directory names its package list: a new sysroot, a new build.
	key=$( (echo "linux-arm64 $FFMPEG_VERSION $DEB_VERSION $NVHEADERS_VERSION $(basename "$("$here/sysroot-arm64.sh" key)")"
		arm64_configure_flags) | sha256sum | cut -c1-12)
	echo "$(cache_root)/ffmpeg-$FFMPEG_VERSION-linux-arm64-$key"
}

# The sysroot's own .pc files (libdrm, zlib) name /usr; copies pointed at the
# sysroot go beside FFmpeg's, so that neither configure nor a later
# `pkg-config --static` ever reads this machine's /usr.
sysroot_pc() {
	local root=$1 dir=$2 name pc
	mkdir -p "$dir"
	for name in libdrm zlib; do
		pc=$root/usr/lib/$TRIPLET/pkgconfig/$name.pc
		[[ -f "$pc" ]] || pc=$root/usr/share/pkgconfig/$name.pc
		[[ -f "$pc" ]] || die "the sysroot lacks $name.pc"
		sed "s|^prefix=/usr|prefix=$root/usr|" "$pc" >"$dir/$name.pc"
	done
}

arm64_build() {
	local out=$1 root
	command -v "${CROSS}gcc" >/dev/null || die "${CROSS}gcc not found: run scripts/deps.sh --arm64 (make deps-arm64)"
	root=$(sysroot)
	work=$(mktemp -d "$(cache_root)/build.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	log "cross-building FFmpeg $FFMPEG_VERSION for linux/arm64 into $out (about 10 minutes on 2 cores)"
	local stage="$out.tmp"
	fetch_source "$stage"
	sysroot_pc "$root" "$stage/lib/sysroot-pkgconfig"
	local src="$work/ffmpeg-$FFMPEG_VERSION"
	mapfile -t flags < <(arm64_configure_flags)
	check_lgpl_flags "${flags[@]}"
	# PKG_CONFIG_LIBDIR, not _PATH: this machine's .pc files must not leak
	# into an arm64 build.
	(cd "$src" && PKG_CONFIG_LIBDIR="$stage/lib/pkgconfig:$stage/lib/sysroot-pkgconfig" \
		./configure --prefix="$out" --sysroot="$root" "${flags[@]}" >"$work/configure.log" 2>&1) ||
		{ tail -40 "$work/configure.log" >&2; tail -40 "$src/ffbuild/config.log" >&2 || true; die "configure failed"; }
	check_lgpl_config "$src"
	local want
	for want in CONFIG_H264_V4L2M2M_DECODER CONFIG_HEVC_V4L2M2M_DECODER CONFIG_LIBDRM; do
		grep -qx "#define $want 1" "$src/config.h" "$src/config_components.h" || die "configure did not enable $want (see $src/ffbuild/config.log)"
	done
	(cd "$src" && make -j"$(nproc)" >"$work/make.log" 2>&1) || { tail -60 "$work/make.log" >&2; die "make failed"; }
	(cd "$src" && make install prefix="$stage" >"$work/install.log" 2>&1) || { tail -40 "$work/install.log" >&2; die "make install failed"; }
	sed -i "s|$stage|$out|g" "$stage"/lib/pkgconfig/*.pc
	file -L "$stage/lib/libavcodec.a" >/dev/null
	readelf -h "$(find "$src/libavcodec" -name 'h264dec.o' | head -1)" | grep -q AArch64 || die "libavcodec is not AArch64 code"
	printf '%s\n' "${flags[@]}" >"$stage/configure-flags.txt"
	rm -rf "$out"
	mv "$stage" "$out"
	log "FFmpeg $FFMPEG_VERSION for linux/arm64 ready in $out"
}

arm64_ensure() {
	local out
	out=$(arm64_prefix)
	if [[ ! -f "$out/lib/libavcodec.a" || ! -f "$out/lib/pkgconfig/libavcodec.pc" ]]; then
		mkdir -p "$(cache_root)"
		arm64_build "$out"
	fi
}

case "${1:-ensure}" in
ensure) arm64_ensure ;;
env)
	arm64_ensure
	out=$(arm64_prefix)
	root=$(sysroot)
	pc="$out/lib/pkgconfig:$out/lib/sysroot-pkgconfig"
	# --sysroot in CC itself: cgo compiles and links every package (GLFW's C
	# too) with it, and go passes CC's own arguments on.
	echo "export CGO_ENABLED=1 GOOS=linux GOARCH=arm64 CC='${CROSS}gcc --sysroot=$root' CXX='${CROSS}g++ --sysroot=$root'"
	echo "export PKG_CONFIG_LIBDIR='$pc' PKG_CONFIG_PATH='$pc'"
	echo "export CAMWALL_ARM64_SYSROOT='$root'"
	# --static for the same reason as the native build: go-astiav's #cgo
	# pkg-config line asks without it.
	echo "export CGO_LDFLAGS='$(PKG_CONFIG_LIBDIR="$pc" pkg-config --static --libs $LIBS)'"
	;;
prefix) arm64_prefix ;;
flags) arm64_configure_flags ;;
*) die "unknown command $1 (want: ensure, env, prefix, flags)" ;;
esac
