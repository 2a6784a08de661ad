package player

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
)

// TestRecordingChild is not a test by itself: TestRecordingSurvivesSIGKILL
// runs the test binary again with it, as a process that records until it is
// killed.
func TestRecordingChild(t *testing.T) {
	url, dir := os.Getenv("CAMWALL_RECORD_URL"), os.Getenv("CAMWALL_RECORD_DIR")
	if url == "" || dir == "" {
		t.Skip("only run by TestRecordingSurvivesSIGKILL")
	}
	s := New(Config{Name: "killed", URL: url})
	s.Start()
	if err := s.StartRecording(RecordOptions{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Minute) // killed long before
}

// A recorder killed with SIGKILL leaves a file that plays, missing at most
// its last fragment, with its audio as well as its video.
func TestRecordingSurvivesSIGKILL(t *testing.T) {
	playtest.NeedFFprobe(t)
	tests := []struct {
		name   string
		camera func(t *testing.T) string // the URL to record
		w, h   int
		audio  string
	}{
		{"video only", func(t *testing.T) string { return playtest.StartDemo(t, 1).URL(1) }, 640, 360, ""},
		{"video with AAC audio", func(t *testing.T) string {
			srv := playtest.StartServer(t, &rtspserver.Server{})
			runFFmpeg(t, "-re", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=15", "-re", "-f", "lavfi", "-i", "sine=sample_rate=48000",
				"-c:v", "libx264", "-preset", "ultrafast", "-bf", "0", "-g", "15", "-pix_fmt", "yuv420p", "-c:a", "aac",
				"-f", "rtsp", "-rtsp_transport", "tcp", srv.URL("cam"))
			if err := srv.WaitPublisher("cam", 15*time.Second); err != nil {
				t.Fatal(err)
			}
			return srv.URL("cam")
		}, 320, 240, "aac"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			child := playtest.Start(t, playtest.Rerun("TestRecordingChild", "CAMWALL_RECORD_URL="+tc.camera(t), "CAMWALL_RECORD_DIR="+dir))

			var file string
			playtest.WaitFor(t, 10*time.Second, "the child wrote no file", func() bool {
				m, _ := filepath.Glob(filepath.Join(dir, "killed", "killed_*.mp4"))
				if len(m) == 1 {
					file = m[0]
				}
				return file != ""
			})
			started := time.Now()
			time.Sleep(3 * time.Second)
			recorded := time.Since(started).Seconds()
			if err := child.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			<-child.Done()

			codec, w, h, dur := playtest.Probe(t, file)
			t.Logf("killed after %.2fs of recording; the file holds %.2fs", recorded, dur)
			if codec != "h264" || w != tc.w || h != tc.h {
				t.Errorf("ffprobe: %s %dx%d, want h264 %dx%d", codec, w, h, tc.w, tc.h)
			}
			// The last fragment (a second at most) may be lost, and a keyframe
			// may have been up to a second away when the file was created.
			if dur < recorded-1.5 || dur > recorded+1 {
				t.Errorf("duration %.2fs after %.2fs of recording", dur, recorded)
			}
			if a := streamStarts(t, file)["audio"]; a.codec != tc.audio {
				t.Errorf("audio %q, want %q", a.codec, tc.audio)
			}
			playtest.DecodesCleanly(t, file)
		})
	}
}
