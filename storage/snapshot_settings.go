package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// SnapshotSettings is the optional snapshots section of the configuration.
// Every field may be left out.
type SnapshotSettings struct {
	// Dir is the folder snapshots are written in, absolute or starting with
	// ~/; it defaults to DefaultSnapshotDir().
	Dir string `yaml:"dir,omitempty"`
	// Pattern is the file's path inside Dir, with / between folders and the
	// placeholders {camera} (the camera's name, sanitised) and {timestamp}
	// (see Timestamp). It defaults to DefaultSnapshotPattern, with .png for
	// the PNG format. A pattern without an image extension gets the format's.
	Pattern string `yaml:"pattern,omitempty"`
	// Format is jpeg (also written jpg) or png; it defaults to what the
	// pattern's extension says, else jpeg.
	Format string `yaml:"format,omitempty"`
	// Quality is the JPEG quality, 1 to 100; it defaults to 90.
	Quality int `yaml:"quality,omitempty"`
	// GroupReadable lets the user's group read the snapshots: files 0640
	// and folders 0750 instead of 0600 and 0700 (footageModes).
	GroupReadable bool `yaml:"group_readable,omitempty"`
}

// snapshotKeys are SnapshotSettings' keys, in struct order.
var snapshotKeys = []string{"dir", "pattern", "format", "quality", "group_readable"}

// snapshotField maps a text key of the snapshots section to its field.
func snapshotField(s *SnapshotSettings, key string) *string {
	switch key {
	case "dir":
		return &s.Dir
	case "pattern":
		return &s.Pattern
	case "format":
		return &s.Format
	}
	return nil
}

// Snapshot defaults.
const (
	DefaultSnapshotPattern = placeholderCamera + "/" + placeholderCamera + "_" + placeholderTimestamp + ".jpg"
	DefaultSnapshotQuality = 90
)

// Image formats of snapshots.
const (
	FormatJPEG = "jpeg"
	FormatPNG  = "png"
)

// formatOfExt is the format a pattern's extension names, "" for none.
func formatOfExt(pattern string) string {
	switch strings.ToLower(filepath.Ext(pattern)) {
	case ".jpg", ".jpeg":
		return FormatJPEG
	case ".png":
		return FormatPNG
	}
	return ""
}

// settingProblem is one problem of the snapshots section: the key at fault
// and the message.
type settingProblem struct{ key, msg string }

// problems checks the section as written; defaults are not applied.
func (s SnapshotSettings) problems() []settingProblem {
	var ps []settingProblem
	add := func(key, format string, args ...any) {
		ps = append(ps, settingProblem{key, "snapshots: " + fmt.Sprintf(format, args...)})
	}
	bad := map[string]bool{}
	for _, key := range []string{"dir", "pattern", "format"} {
		if msg := textProblem(key, *snapshotField(&s, key)); msg != "" {
			add(key, "%s", msg)
			bad[key] = true
		}
	}
	if s.Dir != "" && !bad["dir"] && !filepath.IsAbs(s.Dir) && !isHomeRelative(s.Dir) {
		add("dir", "dir must be an absolute folder, or start with ~/ for your home folder, not %s", quote(s.Dir))
	}
	format := s.Format
	switch format {
	case "":
	case FormatJPEG, "jpg":
		format = FormatJPEG
	case FormatPNG:
	default:
		if !bad["format"] {
			add("format", "format must be jpeg or png, not %s", quote(s.Format))
		}
		format = ""
	}
	if s.Pattern != "" && !bad["pattern"] {
		if msg := patternProblem(s.Pattern); msg != "" {
			add("pattern", "pattern %s %s", quote(s.Pattern), msg)
		} else if ext := formatOfExt(s.Pattern); ext != "" && format != "" && ext != format {
			add("pattern", "pattern %s ends in %s but format is %s; make them agree", quote(s.Pattern), filepath.Ext(s.Pattern), s.Format)
		}
	}
	if s.Quality != 0 && (s.Quality < 1 || s.Quality > 100) {
		add("quality", "quality must be from 1 to 100, not %d", s.Quality)
	}
	return ps
}

// Validate reports every problem of the settings, one per line.
func (s SnapshotSettings) Validate() error {
	var errs []error
	for _, p := range s.problems() {
		errs = append(errs, errors.New(p.msg))
	}
	return errors.Join(errs...)
}

func isHomeRelative(dir string) bool {
	return dir == "~" || strings.HasPrefix(dir, "~/") || (runtime.GOOS == "windows" && strings.HasPrefix(dir, `~\`))
}

// Resolved returns the settings with every default applied and Dir made an
// absolute, clean path: what a Snapshotter works with. It fails on invalid
// settings, or when no default folder can be found.
func (s SnapshotSettings) Resolved() (SnapshotSettings, error) {
	if err := s.Validate(); err != nil {
		return s, err
	}
	r := s
	if r.Format == "jpg" {
		r.Format = FormatJPEG
	}
	if r.Format == "" {
		r.Format = formatOfExt(r.Pattern)
	}
	if r.Format == "" {
		r.Format = FormatJPEG
	}
	if r.Pattern == "" {
		r.Pattern = DefaultSnapshotPattern
		if r.Format == FormatPNG {
			r.Pattern = strings.TrimSuffix(r.Pattern, ".jpg") + ".png"
		}
	}
	if formatOfExt(r.Pattern) == "" {
		r.Pattern += map[string]string{FormatJPEG: ".jpg", FormatPNG: ".png"}[r.Format]
	}
	if r.Quality == 0 {
		r.Quality = DefaultSnapshotQuality
	}
	switch {
	case r.Dir == "":
		dir, err := DefaultSnapshotDir()
		if err != nil {
			return s, err
		}
		r.Dir = dir
	case isHomeRelative(r.Dir):
		home, err := os.UserHomeDir()
		if err != nil {
			return s, fmt.Errorf("snapshots: find the home folder for %s: %w", r.Dir, err)
		}
		r.Dir = filepath.Join(home, r.Dir[1:])
	}
	r.Dir = filepath.Clean(r.Dir)
	return r, nil
}

// DefaultSnapshotDir is camwall's folder in the user's Pictures folder: the
// one the system names (userFolder: Windows' known folder, Linux's
// xdg-user-dir, as localised desktops call it otherwise), else ~/Pictures.
func DefaultSnapshotDir() (string, error) {
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("find the Pictures folder: %w", err)
	}
	pictures := filepath.Join(home, "Pictures")
	if dir := userFolder(home, folderPictures); dir != "" {
		pictures = dir
	}
	return filepath.Join(pictures, "camwall"), nil
}
