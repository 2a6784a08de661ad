#!/usr/bin/env bash
# Regenerates the small clips in player/playtest/testdata/, which playtest
# embeds for the tests that stream or decode them next to the embedded demo
# clip (assets/demo.h264). Run once by hand with Debian's ffmpeg (libx264);
# the output is committed.
#
# Every clip has an access unit delimiter before each frame and SPS/PPS before
# each IDR (x264 aud=1:repeat-headers=1), so that assets.AccessUnits splits it
# and a receiver can start at any keyframe without the SDP's parameters.
#
#   small-320x240.h264  320x240 (4:3, unlike the 16:9 demo clip), 30 fps, 1 s,
#                       H.264 Main, no B-frames, an IDR every 15 frames, a solid
#                       blue square at (112,72)-(208,168) that never moves: the
#                       resolution-change test checks that colour in the
#                       pictures published after the switch.
set -euo pipefail
dir=${1:-"$(dirname "$0")/../player/playtest/testdata"}
mkdir -p "$dir"
ffmpeg -hide_banner -loglevel error -y \
	-f lavfi -i "testsrc2=s=320x240:r=30:d=1" \
	-vf "drawbox=x=112:y=72:w=96:h=96:color=0x0000ff:t=fill" \
	-c:v libx264 -profile:v main -pix_fmt yuv420p -bf 0 -g 15 -keyint_min 15 -sc_threshold 0 \
	-crf 30 -x264-params aud=1:repeat-headers=1 \
	-f h264 "$dir/small-320x240.h264"
ls -l "$dir"
