package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// submitWait submits one request and waits for its result.
func submitWait(t *testing.T, s *Snapshotter, r Request) Result {
	t.Helper()
	done := make(chan Result, 1)
	r.Done = func(res Result) { done <- res }
	if err := s.Submit(r); err != nil {
		t.Fatal(err)
	}
	select {
	case res := <-done:
		return res
	case <-time.After(10 * time.Second):
		t.Fatal("no result after 10 s")
		return Result{}
	}
}

func TestSnapshotterWritesTheDefaultPathAndFormat(t *testing.T) {
	dir := t.TempDir()
	s := startSnapshotter(t, SnapshotSettings{Dir: dir})
	at := time.Date(2026, 11, 22, 23, 35, 1, 123_000_000, time.FixedZone("CET", 3600))
	res := submitWait(t, s, Request{Camera: "front door", Time: at, Source: ImageSource(testImage(64, 48, 128))})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	want := filepath.Join(dir, "front door", "front door_20261122T223501.123Z.jpg")
	if res.Path != want {
		t.Errorf("path %q, want %q", res.Path, want)
	}
	img := decodeFile(t, res.Path, jpeg.Decode)
	if img.Bounds() != image.Rect(0, 0, 64, 48) {
		t.Errorf("image %v, want 64x48", img.Bounds())
	}
	if runtime.GOOS != "windows" {
		for path, mode := range map[string]fs.FileMode{filepath.Dir(res.Path): 0o700, res.Path: 0o600} {
			if fi, err := os.Stat(path); err != nil || fi.Mode().Perm()&^0o022 != mode&^0o022 {
				t.Errorf("%s: mode %v, want %v less the umask (%v)", path, fi.Mode().Perm(), mode, err)
			}
		}
	}
}

func TestSnapshotterFormats(t *testing.T) {
	tests := []struct {
		name     string
		settings SnapshotSettings
		ext      string
		decode   func(io.Reader) (image.Image, error)
	}{
		{"jpeg by default", SnapshotSettings{}, ".jpg", jpeg.Decode},
		{"png format gets a png name", SnapshotSettings{Format: "png"}, ".png", png.Decode},
		{"png from the pattern's extension", SnapshotSettings{Pattern: "{camera}_{timestamp}.png"}, ".png", png.Decode},
		{"extension added to a pattern without one", SnapshotSettings{Pattern: "{camera}", Format: "jpg"}, ".jpg", jpeg.Decode},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.settings.Dir = t.TempDir()
			s := startSnapshotter(t, tc.settings)
			src := testImage(40, 30, 200)
			res := submitWait(t, s, Request{Camera: "cam", Source: ImageSource(src)})
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if filepath.Ext(res.Path) != tc.ext {
				t.Errorf("path %s, want the extension %s", res.Path, tc.ext)
			}
			data, err := os.ReadFile(res.Path)
			if err != nil {
				t.Fatal(err)
			}
			img, err := tc.decode(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("%s does not decode as %s: %v", res.Path, tc.ext, err)
			}
			if r, _, _, _ := img.At(20, 15).RGBA(); r>>8 < 195 || r>>8 > 205 {
				t.Errorf("pixel red %d, want about 200", r>>8)
			}
		})
	}
}

func TestSnapshotterJPEGQuality(t *testing.T) {
	size := func(q int) int64 {
		s := startSnapshotter(t, SnapshotSettings{Dir: t.TempDir(), Quality: q})
		res := submitWait(t, s, Request{Camera: "cam", Source: ImageSource(noiseImage(128, 128))})
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		fi, err := os.Stat(res.Path)
		if err != nil {
			t.Fatal(err)
		}
		return fi.Size()
	}
	if low, def := size(30), size(0); low >= def {
		t.Errorf("quality 30 gives %d bytes, the default 90 %d: the quality is not applied", low, def)
	}
}

func noiseImage(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	x := uint32(1)
	for i := range img.Pix {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		img.Pix[i] = uint8(x)
	}
	return img
}

