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

// recordingName matches the files CreateRecording names, and nothing else:
// pruning must never delete a file camwall did not write.
var recordingName = regexp.MustCompile(`^(.*)_(\d{8}T\d{6}\.\d{3}Z)(?:_(\d+))?\.(?:mp4|mkv)$`)

type recordingFile struct {
	path  string
	start time.Time // when it started, as far as can be told (fileStart)
	known bool      // whether start is a time the file can have started at
	n     int       // the _n of a name that was taken
	size  int64
}

// earliestFootage is before any recording camwall made: a clock that says
// earlier was not set (a machine without a clock of its own starts at 1970).
var earliestFootage = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// fileStart is when a recording started, as far as can be told. The time in
// its name is taken unless it cannot be right (before 2000, or after now:
// the clock was wrong when the file was named) or the file's modification
// time disagrees with it: more than a day before it, or more than a day
// after the longest segment would have ended (the clock was changed while
// recording, or the file was copied). Then the modification time is taken.
// When that cannot be right either, the age is unknown (known is false):
// the file is not deleted for its age, only for the size limit, in the
// order of its times.
func fileStart(named, modified, now time.Time) (start time.Time, known bool) {
	plausible := func(t time.Time) bool { return !t.Before(earliestFootage) && !t.After(now) }
	const day = 24 * time.Hour
	agree := !modified.Before(named.Add(-day)) && !modified.After(named.Add(maxSegment+day))
	if plausible(named) && agree {
		return named, true
	}
	return modified, plausible(modified)
}

// PruneRecordings deletes the oldest of camera's recordings in dir that are
// older than r.MaxAge, then as many more as it takes to bring their total
// size under r.MaxBytes. Their ages come from their names, checked against
// their modification times (fileStart): a clock that was wrong when they
// were recorded must not get them deleted. The newest file is never
// deleted: it may be the one being written. It returns the files deleted.
func PruneRecordings(dir, camera string, r Retention, now time.Time) ([]string, error) {
	if r.MaxAge <= 0 && r.MaxBytes <= 0 {
		return nil, nil
	}
	deleted, _, err := pruneFolder(dir, SanitizeName(camera), r, now, false)
	return deleted, err
}

// pruneFolder applies r to the recordings camwall named for the camera
// whose folder is dir/name (name sanitised). The newest file is kept, as it
// may be the one being written, unless lastToo is set: then it is deleted
// too when it is too old both by its start and by its modification time (a
// file being written was modified a moment ago); never for the size limit.
// found counts the recordings that were there.
func pruneFolder(dir, name string, r Retention, now time.Time, lastToo bool) (deleted []string, found int, err error) {
	folder := filepath.Join(dir, name)
	entries, err := os.ReadDir(folder)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, nil
	}
	if err != nil {
		return nil, 0, fmt.Errorf("list the recordings of %s: %w", name, err)
	}
	var files []recordingFile
	var total int64
	var newestModified time.Time
	for _, e := range entries {
		m := recordingName.FindStringSubmatch(e.Name())
		if m == nil || m[1] != name || !e.Type().IsRegular() {
			continue
		}
		named, err := time.Parse(timestampLayout, m[2])
		if err != nil {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // deleted meanwhile
		}
		start, known := fileStart(named, info.ModTime(), now)
		n, _ := strconv.Atoi(m[3])
		files = append(files, recordingFile{filepath.Join(folder, e.Name()), start, known, n, info.Size()})
		total += info.Size()
		if info.ModTime().After(newestModified) {
			newestModified = info.ModTime()
		}
	}
	slices.SortFunc(files, func(a, b recordingFile) int {
		return cmp.Or(a.start.Compare(b.start), cmp.Compare(a.n, b.n))
	})
	var errs []error
	for i, f := range files {
		// Every file is looked at: one of unknown age among them is not too
		// old, yet older ones may follow.
		tooOld := r.MaxAge > 0 && f.known && now.Sub(f.start) > r.MaxAge
		tooBig := r.MaxBytes > 0 && total > r.MaxBytes
		if i == len(files)-1 {
			// The newest: the one being written, if any is. None of the
			// recordings may have been modified within r.MaxAge (or in the
			// future), whichever that was.
			idle := !newestModified.After(now) && now.Sub(newestModified) > r.MaxAge
			if !lastToo || !tooOld || !idle {
				break
			}
			tooBig = false
		}
		if !tooOld && !tooBig {
			continue
		}
		if err := os.Remove(f.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, fmt.Errorf("delete an old recording: %w", err))
			continue
		}
		total -= f.size
		deleted = append(deleted, f.path)
	}
	return deleted, len(files), errors.Join(errs...)
}

// PruneUnconfigured applies r to the folders under dir that belong to no
// camera in configured (names as in the configuration, sanitised here as
// for their folders): the recordings of cameras that were renamed or
// removed. Only files whose names are those camwall gives its recordings
// in that folder (recordingName) are deleted, with the same clock guards
// as PruneRecordings; the newest is deleted only for its age, and only when
// none of the folder's recordings was modified within r.MaxAge (it could be
// a recording under way, from "camwall record --url"). A folder is removed
// only when it held camwall's recordings and is empty once they are
// deleted; other files and folders, and symbolic links, are left alone.
// It returns what it deleted, folders included.
func PruneUnconfigured(dir string, configured []string, r Retention, now time.Time) ([]string, error) {
	if r.MaxAge <= 0 && r.MaxBytes <= 0 {
		return nil, nil
	}
	keep := make(map[string]bool, len(configured))
	for _, c := range configured {
		keep[SanitizeName(c)] = true
	}
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("list the recording folder: %w", err)
	}
	var deleted []string
	var errs []error
	for _, e := range entries {
		name := e.Name()
		// A name SanitizeName does not give back unchanged is no folder
		// camwall made (hidden folders among them).
		if !e.IsDir() || keep[name] || SanitizeName(name) != name {
			continue
		}
		gone, found, err := pruneFolder(dir, name, r, now, true)
		deleted = append(deleted, gone...)
		if err != nil {
			errs = append(errs, err)
		}
		if found == 0 || len(gone) < found {
			continue
		}
		// Removing a folder that is not empty fails: it is left as it is.
		folder := filepath.Join(dir, name)
		if err := os.Remove(folder); err == nil {
			deleted = append(deleted, folder)
		}
	}
	return deleted, errors.Join(errs...)
}
