package storage

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// RecordSettings is the optional recording section of the configuration.
// Every field may be left out.
type RecordSettings struct {
	// Dir is the folder recordings are written in, absolute or starting
	// with ~/; it defaults to DefaultRecordDir(). Files are
	// Dir/{camera}/{camera}_{timestamp}.mp4 (CreateRecording).
	Dir string `yaml:"dir,omitempty"`
	// Segment is how long a file lasts before the next one starts, as Go
	// writes durations (90s, 5m, 1h); it defaults to DefaultSegment.
	Segment string `yaml:"segment,omitempty"`
	// MaxAge deletes a camera's recordings older than this, as a duration
	// or a number of days (30d); no limit when left out.
	MaxAge string `yaml:"max_age,omitempty"`
	// MaxSize deletes a camera's oldest recordings while they take more
	// than this, in bytes or with a unit (500MB, 20GB, 1TB: powers of
	// 1000); no limit when left out.
	MaxSize string `yaml:"max_size,omitempty"`
	// GroupReadable lets the user's group read the recordings: files 0640
	// and folders 0750 instead of 0600 and 0700 (footageModes).
	GroupReadable bool `yaml:"group_readable,omitempty"`
	// PruneUnconfigured applies MaxAge and MaxSize to the folders of the
	// recording folder that belong to no configured camera too (cameras
	// renamed or removed): PruneUnconfigured. Off when left out.
	PruneUnconfigured bool `yaml:"prune_unconfigured,omitempty"`
}

// RecordPlan is the recording section with its defaults applied.
type RecordPlan struct {
	Dir       string // absolute and clean
	Segment   time.Duration
	Retention Retention
	// GroupReadable is RecordSettings.GroupReadable.
	GroupReadable bool
	// PruneUnconfigured is RecordSettings.PruneUnconfigured.
	PruneUnconfigured bool
}

// recordKeys are RecordSettings' keys, in struct order.
var recordKeys = []string{"dir", "segment", "max_age", "max_size", "group_readable", "prune_unconfigured"}

// recordField maps a text key of the recording section to its field; nil
// for group_readable and prune_unconfigured, booleans (recordFlag).
func recordField(s *RecordSettings, key string) *string {
	switch key {
	case "dir":
		return &s.Dir
	case "segment":
		return &s.Segment
	case "max_age":
		return &s.MaxAge
	case "max_size":
		return &s.MaxSize
	}
	return nil
}

// recordFlag maps a boolean key of the recording section to its field; nil
// for the text keys.
func recordFlag(s *RecordSettings, key string) *bool {
	switch key {
	case "group_readable":
		return &s.GroupReadable
	case "prune_unconfigured":
		return &s.PruneUnconfigured
	}
	return nil
}

// Bounds of a segment: shorter files are a nuisance to browse, longer ones
// lose more to a crash of the disk's file system.
const (
	minSegment = 10 * time.Second
	maxSegment = 24 * time.Hour
)

// problems checks the section as written; defaults are not applied.
func (s RecordSettings) problems() []settingProblem {
	var ps []settingProblem
	add := func(key, format string, args ...any) {
		ps = append(ps, settingProblem{key, "recording: " + fmt.Sprintf(format, args...)})
	}
	bad := map[string]bool{}
	for _, key := range recordKeys {
		v := recordField(&s, key)
		if v == nil {
			continue
		}
		if msg := textProblem(key, *v); msg != "" {
			add(key, "%s", msg)
			bad[key] = true
		}
	}
	if s.Dir != "" && !bad["dir"] && !filepath.IsAbs(s.Dir) && !isHomeRelative(s.Dir) {
		add("dir", "dir must be an absolute folder, or start with ~/ for your home folder, not %s", quote(s.Dir))
	}
	if s.Segment != "" && !bad["segment"] {
		if d, err := time.ParseDuration(s.Segment); err != nil || d < minSegment || d > maxSegment {
			add("segment", "segment must be a duration from %s to %s such as 5m, not %s", minSegment, maxSegment, quote(s.Segment))
		}
	}
	if s.MaxAge != "" && !bad["max_age"] {
		if d, err := parseAge(s.MaxAge); err != nil || d <= 0 {
			add("max_age", "max_age must be a duration such as 72h or a number of days such as 30d, not %s", quote(s.MaxAge))
		}
	}
	if s.MaxSize != "" && !bad["max_size"] {
		if n, err := parseSize(s.MaxSize); err != nil || n <= 0 {
			add("max_size", "max_size must be a size such as 500MB or 20GB, not %s", quote(s.MaxSize))
		}
	}
	return ps
}

// parseAge reads a Go duration, or whole days written as 30d.
func parseAge(v string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n > 100000 {
			return 0, fmt.Errorf("not a number of days: %q", v)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(v)
}

// parseSize reads a byte count with an optional unit, in powers of 1000 as
// disks are sold.
func parseSize(v string) (int64, error) {
	num := strings.TrimSpace(v)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"TB", 1e12}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"B", 1}} {
		if rest, ok := strings.CutSuffix(strings.ToUpper(num), u.suffix); ok {
			num, mult = strings.TrimSpace(rest), u.mult
			break
		}
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || f < 0 || f*float64(mult) > 1e18 {
		return 0, fmt.Errorf("not a size: %q", v)
	}
	return int64(f * float64(mult)), nil
}

// Validate reports every problem of the settings, one per line.
func (s RecordSettings) Validate() error {
	var errs []error
	for _, p := range s.problems() {
		errs = append(errs, errors.New(p.msg))
	}
	return errors.Join(errs...)
}

// Resolved returns the settings with the defaults applied.
func (s RecordSettings) Resolved() (RecordPlan, error) {
	if err := s.Validate(); err != nil {
		return RecordPlan{}, err
	}
	// Checked by Validate: the parse errors cannot happen.
	p := RecordPlan{Segment: DefaultSegment, GroupReadable: s.GroupReadable, PruneUnconfigured: s.PruneUnconfigured}
	if s.Segment != "" {
		p.Segment, _ = time.ParseDuration(s.Segment)
	}
	if s.MaxAge != "" {
		p.Retention.MaxAge, _ = parseAge(s.MaxAge)
	}
	if s.MaxSize != "" {
		p.Retention.MaxBytes, _ = parseSize(s.MaxSize)
	}
	dir, err := s.dir()
	if err != nil {
		return RecordPlan{}, err
	}
	p.Dir = dir
	return p, nil
}

func (s RecordSettings) dir() (dir string, err error) {
	switch {
	case s.Dir == "":
		if dir, err = DefaultRecordDir(); err != nil {
			return "", err
		}
	case isHomeRelative(s.Dir):
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("recording: find the home folder for %s: %w", s.Dir, err)
		}
		dir = filepath.Join(home, s.Dir[1:])
	default:
		dir = s.Dir
	}
	return filepath.Clean(dir), nil
}
