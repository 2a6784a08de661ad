package review_test

import (
	"bytes"
	"fmt"
	"os/exec"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/review"
)

// The frame FrameAt decodes at a time is the one ffmpeg decodes at that
// frame's time (-ss … -frames:v 1): both come from libavcodec, so the
// luma planes are byte for byte the same.
func TestReviewFrameAtMatchesFFmpegAtTheSameTime(t *testing.T) {
	path := playtest.FFmpegFile(t, "bframes.mp4", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=15:d=6",
		"-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "15", "-pix_fmt", "yuv420p")
	for _, at := range []time.Duration{0, 1500 * time.Millisecond, 2 * time.Second, 3100 * time.Millisecond, 5800 * time.Millisecond} {
		t.Run(at.String(), func(t *testing.T) {
			pic, err := review.FrameAt(path, at, playtest.Logger(t, 0))
			if err != nil {
				t.Fatal(err)
			}
			defer pic.Free()
			got, err := pic.YCbCr()
			if err != nil {
				t.Fatal(err)
			}
			// The frame on screen at the time: shown at or before it, and
			// less than a frame period (15 fps) earlier.
			shown := time.Duration(pic.PTS()) * time.Second / 90000
			if shown > at || at-shown >= time.Second/15 {
				t.Errorf("frame shown at %s, want the one on screen at %s", shown, at)
			}
			// ffmpeg's own luma plane of that frame (its -ss picks the
			// first frame at or after the time, so it is given the frame's).
			out, err := exec.Command(playtest.FFmpeg(t), "-v", "error", "-nostdin", "-ss", fmt.Sprintf("%.6f", shown.Seconds()), "-i", path,
				"-frames:v", "1", "-f", "rawvideo", "-pix_fmt", "gray", "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			if len(out) != len(got.Y) {
				t.Fatalf("ffmpeg gave %d bytes of luma, FrameAt %d", len(out), len(got.Y))
			}
			if !bytes.Equal(got.Y, out) {
				t.Errorf("frame at %s differs from ffmpeg's", at)
			}
		})
	}
}
