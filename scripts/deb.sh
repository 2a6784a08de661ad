#!/usr/bin/env bash
# Writes camwall's Debian package with dpkg-deb alone (no debhelper, no
# source package), reproducibly: every mtime is SOURCE_DATE_EPOCH (the HEAD
# commit's time unless set), files are root-owned, and the same inputs give
# the same bytes.
#
#   scripts/deb.sh VERSION ARCH BINARY OUTDIR   writes OUTDIR/camwall_DEBVERSION_ARCH.deb
#                                               and prints its path
#   scripts/deb.sh --version VERSION            prints DEBVERSION
#
# VERSION is the Makefile's (FyneApp.toml's version, then `git describe
# --always --dirty` unless HEAD is tagged vVERSION). Its Debian version:
#
#   0.1.0                     0.1.0 (a tagged release, as it is)
#   0.1.0-a592422[-dirty]     0.1.0~git20261207121042.a592422[.dirty]   before tag v0.1.0 exists
#                             0.1.0+git20261207121042.a592422[.dirty]   after it, on top of it
#
# The number after "git" is the commit's UTC time, so builds sort by commit
# time whatever their hashes (which sort at random); "~" sorts before the
# release it leads to and "+" after the release it follows.
#
# ARCH is amd64 or arm64, and must be the BINARY's ELF machine. The package's
# Depends are computed from the binary's dynamic libraries: dpkg-shlibdeps
# (versioned) when ARCH is this machine's, else each library's package as
# this machine's dpkg knows it (same names on every Debian architecture,
# without versions). CAMWALL_NOTICES=FILE uses FILE as the third-party notices
# instead of running scripts/notices.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { echo "deb.sh: $*" >&2; }
die() { log "error: $*"; exit 1; }

MAINTAINER="camwall maintainers <camwall@users.noreply.github.com>"

# debversion VERSION: the Debian version of a make VERSION (see above).
debversion() {
	local v=$1 upstream rest hash dirty="" ts sep
	if [[ "$v" =~ ^[0-9][0-9A-Za-z.+~]*$ ]]; then
		echo "$v"
		return
	fi
	[[ "$v" =~ ^([0-9][0-9A-Za-z.]*)-(.+)$ ]] || die "version $v is neither X.Y.Z nor X.Y.Z-DESCRIBE"
	upstream=${BASH_REMATCH[1]} rest=${BASH_REMATCH[2]}
	if [[ "$rest" == *-dirty ]]; then
		dirty=.dirty
		rest=${rest%-dirty}
	fi
	# git describe gives HASH, or TAG-N-gHASH once some tag is reachable.
	hash=${rest##*-}
	[[ "$rest" == *-* && "$hash" =~ ^g[0-9a-f]{4,}$ ]] && hash=${hash#g}
	[[ "$hash" =~ ^[0-9a-f]{4,40}$ ]] || die "version $v names no commit (from $rest); build from a git checkout"
	ts=$(TZ=UTC0 git log -1 --date=format-local:%Y%m%d%H%M%S --format=%cd "$hash" 2>/dev/null) ||
		die "commit $hash of version $v is not in this repository"
	sep="~"
	if git rev-parse -q --verify "refs/tags/v$upstream" >/dev/null && git merge-base --is-ancestor "v$upstream" "$hash"; then
		sep="+"
	fi
	echo "$upstream${sep}git$ts.$hash$dirty"
}

if [[ "${1:-}" == --version ]]; then
	debversion "${2:?usage: deb.sh --version VERSION}"
	exit 0
fi

usage="usage: deb.sh VERSION amd64|arm64 BINARY OUTDIR"
version=${1:?$usage} arch=${2:?$usage} binary=${3:?$usage} outdir=${4:?$usage}
[[ -f "$binary" ]] || die "no binary at $binary"
debver=$(debversion "$version")

case "$arch" in
amd64) machine="X86-64" triplet=x86_64-linux-gnu ;;
arm64) machine="AArch64" triplet=aarch64-linux-gnu ;;
*) die "ARCH $arch: want amd64 or arm64" ;;
esac
got=$(readelf -h "$binary" 2>/dev/null | sed -n 's/^ *Machine: *//p') || true
[[ -n "$got" ]] || die "$binary is not an ELF file"
[[ "$got" == *"$machine"* ]] || die "$binary is for $got, not $arch ($machine)"

