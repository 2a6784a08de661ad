package storage

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sync"
	"time"
)

// AtomicWrite says how WriteFileAtomic puts a file in place. Each caller
// asks for what its files have always had: the configuration is private and
// replaced, snapshots are pictures that never replace one another.
type AtomicWrite struct {
	// Perm is the file's mode, less the umask unless ExactPerm.
	Perm fs.FileMode
	// ExactPerm gives the file Perm whatever the umask: a umask can only
	// take bits away, and a file camwall writes again (the configuration)
	// must stay readable and writable by its owner.
	ExactPerm bool
	// DirPerm, when not 0, makes path's missing folders with this mode; with
	// 0 the folder must exist.
	DirPerm fs.FileMode
	// ThroughLink writes to the target of a path that is a symbolic link
	// instead of replacing the link (dotfiles kept in a repository).
	ThroughLink bool
	// NoClobber, when above 0, never replaces a file: the file takes the
	// first free name among path, path_2, path_3, … up to path_NoClobber.
	// With 0 the file replaces whatever is at path.
	NoClobber int
}

// WriteFileAtomic writes data to path so that no reader ever sees part of
// it: the bytes go to a hidden temporary file in path's folder, are synced,
// and the complete file then gets its name in one step. It returns the path
// written, which differs from path with ThroughLink or NoClobber. Whatever
// fails, no temporary file is left behind.
func WriteFileAtomic(path string, data []byte, how AtomicWrite) (string, error) {
	name, err := writeAtomic(path, data, how)
	if err != nil {
		// Not the *writeError itself: a nil one would be a non-nil error.
		return "", err
	}
	return name, nil
}

// writeError is a failed WriteFileAtomic: the step that failed, the file or
// folder at fault and the system's error. Snapshots word their reason from
// err and show path; other callers need only the message.
type writeError struct {
	step string // what was being done, as the message says it
	path string // the folder until the file is complete, then the name it was being given
	err  error
}

func (e *writeError) Error() string { return e.step + ": " + e.err.Error() }
func (e *writeError) Unwrap() error { return e.err }

// writeAtomic is WriteFileAtomic with the failure in parts.
func writeAtomic(path string, data []byte, how AtomicWrite) (string, *writeError) {
	if how.ThroughLink {
		if target, err := filepath.EvalSymlinks(path); err == nil {
			path = target
		}
	}
	dir := filepath.Dir(path)
	if how.DirPerm != 0 {
		if err := os.MkdirAll(dir, how.DirPerm); err != nil {
			return "", &writeError{"create directory", dir, err}
		}
	}
	tmp, werr := writeTemp(dir, filepath.Base(path), data, how)
	if werr != nil {
		return "", werr
	}
	name := path
	if how.NoClobber > 0 {
		name, werr = claimFree(tmp, path, how.NoClobber)
		// A hard link leaves the temporary name on the file; after the
		// fallback's rename there is nothing left to remove.
		os.Remove(tmp)
	} else if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		werr = &writeError{"replace the file", path, err}
	}
	if werr != nil {
		return "", werr
	}
	syncDir(dir)
	return name, nil
}

// writeTemp writes data to a new hidden file in dir, named after base so
// that a user who sees it knows what it is, and syncs it. On failure it
// leaves nothing.
func writeTemp(dir, base string, data []byte, how AtomicWrite) (string, *writeError) {
	var f *os.File
	var err error
	for range 10 {
		var r [6]byte
		_, _ = rand.Read(r[:])
		name := filepath.Join(dir, "."+base+tempInfix+hex.EncodeToString(r[:]))
		f, err = os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, how.Perm)
		if !errors.Is(err, fs.ErrExist) {
			break
		}
	}
	if err != nil {
		return "", &writeError{"create temporary file", dir, err}
	}
	tmp := f.Name()
	fail := func(step string, err error) (string, *writeError) {
		f.Close() // after a failed Close, a second one only reports it again
		os.Remove(tmp)
		return "", &writeError{step + " " + tmp, dir, err}
	}
	if how.ExactPerm {
		// Windows keeps no Unix mode bits to set.
		if err := f.Chmod(how.Perm); err != nil && runtime.GOOS != "windows" {
			return fail("set mode of", err)
		}
	}
	if _, err := f.Write(data); err != nil {
		return fail("write", err)
	}
	if err := f.Sync(); err != nil {
		return fail("sync", err)
	}
	if err := f.Close(); err != nil {
		return fail("close", err)
	}
	return tmp, nil
}

