#!/usr/bin/env bash
# Regenerates assets/demo.h264, the clip the embedded demo cameras loop.
# Run once by hand with Debian's ffmpeg (libx264); the output is committed.
#
# Properties the code and tests rely on:
#   640x360, 30 fps, 4 s (120 frames), H.264 Main, no B-frames,
#   an IDR every 30 frames with SPS/PPS repeated before each (clean loop points),
#   an access unit delimiter before every frame (how assets splits frames),
#   a solid red square at (16,16)-(80,80) and a green one at (560,280)-(624,344)
#   that never move: the decoder test checks their colour.
set -euo pipefail
out=${1:-"$(dirname "$0")/../assets/demo.h264"}
ffmpeg -hide_banner -loglevel error -y \
	-f lavfi -i "testsrc2=s=640x360:r=30:d=4" \
	-vf "drawbox=x=16:y=16:w=64:h=64:color=0xff0000:t=fill,drawbox=x=560:y=280:w=64:h=64:color=0x00ff00:t=fill" \
	-c:v libx264 -profile:v main -pix_fmt yuv420p -bf 0 -g 30 -keyint_min 30 -sc_threshold 0 \
	-crf 30 -x264-params aud=1:repeat-headers=1 \
	-f h264 "$out"
ls -l "$out"