func TestSnapshotsInTheSameMillisecondAllSurvive(t *testing.T) {
	dir := t.TempDir()
	s := &Snapshotter{Settings: SnapshotSettings{Dir: dir, Format: "png"}, Workers: 4}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const n = 12
	at := time.Now()
	var mu sync.Mutex
	paths := map[string]uint8{}
	for i := range n {
		grey := uint8(10 * i)
		err := s.Submit(Request{Camera: "cam", Time: at, Source: ImageSource(testImage(8, 8, grey)), Done: func(r Result) {
			if r.Err != nil {
				t.Error(r.Err)
				return
			}
			mu.Lock()
			paths[r.Path] = grey
			mu.Unlock()
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
	s.Wait()
	if len(paths) != n {
		t.Fatalf("%d distinct paths for %d snapshots: %v", len(paths), n, paths)
	}
	base := filepath.Join(dir, "cam", "cam_"+Timestamp(at))
	for path, grey := range paths {
		if path != base+".png" && !strings.HasPrefix(path, base+"_") {
			t.Errorf("unexpected name %s", path)
		}
		// Each file holds its own snapshot: none was replaced.
		img := decodeFile(t, path, png.Decode)
		if r, _, _, _ := img.At(0, 0).RGBA(); uint8(r>>8) != grey {
			t.Errorf("%s holds grey %d, want %d", path, r>>8, grey)
		}
	}
	assertNoTempFiles(t, dir)
}

func TestSnapshotterRefusesALinkOutOfTheFolder(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	dir, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(dir, "cam")); err != nil {
		t.Fatal(err)
	}
	s := startSnapshotter(t, SnapshotSettings{Dir: dir})
	res := submitWait(t, s, Request{Camera: "cam", Source: ImageSource(testImage(8, 8, 0))})
	var se *SnapshotError
	if !errors.As(res.Err, &se) || se.Reason != ReasonOutside {
		t.Fatalf("err = %v, want the reason %q", res.Err, ReasonOutside)
	}
	if entries, _ := os.ReadDir(outside); len(entries) != 0 {
		t.Errorf("files written through the link: %v", entries)
	}
}

func TestSnapshotterFollowsAFolderThatIsALink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	target := t.TempDir()
	dir := filepath.Join(t.TempDir(), "snaps")
	if err := os.Symlink(target, dir); err != nil {
		t.Fatal(err)
	}
	s := startSnapshotter(t, SnapshotSettings{Dir: dir})
	res := submitWait(t, s, Request{Camera: "cam", Source: ImageSource(testImage(8, 8, 0))})
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	if _, err := os.Stat(filepath.Join(target, "cam")); err != nil {
		t.Errorf("the snapshot did not land in the link's target: %v", err)
	}
}

func TestSnapshotErrorsSayTheReason(t *testing.T) {
	t.Run("a file where the folder should be", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "cam"), nil, 0o644); err != nil {
			t.Fatal(err)
		}
		s := startSnapshotter(t, SnapshotSettings{Dir: dir})
		res := submitWait(t, s, Request{Camera: "cam", Source: ImageSource(testImage(8, 8, 0))})
		checkReason(t, res, ReasonNotFolder)
	})
	t.Run("read-only folder", func(t *testing.T) {
		if runtime.GOOS == "windows" || os.Geteuid() == 0 {
			t.Skip("needs Unix permissions that apply (not root)")
		}
		dir := t.TempDir()
		if err := os.Chmod(dir, 0o555); err != nil {
			t.Fatal(err)
		}
		defer os.Chmod(dir, 0o755)
		s := startSnapshotter(t, SnapshotSettings{Dir: dir})
		res := submitWait(t, s, Request{Camera: "cam", Source: ImageSource(testImage(8, 8, 0))})
		checkReason(t, res, ReasonNotWritable)
	})
	t.Run("frame that does not convert", func(t *testing.T) {
		s := startSnapshotter(t, SnapshotSettings{Dir: t.TempDir()})
		res := submitWait(t, s, Request{Camera: "cam", Source: failingSource{}})
		checkReason(t, res, ReasonNoFrame)
	})

	// Conditions a test cannot bring about on demand, worded from the
	// errors the system gives.
	for _, tc := range []struct {
		err  error
		want string
	}{
		{syscall.ENOSPC, ReasonDiskFull},
		{syscall.EDQUOT, ReasonQuota},
		{syscall.EACCES, ReasonNotWritable},
		{syscall.EPERM, ReasonNotWritable},
		{syscall.EROFS, ReasonNotWritable},
		{syscall.ENAMETOOLONG, ReasonNameTooLong},
		{syscall.ENOTDIR, ReasonNotFolder},
		{syscall.EIO, ReasonWrite},
	} {
		err := &fs.PathError{Op: "write", Path: "/x", Err: tc.err}
		if got := reasonFor(fmt.Errorf("wrapped: %w", err)); got != tc.want {
			t.Errorf("reasonFor(%v) = %q, want %q", tc.err, got, tc.want)
		}
	}
}

