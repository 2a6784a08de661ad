package player

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/storage"
)

// recordFor waits for a started recording's first file, lets it record for
// d, stops it, and returns its files and how many seconds it recorded.
func recordFor(t *testing.T, s *Session, d time.Duration) ([]string, float64) {
	t.Helper()
	playtest.WaitFor(t, 20*time.Second, "no recording file", func() bool { return s.Status().RecordFile != "" })
	started := time.Now()
	time.Sleep(d)
	files := s.StopRecording()
	return files, time.Since(started).Seconds()
}

func TestRecordingCopiesTheStreamIntoPlayableMP4(t *testing.T) {
	playtest.NeedFFprobe(t)
	srv := playtest.StartDemo(t, 1)
	s := New(Config{Name: "Front door", URL: srv.URL(1)})
	s.Start()
	defer s.Close()
	waitState(t, s, 20*time.Second, StateLive)

	dir := t.TempDir()
	if err := s.StartRecording(RecordOptions{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	if err := s.StartRecording(RecordOptions{Dir: dir}); err == nil {
		t.Error("a second StartRecording succeeded")
	}
	files, recorded := recordFor(t, s, 3*time.Second)
	if len(files) != 1 {
		t.Fatalf("files = %v, want one", files)
	}
	if want := filepath.Join(dir, "Front door", "Front door_"); !strings.HasPrefix(files[0], want) || filepath.Ext(files[0]) != ".mp4" {
		t.Errorf("file %s, want %s….mp4", files[0], want)
	}
	codec, w, h, dur := playtest.Probe(t, files[0])
	if codec != "h264" || w != 640 || h != 360 {
		t.Errorf("ffprobe: %s %dx%d, want h264 640x360", codec, w, h)
	}
	if dur < recorded-1 || dur > recorded+1 {
		t.Errorf("duration %.2fs, recorded for %.2fs", dur, recorded)
	}
	playtest.DecodesCleanly(t, files[0])
	if st := s.Status(); st.Recording || st.State != StateLive {
		t.Errorf("after StopRecording: %s, recording %v", st.State, st.Recording)
	}
}

func TestRecordingStartsANewFileEverySegment(t *testing.T) {
	playtest.NeedFFprobe(t)
	srv := playtest.StartDemo(t, 1)
	s := New(Config{Name: "cam", URL: srv.URL(1)})
	s.Start()
	defer s.Close()
	if err := s.StartRecording(RecordOptions{Dir: t.TempDir(), Segment: time.Second}); err != nil {
		t.Fatal(err)
	}
	playtest.WaitFor(t, 20*time.Second, "no recording file", func() bool { return s.Status().RecordFile != "" })
	time.Sleep(3500 * time.Millisecond)
	files := s.StopRecording()
	if len(files) < 2 {
		t.Fatalf("files = %v, want several", files)
	}
	for _, f := range files {
		if codec, _, _, dur := playtest.Probe(t, f); codec != "h264" || dur <= 0 || dur > 3 {
			t.Errorf("%s: %s, %.2fs", filepath.Base(f), codec, dur)
		}
	}
}

func TestRecordingErrorShowsInStatusAndResumesWhenTheFolderIsWritable(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	s := New(Config{Name: "cam", URL: srv.URL(1)})
	s.Start()
	defer s.Close()
	// Live first: the recording sees the first keyframe before the tile
	// has decoded it, and a loaded machine can show the error before then.
	waitState(t, s, 20*time.Second, StateLive)
	root := t.TempDir()
	dir := filepath.Join(root, "videos")
	// A file where the folder should be: nothing can be created in it,
	// even by root.
	if err := os.WriteFile(dir, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.StartRecording(RecordOptions{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	playtest.WaitFor(t, 20*time.Second, "no recording error", func() bool { return s.Status().RecordError != "" })
	st := s.Status()
	if !st.Recording || st.RecordFile != "" || st.State != StateLive {
		t.Errorf("while failing: recording %v, file %q, state %s", st.Recording, st.RecordFile, st.State)
	}
	published := s.Frames().Published()
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	playtest.WaitFor(t, 20*time.Second, "recording did not resume", func() bool {
		st := s.Status()
		return st.RecordFile != "" && st.RecordError == ""
	})
	if s.Frames().Published() == published && s.Status().DecodedFPS == 0 {
		t.Error("viewing stopped while recording failed")
	}

	// The folder removed under a running recording: a new file follows.
	first := s.Status().RecordFile
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	playtest.WaitFor(t, 20*time.Second, "no new file after the folder was removed", func() bool {
		st := s.Status()
		return st.RecordFile != "" && st.RecordFile != first
	})
	if _, err := os.Stat(s.Status().RecordFile); err != nil {
		t.Error(err)
	}
	s.StopRecording()
}

func TestRecordingDeletesOldFilesBeyondTheRetention(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	s := New(Config{Name: "cam", URL: srv.URL(1)})
	s.Start()
	defer s.Close()
	dir := t.TempDir()
	// Not camwall's: must survive.
	keep := filepath.Join(dir, "cam", "mine.mp4")
	if err := os.MkdirAll(filepath.Dir(keep), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keep, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := s.StartRecording(RecordOptions{Dir: dir, Segment: time.Second, Retention: storage.Retention{MaxBytes: 1}}); err != nil {
		t.Fatal(err)
	}
	playtest.WaitFor(t, 20*time.Second, "no recording file", func() bool { return s.Status().RecordFile != "" })
	time.Sleep(2500 * time.Millisecond)
	files := s.StopRecording()
	left, _ := filepath.Glob(filepath.Join(dir, "cam", "*"))
	if len(files) < 2 || len(left) != 2 || !slices.Contains(left, keep) || !slices.Contains(left, files[len(files)-1]) {
		t.Errorf("wrote %d files; left %v, want mine.mp4 and the newest", len(files), left)
	}
}
