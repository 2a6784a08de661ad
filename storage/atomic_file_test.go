package storage

import (
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestWriteFileAtomic(t *testing.T) {
	umask := currentUmask(t)
	const data = "new"
	tests := []struct {
		name string
		// setup makes what is there before the write and returns the path
		// to write, relative to the test's folder.
		setup func(t *testing.T, dir string) string
		how   AtomicWrite
		// want is the file written, relative to the folder; "" when the
		// write must fail with an error containing wantErr and change
		// nothing.
		want    string
		wantErr string
		// made are the folders the write makes.
		made []string
		// modes are the modes the write must leave, by path relative to
		// the folder; Unix only.
		modes map[string]fs.FileMode
		links bool // needs symbolic links
	}{
		{
			name:  "writes a new file and makes its folders",
			setup: func(t *testing.T, dir string) string { return "a/b/f" },
			how:   AtomicWrite{Perm: 0o640, DirPerm: 0o750},
			want:  "a/b/f",
			made:  []string{"a", "a/b"},
			modes: map[string]fs.FileMode{"a": 0o750 &^ umask, "a/b": 0o750 &^ umask, "a/b/f": 0o640 &^ umask},
		},
		{
			// The old file, still reachable through a second link, keeps its
			// bytes: the new one was written apart and renamed over it, not
			// written into it.
			name: "replaces an existing file atomically",
			setup: func(t *testing.T, dir string) string {
				writeTestFile(t, dir, "f", "old", 0o600)
				if err := os.Link(filepath.Join(dir, "f"), filepath.Join(dir, "old")); err != nil {
					t.Skip("no hard links here:", err)
				}
				return "f"
			},
			how:  AtomicWrite{Perm: 0o600},
			want: "f",
		},
		{
			name:  "keeps the mode asked for, less the umask",
			setup: func(t *testing.T, dir string) string { return "f" },
			how:   AtomicWrite{Perm: 0o666},
			want:  "f",
			modes: map[string]fs.FileMode{"f": 0o666 &^ umask},
		},
		{
			name:  "keeps the exact mode asked for, whatever the umask",
			setup: func(t *testing.T, dir string) string { return "f" },
			how:   AtomicWrite{Perm: 0o666, ExactPerm: true},
			want:  "f",
			modes: map[string]fs.FileMode{"f": 0o666},
		},
		{
			name:  "gives a replaced file the mode asked for, not its old one",
			setup: existing("f"),
			how:   AtomicWrite{Perm: 0o600, ExactPerm: true},
			want:  "f",
			modes: map[string]fs.FileMode{"f": 0o600},
		},
		{
			name:  "refuses to overwrite when asked not to",
			setup: existing("f.jpg"),
			how:   AtomicWrite{Perm: 0o644, NoClobber: 3},
			want:  "f_2.jpg",
		},
		{
			name:  "takes the first free number",
			setup: existing("f.jpg", "f_2.jpg"),
			how:   AtomicWrite{Perm: 0o644, NoClobber: 3},
			want:  "f_3.jpg",
		},
		{
			name:    "gives up when every name is taken, leaving no temporary file",
			setup:   existing("f.jpg", "f_2.jpg"),
			how:     AtomicWrite{Perm: 0o644, NoClobber: 2},
			wantErr: "name the file: 2 files of that name already exist",
		},
		{
			name:  "does not write through a symbolic link in the way when asked not to overwrite",
			setup: linked("f.jpg", "elsewhere"),
			how:   AtomicWrite{Perm: 0o644, NoClobber: 2},
			want:  "f_2.jpg",
			links: true,
		},
		{
			name:  "writes through a symbolic link when asked",
			setup: linked("f", "target", "target"),
			how:   AtomicWrite{Perm: 0o600, ThroughLink: true},
			want:  "target",
			links: true,
		},
		{
			name:  "replaces a symbolic link when not asked to write through it",
			setup: linked("f", "target", "target"),
			how:   AtomicWrite{Perm: 0o600},
			want:  "f",
			links: true,
		},
		{
			name: "leaves no temporary file when the rename fails",
			setup: func(t *testing.T, dir string) string {
				writeTestFile(t, dir, "f/inside", "old", 0o600)
				return "f"
			},
			how:     AtomicWrite{Perm: 0o600},
			wantErr: "replace the file: ",
		},
		{
			name: "leaves nothing when the folder cannot be made",
			setup: func(t *testing.T, dir string) string {
				writeTestFile(t, dir, "file", "old", 0o600)
				return "file/f"
			},
			how:     AtomicWrite{Perm: 0o600, DirPerm: 0o700},
			wantErr: "create directory: ",
		},
		{
			name:    "makes no folder unless asked",
			setup:   func(t *testing.T, dir string) string { return "a/f" },
			how:     AtomicWrite{Perm: 0o600},
			wantErr: "create temporary file: ",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if runtime.GOOS == "windows" && (tc.links || tc.modes != nil) {
				t.Skip("Unix modes and symbolic links")
			}
			dir := t.TempDir()
			path := filepath.Join(dir, tc.setup(t, dir))
			before := fileTree(t, dir)

			got, err := WriteFileAtomic(path, []byte(data), tc.how)

			want := maps.Clone(before)
			if tc.want == "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("WriteFileAtomic = %q, %v; want an error containing %q", got, err, tc.wantErr)
				}
			} else {
				if err != nil {
					t.Fatalf("WriteFileAtomic: %v", err)
				}
				if wantPath := filepath.Join(dir, tc.want); got != wantPath {
					t.Errorf("WriteFileAtomic wrote %s, want %s", got, wantPath)
				}
				want[tc.want] = data
			}
			for _, rel := range tc.made {
				want[rel] = "folder"
			}
			// Everything else is as it was, and no temporary file is left.
			after := fileTree(t, dir)
			if !maps.Equal(after, want) {
				t.Errorf("the folder holds\n%q\nwant\n%q", after, want)
			}
			for rel, mode := range tc.modes {
				fi, err := os.Stat(filepath.Join(dir, rel))
				if err != nil {
					t.Fatal(err)
				}
				if got := fi.Mode().Perm(); got != mode {
					t.Errorf("mode of %s = %v, want %v", rel, got, mode)
				}
			}
		})
	}
}

