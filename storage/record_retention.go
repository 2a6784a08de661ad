package storage

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"time"
)

// Retention limits what a camera's recordings may take; zero means no limit.
type Retention struct {
	MaxAge   time.Duration // files that started longer ago are deleted
	MaxBytes int64         // the oldest files are deleted until the rest fit
}

// recordingName matches the files RecordingPath names, and nothing else:
// pruning must never delete a file camwall did not write.
var recordingName = regexp.MustCompile(`^(.*)_(\d{8}T\d{6}\.\d{3}Z)(?:_(\d+))?\.(?:mp4|mkv)$`)

type recordingFile struct {
	path  string
	start time.Time
	n     int // the _n of a name that was taken
	size  int64
}

// PruneRecordings deletes the oldest of camera's recordings in dir that are
// older than r.MaxAge, then as many more as it takes to bring their total
// size under r.MaxBytes. The newest file is never deleted: it may be the one
// being written. It returns the files deleted.
func PruneRecordings(dir, camera string, r Retention, now time.Time) ([]string, error) {
	if r.MaxAge <= 0 && r.MaxBytes <= 0 {
		return nil, nil
	}
	name := SanitizeName(camera)
	folder := filepath.Join(dir, name)
	entries, err := os.ReadDir(folder)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list the recordings of %s: %w", name, err)
	}
	var files []recordingFile
	var total int64
	for _, e := range entries {
		m := recordingName.FindStringSubmatch(e.Name())
		if m == nil || m[1] != name || !e.Type().IsRegular() {
			continue
		}
		start, err := time.Parse(timestampLayout, m[2])
		if err != nil {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // deleted meanwhile
		}
		n, _ := strconv.Atoi(m[3])
		files = append(files, recordingFile{filepath.Join(folder, e.Name()), start, n, info.Size()})
		total += info.Size()
	}
	slices.SortFunc(files, func(a, b recordingFile) int {
		return cmp.Or(a.start.Compare(b.start), cmp.Compare(a.n, b.n))
	})
	var deleted []string
	var errs []error
	for _, f := range files[:max(len(files)-1, 0)] {
		tooOld := r.MaxAge > 0 && now.Sub(f.start) > r.MaxAge
		tooBig := r.MaxBytes > 0 && total > r.MaxBytes
		if !tooOld && !tooBig {
			break // sorted oldest first: the rest are newer and fit
		}
		if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("delete an old recording: %w", err))
			continue
		}
		total -= f.size
		deleted = append(deleted, f.path)
	}
	return deleted, errors.Join(errs...)
}
