package storage

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
)

// SnapshotError is a snapshot that was not saved, with the reason in words
// the UI shows as it is ("folder not writable", "disk full", ...).
type SnapshotError struct {
	Camera string
	// Reason is short and says what to fix.
	Reason string
	// Path is the file or folder at fault; "" when there is none.
	Path string
	Err  error
}

func (e *SnapshotError) Error() string {
	msg := fmt.Sprintf("snapshot of camera %s not saved: %s", quote(e.Camera), e.Reason)
	if e.Path != "" {
		msg += ": " + e.Path
	}
	if e.Err != nil {
		msg += " (" + e.Err.Error() + ")"
	}
	return msg
}

func (e *SnapshotError) Unwrap() error { return e.Err }

// Reasons a snapshot is not saved.
const (
	ReasonNotWritable = "folder not writable"
	ReasonDiskFull    = "disk full"
	ReasonQuota       = "disk quota exceeded"
	ReasonNameTooLong = "file name too long"
	ReasonNotFolder   = "a file is in the way of the folder"
	ReasonOutside     = "the file would be outside the snapshot folder"
	ReasonNoFrame     = "the frame could not be converted"
	ReasonEncode      = "the image could not be encoded"
	ReasonCancelled   = "cancelled"
	ReasonBusy        = "too many snapshots are waiting to be written"
	ReasonClosed      = "snapshots are shut down"
	ReasonWrite       = "the file could not be written"
)

// reasonFor words a file system error.
func reasonFor(err error) string {
	var errno syscall.Errno
	isErrno := errors.As(err, &errno)
	switch {
	case errors.Is(err, syscall.ENOSPC), runtime.GOOS == "windows" && isErrno && (errno == 39 || errno == 112):
		// 39 and 112: ERROR_HANDLE_DISK_FULL, ERROR_DISK_FULL.
		return ReasonDiskFull
	case errors.Is(err, syscall.EDQUOT):
		return ReasonQuota
	case errors.Is(err, fs.ErrPermission), errors.Is(err, syscall.EROFS):
		return ReasonNotWritable
	case errors.Is(err, syscall.ENAMETOOLONG):
		return ReasonNameTooLong
	case errors.Is(err, syscall.ENOTDIR):
		return ReasonNotFolder
	}
	return ReasonWrite
}

// maxSameName bounds the _2, _3, ... tried for snapshots wanting one name.
const maxSameName = 1000

// writeSnapshot writes data to dir/rel so that no one ever sees a partial
// image under a snapshot's name, and no snapshot replaces another: the file
// is written whole under a temporary name and then takes the first free name
// among rel, rel_2, rel_3, ... (WriteFileAtomic's NoClobber), so two
// snapshots in the same millisecond, from two workers or two processes, both
// survive. The file is private, 0600 in 0700 folders, unless groupReadable
// (footageModes). It returns the path written.
func writeSnapshot(dir, rel string, data []byte, groupReadable bool) (string, *SnapshotError) {
	fail := func(reason, path string, err error) (string, *SnapshotError) {
		return "", &SnapshotError{Reason: reason, Path: path, Err: err}
	}
	path := filepath.Join(dir, rel)
	if !within(dir, path) || path == dir {
		return fail(ReasonOutside, "", errOutside)
	}
	parent := filepath.Dir(path)
	filePerm, dirPerm := footageModes(groupReadable)
	if err := os.MkdirAll(parent, dirPerm); err != nil {
		return fail(reasonFor(err), parent, err)
	}
	// A symbolic link inside the folder (a camera's folder made a link to
	// elsewhere) must not carry snapshots out of it. The folder itself may be
	// a link, to another disk say: both sides are resolved.
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return fail(reasonFor(err), dir, err)
	}
	realParent, err := filepath.EvalSymlinks(parent)
	if err != nil {
		return fail(reasonFor(err), parent, err)
	}
	if !within(realDir, realParent) {
		return fail(ReasonOutside, parent, fmt.Errorf("%s leads to %s", parent, realParent))
	}

	tidyOnce(parent)

	// No DirPerm: the folder is made above, before the link check.
	name, werr := writeAtomic(path, data, AtomicWrite{Perm: filePerm, NoClobber: maxSameName})
	if werr != nil {
		return fail(reasonFor(werr.err), werr.path, werr.err)
	}
	return name, nil
}
