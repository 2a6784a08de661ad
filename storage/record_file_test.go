package storage

import (
	"bytes"
	"errors"
	"fmt"
	"image/jpeg"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

var recordingStart = time.Date(2026, 11, 22, 23, 0, 0, 0, time.UTC)

// recordingFolder makes dir/cam, where recordings of camera "cam" go.
func recordingFolder(t *testing.T) (dir, folder, base string) {
	t.Helper()
	dir = t.TempDir()
	folder = filepath.Join(dir, "cam")
	if err := os.Mkdir(folder, 0o700); err != nil {
		t.Fatal(err)
	}
	return dir, folder, filepath.Join(folder, "cam_20261122T230000.000Z.mp4")
}

func TestRecordingFilesNeverOverwriteNorFollowALink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need a privilege on Windows")
	}
	aus, _ := clip(t)
	// CreateRecording tries maxTakenNames names; three make the same point
	// without creating thousands of files.
	const names = 3
	tests := []struct {
		name  string
		setup func(t *testing.T, base, outside string) // puts things in the way
		want  string                                   // the file's name; "" when it must fail
	}{
		{"a free name", func(*testing.T, string, string) {}, "cam_20261122T230000.000Z.mp4"},
		{"a taken name gets _2", func(t *testing.T, base, _ string) {
			mustWrite(t, base, "earlier footage")
		}, "cam_20261122T230000.000Z_2.mp4"},
		{"a link at the name is not followed", func(t *testing.T, base, outside string) {
			mustWrite(t, outside, "someone else's file")
			mustLink(t, outside, base)
		}, "cam_20261122T230000.000Z_2.mp4"},
		{"a dangling link at the name is not followed", func(t *testing.T, base, outside string) {
			mustLink(t, outside, base)
		}, "cam_20261122T230000.000Z_2.mp4"},
		{"a folder at the name is passed over", func(t *testing.T, base, _ string) {
			if err := os.Mkdir(base, 0o700); err != nil {
				t.Fatal(err)
			}
		}, "cam_20261122T230000.000Z_2.mp4"},
		{"every name taken fails", func(t *testing.T, base, _ string) {
			for n := 1; n <= names; n++ {
				name := base
				if n > 1 {
					name = numbered(base, n)
				}
				mustWrite(t, name, "earlier footage")
			}
		}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir, folder, base := recordingFolder(t)
			outside := filepath.Join(t.TempDir(), "target")
			tc.setup(t, base, outside)
			before := snapshotTree(t, folder, outside)
			if got := recordingBase(dir, "cam", recordingStart, RecordH264.Ext(nil)); got != base {
				t.Fatalf("CreateRecording would start at %s", got)
			}
			seg, err := createSegment(base, RecordH264, aus[0], nil, false, createFree(base, names))
			if tc.want == "" {
				if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("%d files of that name already exist", names)) {
					t.Fatalf("err = %v, want one saying every name is taken", err)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if got := filepath.Base(seg.Path()); got != tc.want {
					t.Errorf("file %s, want %s", got, tc.want)
				}
				if err := seg.Close(); err != nil {
					t.Fatal(err)
				}
				delete(before, seg.Path()) // the one new file
			}
			after := snapshotTree(t, folder, outside)
			if tc.want != "" {
				delete(after, filepath.Join(folder, tc.want))
			}
			if !mapsEqual(before, after) {
				t.Errorf("what was there changed:\nbefore %v\nafter  %v", before, after)
			}
		})
	}
}

func TestCreateSegmentRefusesATakenPath(t *testing.T) {
	aus, _ := clip(t)
	_, _, base := recordingFolder(t)
	mustWrite(t, base, "earlier footage")
	if _, err := CreateSegment(base, RecordH264, aus[0], nil); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("err = %v, want fs.ErrExist", err)
	}
	if data, _ := os.ReadFile(base); string(data) != "earlier footage" {
		t.Errorf("the file now holds %q", data)
	}
}

