package player

import (
	"testing"
	"time"

	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"

	"github.com/camwall/camwall/assets"
	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/source"
)

// recordSynthetic records the demo clip's access units through a session's
// recording tap, with the decoding and presentation time ts(i) for frame i,
// waiting between frames as wait says, and returns the files written.
func recordSynthetic(t *testing.T, opts RecordOptions, ts func(i int) int64, wait time.Duration) []string {
	t.Helper()
	aus, err := assets.DemoAccessUnits()
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{Name: "clock", URL: "rtsp://127.0.0.1:1/x", Logger: playtest.Logger(t, 0)})
	defer s.Close()
	opts.Dir = t.TempDir()
	if err := s.StartRecording(opts); err != nil {
		t.Fatal(err)
	}
	r := s.rec.Load()
	for i, au := range aus {
		// The writer keeps up: nothing is dropped for a full queue.
		for len(r.q) > recordQueueLen/2 {
			time.Sleep(time.Millisecond)
		}
		s.recordTap(source.Unit{Data: decoder.AnnexB(au, nil), PTS: ts(i), DTS: ts(i), Key: h264.IsRandomAccess(au)}, decoder.H264, 1, nil)
		time.Sleep(wait)
	}
	for len(r.q) > 0 {
		time.Sleep(time.Millisecond)
	}
	if d := r.dropped.Load(); d != 0 {
		t.Fatalf("%d frames dropped", d)
	}
	return s.StopRecording()
}

// A camera's clock is not to be trusted: one that wraps, resets or leaps
// ahead starts a new file with its own timestamps from zero, and long
// running clocks (a wall that runs for a year) are recorded as any other.
func TestRecordingFollowsClockJumps(t *testing.T) {
	playtest.NeedFFprobe(t)
	const frame = 3000 // 30 fps at 90 kHz
	n := assets.DemoClip.Frames
	day := int64(86400 * 90000)
	tests := []struct {
		name      string
		ts        func(i int) int64
		wantFiles int
	}{
		{"near 2^32 ticks, one file", func(i int) int64 { return 1<<32 - int64(n/2*frame) + int64(i*frame) }, 1},
		{"across 2^33 ticks (MPEG-TS's wrap point, unwrapped), one file", func(i int) int64 { return 1<<33 - int64(n/2*frame) + int64(i*frame) }, 1},
		{"400 days in, one file", func(i int) int64 { return 400*day + int64(i*frame) }, 1},
		{"a clock reset halfway starts a second file", func(i int) int64 {
			if i < n/2 {
				return 10*90000 + int64(i*frame)
			}
			return int64((i - n/2) * frame)
		}, 2},
		{"a leap of a day halfway starts a second file", func(i int) int64 {
			if i < n/2 {
				return int64(i * frame)
			}
			return day + int64(i*frame)
		}, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			files := recordSynthetic(t, RecordOptions{Segment: time.Hour}, tc.ts, 0)
			if len(files) != tc.wantFiles {
				t.Fatalf("%d files %v, want %d", len(files), files, tc.wantFiles)
			}
			var total float64
			for _, f := range files {
				_, _, _, dur := playtest.Probe(t, f)
				total += dur
				_, dts := packetTimes(t, f)
				if dts[0] != 0 {
					t.Errorf("%s starts at dts %d, want 0", f, dts[0])
				}
				for i := 1; i < len(dts); i++ {
					if dts[i] <= dts[i-1] {
						t.Fatalf("%s: dts %d after %d", f, dts[i], dts[i-1])
					}
				}
				playtest.DecodesCleanly(t, f)
			}
			// Every frame is in a file, each file as long as its frames.
			if want := float64(n) / 30; total < want-0.1 || total > want+0.1 {
				t.Errorf("%.2f s recorded in all, want %.2f", total, want)
			}
		})
	}
}

// A camera clock that stands still cannot grow one file for ever: files
// also end on the wall clock's Segment.
func TestRecordingRotatesOnTheWallClockWhenTheCameraClockStands(t *testing.T) {
	playtest.NeedFFprobe(t)
	files := recordSynthetic(t, RecordOptions{Segment: 300 * time.Millisecond}, func(int) int64 { return 42 * 90000 }, 10*time.Millisecond)
	if len(files) < 2 {
		t.Errorf("%d file(s) for a camera clock that stood still for %d frames, 10 ms apart, with 300 ms segments", len(files), assets.DemoClip.Frames)
	}
}
