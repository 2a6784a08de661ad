package player

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/camwall/camwall/storage"
)

// probe asks ffprobe, an independent judge, what a file holds.
func probe(t *testing.T, path string) (codec string, w, h int, dur float64) {
	t.Helper()
	out, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "stream=codec_name,width,height",
		"-show_entries", "format=duration", "-of", "default=noprint_wrappers=1", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ffprobe %s: %v\n%s", path, err, out)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		k, v, _ := strings.Cut(line, "=")
		switch k {
		case "codec_name":
			codec = v
		case "width":
			w, _ = strconv.Atoi(v)
		case "height":
			h, _ = strconv.Atoi(v)
		case "duration":
			dur, _ = strconv.ParseFloat(v, 64)
		}
	}
	return codec, w, h, dur
}

// decodesCleanly has ffmpeg decode the whole file and report any error.
func decodesCleanly(t *testing.T, path string) {
	t.Helper()
	out, err := exec.Command("ffmpeg", "-v", "error", "-i", path, "-f", "null", "-").CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("ffmpeg decoding %s: %v\n%s", path, err, out)
	}
}

func needFFprobe(t *testing.T) {
	if _, err := exec.LookPath("ffprobe"); err != nil {
		t.Skip("ffprobe not installed")
	}
	if _, err := exec.LookPath("ffmpeg"); err != nil {
		t.Skip("ffmpeg not installed")
	}
}

// recordFor waits for a started recording's first file, lets it record for
// d, stops it, and returns its files and how many seconds it recorded.
func recordFor(t *testing.T, s *Session, d time.Duration) ([]string, float64) {
	t.Helper()
	waitFor(t, 3*time.Second, "no recording file", func() bool { return s.Status().RecordFile != "" })
	started := time.Now()
	time.Sleep(d)
	files := s.StopRecording()
	return files, time.Since(started).Seconds()
}

func TestRecordingCopiesTheStreamIntoPlayableMP4(t *testing.T) {
	needFFprobe(t)
	srv := startDemo(t, 1)
	s := New(Config{Name: "Front door", URL: srv.URL(1)})
	s.Start()
	defer s.Close()
	waitState(t, s, 5*time.Second, StateLive)

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
	codec, w, h, dur := probe(t, files[0])
	if codec != "h264" || w != 640 || h != 360 {
		t.Errorf("ffprobe: %s %dx%d, want h264 640x360", codec, w, h)
	}
	if dur < recorded-1 || dur > recorded+1 {
		t.Errorf("duration %.2fs, recorded for %.2fs", dur, recorded)
	}
	decodesCleanly(t, files[0])
	if st := s.Status(); st.Recording || st.State != StateLive {
		t.Errorf("after StopRecording: %s, recording %v", st.State, st.Recording)
	}
}

func TestRecordingStartsANewFileEverySegment(t *testing.T) {
	needFFprobe(t)
	srv := startDemo(t, 1)
	s := New(Config{Name: "cam", URL: srv.URL(1)})
	s.Start()
	defer s.Close()
	if err := s.StartRecording(RecordOptions{Dir: t.TempDir(), Segment: time.Second}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 5*time.Second, "no recording file", func() bool { return s.Status().RecordFile != "" })
	time.Sleep(3500 * time.Millisecond)
	files := s.StopRecording()
	if len(files) < 2 {
		t.Fatalf("files = %v, want several", files)
	}
	for _, f := range files {
		if codec, _, _, dur := probe(t, f); codec != "h264" || dur <= 0 || dur > 3 {
			t.Errorf("%s: %s, %.2fs", filepath.Base(f), codec, dur)
		}
	}
}

func TestRecordingErrorShowsInStatusAndResumesWhenTheFolderIsWritable(t *testing.T) {
	srv := startDemo(t, 1)
	s := New(Config{Name: "cam", URL: srv.URL(1)})
	s.Start()
	defer s.Close()
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
	waitFor(t, 5*time.Second, "no recording error", func() bool { return s.Status().RecordError != "" })
	st := s.Status()
	if !st.Recording || st.RecordFile != "" || st.State != StateLive {
		t.Errorf("while failing: recording %v, file %q, state %s", st.Recording, st.RecordFile, st.State)
	}
	published := s.Frames().Published()
	if err := os.Remove(dir); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 8*time.Second, "recording did not resume", func() bool {
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
	waitFor(t, 8*time.Second, "no new file after the folder was removed", func() bool {
		st := s.Status()
		return st.RecordFile != "" && st.RecordFile != first
	})
	if _, err := os.Stat(s.Status().RecordFile); err != nil {
		t.Error(err)
	}
	s.StopRecording()
}

func TestRecordingDeletesOldFilesBeyondTheRetention(t *testing.T) {
	srv := startDemo(t, 1)
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
	waitFor(t, 5*time.Second, "no recording file", func() bool { return s.Status().RecordFile != "" })
	time.Sleep(2500 * time.Millisecond)
	files := s.StopRecording()
	left, _ := filepath.Glob(filepath.Join(dir, "cam", "*"))
	if len(files) < 2 || len(left) != 2 || !slices.Contains(left, keep) || !slices.Contains(left, files[len(files)-1]) {
		t.Errorf("wrote %d files; left %v, want mine.mp4 and the newest", len(files), left)
	}
}