func checkReason(t *testing.T, res Result, reason string) {
	t.Helper()
	var se *SnapshotError
	if !errors.As(res.Err, &se) || se.Reason != reason {
		t.Fatalf("err = %v, want the reason %q", res.Err, reason)
	}
	if res.Path != "" {
		t.Errorf("a failed snapshot has the path %s", res.Path)
	}
	if msg := res.Err.Error(); !strings.Contains(msg, reason) || !strings.Contains(msg, `"cam"`) {
		t.Errorf("message %q does not name the camera and the reason", msg)
	}
}

// A snapshot whose conversion panics fails alone, with the panic as its
// reason; the worker goes on with the next one.
func TestPanicInASnapshotWorkerFailsThatSnapshotOnly(t *testing.T) {
	s := startSnapshotter(t, SnapshotSettings{Dir: t.TempDir()})
	res := submitWait(t, s, Request{Camera: "buggy", Source: panickingSource{}})
	var e *SnapshotError
	if !errors.As(res.Err, &e) || !strings.Contains(e.Reason, "internal error: boom") {
		t.Fatalf("result %v, want the panic as the reason", res.Err)
	}
	if res := submitWait(t, s, Request{Camera: "buggy", Source: ImageSource(testImage(8, 8, 0))}); res.Err != nil {
		t.Errorf("the next snapshot: %v", res.Err)
	}
}

type panickingSource struct{}

func (panickingSource) Image() (image.Image, error) { panic("boom") }
func (panickingSource) Free()                       {}

type failingSource struct{}

func (failingSource) Image() (image.Image, error) { return nil, errors.New("no picture") }
func (failingSource) Free()                       {}

// countingSource counts Free calls, and can hold Image until released.
type countingSource struct {
	freed   *atomic.Int32
	release chan struct{}
}

func (s countingSource) Image() (image.Image, error) {
	if s.release != nil {
		<-s.release
	}
	return testImage(8, 8, 0), nil
}

func (s countingSource) Free() { s.freed.Add(1) }

