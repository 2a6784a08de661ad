package storage

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestStaleTempFilesAreRemovedAndNothingElse(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	old := now.Add(-2 * staleTempAge)
	tests := []struct {
		name string
		make func(t *testing.T, path string)
		kept bool
	}{
		{".a.jpg.tmp-0123456789ab", aged(old), false},
		{".config.yaml.tmp-ba9876543210", aged(old), false},
		{".b.jpg.tmp-0123456789ac", aged(now.Add(-time.Second)), true}, // being written
		{".c.jpg.tmp-0123456789ad", aged(now.Add(time.Hour)), true},    // from a clock ahead
		{".d.jpg.tmp-0123", aged(old), true},                           // not camwall's
		{"e.jpg.tmp-0123456789ae", aged(old), true},                    // not hidden
		{".notes", aged(old), true},
		{"cam_20261122T110000.000Z.jpg", aged(old), true},
		{".f.jpg.tmp-0123456789af", func(t *testing.T, path string) { // a folder
			if err := os.Mkdir(path, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(path, old, old); err != nil {
				t.Fatal(err)
			}
		}, true},
		{".g.jpg.tmp-0123456789b0", func(t *testing.T, path string) { // a link
			mustLink(t, "/nonexistent", path)
		}, true},
	}
	dir := t.TempDir()
	var want []string
	for _, tc := range tests {
		tc.make(t, filepath.Join(dir, tc.name))
		if tc.kept {
			want = append(want, tc.name)
		}
	}
	removeStaleTemps(dir, now)
	slices.Sort(want)
	assertOnlyFile(t, dir, want...)
}

func TestSnapshotsAndRecordingsTidyTheirFolderOnce(t *testing.T) {
	aus, _ := clip(t)
	stale := ".cam_20261122T110000.000Z.jpg.tmp-0123456789ab"
	tests := []struct {
		name  string
		write func(t *testing.T, dir string) // writes into dir/cam
	}{
		{"a snapshot", func(t *testing.T, dir string) {
			s := startSnapshotter(t, SnapshotSettings{Dir: dir})
			if res := submitWait(t, s, Request{Camera: "cam", Source: ImageSource(testImage(8, 8, 0))}); res.Err != nil {
				t.Fatal(res.Err)
			}
		}},
		{"a recording", func(t *testing.T, dir string) {
			seg, err := CreateRecording(dir, "cam", recordingStart, RecordH264, aus[0], nil, false)
			if err != nil {
				t.Fatal(err)
			}
			seg.Close()
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, folder, _ := recordingFolder(t)
			// A day old: left by a process that died.
			aged(time.Now().Add(-24*time.Hour))(t, filepath.Join(folder, stale))
			tc.write(t, dir)
			if _, err := os.Lstat(filepath.Join(folder, stale)); err == nil {
				t.Fatal("the stale temporary file is still there")
			}
			// Once per folder: a second one left meanwhile is not looked for.
			aged(time.Now().Add(-24*time.Hour))(t, filepath.Join(folder, stale))
			tc.write(t, dir)
			if _, err := os.Lstat(filepath.Join(folder, stale)); err != nil {
				t.Errorf("the folder was tidied twice: %v", err)
			}
		})
	}
}

// aged makes an empty file last modified at m.
func aged(m time.Time) func(t *testing.T, path string) {
	return func(t *testing.T, path string) {
		t.Helper()
		mustWrite(t, path, "")
		if err := os.Chtimes(path, m, m); err != nil {
			t.Fatal(err)
		}
	}
}
