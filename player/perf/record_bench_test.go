package perf

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/storage"
)

// BenchmarkRecordingCost measures what recording every stream adds to the
// wall's CPU time: the same 16 streams played twice in one run, recording
// off and then on (stream copy into fragmented MP4, player.StartRecording),
// each over the same window. The goal: at most 5 % of one core.
//
//	eval "$(scripts/ffmpeg.sh env)" && go test -run '^$' -bench RecordingCost -benchtime 1x ./player/perf/
func BenchmarkRecordingCost(b *testing.B) {
	window := 20 * time.Second
	if v := os.Getenv("CAMWALL_BENCH_SECONDS"); v != "" {
		d, err := time.ParseDuration(v + "s")
		if err != nil || d <= 0 {
			b.Fatalf("CAMWALL_BENCH_SECONDS=%q: want a positive number of seconds", v)
		}
		window = d
	}
	srv, err := startServer(streamCount())
	if err != nil {
		b.Fatal(err)
	}
	defer srv.stop()
	dir := b.TempDir()
	var off, on, snap camwallResult
	var snapTook time.Duration
	var snapSaved int
	for b.Loop() {
		off = runCamwall(b, srv.urls, 1, window, srv.PID(), "", nil)
		on = runCamwall(b, srv.urls, 1, window, srv.PID(), dir, nil)
		// Recording on, and a snapshot of all 16 cameras at full
		// resolution halfway through: does any tile miss a frame?
		snap = runCamwall(b, srv.urls, 1, window, srv.PID(), b.TempDir(), func(ss []*player.Session) {
			snapTook, snapSaved = snapshotAll(b, ss)
		})
	}
	cores := func(r camwallResult) float64 { return r.CPU.Total().Seconds() / r.Window.Seconds() }
	added := cores(on) - cores(off)
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.mp4"))
	var bytes int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			bytes += fi.Size()
		}
	}
	fmt.Printf("\n| %d streams, %v window | cores used | frames | drops |\n|---|---:|---:|---:|\n", len(srv.urls), window)
	fmt.Printf("| recording off | %.3f | %d | %d |\n", cores(off), off.Frames, off.Drops)
	fmt.Printf("| recording on | %.3f | %d | %d |\n", cores(on), on.Frames, on.Drops)
	fmt.Printf("| recording on + snapshot of all | %.3f | %d | %d |\n", cores(snap), snap.Frames, snap.Drops)
	fmt.Printf("\nrecording adds %.1f %% of one core (goal ≤ 5 %%); %d files, %.1f MB written\n", 100*added, len(files), float64(bytes)/1e6)
	fmt.Printf("snapshot of all %d cameras mid-window: %d saved in %v, %d access units dropped in that window (goal: 0)\n",
		len(srv.urls), snapSaved, snapTook.Round(time.Millisecond), snap.Drops)
	b.ReportMetric(100*added, "%core-added")
}

// snapshotAll does what the wall's snapshot-all does: every session's
// newest full-resolution frame through one Snapshotter. It returns the wall
// time until every file was written and how many were.
func snapshotAll(b *testing.B, sessions []*player.Session) (time.Duration, int) {
	snaps := &storage.Snapshotter{Settings: storage.SnapshotSettings{Dir: b.TempDir()}}
	if err := snaps.Start(context.Background()); err != nil {
		b.Error(err)
		return 0, 0
	}
	defer snaps.Close()
	start := time.Now()
	var saved atomic.Int64
	for i, s := range sessions {
		pic, at, err := s.Snapshot(context.Background())
		if err != nil {
			b.Errorf("snapshot %d: %v", i, err)
			continue
		}
		err = snaps.Submit(storage.Request{Camera: fmt.Sprintf("bench-%d", i+1), Time: at, Source: pic,
			Done: func(r storage.Result) {
				if r.Err == nil {
					saved.Add(1)
				}
			}})
		if err != nil {
			b.Error(err)
		}
	}
	snaps.Wait()
	return time.Since(start), int(saved.Load())
}
