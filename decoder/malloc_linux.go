//go:build linux && cgo

package decoder

/*
#include <malloc.h>

static void camwall_trim(void) { malloc_trim(0); }

static void camwall_limit_arenas(void) {
#ifdef M_ARENA_MAX
	mallopt(M_ARENA_MAX, 2);
#endif
#ifdef M_MMAP_THRESHOLD
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}
*/
import "C"

import (
	"sync/atomic"
	"time"
)

// glibc gives each thread that allocates its own malloc arena and keeps
// freed memory in it. FFmpeg allocates from whichever OS thread runs a
// camera's goroutine, so every reconnect (a new decoder) can leave its
// buffers in yet another arena: measured with 16 sessions restarted eight
// times, RSS went from 174 to 334 MB, and stayed at 174–180 MB with two
// arenas. A kiosk that reconnects cameras for months must not grow.
//
// For the same reason allocations of 128 KiB and more (pictures, keyframes)
// are always mapped, and unmapped when freed: by default glibc raises that
// threshold to the size of each large block freed, after which such blocks
// come from the arena and stay there when freed. Measured in the soak with
// garbage payloads only (decoders reopened every few seconds): over 5
// minutes, what glibc held grew 14.4 MiB while FFmpeg's memory in use grew
// 2.2 MiB; with the threshold fixed, over 3 minutes, 2.1 against 1.7 MiB.
func init() { C.camwall_limit_arenas() }

// trimEvery is how often, at most, releaseFreed gives memory back.
const trimEvery = 10 * time.Second

var lastTrim atomic.Int64 // UnixNano

// releaseFreed gives the memory glibc keeps after a decoder or demuxer
// closed back to the system (malloc_trim), at most once per trimEvery:
// the fixed mapping threshold above covers the large blocks, but the small
// ones a closed decoder leaves spread over the arenas stay held otherwise,
// and the soak measured its RSS creeping up by that, about 2.4 MiB in 10
// minutes of faults, while FFmpeg's memory in use stayed flat. A trim takes
// a few milliseconds, holding each arena's lock meanwhile.
func releaseFreed() {
	now := time.Now().UnixNano()
	last := lastTrim.Load()
	if now-last < int64(trimEvery) || !lastTrim.CompareAndSwap(last, now) {
		return
	}
	C.camwall_trim()
}

// cHeapInUse is what the C allocator has handed out and not had back:
// FFmpeg's memory, for the tests that hold it flat.
func cHeapInUse() uint64 {
	mi := C.mallinfo2()
	return uint64(mi.uordblks + mi.hblkhd)
}
