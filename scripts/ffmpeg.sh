#!/usr/bin/env bash
# Provides FFmpeg 8 for camwall's cgo build (go-astiav v0.42.0 targets
# libavcodec 62, Debian 12 ships 5.1).
#
#   scripts/ffmpeg.sh          ensure FFmpeg 8 is available (build it once if needed)
#   scripts/ffmpeg.sh env      ensure, then print the shell exports the Go build needs
#   scripts/ffmpeg.sh bin      ensure, then print the path of the matching `ffmpeg` program
#
# A system FFmpeg whose libavcodec is 62.x (Homebrew, Arch, newer distributions)
# is used as it is. Otherwise FFmpeg 8.1.2 is built from Debian's source package,
# statically, into a per-user cache keyed by version and configure flags, so the
# camwall binary carries FFmpeg inside it and starts with no environment set.
set -euo pipefail

FFMPEG_VERSION=8.1.2
DEB_VERSION=7:8.1.2-2
ORIG_SHA256=464beb5e7bf0c311e68b45ae2f04e9cc2af88851abb4082231742a74d97b524c
# nv-codec-headers (headers only) from Debian 13; bookworm's 11.1 is too old for FFmpeg 8.1.
NVHEADERS_PKG=libffmpeg-nvenc-dev
NVHEADERS_VERSION=12.1.14.0-1
NVHEADERS_SUITE=trixie
SRC_SUITE=sid
LIBS="libavcodec libavdevice libavfilter libavformat libswresample libswscale libavutil"

