package storage

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestPruneRecordingsDeletesOldestFirstAndOnlyCamwallsFiles(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	// name → size; ages are in the names.
	files := map[string]int{
		"cam_20261120T120000.000Z.mp4":   100, // 2 days old
		"cam_20261121T120000.000Z.mp4":   100, // 1 day
		"cam_20261121T120000.000Z_2.mp4": 100, // 1 day, the second of that millisecond
		"cam_20261122T110000.000Z.mp4":   100, // 1 hour
		"cam_20261122T115900.000Z.mp4":   100, // newest: maybe being written
		"holiday.mp4":                    1000,
		"cam_20261101T000000.000Z.avi":   1000,
		"other_20261101T000000.000Z.mp4": 1000,
	}
	tests := []struct {
		name    string
		r       Retention
		deleted []string
	}{
		{"no limits", Retention{}, nil},
		{"by age", Retention{MaxAge: 36 * time.Hour}, []string{"cam_20261120T120000.000Z.mp4"}},
		{"by size", Retention{MaxBytes: 250}, []string{"cam_20261120T120000.000Z.mp4",
			"cam_20261121T120000.000Z.mp4", "cam_20261121T120000.000Z_2.mp4"}},
		{"never the newest", Retention{MaxAge: time.Second}, []string{"cam_20261120T120000.000Z.mp4",
			"cam_20261121T120000.000Z.mp4", "cam_20261121T120000.000Z_2.mp4", "cam_20261122T110000.000Z.mp4"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, folder, _ := recordingFolder(t)
			for n, size := range files {
				writeRecording(t, filepath.Join(folder, n), size)
			}
			got, err := PruneRecordings(dir, "cam", tc.r, now)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, p := range got {
				names = append(names, filepath.Base(p))
			}
			if !slices.Equal(names, tc.deleted) {
				t.Errorf("deleted %v, want %v", names, tc.deleted)
			}
			for n := range files {
				_, err := os.Stat(filepath.Join(folder, n))
				if gone := slices.Contains(tc.deleted, n); gone != (err != nil) {
					t.Errorf("%s: deleted %v, stat %v", n, gone, err)
				}
			}
		})
	}
}

// writeRecording makes a file of size bytes at path, modified when its
// name says it started, as a recording written under a right clock is
// (give or take its length).
func writeRecording(t *testing.T, path string, size int) {
	t.Helper()
	if err := os.WriteFile(path, make([]byte, size), 0o600); err != nil {
		t.Fatal(err)
	}
	if m := recordingName.FindStringSubmatch(filepath.Base(path)); m != nil {
		at, err := time.Parse(timestampLayout, m[2])
		if err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(path, at, at); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRetentionUsesTheFilesOwnTimeWhenTheClockWasWrong(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	const day = 24 * time.Hour
	tests := []struct {
		name     string
		file     string    // the file's name, which says when it started
		modified time.Time // its modification time
		r        Retention
		deleted  bool
	}{
		{"named and written 3 days ago, by its name", "cam_20261119T120000.000Z.mp4", now.Add(-3*day + 5*time.Minute),
			Retention{MaxAge: 2 * day}, true},
		{"named 1970 before the clock was set, written a day ago, kept", "cam_19700101T000010.000Z.mp4", now.Add(-day),
			Retention{MaxAge: 2 * day}, false},
		{"named 1970, written 3 days ago, by its time", "cam_19700101T000010.000Z.mp4", now.Add(-3 * day),
			Retention{MaxAge: 2 * day}, true},
		{"named and written 1970: of unknown age, kept", "cam_19700101T000010.000Z.mp4", time.Unix(20, 0),
			Retention{MaxAge: time.Second}, false},
		{"of unknown age, still deleted for the size limit", "cam_19700101T000010.000Z.mp4", time.Unix(20, 0),
			Retention{MaxBytes: 150}, true},
		{"named in the future by a clock ahead, written 3 days ago", "cam_20301122T120000.000Z.mp4", now.Add(-3 * day),
			Retention{MaxAge: 2 * day}, true},
		{"named and written in the future: of unknown age, kept", "cam_20301122T120000.000Z.mp4", time.Date(2030, 11, 22, 12, 5, 0, 0, time.UTC),
			Retention{MaxAge: time.Second}, false},
		{"named by a clock 10 days ahead, set right while recording, by its time", "cam_20261120T120000.000Z.mp4", now.Add(-12 * day),
			Retention{MaxAge: 7 * day}, true},
		{"named a year ago but written today (copied), kept", "cam_20251122T120000.000Z.mp4", now.Add(-time.Hour),
			Retention{MaxAge: 30 * day}, false},
		{"written to for the longest segment and an hour, by its name", "cam_20261119T120000.000Z.mp4", now.Add(-3*day + maxSegment + time.Hour),
			Retention{MaxAge: 2 * day}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, folder, _ := recordingFolder(t)
			path := filepath.Join(folder, tc.file)
			writeRecording(t, path, 100)
			if err := os.Chtimes(path, tc.modified, tc.modified); err != nil {
				t.Fatal(err)
			}
			// The newest file, never deleted, named and written now.
			writeRecording(t, filepath.Join(folder, "cam_"+Timestamp(now)+".mp4"), 100)
			got, err := PruneRecordings(dir, "cam", tc.r, now)
			if err != nil {
				t.Fatal(err)
			}
			if want := []string(nil); tc.deleted {
				want = []string{path}
				if !slices.Equal(got, want) {
					t.Errorf("deleted %v, want %v", got, want)
				}
			} else if len(got) != 0 {
				t.Errorf("deleted %v, want none", got)
			}
		})
	}
}

func TestAFileOfUnknownAgeDoesNotShieldOlderOnes(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	dir, folder, _ := recordingFolder(t)
	unknown := filepath.Join(folder, "cam_19700101T000010.000Z.mp4")
	writeRecording(t, unknown, 100) // named and modified in 1970
	old := filepath.Join(folder, "cam_20261001T120000.000Z.mp4")
	writeRecording(t, old, 100)
	writeRecording(t, filepath.Join(folder, "cam_"+Timestamp(now)+".mp4"), 100)
	got, err := PruneRecordings(dir, "cam", Retention{MaxAge: 30 * 24 * time.Hour}, now)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{old}) {
		t.Errorf("deleted %v, want only %s", got, old)
	}
}
