//go:build linux && cgo

package soak

// #include <malloc.h>
import "C"

// cHeap is what the C allocator has handed out and not had back (FFmpeg's
// buffers), and what it holds in all, from glibc's mallinfo2: RSS that
// grows while the first stays flat is the allocator keeping freed memory
// (arenas of the threads FFmpeg ran on), not a leak.
func cHeap() (inUse, held uint64) {
	mi := C.mallinfo2()
	return uint64(mi.uordblks + mi.hblkhd), uint64(mi.arena + mi.hblkhd)
}
