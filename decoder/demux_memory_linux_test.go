package decoder

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// rssKiB is this process's resident memory.
func rssKiB(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no VmRSS in /proc/self/status")
	return 0
}

// A kiosk retries a camera that is gone for months, one failed Open every
// few seconds: a failed Open must leave nothing behind. (FFmpeg frees the
// format context itself when opening fails, behind go-astiav's back; this
// checks that nothing of it accumulates.) 100,000 failures are a year of
// retries every 5 minutes, or a week of them every 6 s.
func TestDemuxFailedOpensDoNotGrowMemory(t *testing.T) {
	fail := func(n int) {
		for range n {
			d := NewDemuxer()
			if err := d.Open("file:/nonexistent/camwall/clip.ts", DemuxOptions{}); err == nil {
				t.Fatal("opened a file that does not exist")
			}
			d.Close()
		}
		runtime.GC()
	}
	fail(10000) // warm up: allocator arenas, FFmpeg's one-time tables
	before := rssKiB(t)
	fail(100000)
	if grown := rssKiB(t) - before; grown > 8<<10 {
		t.Errorf("resident memory grew by %d KiB over 100,000 failed opens", grown)
	}
}
