package storage

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/sys/windows"
)

// TestWindowsFoldersAreTheUsersOwn: without configuration, camwall keeps its
// configuration in %AppData%\camwall and its footage in the Pictures and
// Videos known folders, as Explorer shows them.
func TestWindowsFoldersAreTheUsersOwn(t *testing.T) {
	pictures, err := windows.KnownFolderPath(windows.FOLDERID_Pictures, 0)
	if err != nil {
		t.Fatal(err)
	}
	videos, err := windows.KnownFolderPath(windows.FOLDERID_Videos, 0)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		get  func() (string, error)
		want string
	}{
		{"configuration in AppData", DefaultConfigPath, filepath.Join(os.Getenv("APPDATA"), "camwall", "config.yaml")},
		{"snapshots in Pictures", DefaultSnapshotDir, filepath.Join(pictures, "camwall")},
		{"recordings in Videos", DefaultRecordDir, filepath.Join(videos, "camwall")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := tc.get()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.EqualFold(got, tc.want) || !filepath.IsAbs(got) || !strings.Contains(got, `\`) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestHomeRelativeFoldersTakeBackslashes: ~\snaps is a folder under the home
// folder on Windows, as ~/snaps is everywhere.
func TestHomeRelativeFoldersTakeBackslashes(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{`~\snaps`, `~/snaps`} {
		t.Run(dir, func(t *testing.T) {
			s, err := SnapshotSettings{Dir: dir}.Resolved()
			if err != nil {
				t.Fatal(err)
			}
			if want := filepath.Join(home, "snaps"); s.Dir != want {
				t.Errorf("Dir = %q, want %q", s.Dir, want)
			}
		})
	}
}

// TestSanitisedNamesAreTheFilesNTFSWrites: Windows strips trailing dots and
// spaces and opens a device for CON or nul.jpg, so a name written is not
// always the name listed; every sanitised hostile name is.
func TestSanitisedNamesAreTheFilesNTFSWrites(t *testing.T) {
	for _, tc := range hostileNames {
		t.Run(tc.name, func(t *testing.T) {
			dir := wineSafeTempDir(t)
			name := SanitizeName(tc.in) + ".jpg"
			if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
				t.Fatalf("write %q: %v", name, err)
			}
			entries, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if len(entries) != 1 || entries[0].Name() != name {
				t.Errorf("wrote %q, the folder lists %v", name, entries)
			}
		})
	}
}

// wineSafeTempDir is t.TempDir for the tests that also run under Wine
// (make test-windows): Go's os.RemoveAll, which t.TempDir's cleanup uses,
// deletes with FileDispositionInformationEx, which Wine 8.0 refuses with an
// error Go does not fall back from ("Invalid function"); os.Remove, file by
// file, works on both.
func wineSafeTempDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "camwall-test-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		var paths []string
		_ = filepath.WalkDir(dir, func(p string, _ os.DirEntry, err error) error {
			paths = append(paths, p)
			return err
		})
		for i := len(paths) - 1; i >= 0; i-- { // children before their folder
			if err := os.Remove(paths[i]); err != nil {
				t.Errorf("clean up: %v", err)
			}
		}
	})
	return dir
}
