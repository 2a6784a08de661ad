package player

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
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

func TestRecordingSurvivesSIGKILL(t *testing.T) {
	playtest.NeedFFprobe(t)
	srv := playtest.StartDemo(t, 1)
	dir := t.TempDir()
	child := playtest.Start(t, playtest.Rerun("TestRecordingChild", "CAMWALL_RECORD_URL="+srv.URL(1), "CAMWALL_RECORD_DIR="+dir))

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
	if codec != "h264" || w != 640 || h != 360 {
		t.Errorf("ffprobe: %s %dx%d, want h264 640x360", codec, w, h)
	}
	// The last fragment (a second at most) may be lost, and a keyframe
	// may have been up to a second away when the file was created.
	if dur < recorded-1.5 || dur > recorded+1 {
		t.Errorf("duration %.2fs after %.2fs of recording", dur, recorded)
	}
	playtest.DecodesCleanly(t, file)
}