log() { echo "ffmpeg.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

# The components camwall uses, and nothing else: smaller, faster to build, and
# no surprise runtime dependencies in a static link.
configure_flags() {
	local f=(
		--disable-everything --disable-autodetect --disable-doc --disable-debug
		--disable-ffplay --disable-ffprobe --enable-ffmpeg
		--enable-static --disable-shared --enable-pic
		--enable-zlib --enable-network --enable-swscale --enable-swresample --enable-avfilter
		--enable-decoder=h264,hevc,mjpeg,aac,aac_latm,opus,mp3float,pcm_alaw,pcm_mulaw,pcm_s16be,pcm_s16le,adpcm_g726,adpcm_g726le
		--enable-parser=h264,hevc,mjpeg,aac,aac_latm,opus,mpegaudio
		--enable-demuxer=rtsp,sdp,rtp,mpegts,mov,matroska,h264,hevc,mjpeg,mpjpeg,aac
		--enable-muxer=mp4,mov,matroska,mpegts,null,h264,hevc
		--enable-encoder=mjpeg,png,wrapped_avframe,rawvideo
		--enable-protocol=file,pipe,tcp,udp,rtp,http
		--enable-bsf=h264_mp4toannexb,hevc_mp4toannexb,extract_extradata,dump_extradata,aac_adtstoasc,h264_metadata,hevc_metadata
		--enable-filter=buffer,buffersink,abuffer,abuffersink,scale,format,aformat,null,anull,aresample,trim,atrim,setpts,hwdownload,hwupload
		# NVDEC (hwaccel) and CUVID decoders: the CUDA driver is loaded at run
		# time, so the same binary runs on machines without an NVIDIA GPU.
		--enable-ffnvcodec --enable-nvdec --enable-cuvid
		--enable-hwaccel=h264_nvdec,hevc_nvdec,mjpeg_nvdec
		--enable-decoder=h264_cuvid,hevc_cuvid,mjpeg_cuvid
	)
	if pkg-config --exists libva libva-drm 2>/dev/null; then
		f+=(--enable-vaapi --enable-hwaccel=h264_vaapi,hevc_vaapi,mjpeg_vaapi)
	fi
	printf '%s\n' "${f[@]}"
}

# FFmpeg's licence is decided by configure (the cross-builds check it): refuse GPL or nonfree flags before
# it runs, and any configured licence other than LGPL after.
check_lgpl_flags() {
	if printf '%s\n' "$@" | grep -q -x -E -e '--enable-gpl' -e '--enable-nonfree' -e '--enable-version3'; then
		die "the FFmpeg build must stay LGPL-2.1: --enable-gpl, --enable-nonfree and --enable-version3 are refused"
	fi
}
check_lgpl_config() {
	local lic
	lic=$(sed -n 's/^#define FFMPEG_LICENSE "\(.*\)"$/\1/p' "$1/config.h")
	[[ "$lic" == "LGPL version 2.1 or later" ]] || die "configured FFmpeg licence is \"$lic\", not LGPL version 2.1 or later"
}

cache_root() { echo "${CAMWALL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/camwall}"; }

prefix() {
	local key
	key=$( (echo "$FFMPEG_VERSION $DEB_VERSION $NVHEADERS_VERSION"; configure_flags) | sha256sum | cut -c1-12)
	echo "$(cache_root)/ffmpeg-$FFMPEG_VERSION-$key"
}

system_ffmpeg_ok() {
	[[ "${CAMWALL_FFMPEG:-}" == "build" ]] && return 1
	local v
	v=$(pkg-config --modversion libavcodec 2>/dev/null) || return 1
	[[ "$v" == 62.* ]]
}

# The Debian mirror this machine already uses, read from its own apt sources:
# we never hard-code a registry, and never edit the system's apt configuration.
mirror_uri() {
	local uri=""
	if [[ -n "${CAMWALL_DEBIAN_MIRROR:-}" ]]; then echo "$CAMWALL_DEBIAN_MIRROR"; return; fi
	# Only a Debian machine's own sources point at a Debian archive (Ubuntu's
	# carry no "sid" or "trixie").
	local id
	id=$(. /etc/os-release 2>/dev/null && echo "${ID:-}")
	if [[ "$id" != "debian" ]]; then
		die "this is ${id:-an unknown system}, not Debian: set CAMWALL_DEBIAN_MIRROR to a Debian archive URI to build FFmpeg 8 from Debian's source package, or install FFmpeg 8 (libavcodec 62) so that pkg-config finds it"
	fi
	shopt -s nullglob
	for f in /etc/apt/sources.list.d/*.sources; do
		uri=$(awk '/^URIs:/ {for (i=2;i<=NF;i++) if ($i !~ /security/) {print $i; exit}}' "$f")
		[[ -n "$uri" ]] && break
	done
	if [[ -z "$uri" ]]; then
		for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
			[[ -f "$f" ]] || continue
			uri=$(awk '$1=="deb" || $1=="deb-src" {for (i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) { if ($i !~ /security/) {print $i; exit} else break }}' "$f")
			[[ -n "$uri" ]] && break
		done
	fi
	[[ -n "$uri" ]] || die "no Debian mirror found in /etc/apt/sources.list.d/*.sources or /etc/apt/sources.list; set CAMWALL_DEBIAN_MIRROR to a Debian archive URI, or install FFmpeg 8 (libavcodec 62) so pkg-config finds it"
	echo "$uri"
}

# apt-get with a private source list and lists directory.
private_apt() {
	local dir=$1; shift
	apt-get -q \
		-o Dir::Etc::sourcelist="$dir/sources.list" -o Dir::Etc::sourceparts=/nonexistent \
		-o Dir::State::Lists="$dir/lists" -o Dir::Cache::pkgcache="" -o Dir::Cache::srcpkgcache="" \
		-o APT::Sandbox::User=root -o Debug::NoLocking=1 "$@"
}

# Downloads Debian's FFmpeg source and the nv-codec-headers package into
# $work, checks the tarball's SHA256, unpacks the source into
# $work/ffmpeg-$FFMPEG_VERSION and the headers (with their .pc file pointed at
# it) into the staging prefix $1. scripts/ffmpeg-windows.sh uses it too.
fetch_source() {
	local stage=$1 mirror
	mirror=$(mirror_uri)
	mkdir -p "$work/apt/lists/partial"
	cat >"$work/apt/sources.list" <<-SRC
		deb-src $mirror $SRC_SUITE main
		deb $mirror $NVHEADERS_SUITE main
	SRC
	private_apt "$work/apt" update >&2 || die "apt-get update against $mirror ($SRC_SUITE, $NVHEADERS_SUITE) failed"
	(cd "$work" && private_apt "$work/apt" source --download-only "ffmpeg=$DEB_VERSION" >&2) ||
		die "apt-get source ffmpeg=$DEB_VERSION failed (does $mirror carry $SRC_SUITE's deb-src?)"
	(cd "$work" && private_apt "$work/apt" download "$NVHEADERS_PKG=$NVHEADERS_VERSION" >&2) ||
		die "apt-get download $NVHEADERS_PKG=$NVHEADERS_VERSION failed"

	local tarball="$work/ffmpeg_$FFMPEG_VERSION.orig.tar.xz"
	[[ -f "$tarball" ]] || die "$tarball not downloaded"
	echo "$ORIG_SHA256  $tarball" | sha256sum -c --quiet - || die "sha256 mismatch for $tarball"

	rm -rf "$stage"; mkdir -p "$stage"
	dpkg -x "$work"/${NVHEADERS_PKG}_*.deb "$work/nv"
	mkdir -p "$stage/lib/pkgconfig" "$stage/include"
	cp -r "$work/nv/usr/include/." "$stage/include/"
	local pc
	pc=$(find "$work/nv" -name ffnvcodec.pc | head -1)
	[[ -n "$pc" ]] || die "ffnvcodec.pc not found in $NVHEADERS_PKG"
	sed "s|^prefix=.*|prefix=$stage|" "$pc" >"$stage/lib/pkgconfig/ffnvcodec.pc"

	tar -C "$work" -xf "$tarball"
}

build() {
	local out=$1
	# Global, not local: the EXIT trap runs after this function has returned.
	work=$(mktemp -d "$(cache_root)/build.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	log "building FFmpeg $FFMPEG_VERSION into $out (takes about 5 minutes on 2 cores)"
	local stage="$out.tmp"
	fetch_source "$stage"
	local src="$work/ffmpeg-$FFMPEG_VERSION"
	mapfile -t flags < <(configure_flags)
	(cd "$src" && PKG_CONFIG_PATH="$stage/lib/pkgconfig" ./configure --prefix="$out" "${flags[@]}" >"$work/configure.log" 2>&1) ||
		{ tail -40 "$work/configure.log" >&2; tail -40 "$src/ffbuild/config.log" >&2 || true; die "configure failed"; }
	(cd "$src" && make -j"$(nproc)" >"$work/make.log" 2>&1) || { tail -60 "$work/make.log" >&2; die "make failed"; }
	# Install to the staging prefix then move, so an interrupted build never
	# leaves a half-populated cache entry that a later run would trust.
	(cd "$src" && make install prefix="$stage" >"$work/install.log" 2>&1) || { tail -40 "$work/install.log" >&2; die "make install failed"; }
	# The .pc files name the final prefix; point them there (and the nv headers too).
	sed -i "s|$stage|$out|g" "$stage"/lib/pkgconfig/*.pc
	rm -rf "$out"; mv "$stage" "$out"
	log "FFmpeg $FFMPEG_VERSION ready in $out"
}

ensure() {
	system_ffmpeg_ok && return 0
	local out
	out=$(prefix)
	if [[ ! -x "$out/bin/ffmpeg" || ! -f "$out/lib/pkgconfig/libavcodec.pc" ]]; then
		mkdir -p "$(cache_root)"
		build "$out"
	fi
}

# Sourced (by scripts/ffmpeg-windows.sh) it only defines the above.
[[ "${BASH_SOURCE[0]}" == "$0" ]] || return 0

case "${1:-ensure}" in
ensure) ensure ;;
env)
	ensure
	if system_ffmpeg_ok; then
		echo "# system FFmpeg $(pkg-config --modversion libavcodec)"
	else
		out=$(prefix)
		# --static: the archives' own dependencies (libm, libz, libva…) must be
		# named on the link line, since go-astiav's #cgo pkg-config asks without it.
		echo "export PKG_CONFIG_PATH='$out/lib/pkgconfig'"
		echo "export CGO_LDFLAGS='$(PKG_CONFIG_PATH="$out/lib/pkgconfig" pkg-config --static --libs $LIBS)'"
		echo "export CAMWALL_FFMPEG_BIN='$out/bin/ffmpeg'"
	fi
	;;
bin)
	ensure
	if system_ffmpeg_ok; then command -v ffmpeg; else echo "$(prefix)/bin/ffmpeg"; fi
	;;
prefix) prefix ;;
*) die "unknown command $1 (want: ensure, env, bin, prefix)" ;;
esac
