package storage

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"
)

func TestPruneUnconfigured(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	configured := []string{"Gate/1", "a"} // Gate/1 records into Gate_1
	// Every file is 100 bytes, modified when its name says it started
	// (writeRecording), but for busy's newest, which is being written.
	files := []string{
		"gone/gone_20261101T000000.000Z.mp4", // a removed camera
		"gone/gone_20261110T000000.000Z.mp4",
		"Gate_1/Gate_1_20261101T000000.000Z.mp4", // a configured camera
		"Gate_1/Gate_1_20261102T000000.000Z.mp4",
		"renamed/renamed_20261101T000000.000Z.mp4",
		"renamed/renamed_20261121T000000.000Z.mkv",
		"mixed/mixed_20261101T000000.000Z.mp4",
		"mixed/notes.txt",
		"busy/busy_20261122T090000.000Z.mp4",
		"busy/busy_20261122T100000.000Z.mp4", // modified a second ago
		"foreign/holiday.mp4",
		"foreign/other_20261101T000000.000Z.mp4", // not foreign's name
		".hidden/.hidden_20261101T000000.000Z.mp4",
		"top_20261101T000000.000Z.mp4", // not in a camera's folder
	}
	tests := []struct {
		name    string
		r       Retention
		deleted []string // in the order of the folders' names, then of age
	}{
		{"no limits, nothing", Retention{}, nil},
		{"a removed camera's old files and then its folder are deleted", Retention{MaxAge: 7 * 24 * time.Hour}, []string{
			"gone/gone_20261101T000000.000Z.mp4", "gone/gone_20261110T000000.000Z.mp4", "gone",
			"mixed/mixed_20261101T000000.000Z.mp4",
			"renamed/renamed_20261101T000000.000Z.mp4",
		}},
		{"by size the newest of each folder is kept", Retention{MaxBytes: 150}, []string{
			"busy/busy_20261122T090000.000Z.mp4",
			"gone/gone_20261101T000000.000Z.mp4",
			"renamed/renamed_20261101T000000.000Z.mp4",
		}},
		{"a newest file modified within max_age is kept", Retention{MaxAge: time.Hour}, []string{
			"busy/busy_20261122T090000.000Z.mp4",
			"gone/gone_20261101T000000.000Z.mp4", "gone/gone_20261110T000000.000Z.mp4", "gone",
			"mixed/mixed_20261101T000000.000Z.mp4",
			"renamed/renamed_20261101T000000.000Z.mp4", "renamed/renamed_20261121T000000.000Z.mkv", "renamed",
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, f := range files {
				p := filepath.Join(dir, f)
				if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
					t.Fatal(err)
				}
				writeRecording(t, p, 100)
			}
			busy := filepath.Join(dir, "busy/busy_20261122T100000.000Z.mp4")
			if err := os.Chtimes(busy, now.Add(-time.Second), now.Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
			if err := os.Mkdir(filepath.Join(dir, "empty"), 0o700); err != nil {
				t.Fatal(err)
			}
			got, err := PruneUnconfigured(dir, configured, tc.r, now)
			if err != nil {
				t.Fatal(err)
			}
			var rel []string
			for _, p := range got {
				r, err := filepath.Rel(dir, p)
				if err != nil {
					t.Fatal(err)
				}
				rel = append(rel, filepath.ToSlash(r))
			}
			if !slices.Equal(rel, tc.deleted) {
				t.Errorf("deleted %q\nwant    %q", rel, tc.deleted)
			}
			for _, f := range append(slices.Clone(files), "empty", "mixed", "foreign", ".hidden", "Gate_1") {
				_, err := os.Stat(filepath.Join(dir, f))
				if gone := slices.Contains(tc.deleted, f) || slices.Contains(tc.deleted, filepath.Dir(f)); gone != (err != nil) {
					t.Errorf("%s: want deleted %v, stat %v", f, gone, err)
				}
			}
		})
	}
}

func TestPruneUnconfiguredLeavesLinkedFoldersAlone(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need a privilege on Windows")
	}
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	dir, elsewhere := t.TempDir(), t.TempDir()
	old := filepath.Join(elsewhere, "link_20261101T000000.000Z.mp4")
	writeRecording(t, old, 100)
	if err := os.Symlink(elsewhere, filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	got, err := PruneUnconfigured(dir, nil, Retention{MaxAge: time.Hour}, now)
	if err != nil || len(got) > 0 {
		t.Fatalf("deleted %q, %v; want nothing", got, err)
	}
	if _, err := os.Stat(old); err != nil {
		t.Error(err)
	}
}

func TestPruneUnconfiguredWithoutARecordingFolder(t *testing.T) {
	got, err := PruneUnconfigured(filepath.Join(t.TempDir(), "none"), nil, Retention{MaxAge: time.Hour}, time.Now())
	if err != nil || got != nil {
		t.Errorf("got %q, %v; want nothing", got, err)
	}
}

func TestPruneUnconfiguredIsReadAndOffByDefault(t *testing.T) {
	for _, tc := range []struct {
		name, section string
		want          bool
	}{
		{"left out", "", false},
		{"false", "recording:\n  prune_unconfigured: false\n", false},
		{"true", "recording:\n  max_age: 30d\n  prune_unconfigured: true\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := parseSection(t, tc.section, "")
			plan, err := c.Recording.Resolved()
			if err != nil || plan.PruneUnconfigured != tc.want {
				t.Fatalf("plan %+v, %v; want PruneUnconfigured %v", plan, err, tc.want)
			}
			data, err := c.marshal()
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseConfig("saved", data)
			if err != nil || back.Recording.PruneUnconfigured != tc.want {
				t.Errorf("read back %+v, %v\n%s", back, err, data)
			}
		})
	}
	parseSection(t, "recording:\n  prune_unconfigured: sometimes\n",
		`recording: prune_unconfigured must be true or false, not "sometimes"`)
}
