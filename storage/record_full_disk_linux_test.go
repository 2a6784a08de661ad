package storage

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
)

// onTinyDisk runs f on a thread of its own that sees a 64 KiB tmpfs at
// dir, in a mount namespace of its own that ends with the thread: nothing
// outside the test sees the mount. It reports false, having run nothing,
// where the system does not allow it (without CAP_SYS_ADMIN).
func onTinyDisk(t *testing.T, f func(dir string)) bool {
	t.Helper()
	dir := t.TempDir()
	ok := make(chan bool, 1)
	go func() {
		// Never unlocked: the thread leaves with its namespace when the
		// goroutine ends.
		runtime.LockOSThread()
		if err := syscall.Unshare(syscall.CLONE_NEWNS); err != nil {
			ok <- false
			return
		}
		// Private first, so that the mount cannot spread to the system's
		// namespace through shared mounts.
		if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
			ok <- false
			return
		}
		if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size=64k,mode=0700"); err != nil {
			ok <- false
			return
		}
		f(dir)
		ok <- true
	}()
	return <-ok
}

func TestAFullDiskLeavesNoFileAndRecordingResumesWithSpace(t *testing.T) {
	aus, _ := clip(t)
	var errs []error
	ran := onTinyDisk(t, func(dir string) {
		fail := func(err error) { errs = append(errs, err) }
		filler := filepath.Join(dir, "filler")
		f, err := os.Create(filler)
		if err != nil {
			fail(err)
			return
		}
		for err == nil {
			_, err = f.Write(make([]byte, 4096))
		}
		f.Close()
		if !errors.Is(err, syscall.ENOSPC) {
			fail(err)
			return
		}
		for range 3 { // the retries of a recorder
			if seg, err := CreateRecording(dir, "cam", recordingStart, RecordH264, aus[0], nil, false); err == nil {
				seg.Close()
				fail(errors.New("a recording started on a full disk"))
			} else if !errors.Is(err, syscall.ENOSPC) {
				fail(err)
			}
		}
		if entries, err := os.ReadDir(filepath.Join(dir, "cam")); err != nil || len(entries) != 0 {
			fail(errors.New("the full disk holds files: " + names(entries)))
		}
		if err := os.Remove(filler); err != nil {
			fail(err)
			return
		}
		seg, err := CreateRecording(dir, "cam", recordingStart, RecordH264, aus[0], nil, false)
		if err != nil {
			fail(err)
			return
		}
		if err := seg.Write(aus[0], 0, 0, true); err != nil {
			fail(err)
		}
		if err := seg.Close(); err != nil {
			fail(err)
		}
		if fi, err := os.Stat(seg.Path()); err != nil || fi.Size() == 0 {
			fail(errors.New("no recording once space came back"))
		}
	})
	if !ran {
		t.Skip("no mount namespace (needs CAP_SYS_ADMIN)")
	}
	for _, err := range errs {
		t.Error(err)
	}
}

func names(entries []os.DirEntry) string {
	var s string
	for _, e := range entries {
		s += e.Name() + " "
	}
	return s
}
