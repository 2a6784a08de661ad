// Package perf holds camwall's end-to-end benchmark of the live wall, the one
// `make bench` runs (see BENCHMARKS.md at the repository root for the latest
// numbers and what limits them).
//
// BenchmarkWall serves 16 RTSP streams of a 1280×720, 30 fps H.264 clip
// (testdata/bench720.h264, made by scripts/make-bench-clip.sh) from a separate
// process, so that the server's CPU is not counted as camwall's, and plays
// them with camwall's pipeline (player.Session: gortsplib, FFmpeg decode,
// swscale to a 320×180 tile), with 1 and with 2 decode threads, and then,
// for the same streams and the same window, with the project's own ffmpeg
// program doing the equivalent work: once with the command (ffmpeg's
// defaults) and once with camwall's settings (1 thread, bilinear).
// It prints a markdown table: per-stream decoded fps, CPU seconds per frame
// and the ratio to ffmpeg's, drops, capture-to-tile latency p50 and p99, and
// peak RSS. Benchmarks are not tests: it reports the goals as met or not and
// never fails because the machine is slow.
//
// The package has no non-test code.
//
// Environment:
//
//	CAMWALL_FFMPEG_BIN       the project's ffmpeg (set by scripts/ffmpeg.sh env); required
//	CAMWALL_BENCH_SECONDS    length of each measured window (default 20)
//	CAMWALL_BENCH_STREAMS    number of streams (default 16)
//	CAMWALL_BENCH_THREADS    decoder slice-thread counts to measure, e.g. "1,2" (default)
//	CAMWALL_BENCH_STAGGER    1: spread the streams' send times over the frame period
//	                         (one server per stream) instead of aligning them
//	CAMWALL_BENCH_OUT        also write the markdown report to this file
//	CAMWALL_BENCH_LATENCY_CSV  append every measured frame's latency to this CSV file
package perf