// claimFree gives the complete file tmp the first free name among path,
// path_2, … path_n.
func claimFree(tmp, path string, n int) (string, *writeError) {
	name, err := firstFree(path, n, func(name string) error { return claim(tmp, name) })
	if err != nil {
		return "", &writeError{"name the file", name, err}
	}
	return name, nil
}

// firstFree calls take with path, path_2, path_3, … path_n until it does
// not fail with fs.ErrExist, and returns the name it stopped at and take's
// error; when all n are taken, path and an error saying so.
func firstFree(path string, n int, take func(name string) error) (string, error) {
	for i := 1; i <= n; i++ {
		name := path
		if i > 1 {
			name = numbered(path, i)
		}
		if err := take(name); !errors.Is(err, fs.ErrExist) {
			return name, err
		}
	}
	return path, fmt.Errorf("%d files of that name already exist", n)
}

// claim gives the complete file tmp the name name, failing with
// fs.ErrExist when that name is taken. A hard link does it atomically (a
// rename would replace a file silently); on file systems without links
// (FAT, some network shares) the name is reserved with an exclusive create
// and the file renamed over the reservation, which can leave an empty file,
// never a partial one, if the machine stops in between.
func claim(tmp, name string) error {
	err := os.Link(tmp, name)
	if err == nil || errors.Is(err, fs.ErrExist) {
		return err
	}
	f, rerr := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if rerr != nil {
		return rerr
	}
	f.Close()
	if rerr := os.Rename(tmp, name); rerr != nil {
		os.Remove(name)
		return rerr
	}
	return nil
}

// tempInfix is between the final name and the random part of a temporary
// file's name. tempName matches the names writeTemp makes: hidden, then
// tempInfix and 12 hexadecimal digits.
const tempInfix = ".tmp-"

var tempName = regexp.MustCompile(`^\..+\.tmp-[0-9a-f]{12}$`)

// staleTempAge is how old a temporary file must be to have been left by a
// process that died: one being written is seconds old at most, even synced
// to an SD card or on a network share whose clock is somewhat off.
const staleTempAge = time.Hour

// tidied holds the folders this process has removed stale temporary files
// from: once per folder is enough, since this process leaves none.
var tidied sync.Map

// tidyOnce removes the stale temporary files in dir the first time this
// process writes there.
func tidyOnce(dir string) {
	if _, done := tidied.LoadOrStore(dir, true); !done {
		removeStaleTemps(dir, time.Now())
	}
}

// removeStaleTemps deletes the temporary files WriteFileAtomic leaves in
// dir when the process dies before the file gets its name: they are
// hidden, so nobody else would. Best effort: one it cannot delete takes room,
// nothing more.
func removeStaleTemps(dir string, now time.Time) {
	d, err := os.Open(dir)
	if err != nil {
		return
	}
	defer d.Close()
	for {
		// In batches, unsorted: a folder may hold years of snapshots.
		entries, err := d.ReadDir(256)
		for _, e := range entries {
			if !e.Type().IsRegular() || !tempName.MatchString(e.Name()) {
				continue
			}
			if info, err := e.Info(); err == nil && now.Sub(info.ModTime()) > staleTempAge {
				os.Remove(filepath.Join(dir, e.Name()))
			}
		}
		if err != nil {
			return
		}
	}
}

// syncDir makes a new name durable. Best effort: the file is complete
// either way, and Windows cannot sync a folder.
func syncDir(dir string) {
	if runtime.GOOS == "windows" {
		return
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
