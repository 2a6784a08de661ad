//go:build unix

package player

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
)

func TestRecordingFilesArePrivateUnlessGroupReadable(t *testing.T) {
	// A known umask for exact modes. It is the process's: this test is not
	// parallel, and parallel tests wait until the others have run.
	old := syscall.Umask(0o022)
	t.Cleanup(func() { syscall.Umask(old) })
	srv := playtest.StartDemo(t, 1)
	tests := []struct {
		name          string
		groupReadable bool
		file, dir     fs.FileMode
	}{
		{"private", false, 0o600, 0o700},
		{"group-readable", true, 0o640, 0o750},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Config{Name: "cam", URL: srv.URL(1)})
			s.Start()
			defer s.Close()
			dir := filepath.Join(t.TempDir(), "videos")
			// A few frames of footage: the recording then ends by itself.
			if err := s.StartRecording(RecordOptions{Dir: dir, GroupReadable: tc.groupReadable, Footage: 100 * time.Millisecond}); err != nil {
				t.Fatal(err)
			}
			<-s.RecordingEnded()
			files := s.StopRecording()
			if len(files) != 1 {
				t.Fatalf("files %v, want one", files)
			}
			for path, want := range map[string]fs.FileMode{files[0]: tc.file, filepath.Dir(files[0]): tc.dir, dir: tc.dir} {
				fi, err := os.Stat(path)
				if err != nil {
					t.Fatal(err)
				}
				if got := fi.Mode().Perm(); got != want {
					t.Errorf("mode of %s = %v, want %v", path, got, want)
				}
			}
		})
	}
}
