//go:build linux && cgo

package decoder

/*
#include <malloc.h>

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
// garbage payloads (decoders reopened every few seconds): glibc held 14 MiB
// more after 3 minutes while FFmpeg's memory in use grew 2 MiB; with a fixed
// threshold what it holds follows what is in use.
func init() { C.camwall_limit_arenas() }

// cHeapInUse is what the C allocator has handed out and not had back:
// FFmpeg's memory, for the tests that hold it flat.
func cHeapInUse() uint64 {
	mi := C.mallinfo2()
	return uint64(mi.uordblks + mi.hblkhd)
}
