#!/usr/bin/env bash
# Regenerates player/perf/testdata/bench720.h264, the clip `make bench`
# (player/perf) serves on 16 RTSP paths at once. Run once by hand with
# Debian's ffmpeg (libx264); the output is committed.
#
# Properties the benchmark relies on:
#   1280x720, 30 fps, 4 s (120 frames), H.264 Main, no B-frames,
#   an IDR every 30 frames with SPS/PPS repeated before each (clean loop points),
#   an access unit delimiter before every frame (how assets.AccessUnits splits
#   frames), about 2 Mbit/s like a typical 720p camera, and moving content
#   (testsrc2) so that P-frames cost what a real scene's do.
set -euo pipefail
out=${1:-"$(dirname "$0")/../player/perf/testdata/bench720.h264"}
ffmpeg -hide_banner -loglevel error -y \
	-f lavfi -i "testsrc2=s=1280x720:r=30:d=4" \
	-c:v libx264 -profile:v main -pix_fmt yuv420p -bf 0 -g 30 -keyint_min 30 -sc_threshold 0 \
	-b:v 2M -maxrate 2M -bufsize 1M -x264-params aud=1:repeat-headers=1 \
	-f h264 "$out"
ls -l "$out"