for tool in dpkg-deb dpkg-shlibdeps gzip readelf objdump; do
	command -v "$tool" >/dev/null || die "$tool missing (make deps-deb installs it)"
done

export SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct HEAD)}
export TZ=UTC0 LC_ALL=C
umask 022

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
root=$work/root
doc=$root/usr/share/doc/camwall

# The binary, stripped of its debugging sections as Debian ships binaries.
strip=$(command -v "$triplet-strip" || true)
if [[ -z "$strip" && "$arch" == "$(dpkg --print-architecture)" ]]; then strip=$(command -v strip || true); fi
[[ -n "$strip" ]] || die "no strip for $arch: install binutils-$triplet"
install -D -m 755 "$binary" "$root/usr/bin/camwall"
"$strip" --remove-section=.comment --remove-section=.note "$root/usr/bin/camwall" ||
	die "$strip could not strip $binary"

# Menu entry and icon (in the hicolor folder of its real size).
install -d "$root/usr/share/applications"
cat >"$root/usr/share/applications/camwall.desktop" <<-DESKTOP
	[Desktop Entry]
	Type=Application
	Name=camwall
	GenericName=Camera wall
	Comment=Watch many RTSP, ONVIF and GoPro cameras live in one window
	Exec=camwall
	Icon=camwall
	Terminal=false
	Categories=AudioVideo;Video;Player;
	Keywords=camera;CCTV;RTSP;ONVIF;GoPro;surveillance;
DESKTOP
size=$(file -b assets/icon.png | sed -n 's/^PNG image data, \([0-9]*\) x \([0-9]*\),.*/\1x\2/p')
[[ "$size" =~ ^([0-9]+)x([0-9]+)$ && ${BASH_REMATCH[1]} == "${BASH_REMATCH[2]}" ]] ||
	die "assets/icon.png is not a square PNG (${size:-unknown size})"
install -D -m 644 assets/icon.png "$root/usr/share/icons/hicolor/$size/apps/camwall.png"
if command -v desktop-file-validate >/dev/null; then
	desktop-file-validate "$root/usr/share/applications/camwall.desktop" assets/camwall-autostart.desktop ||
		die "desktop-file-validate refuses camwall.desktop or assets/camwall-autostart.desktop"
else
	log "desktop-file-validate missing (make deps-deb installs it): the desktop entries are not checked"
fi

# The kiosk as a systemd user unit: assets/camwall.service with the
# package's path and its own install notes; not enabled by the package.
unit=$root/usr/lib/systemd/user/camwall-kiosk.service
install -d "${unit%/*}"
{
	cat <<-'HEAD'
		# camwall's kiosk wall as a systemd user service (from the camwall package):
		# the wall starts with the graphical session, and comes back when it exits
		# or its window hangs. The package does not enable it. As the user whose
		# session shows the wall (not root):
		#   systemctl --user enable --now camwall-kiosk.service
		# Its log: journalctl --user -u camwall-kiosk -f
		# Use it or the XDG autostart entry (/usr/share/doc/camwall/examples/),
		# not both: each starts a wall.
		#
		# A session that does not start graphical-session.target (a bare X session
		# started by xinit or a window manager alone, labwc or wayfire on Raspberry
		# Pi OS) starts the unit itself, from its startup script:
		#   systemctl --user import-environment DISPLAY WAYLAND_DISPLAY XAUTHORITY
		#   systemctl --user start camwall-kiosk.service
	HEAD
	# assets/camwall.service from its first section on, ExecStart replaced.
	sed -n '/^\[Unit\]/,$p' assets/camwall.service |
		sed 's|^ExecStart=.*|ExecStart=/usr/bin/camwall --kiosk|'
} >"$unit"
chmod 644 "$unit"
grep -qx 'ExecStart=/usr/bin/camwall --kiosk' "$unit" || die "the unit's ExecStart was not replaced"
for want in Restart=always Type=notify "$(grep '^WatchdogSec=' assets/camwall.service)"; do
	grep -qx "$want" "$unit" || die "the kiosk unit lacks $want"
