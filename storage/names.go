package storage

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// maxNameBytes bounds a sanitised camera name. It is a folder name and the
// start of a file name, which most file systems cap at 255 bytes; the
// timestamp, a counter and the extension add about 30.
const maxNameBytes = 80

// unnamed stands in for a camera name with nothing usable in it.
const unnamed = "camera"

// SanitizeName turns a camera name into a file or folder name that is valid
// on Windows, macOS and Linux and cannot leave the folder it is joined to: no
// path separator or character Windows forbids (replaced by _), no control or
// invisible formatting character (such as a right-to-left override, which
// disguises a name), no leading or trailing dot or space (so never "." or
// "..", no hidden file, nothing Windows would silently strip), no device name
// Windows reserves (CON, con.txt, COM1… get a leading _), at most 80 bytes of
// valid UTF-8, and never empty ("camera"). Names that are already fine, spaces
// and non-Latin letters included, are kept as they are.
func SanitizeName(name string) string {
	name = strings.ToValidUTF8(name, "_")
	var b strings.Builder
	for _, r := range name {
		if forbiddenInName(r) {
			r = '_'
		}
		b.WriteRune(r)
	}
	s := trimName(truncate(trimName(b.String()), maxNameBytes))
	if s == "" {
		return unnamed
	}
	if reservedOnWindows(s) {
		s = trimName(truncate("_"+s, maxNameBytes))
	}
	return s
}

// forbiddenInName reports the characters no file name may hold on some
// system, or that hide what a name is.
func forbiddenInName(r rune) bool {
	switch {
	case strings.ContainsRune(`/\:*?"<>|`, r):
		return true
	case unicode.IsControl(r), unicode.Is(unicode.Cf, r), unicode.Is(unicode.Zl, r), unicode.Is(unicode.Zp, r):
		return true
	}
	return false
}

// trimName removes the leading and trailing dots and spaces.
func trimName(s string) string {
	return strings.TrimFunc(s, func(r rune) bool { return r == '.' || unicode.IsSpace(r) })
}

// truncate cuts s to at most n bytes without splitting a character.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// reservedOnWindows reports names Windows takes for devices, whatever their
// case and extension: "nul.jpg" opens the null device, not a file.
func reservedOnWindows(s string) bool {
	base, _, _ := strings.Cut(s, ".")
	base = strings.ToUpper(strings.TrimRightFunc(base, unicode.IsSpace))
	switch base {
	case "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$":
		return true
	}
	if len(base) >= 4 && (strings.HasPrefix(base, "COM") || strings.HasPrefix(base, "LPT")) {
		switch base[3:] {
		case "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³":
			return true
		}
	}
	return false
}

// The placeholders of a snapshot file name pattern.
const (
	placeholderCamera    = "{camera}"
	placeholderTimestamp = "{timestamp}"
)

// timestampLayout is {timestamp}: UTC, to the millisecond, with a Z. UTC
// rather than local time because it sorts in time order across daylight
// saving changes and time zones, and it reads the same on every machine that
// lists the folder; compact ISO 8601 basic format because it sorts as text.
const timestampLayout = "20060102T150405.000Z"

// Timestamp formats t as the {timestamp} of a snapshot's file name, for
// example 20261122T223501.123Z.
func Timestamp(t time.Time) string { return t.UTC().Format(timestampLayout) }

// patternProblem says what is wrong with a file name pattern, or returns "".
// The rules keep a configuration portable: a pattern that works on Linux
// works on Windows.
func patternProblem(p string) string {
	if strings.TrimSpace(p) == "" {
		return "is empty"
	}
	if strings.Contains(p, `\`) {
		return `contains \; separate folders with /`
	}
	if filepath.IsAbs(p) || strings.HasPrefix(p, "/") {
		return "must be relative to the snapshot folder"
	}
	rest := p
	for {
		i := strings.IndexAny(rest, "{}")
		if i < 0 {
			break
		}
		if rest[i] == '}' {
			return "has a } without its {"
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return "has a { without its }"
		}
		if ph := rest[i : i+j+1]; ph != placeholderCamera && ph != placeholderTimestamp {
			return fmt.Sprintf("has the unknown placeholder %s (known: %s, %s)", ph, placeholderCamera, placeholderTimestamp)
		}
		rest = rest[i+j+1:]
	}
	for _, seg := range strings.Split(p, "/") {
		literal := strings.NewReplacer(placeholderCamera, "x", placeholderTimestamp, "x").Replace(seg)
		switch {
		case seg == "":
			return "has an empty folder name (// or a / at an end)"
		case seg == "." || seg == "..":
			return "must not contain . or .. folders"
		case trimName(literal) != literal:
			return fmt.Sprintf("has the name %q, which starts or ends with a dot or a space", seg)
		case strings.IndexFunc(literal, forbiddenInName) >= 0:
			return fmt.Sprintf("has the name %q; names cannot hold control characters or any of %s", seg, `: * ? " < > |`)
		case reservedOnWindows(literal):
			return fmt.Sprintf("has the name %q, which Windows reserves for a device", seg)
		}
	}
	return ""
}

// expandPattern is the path, relative to the snapshot folder, of a snapshot
// of camera taken at t; pattern has passed patternProblem.
func expandPattern(pattern, camera string, t time.Time) (string, error) {
	rel := strings.NewReplacer(placeholderCamera, SanitizeName(camera), placeholderTimestamp, Timestamp(t)).Replace(pattern)
	rel = filepath.FromSlash(rel)
	if !filepath.IsLocal(rel) {
		return "", errOutside
	}
	return rel, nil
}

var errOutside = errors.New("the file would be outside the snapshot folder")

// within reports whether path is root or lies inside it; both are clean
// absolute paths.
func within(root, path string) bool {
	rel, err := filepath.Rel(root, path)
	if err != nil {
		return false
	}
	return rel == "." || filepath.IsLocal(rel)
}

// numbered is path with _n before its extension: the name of the n-th
// snapshot that wanted the same name (n ≥ 2).
func numbered(path string, n int) string {
	ext := filepath.Ext(path)
	return fmt.Sprintf("%s_%d%s", strings.TrimSuffix(path, ext), n, ext)
}