func TestSubmitRefusesWhenTheQueueIsFullOrClosedAndFreesTheFrame(t *testing.T) {
	var freed atomic.Int32
	release := make(chan struct{})
	s := &Snapshotter{Settings: SnapshotSettings{Dir: t.TempDir()}, Workers: 1, Queue: 1}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	src := countingSource{&freed, release}
	var done atomic.Int32
	count := func(Result) { done.Add(1) }
	// The first is taken by the worker, which waits in Image; the second
	// waits in the queue; the third finds it full.
	if err := s.Submit(Request{Camera: "a", Source: src, Done: count}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for len(s.queue) != 0 && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if err := s.Submit(Request{Camera: "b", Source: src, Done: count}); err != nil {
		t.Fatal(err)
	}
	err := s.Submit(Request{Camera: "c", Source: src, Done: count})
	if !errors.Is(err, ErrSnapshotsBusy) || !strings.Contains(err.Error(), ReasonBusy) {
		t.Errorf("Submit to a full queue = %v, want %v", err, ErrSnapshotsBusy)
	}
	close(release)
	s.Close()
	if err := s.Submit(Request{Camera: "d", Source: src, Done: count}); !errors.Is(err, ErrSnapshotsClosed) {
		t.Errorf("Submit after Close = %v, want %v", err, ErrSnapshotsClosed)
	}
	if got := freed.Load(); got != 4 {
		t.Errorf("%d frames freed, want all 4", got)
	}
	if got := done.Load(); got != 2 {
		t.Errorf("Done called %d times, want 2 (once per accepted request)", got)
	}
}

func TestCancelledSnapshotsAreReportedFreedAndLeaveNoFile(t *testing.T) {
	var freed atomic.Int32
	ctx, cancel := context.WithCancel(context.Background())
	dir := t.TempDir()
	s := &Snapshotter{Settings: SnapshotSettings{Dir: dir}, Workers: 1}
	if err := s.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cancel()
	results := make(chan Result, 3)
	for range 3 {
		if err := s.Submit(Request{Camera: "cam", Source: countingSource{freed: &freed}, Done: func(r Result) { results <- r }}); err != nil {
			t.Fatal(err)
		}
	}
	s.Wait()
	close(results)
	for r := range results {
		var se *SnapshotError
		if !errors.As(r.Err, &se) || se.Reason != ReasonCancelled || !errors.Is(r.Err, context.Canceled) {
			t.Errorf("err = %v, want cancelled", r.Err)
		}
	}
	if freed.Load() != 3 {
		t.Errorf("%d frames freed, want 3", freed.Load())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("cancelled snapshots left %v", entries)
	}
}

func TestSnapshotterStartRejectsInvalidSettings(t *testing.T) {
	s := &Snapshotter{Settings: SnapshotSettings{Dir: t.TempDir(), Pattern: "../{camera}.jpg"}}
	if err := s.Start(context.Background()); err == nil || !strings.Contains(err.Error(), "must not contain . or ..") {
		t.Errorf("Start = %v, want the pattern refused", err)
	}
}

func TestSnapshotSettingsResolved(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("USERPROFILE", home)
	abs := filepath.Join(home, "snaps")
	tests := []struct {
		name string
		in   SnapshotSettings
		want SnapshotSettings
	}{
		{"defaults", SnapshotSettings{Dir: abs}, SnapshotSettings{Dir: abs, Pattern: DefaultSnapshotPattern, Format: "jpeg", Quality: 90}},
		{"png gets a png pattern", SnapshotSettings{Dir: abs, Format: "png"},
			SnapshotSettings{Dir: abs, Pattern: "{camera}/{camera}_{timestamp}.png", Format: "png", Quality: 90}},
		{"jpg is jpeg", SnapshotSettings{Dir: abs, Format: "jpg", Quality: 75},
			SnapshotSettings{Dir: abs, Pattern: DefaultSnapshotPattern, Format: "jpeg", Quality: 75}},
		{"format from the pattern", SnapshotSettings{Dir: abs, Pattern: "{timestamp}.PNG"},
			SnapshotSettings{Dir: abs, Pattern: "{timestamp}.PNG", Format: "png", Quality: 90}},
		{"extension added", SnapshotSettings{Dir: abs, Pattern: "{camera}/{timestamp}"},
			SnapshotSettings{Dir: abs, Pattern: "{camera}/{timestamp}.jpg", Format: "jpeg", Quality: 90}},
		{"home folder", SnapshotSettings{Dir: "~/cams/"},
			SnapshotSettings{Dir: filepath.Join(home, "cams"), Pattern: DefaultSnapshotPattern, Format: "jpeg", Quality: 90}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.in.Resolved()
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("Resolved = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestSnapshotSettingsValidate(t *testing.T) {
	tests := []struct {
		name string
		in   SnapshotSettings
		want string // "" when valid
	}{
		{"empty", SnapshotSettings{}, ""},
		{"relative folder", SnapshotSettings{Dir: "pics"}, `snapshots: dir must be an absolute folder, or start with ~/ for your home folder, not "pics"`},
		{"unknown format", SnapshotSettings{Format: "gif"}, `snapshots: format must be jpeg or png, not "gif"`},
		{"format and extension disagree", SnapshotSettings{Format: "png", Pattern: "{camera}.jpg"}, `snapshots: pattern "{camera}.jpg" ends in .jpg but format is png; make them agree`},
		{"quality too high", SnapshotSettings{Quality: 101}, "snapshots: quality must be from 1 to 100, not 101"},
		{"quality negative", SnapshotSettings{Quality: -1}, "snapshots: quality must be from 1 to 100, not -1"},
		{"pattern escaping", SnapshotSettings{Pattern: "../x.jpg"}, `snapshots: pattern "../x.jpg" must not contain . or .. folders`},
		{"control character in the folder", SnapshotSettings{Dir: "/a\nb"}, "snapshots: dir contains a control character"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.Validate()
			if tc.want == "" {
				if err != nil {
					t.Errorf("Validate = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestDefaultSnapshotDir(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("xdg-user-dir is a Linux program")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	bin := t.TempDir()
	t.Setenv("PATH", bin)
	fake := func(answer string) {
		script := "#!/bin/sh\necho '" + answer + "'\n"
		if err := os.WriteFile(filepath.Join(bin, "xdg-user-dir"), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name   string
		answer string // "" for no xdg-user-dir
		want   string
	}{
		{"without xdg-user-dir", "", filepath.Join(home, "Pictures", "camwall")},
		{"localised Pictures folder", "/data/Bilder", "/data/Bilder/camwall"},
		{"Pictures not configured answers the home folder", home, filepath.Join(home, "Pictures", "camwall")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			os.Remove(filepath.Join(bin, "xdg-user-dir"))
			if tc.answer != "" {
				fake(tc.answer)
			}
			if _, err := exec.LookPath("xdg-user-dir"); (err == nil) != (tc.answer != "") {
				t.Fatalf("fake xdg-user-dir not set up: %v", err)
			}
			got, err := DefaultSnapshotDir()
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("DefaultSnapshotDir = %q, want %q", got, tc.want)
			}
		})
	}
}

func decodeFile(t *testing.T, path string, decode func(r io.Reader) (image.Image, error)) image.Image {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	img, err := decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}

// assertNoTempFiles checks that no temporary file is left under dir.
func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".tmp-") {
			t.Errorf("temporary file left: %s", path)
		}
		return nil
	})
}
