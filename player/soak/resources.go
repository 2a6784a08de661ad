//go:build linux

package soak

import (
	"bufio"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

// usage is what the test process holds: resident memory, goroutines and
// open files.
type usage struct {
	RSS int64 // bytes (VmRSS)
	// Heap is Go's live heap, GoHeld what Go's runtime holds from the
	// system; CInUse is what C code (FFmpeg) allocated and did not free,
	// CHeld what the C allocator holds for it (cHeap).
	Heap, GoHeld, CInUse, CHeld uint64
	Goroutines                  int
	Files                       int
}

func (u usage) String() string {
	mib := func(v uint64) float64 { return float64(v) / (1 << 20) }
	return fmt.Sprintf("RSS %.1f MiB (Go: heap %.1f, held %.1f; C: in use %.1f, held %.1f), %d goroutines, %d open files",
		mib(uint64(max(u.RSS, 0))), mib(u.Heap), mib(u.GoHeld), mib(u.CInUse), mib(u.CHeld), u.Goroutines, u.Files)
}

// sample measures the process after collecting its garbage and returning
// the freed memory to the system, so that what is left is what it holds.
func sample() usage {
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	u := usage{RSS: rss(), Heap: ms.HeapAlloc, GoHeld: ms.Sys - ms.HeapReleased, Goroutines: runtime.NumGoroutine()}
	u.CInUse, u.CHeld = cHeap()
	if fds, err := os.ReadDir("/proc/self/fd"); err == nil {
		u.Files = len(fds) - 1 // less the one ReadDir opened
	}
	return u
}

// rss is the process's resident memory from /proc/self/status; -1 where
// it cannot be read.
func rss() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return -1
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				return -1
			}
			return kb << 10
		}
	}
	return -1
}
