package storage

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// DefaultSegment is how long a recording file lasts before the next begins.
const DefaultSegment = 5 * time.Minute

// recordingBase is the name a recording gets when it is not taken.
func recordingBase(dir, camera string, t time.Time, ext string) string {
	name := SanitizeName(camera)
	return filepath.Join(dir, name, name+"_"+Timestamp(t)+ext)
}

// maxTakenNames bounds the _2, _3, … tried for one recording's name. Two
// cameras never share a folder (Config.Validate), so even this many files
// started in one millisecond means something is wrong: an error says so
// rather than a file being replaced.
const maxTakenNames = 10000

// createExclusive creates the file at path, failing with fs.ErrExist when
// anything is there already: a file, a folder or a symbolic link, which is
// never followed.
func createExclusive(path string, perm fs.FileMode) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|noFollow, perm)
}

// DefaultRecordDir is the folder recordings go to without configuration:
// camwall in the user's Videos folder, found as DefaultSnapshotDir finds
// Pictures.
func DefaultRecordDir() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the Videos folder: %w", err)
	}
	videos := filepath.Join(home, "Videos")
	if dir := userFolder(home, folderVideos); dir != "" {
		videos = dir
	}
	return filepath.Join(videos, "camwall"), nil
}

// footageModes are the modes of new recordings and snapshots and of the
// folders made for them: private to the user, as the configuration is,
// unless the group may read them (group_readable). The umask can take bits
// away, never add them. A folder that exists keeps its mode: it may be set
// up as the user wants it, and camwall changes no mode it did not set.
func footageModes(groupReadable bool) (file, dir fs.FileMode) {
	if groupReadable {
		return 0o640, 0o750
	}
	return 0o600, 0o700
}
