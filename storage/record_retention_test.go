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
			dir := t.TempDir()
			folder := filepath.Join(dir, "cam")
			if err := os.MkdirAll(folder, 0o755); err != nil {
				t.Fatal(err)
			}
			for n, size := range files {
				if err := os.WriteFile(filepath.Join(folder, n), make([]byte, size), 0o644); err != nil {
					t.Fatal(err)
				}
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
