#!/usr/bin/env bash
# Regenerates player/testdata/snapshot/clip-1080p.h264, the 1080p clip the
# snapshot benchmark (player/snapshot_bench_test.go) decodes into the
# full-resolution frames it snapshots. Run once by hand with Debian's ffmpeg
# (libx264); the output is committed.
#
# Properties the benchmark relies on:
#   1920x1080, 2 frames (an IDR and a P-frame), H.264 High, yuv420p, an
#   access unit delimiter before every frame (how assets.AccessUnits splits
#   frames), and content with sensor-like noise (testsrc2 + noise, at a
#   quality that keeps it) so that a quality-90 JPEG of a frame is about
#   350 KB, like one of a real 1080p camera's picture, and costs as much to
#   encode: a noiseless test pattern compresses far better.
set -euo pipefail
out=${1:-"$(dirname "$0")/../player/testdata/snapshot/clip-1080p.h264"}
mkdir -p "$(dirname "$out")"
ffmpeg -hide_banner -loglevel error -y \
	-f lavfi -i "testsrc2=s=1920x1080:r=30:d=1" -vf "noise=alls=12:allf=t" -frames:v 2 \
	-c:v libx264 -profile:v high -pix_fmt yuv420p -bf 0 -g 8 -crf 24 \
	-x264-params aud=1:repeat-headers=1 \
	-f h264 "$out"
ls -l "$out"
