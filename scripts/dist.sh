#!/usr/bin/env bash
# Writes camwall's release archives and tries each one unpacked into an empty
# folder (make dist):
#
#   dist/camwall-VERSION-linux-amd64.tar.xz   camwall, camwall.desktop, camwall.png,
#       camwall.service, camwall-autostart.desktop, README.md, LICENSE,
#       THIRD_PARTY_NOTICES.txt
#   dist/camwall-VERSION-windows-amd64.zip    camwall.exe, README.md, LICENSE,
#       THIRD_PARTY_NOTICES.txt
#
# The tries: the Linux binary starts its demo under a private Xvfb and draws
# it (--capture); the Windows one, under Wine, probes the Linux one's demo
# camera live.
#
#   scripts/dist.sh VERSION LINUX_BIN WINDOWS_EXE WINEPREFIX
set -euo pipefail
cd "$(dirname "$0")/.."
version=${1:?usage: dist.sh VERSION LINUX_BIN WINDOWS_EXE WINEPREFIX}
linux_bin=$2 windows_exe=$3 wineprefix=$4

log() { echo "dist: $*" >&2; }
die() { log "error: $*"; exit 1; }

mkdir -p dist
stage=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	rm -rf "$stage"
}
trap cleanup EXIT

# Linux.
name=camwall-$version-linux-amd64
mkdir -p "$stage/$name"
cp "$linux_bin" "$stage/$name/camwall"
cp assets/icon.png "$stage/$name/camwall.png"
cp assets/camwall.service assets/camwall-autostart.desktop README.md LICENSE "$stage/$name/"
cat >"$stage/$name/camwall.desktop" <<-DESKTOP
	# Install: cp camwall.desktop ~/.local/share/applications/ and camwall.png
	# to ~/.local/share/icons/hicolor/256x256/apps/, camwall to ~/.local/bin/.
	[Desktop Entry]
	Type=Application
	Name=camwall
	Comment=Multi-camera viewer
	Exec=camwall
	Icon=camwall
	Terminal=false
	Categories=AudioVideo;Video;Player;
DESKTOP
scripts/notices.sh linux "$stage/$name/THIRD_PARTY_NOTICES.txt"
tar -C "$stage" -cJf "dist/$name.tar.xz" "$name"
log "wrote dist/$name.tar.xz"

# Windows.
wname=camwall-$version-windows-amd64
mkdir -p "$stage/$wname"
cp "$windows_exe" "$stage/$wname/camwall.exe"
cp README.md LICENSE "$stage/$wname/"
scripts/notices.sh windows "$stage/$wname/THIRD_PARTY_NOTICES.txt"
# Windows' own tools read CRLF text best.
for f in README.md LICENSE THIRD_PARTY_NOTICES.txt; do sed -i 's/$/\r/' "$stage/$wname/$f"; done
rm -f "dist/$wname.zip"
(cd "$stage" && zip -q -r -X "$OLDPWD/dist/$wname.zip" "$wname")
log "wrote dist/$wname.zip"

# The tries, each archive unpacked into an empty folder.
try=$stage/try
mkdir -p "$try/linux" "$try/windows"
tar -C "$try/linux" -xJf "dist/$name.tar.xz"
(cd "$try/windows" && unzip -q "$OLDPWD/dist/$wname.zip")
for f in camwall camwall.desktop camwall.png camwall.service README.md LICENSE THIRD_PARTY_NOTICES.txt; do
	[[ -f "$try/linux/$name/$f" ]] || die "$name.tar.xz lacks $f"
done
for f in camwall.exe README.md LICENSE THIRD_PARTY_NOTICES.txt; do
	[[ -f "$try/windows/$wname/$f" ]] || die "$wname.zip lacks $f"
done
grep -q "ffmpeg_8.1.2.orig.tar.xz" "$try/windows/$wname/THIRD_PARTY_NOTICES.txt" || die "the notices lack FFmpeg's source"

exec 3< <(Xvfb -displayfd 1 -screen 0 1920x1080x24 -nolisten tcp 2>/dev/null)
pids+=($!)
read -r -t 30 display <&3 || die "Xvfb did not start"
export DISPLAY=:$display
home=$try/home
mkdir -p "$home"
HOME=$home XDG_CONFIG_HOME=$home/.config "$try/linux/$name/camwall" --config "$home/none.yaml" >"$try/linux.log" 2>&1 &
pids+=($!)
wall=$!
addr=""
for _ in $(seq 1 60); do
	addr=$(sed -n 's/.*playing the demo.* rtsp=\([0-9.:]*\).*/\1/p' "$try/linux.log" | head -1)
	[[ -n "$addr" ]] && break
	kill -0 "$wall" 2>/dev/null || { cat "$try/linux.log" >&2; die "the Linux binary exited"; }
	sleep 0.5
done
[[ -n "$addr" ]] || { cat "$try/linux.log" >&2; die "the Linux binary did not start its demo"; }
log "Linux binary from $name.tar.xz plays its demo on rtsp://$addr"

scripts/wine-prefix.sh "$wineprefix" >/dev/null
# Over TCP: RTP over UDP never arrives under Wine 8.0 (see wine_test.go).
out=$(timeout 120 scripts/wine-run.sh "$wineprefix" "$try/windows/$wname/camwall.exe" probe "rtsp://$addr/demo/1" --seconds 2 --transport tcp 2>&1) ||
	{ echo "$out" >&2; die "camwall.exe probe failed under Wine"; }
grep -q "ok: H.264 640x360 live for 2s" <<<"$out" || { echo "$out" >&2; die "camwall.exe probe did not see the demo live"; }
log "camwall.exe from $wname.zip probes it live under Wine"
kill -TERM "$wall"
wait "$wall" || die "the Linux binary did not exit cleanly on SIGTERM"
log "archives tested"
