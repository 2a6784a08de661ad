//go:build !windows

package storage

import (
	"context"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// userFolder asks xdg-user-dir for the folder: desktops in other languages
// name it otherwise ("Bilder", "Vidéos"). macOS has no such tool, and ""
// sends the caller to the folder under home (~/Pictures, ~/Videos).
func userFolder(home string, f folder) string {
	if runtime.GOOS == "darwin" {
		return ""
	}
	which := map[folder]string{folderPictures: "PICTURES", folderVideos: "VIDEOS"}[f]
	return xdgUserDir(home, which)
}

// xdgUserDir asks xdg-user-dir for one of the user's folders; "" when it is
// not installed or the folder is not configured (it then answers the home
// folder itself, where footage does not belong).
func xdgUserDir(home, which string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "xdg-user-dir", which).Output()
	if err != nil {
		return ""
	}
	dir := strings.TrimSpace(string(out))
	if !filepath.IsAbs(dir) || filepath.Clean(dir) == filepath.Clean(home) {
		return ""
	}
	return filepath.Clean(dir)
}
