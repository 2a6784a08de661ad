#!/usr/bin/env bash
# Screenshots for the README, from the real binary under Xvfb: the wall, a
# focused tile, kiosk mode with a spanning layout, the Settings dialog and
# the Find ONVIF cameras dialog.
# They are written to docs/screenshots/ (generated, not kept in git: run
# `make screenshots` to see them). Every process started here is stopped by
# its PID when the script ends.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${CAMWALL_BIN:-bin/camwall}
out=docs/screenshots
mkdir -p "$out"
for tool in Xvfb ffmpeg xdotool; do
	command -v "$tool" >/dev/null || { echo "screenshots: $tool is missing (make deps-test installs it)" >&2; exit 1; }
done
work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

# A free display number, and an X server on it.
xserver() { # display size
	Xvfb ":$1" -screen 0 "$2x24" -nolisten tcp >/dev/null 2>&1 &
	pids+=($!)
	for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$1" ] && return; sleep 0.1; done
	echo "screenshots: Xvfb :$1 did not start" >&2; exit 1
}
shot() { # display size file
	ffmpeg -v error -y -f x11grab -draw_mouse 0 -video_size "$2" -i ":$1" -frames:v 1 "$3"
	echo "wrote $3"
}
free_display() { local d=90; while [ -e "/tmp/.X11-unix/X$d" ]; do d=$((d + 1)); done; echo "$d"; }

# 1. The demo wall, and its first tile focused.
d=$(free_display); xserver "$d" 1280x720
HOME=$work/home DISPLAY=:$d "$bin" --config "$work/none.yaml" >"$work/demo.log" 2>&1 &
pids+=($!)
sleep 6
shot "$d" 1280x720 "$out/wall.png"
DISPLAY=:$d xdotool mousemove 300 200 click 1 key Return
sleep 3
shot "$d" 1280x720 "$out/focused.png"
DISPLAY=:$d xdotool key Escape
# The demo's RTSP server serves the kiosk wall's cameras below.
rtsp=$(grep -o 'rtsp=[0-9.:]*' "$work/demo.log" | head -1 | cut -d= -f2)
[ -n "$rtsp" ] || { echo "screenshots: the demo did not say where it serves" >&2; exit 1; }

# 2. Kiosk mode with a 1+5 layout of six cameras, and a spanning grid.
cat >"$work/wall.yaml" <<YAML
kiosk: true
cameras:
$(for i in 1 2 3 4 5 6; do printf '  - name: camera %d\n    url: rtsp://%s/demo/%d\n' "$i" "$rtsp" $(( (i - 1) % 4 + 1 )); done)
  - name: loading bay
    url: rtsp://127.0.0.1:1/offline
layouts:
  - name: one big and five
    preset: "1+5"
    cameras: [camera 1, camera 2, camera 3, camera 4, camera 5, loading bay]
  - name: two wide
    rows: 2
    columns: 3
    tiles:
      - {camera: camera 1, row: 0, col: 0, cols: 2}
      - {camera: camera 2, row: 0, col: 2, rows: 2}
      - {camera: camera 3, row: 1, col: 0}
      - {camera: camera 4, row: 1, col: 1}
YAML
k=$(free_display); xserver "$k" 1920x1080
HOME=$work/home DISPLAY=:$k "$bin" --config "$work/wall.yaml" >"$work/kiosk.log" 2>&1 &
pids+=($!)
sleep 8
shot "$k" 1920x1080 "$out/kiosk.png"
DISPLAY=:$k xdotool key 2
sleep 3
shot "$k" 1920x1080 "$out/kiosk-spans.png"
DISPLAY=:$k xdotool key F1
sleep 1
shot "$k" 1920x1080 "$out/help.png"

# 3. The Settings dialog, in the desktop window.
DISPLAY=:$d xdotool key ctrl+comma
sleep 2
shot "$d" 1280x720 "$out/settings.png"

# 4. The Find ONVIF cameras dialog listing a simulated camera: the real
# window test draws it inside a network namespace of its own (multicast
# stays there) and keeps its screenshot.
o=$(free_display); xserver "$o" 1280x720
CAMWALL_BIN=$(realpath "$bin") CAMWALL_SCREENSHOT_ONVIF=$(realpath "$out")/onvif.png DISPLAY=:$o \
	go test -tags migrated_fynedo -count=1 -run '^TestONVIFInTheRealWindow$' . >"$work/onvif.log" 2>&1 ||
	{ cat "$work/onvif.log" >&2; exit 1; }
echo "wrote $out/onvif.png"
