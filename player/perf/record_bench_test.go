package perf

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camwall/camwall/assets"
	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/storage"
)

// BenchmarkRecordingCost measures what recording every stream adds to the
// wall's CPU time: the same 16 streams played twice in one run, recording
// off and then on (stream copy into fragmented MP4, player.StartRecording),
// each over the same window. The goal: at most 5 % of one core.
// Then the streams are served again with an AAC track beside the video
// (48 kHz mono, 64 kb/s, as long as the video clip), and played recording
// off and on once more: what recording a camera's audio with its video
// costs.
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
	defer srv.Close()
	aac := benchAAC(b)
	dir, dirA := b.TempDir(), b.TempDir()
	var off, on, snap, offA, onA camwallResult
	var snapTook time.Duration
	var snapSaved int
	for b.Loop() {
		off = runCamwall(b, srv.URLs, 1, window, srv.PID(), "", nil)
		on = runCamwall(b, srv.URLs, 1, window, srv.PID(), dir, nil)
		// Recording on, and a snapshot of all 16 cameras at full
		// resolution halfway through: does any tile miss a frame?
		snap = runCamwall(b, srv.URLs, 1, window, srv.PID(), b.TempDir(), func(ss []*player.Session) {
			snapTook, snapSaved = snapshotAll(b, ss)
		})
		// The same streams with an AAC track: another server process, so
		// that the video-only runs above saw no audio at all.
		srv.Close()
		srvA, err := startServerWith(serverOptions{Streams: streamCount(), Audio: aac})
		if err != nil {
			b.Fatal(err)
		}
		defer srvA.Close()
		offA = runCamwall(b, srvA.URLs, 1, window, srvA.PID(), "", nil)
		onA = runCamwall(b, srvA.URLs, 1, window, srvA.PID(), dirA, nil)
		srvA.Close()
	}
	cores := func(r camwallResult) float64 { return r.CPU.Total().Seconds() / r.Window.Seconds() }
	added, addedA := cores(on)-cores(off), cores(onA)-cores(offA)
	files, bytes := recorded(dir)
	filesA, bytesA := recorded(dirA)
	fmt.Printf("\n| %d streams, %v window | cores used | frames | drops |\n|---|---:|---:|---:|\n", len(srv.URLs), window)
	fmt.Printf("| recording off | %.3f | %d | %d |\n", cores(off), off.Frames, off.Drops)
	fmt.Printf("| recording on | %.3f | %d | %d |\n", cores(on), on.Frames, on.Drops)
	fmt.Printf("| recording on + snapshot of all | %.3f | %d | %d |\n", cores(snap), snap.Frames, snap.Drops)
	fmt.Printf("| video + AAC, recording off | %.3f | %d | %d |\n", cores(offA), offA.Frames, offA.Drops)
	fmt.Printf("| video + AAC, recording on | %.3f | %d | %d |\n", cores(onA), onA.Frames, onA.Drops)
	fmt.Printf("\nrecording adds %.1f %% of one core (goal ≤ 5 %%); %d files, %.1f MB written\n", 100*added, len(files), float64(bytes)/1e6)
	fmt.Printf("recording video + AAC adds %.1f %% of one core (goal ≤ 5 %%); %d files, %.1f MB written, %d of them with an AAC track\n",
		100*addedA, len(filesA), float64(bytesA)/1e6, withAAC(b, filesA))
	fmt.Printf("snapshot of all %d cameras mid-window: %d saved in %v, %d access units dropped in that window (goal: 0)\n",
		len(srv.URLs), snapSaved, snapTook.Round(time.Millisecond), snap.Drops)
	b.ReportMetric(100*added, "%core-added")
	b.ReportMetric(100*addedA, "%core-added-aac")
}

// benchAAC has Debian's ffmpeg encode the AAC track the audio runs serve:
// a 440 Hz tone, 48 kHz mono at 64 kb/s, as long as the video clip, so that
// the audio loops with the video. It returns the ADTS file's path.
func benchAAC(b *testing.B) string {
	clip, err := os.ReadFile(clipPath)
	if err != nil {
		b.Fatal(err)
	}
	aus, err := assets.AccessUnits(clip)
	if err != nil {
		b.Fatal(err)
	}
	secs := strconv.FormatFloat(float64(len(aus))/clipFPS, 'f', 3, 64)
	return playtest.FFmpegFile(b, "bench.aac", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
		"-t", secs, "-ac", "1", "-c:a", "aac", "-b:a", "64k", "-f", "adts")
}

// recorded lists the MP4 files under dir's camera folders, and their size.
func recorded(dir string) ([]string, int64) {
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.mp4"))
	var bytes int64
	for _, f := range files {
		if fi, err := os.Stat(f); err == nil {
			bytes += fi.Size()
		}
	}
	return files, bytes
}

// withAAC counts the files whose first audio stream ffprobe says is AAC;
// the benchmark fails if any is not.
func withAAC(b *testing.B, files []string) int {
	n := 0
	for _, f := range files {
		if c := playtest.AudioCodec(b, f); c == "aac" {
			n++
		} else {
			b.Errorf("%s: audio stream %q, want aac", f, c)
		}
	}
	if len(files) == 0 {
		b.Error("the video + AAC run recorded no files")
	}
	return n
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
