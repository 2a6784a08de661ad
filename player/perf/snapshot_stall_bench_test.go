package perf

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/storage"
)

// BenchmarkSnapshotAllWhilePlaying is what a wall's tiles feel of "snapshot
// every tile": 8 demo cameras (640×360, 30 fps) play while every camera's
// snapshot is taken and written, 3 times in a row. It reports the longest
// gap between two pictures of any tile during the snapshots (max-gap-ms; at
// 30 fps a picture is 33 ms) and the access units dropped (dropped), which
// on an idle machine are about a frame and 0 (the test
// TestSnapshotAllDoesNotStallTheTiles checks the behaviour, not the
// figures). Run it once:
//
//	go test -run '^$' -bench SnapshotAllWhilePlaying -benchtime 1x ./player/perf/
func BenchmarkSnapshotAllWhilePlaying(b *testing.B) {
	const cameras, rounds = 8, 3
	srv := playtest.StartDemo(b, cameras)
	quiet := playtest.Logger(b, slog.LevelError)
	var sessions []*player.Session
	gaps := make([]atomic.Int64, cameras) // longest wait between two published pictures
	for i := range cameras {
		var last atomic.Int64
		s := player.New(player.Config{Name: fmt.Sprintf("camera %d", i+1), URL: srv.URL(i + 1), Logger: quiet,
			OnFrame: func(e player.FrameEvent) {
				now := e.Published.UnixNano()
				if prev := last.Swap(now); prev != 0 && now-prev > gaps[i].Load() {
					gaps[i].Store(now - prev)
				}
			}})
		s.SetTileSize(320, 180)
		s.Start()
		defer s.Close()
		sessions = append(sessions, s)
	}
	for _, s := range sessions {
		if !playtest.Eventually(20*time.Second, func() bool { return s.Status().State == player.StateLive }) {
			b.Fatalf("%s never live: %s", s.Name(), s.Status().Reason)
		}
	}
	snaps := &storage.Snapshotter{Settings: storage.SnapshotSettings{Dir: b.TempDir()}}
	if err := snaps.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	defer snaps.Close()

	var maxGap time.Duration
	var dropped uint64
	for b.Loop() {
		time.Sleep(500 * time.Millisecond) // past start-up, or the last round's writing
		before := make([]uint64, cameras)
		for i, s := range sessions {
			gaps[i].Store(0)
			before[i] = s.Status().Dropped
		}
		for range rounds {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			for _, s := range sessions {
				pic, at, err := s.Snapshot(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if err := snaps.Submit(storage.Request{Camera: s.Name(), Time: at, Source: pic}); err != nil {
					b.Fatal(err)
				}
			}
			cancel()
			snaps.Wait()
		}
		for i, s := range sessions {
			maxGap = max(maxGap, time.Duration(gaps[i].Load()))
			dropped += s.Status().Dropped - before[i]
		}
	}
	b.ReportMetric(float64(maxGap)/1e6, "max-gap-ms")
	b.ReportMetric(float64(dropped)/float64(b.N), "dropped")
}