func TestRecordingsStartedAtOnceGetAFileEach(t *testing.T) {
	aus, _ := clip(t)
	dir := t.TempDir()
	const writers = 8
	paths := make([]string, writers)
	var wg sync.WaitGroup
	for i := range writers {
		wg.Go(func() {
			seg, err := CreateRecording(dir, "cam", recordingStart, RecordH264, aus[0], nil, false)
			if err != nil {
				t.Error(err)
				return
			}
			paths[i] = seg.Path()
			if err := seg.Close(); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	slices.Sort(paths)
	if len(slices.Compact(slices.Clone(paths))) != writers {
		t.Errorf("writers shared files: %v", paths)
	}
}

// TestRecordingsWrittenThroughTheFileReadBack records both containers
// through the file camwall created, Matroska included, whose muxer seeks
// back to fill in its header.
func TestRecordingsWrittenThroughTheFileReadBack(t *testing.T) {
	if _, err := exec.LookPath("ffprobe"); err != nil {
		t.Skip("ffprobe not installed")
	}
	h264, keys := clip(t)
	var jpegs [][]byte
	for i := range 10 {
		var b bytes.Buffer
		if err := jpeg.Encode(&b, testImage(64, 48, uint8(20*i)), nil); err != nil {
			t.Fatal(err)
		}
		jpegs = append(jpegs, b.Bytes())
	}
	tests := []struct {
		codec RecordCodec
		aus   [][]byte
		keys  []bool
		want  string
	}{
		{RecordH264, h264, keys, "codec_name=h264|width=320|height=240|nb_read_frames=30\nduration=1.000000"},
		{RecordMJPEG, jpegs, slices.Repeat([]bool{true}, len(jpegs)), "codec_name=mjpeg|width=64|height=48|nb_read_frames=10\nduration=0.333000"},
	}
	for _, tc := range tests {
		t.Run(string(tc.codec), func(t *testing.T) {
			seg, err := CreateRecording(t.TempDir(), "cam", recordingStart, tc.codec, tc.aus[0], nil, false)
			if err != nil {
				t.Fatal(err)
			}
			for i, au := range tc.aus {
				if err := seg.Write(au, int64(i)*3000, int64(i)*3000, tc.keys[i]); err != nil {
					t.Fatal(err)
				}
			}
			if err := seg.Close(); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("ffprobe", "-v", "error", "-count_frames", "-show_entries",
				"stream=codec_name,width,height,nb_read_frames:format=duration", "-of", "compact=p=0:nk=0", seg.Path()).CombinedOutput()
			if err != nil {
				t.Fatalf("ffprobe: %v\n%s", err, out)
			}
			if got := strings.TrimSpace(string(out)); got != tc.want {
				t.Errorf("ffprobe says\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestAFailedStartLeavesNoFile(t *testing.T) {
	aus, _ := clip(t)
	tests := []struct {
		name   string
		create func(t *testing.T, path string) func(fs.FileMode) (*os.File, error)
	}{
		{"the header cannot be written", func(t *testing.T, path string) func(fs.FileMode) (*os.File, error) {
			// The file is made, then handed over open for reading only:
			// every write to it fails.
			return func(perm fs.FileMode) (*os.File, error) {
				f, err := createExclusive(path, perm)
				if err != nil {
					return nil, err
				}
				f.Close()
				return os.Open(path)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, folder, base := recordingFolder(t)
			_, err := createSegment(base, RecordH264, aus[0], nil, false, tc.create(t, base))
			if err == nil || !strings.Contains(err.Error(), "write the header") {
				t.Fatalf("err = %v, want a failed header", err)
			}
			assertOnlyFile(t, folder)
		})
	}
}

func mustWrite(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

func mustLink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// snapshotTree records what the folder and the outside path hold: each
// entry's kind, link target or content.
func snapshotTree(t *testing.T, folder, outside string) map[string]string {
	t.Helper()
	got := map[string]string{}
	entries, err := os.ReadDir(folder)
	if err != nil {
		t.Fatal(err)
	}
	paths := []string{outside}
	for _, e := range entries {
		paths = append(paths, filepath.Join(folder, e.Name()))
	}
	for _, p := range paths {
		fi, err := os.Lstat(p)
		switch {
		case err != nil:
			got[p] = "absent"
		case fi.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			got[p] = "link to " + target
		case fi.IsDir():
			got[p] = "folder"
		default:
			data, _ := os.ReadFile(p)
			got[p] = "file " + string(data)
		}
	}
	return got
}

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