done

# Manual page.
install -d "$root/usr/share/man/man1"
sed "s/^\.TH CAMWALL 1 .*/.TH CAMWALL 1 \"$(date -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)\" \"camwall $debver\" \"User Commands\"/" \
	assets/camwall.1 | gzip -9n >"$root/usr/share/man/man1/camwall.1.gz"

# Documentation: README, the third-party notices, changelog, copyright.
install -d "$doc/examples"
gzip -9n <README.md >"$doc/README.md.gz"
install -m 644 assets/camwall-autostart.desktop "$doc/examples/camwall-autostart.desktop"
if [[ -n "${CAMWALL_NOTICES:-}" ]]; then
	cp "$CAMWALL_NOTICES" "$work/notices.txt"
else
	scripts/notices.sh linux "$work/notices.txt"
fi
gzip -9n <"$work/notices.txt" >"$doc/THIRD_PARTY_NOTICES.txt.gz"

commit=$(git rev-parse --short HEAD)
{
	echo "camwall ($debver) unstable; urgency=medium"
	echo
	echo "  * camwall $version, packaged by scripts/deb.sh from commit $commit."
	echo "    No Debian changes: see README.md.gz for what camwall does."
	echo
	echo " -- $MAINTAINER  $(date -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n >"$doc/changelog.gz"

# FFmpeg's version and source, as the script that builds it pins them.
pinned() { sed -n "s/^$1=//p" scripts/ffmpeg.sh; }
FFMPEG_VERSION=$(pinned FFMPEG_VERSION) DEB_VERSION=$(pinned DEB_VERSION) ORIG_SHA256=$(pinned ORIG_SHA256)
[[ -n "$FFMPEG_VERSION" && -n "$DEB_VERSION" && -n "$ORIG_SHA256" ]] || die "FFmpeg's version not found in scripts/ffmpeg.sh"
indent() { sed 's/^$/./; s/^/ /'; }
{
	cat <<-HEAD
		Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
		Upstream-Name: camwall
		Upstream-Contact: $MAINTAINER
		Comment: /usr/bin/camwall links FFmpeg, the Go runtime and Go modules
		 statically. The licence of each, in full, is in
		 /usr/share/doc/camwall/THIRD_PARTY_NOTICES.txt.gz.

		Files: *
		Copyright: the camwall authors
		License: Expat

		Files: embedded/ffmpeg-$FFMPEG_VERSION/*
		Copyright: the FFmpeg developers
		License: LGPL-2.1+
		Comment: FFmpeg $FFMPEG_VERSION (libavcodec, libavformat, libavfilter, libavdevice,
		 libavutil, libswscale, libswresample), linked statically into
		 /usr/bin/camwall, built without any GPL, version-3 or nonfree part. Its
		 source is Debian's source package ffmpeg $DEB_VERSION, file
		 ffmpeg_$FFMPEG_VERSION.orig.tar.xz, SHA256 $ORIG_SHA256
		 (unmodified upstream FFmpeg), configured by scripts/ffmpeg.sh of camwall's
		 source, which rebuilds it; to relink camwall with another FFmpeg, build
		 camwall from its source with that FFmpeg.

		Files: embedded/go/*
		Copyright: the Go authors and the authors of each Go module linked in
		License: BSD-3-clause and Go-modules
		Comment: The Go runtime and standard library (BSD-3-clause), and the Go
		 modules linked into /usr/bin/camwall, each under its own licence (MIT,
		 BSD, Apache-2.0 and others): every module, its version and its licence
		 text are in /usr/share/doc/camwall/THIRD_PARTY_NOTICES.txt.gz.

		License: Expat
	HEAD
	sed '1,2d' LICENSE | indent
	echo
	echo "License: LGPL-2.1+"
	indent <<-'TXT'
		This library is free software; you can redistribute it and/or modify it
		under the terms of the GNU Lesser General Public License as published by
		the Free Software Foundation; either version 2.1 of the License, or (at
		your option) any later version.

		This library is distributed in the hope that it will be useful, but
		WITHOUT ANY WARRANTY; without even the implied warranty of
		MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE. See the GNU Lesser
		General Public License for more details.

		On Debian systems, the complete text of the GNU Lesser General Public
		License version 2.1 can be found in '/usr/share/common-licenses/LGPL-2.1'.
	TXT
	echo
	echo "License: BSD-3-clause"
	indent <"$(go env GOROOT)/LICENSE"
	echo
	echo "License: Go-modules"
	indent <<-'TXT'
		Each Go module linked into /usr/bin/camwall is under its own licence. The
		full text of each, under the module's path and version, is in
		/usr/share/doc/camwall/THIRD_PARTY_NOTICES.txt.gz.
	TXT
} >"$doc/copyright"

# Lintian overrides: the tags that cannot be fixed, each with its reason.
install -D -m 644 assets/lintian-overrides "$root/usr/share/lintian/overrides/camwall"

# Depends from the binary's dynamic libraries.
needed=$(objdump -p "$root/usr/bin/camwall" | awk '$1=="NEEDED" {print $2}' | sort)
[[ -n "$needed" ]] || die "$binary needs no shared library: is it static?"
if [[ "$arch" == "$(dpkg --print-architecture)" ]]; then
	mkdir -p "$work/src/debian"
	printf 'Source: camwall\n\nPackage: camwall\nArchitecture: any\n' >"$work/src/debian/control"
	depends=$(cd "$work/src" && dpkg-shlibdeps -O -e"$root/usr/bin/camwall" 2>"$work/shlibdeps.log") ||
		{ cat "$work/shlibdeps.log" >&2; die "dpkg-shlibdeps failed"; }
	depends=${depends#shlibs:Depends=}
else
	pkgs=()
	for so in $needed; do
		p=$(dpkg -S "*/$so" 2>/dev/null | awk -F': ' '$2 ~ "/lib/" {sub(/:.*/, "", $1); print $1; exit}') || true
		[[ -n "$p" ]] || die "no package on this machine ships $so, so its $arch package is unknown: install its $(dpkg --print-architecture) package"
		pkgs+=("$p")
	done
	depends=$(printf '%s\n' "${pkgs[@]}" | sort -u | paste -sd, | sed 's/,/, /g')
fi

installed=$(find "$root" -type f -printf '%s\n' | awk '{k += int(($1 + 1023) / 1024)} END {print k}')
install -d "$root/DEBIAN"
cat >"$root/DEBIAN/control" <<-CONTROL
	Package: camwall
	Version: $debver
	Architecture: $arch
	Maintainer: $MAINTAINER
	Installed-Size: $installed
	Depends: $depends
	Suggests: va-driver-all
	Section: video
	Priority: optional
	Description: multi-camera viewer and unattended camera wall
	 camwall shows a window with a grid of live tiles decoded from RTSP and
	 ONVIF cameras, GoPros and any stream FFmpeg opens, with low latency.
	 Sessions reconnect by themselves; snapshots and stream-copy recording are
	 one key away.
	 .
	 A wall can run as a kiosk: full screen, named layouts with spanning tiles
	 and a tour, /metrics and /healthz for remote checks, and a systemd user
	 unit (camwall-kiosk.service) whose watchdog restarts a wall whose window
	 stops refreshing. FFmpeg 8 is linked in statically.
CONTROL
(cd "$root" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
chmod 644 "$root/DEBIAN/control" "$root/DEBIAN/md5sums"

find "$root" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
mkdir -p "$outdir"
deb=$outdir/camwall_${debver}_$arch.deb
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
log "wrote $deb (Depends: $depends)"
echo "$deb"
