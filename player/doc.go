// Package player runs one session per camera: it picks a source for the
// camera's URL (player/source/…), runs its attempts with backoff, decodes
// the units it delivers on the camera's own goroutine, scales the newest
// frame to the tile's size and hands it over through a FrameSlot, keeps the
// newest full-resolution frame for snapshots and taps recordings. It
// reconnects by itself after any failure. Nothing here imports Fyne:
// sessions run headless in the CLI, tests and benchmarks.
package player
