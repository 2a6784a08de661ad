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
	RSS        int64 // bytes (VmRSS)
	Heap       uint64
	Goroutines int
	Files      int
}

func (u usage) String() string {
	return fmt.Sprintf("RSS %.1f MiB (Go heap %.1f MiB), %d goroutines, %d open files",
		float64(u.RSS)/(1<<20), float64(u.Heap)/(1<<20), u.Goroutines, u.Files)
}

// sample measures the process after collecting its garbage and returning
// the freed memory to the system, so that what is left is what it holds.
func sample() usage {
	runtime.GC()
	debug.FreeOSMemory()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	u := usage{RSS: rss(), Heap: ms.HeapAlloc, Goroutines: runtime.NumGoroutine()}
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
