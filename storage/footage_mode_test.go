package storage

import (
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestFootageIsPrivateUnlessGroupReadable(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix file modes")
	}
	umask := currentUmask(t)
	aus, _ := clip(t)
	// Each writer puts one file of camera "cam" under dir, which does not
	// exist yet.
	writers := map[string]func(t *testing.T, dir string, groupReadable bool) string{
		"recording": func(t *testing.T, dir string, groupReadable bool) string {
			seg, err := CreateRecording(dir, "cam", recordingStart, RecordH264, aus[0], nil, groupReadable)
			if err != nil {
				t.Fatal(err)
			}
			seg.Close()
			return seg.Path()
		},
		"snapshot": func(t *testing.T, dir string, groupReadable bool) string {
			s := startSnapshotter(t, SnapshotSettings{Dir: dir, GroupReadable: groupReadable})
			res := submitWait(t, s, Request{Camera: "cam", Source: ImageSource(testImage(8, 8, 0))})
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			return res.Path
		},
	}
	tests := []struct {
		groupReadable bool
		file, dir     fs.FileMode
	}{
		{false, 0o600, 0o700},
		{true, 0o640, 0o750},
	}
	for kind, write := range writers {
		for _, tc := range tests {
			name := kind + " private"
			if tc.groupReadable {
				name = kind + " group-readable"
			}
			t.Run(name, func(t *testing.T) {
				existing := t.TempDir()
				if err := os.Chmod(existing, 0o755); err != nil {
					t.Fatal(err)
				}
				root := filepath.Join(existing, "camwall")
				path := write(t, root, tc.groupReadable)
				assertMode(t, path, tc.file&^umask)
				assertMode(t, filepath.Dir(path), tc.dir&^umask)
				assertMode(t, root, tc.dir&^umask)
				// A folder camwall did not make keeps its mode.
				assertMode(t, existing, 0o755)
			})
		}
	}
}

func TestGroupReadableIsReadCheckedAndSaved(t *testing.T) {
	tests := []struct {
		name       string
		section    string
		rec, snaps bool
		err        string // a fragment of the error; "" for none
	}{
		{name: "left out", section: ""},
		{name: "recording", section: "recording:\n  group_readable: true\n", rec: true},
		{name: "snapshots", section: "snapshots:\n  group_readable: True\n", snaps: true},
		{name: "false", section: "recording:\n  group_readable: false\n"},
		{name: "empty", section: "snapshots:\n  group_readable:\n"},
		{name: "yes, as yaml.v3 reads it", section: "recording:\n  group_readable: yes\n", rec: true},
		{name: "not a boolean", section: "recording:\n  group_readable: group\n",
			err: `c.yaml:4: recording: group_readable must be true or false, not "group"`},
		{name: "a number", section: "snapshots:\n  group_readable: 1\n",
			err: `c.yaml:4: snapshots: group_readable must be true or false, not "1"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := parseSection(t, tc.section, tc.err)
			if c == nil {
				return
			}
			if c.Recording.GroupReadable != tc.rec || c.Snapshots.GroupReadable != tc.snaps {
				t.Fatalf("recording %v, snapshots %v; want %v, %v", c.Recording.GroupReadable, c.Snapshots.GroupReadable, tc.rec, tc.snaps)
			}
			plan, err := c.Recording.Resolved()
			if err != nil || plan.GroupReadable != tc.rec {
				t.Errorf("plan %+v, %v; want GroupReadable %v", plan, err, tc.rec)
			}
			data, err := c.marshal()
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseConfig("saved", data)
			if err != nil || !sameConfig(back, c) {
				t.Errorf("read back %+v, %v\n%s", back, err, data)
			}
		})
	}
}
