package perf

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
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
	var off, on camwallResult
	for b.Loop() {
		off = runCamwall(b, srv.urls, 1, window, srv.pid(), "")
		on = runCamwall(b, srv.urls, 1, window, srv.pid(), dir)
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
	fmt.Printf("\nrecording adds %.1f %% of one core (goal ≤ 5 %%); %d files, %.1f MB written\n", 100*added, len(files), float64(bytes)/1e6)
	b.ReportMetric(100*added, "%core-added")
}