// fileTree describes what dir holds, by slash-separated relative path: a
// file's content, "folder", or "-> target" for a symbolic link.
func fileTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	tree := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(path)
			tree[rel] = "-> " + target
			return err
		case d.IsDir():
			tree[rel] = "folder"
			return nil
		}
		data, err := os.ReadFile(path)
		tree[rel] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return tree
}

// existing is a setup that makes files of the given names, mode 0644, each
// holding its own name, and writes to the first.
func existing(names ...string) func(t *testing.T, dir string) string {
	return func(t *testing.T, dir string) string {
		for _, name := range names {
			writeTestFile(t, dir, name, name, 0o644)
		}
		return names[0]
	}
}

// linked is a setup that makes files of the given names, as existing does,
// and a symbolic link name to target, and writes to the link.
func linked(name, target string, files ...string) func(t *testing.T, dir string) string {
	return func(t *testing.T, dir string) string {
		for _, file := range files {
			writeTestFile(t, dir, file, file, 0o644)
		}
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Fatal(err)
		}
		return name
	}
}

// writeTestFile writes a file of the test, with its folders, with exactly
// the mode given.
func writeTestFile(t *testing.T, dir, rel, content string, mode fs.FileMode) {
	t.Helper()
	path := filepath.Join(dir, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// currentUmask reads the process's umask from the mode a new file gets,
// without setting it as syscall.Umask would for the whole process.
func currentUmask(t *testing.T) fs.FileMode {
	t.Helper()
	path := filepath.Join(t.TempDir(), "umask")
	if err := os.WriteFile(path, nil, 0o777); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return 0o777 &^ fi.Mode().Perm()
}
