package storage

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// DefaultSegment is how long a recording file lasts before the next begins.
const DefaultSegment = 5 * time.Minute

// RecordingPath is where a recording of camera started at t goes:
// dir/{camera}/{camera}_{timestamp}.mp4, with the camera's name sanitised.
// A name already taken gets _2, _3, … so that no file is overwritten.
func RecordingPath(dir, camera string, t time.Time) string {
	return RecordingPathFor(dir, camera, t, RecordH264)
}

// RecordingPathFor is RecordingPath with the extension of codec's container
// (.mkv for MJPEG).
func RecordingPathFor(dir, camera string, t time.Time, codec RecordCodec) string {
	name := SanitizeName(camera)
	base := filepath.Join(dir, name, name+"_"+Timestamp(t)+codec.Ext())
	p := base
	for n := 2; ; n++ {
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) || n > 1000 {
			return p
		}
		p = numbered(base, n)
	}
}

// DefaultRecordDir is the folder recordings go to without configuration:
// camwall in the user's Videos folder: on Linux the one xdg-user-dir names,
// as DefaultSnapshotDir does for Pictures.
func DefaultRecordDir() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the Videos folder: %w", err)
	}
	videos := filepath.Join(home, "Videos")
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		if dir := xdgUserDir(home, "VIDEOS"); dir != "" {
			videos = dir
		}
	}
	return filepath.Join(videos, "camwall"), nil
}

// xdgUserDir asks xdg-user-dir for one of the user's folders; "" when it is
// not installed or the folder is not configured (it then answers the home
// folder itself, where recordings do not belong).
func xdgUserDir(home, which string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "xdg-user-dir", which).Output()
	if err != nil {
		return ""
	}
	dir := strings.TrimSpace(string(out))
	if !filepath.IsAbs(dir) || filepath.Clean(dir) == filepath.Clean(home) {
		return ""
	}
	return dir
}
