package storage

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// hostileNames are camera names that must not escape the snapshot folder or
// make an invalid file name on any system.
var hostileNames = []struct {
	name string
	in   string
	want string
}{
	{"parent folder", "../x", "_x"},
	{"parent folders only", "../..", "_"},
	{"path inside", "a/b", "a_b"},
	{"windows path", `..\..\Windows\System32`, `_.._Windows_System32`},
	{"absolute path", "/etc/passwd", "_etc_passwd"},
	{"drive letter", "C:", "C_"},
	{"device name", "CON", "_CON"},
	{"device name with an extension", "con.txt", "_con.txt"},
	{"device name before a space and extension", "nul .jpg", "_nul .jpg"},
	{"numbered device", "COM1", "_COM1"},
	{"numbered device in lower case", "lpt9.log", "_lpt9.log"},
	{"superscript device", "COM¹", "_COM¹"},
	{"300 characters", strings.Repeat("x", 300), strings.Repeat("x", maxNameBytes)},
	{"300 two-byte characters are cut between characters", strings.Repeat("é", 300), strings.Repeat("é", maxNameBytes/2)},
	{"empty", "", unnamed},
	{"only spaces", "   ", unnamed},
	{"only dots", "...", unnamed},
	{"dot", ".", unnamed},
	{"hidden file", ".profile", "profile"},
	{"trailing dots and spaces Windows strips", "cam. . ", "cam"},
	{"control characters", "a\x00b\x1fc\nd\x7f", "a_b_c_d_"},
	{"line separator", "a\u2028b", "a_b"},
	{"right-to-left override disguising an extension", "cam\u202Egpj.exe", "cam_gpj.exe"},
	{"zero-width space", "ca\u200bm", "ca_m"},
	{"characters Windows forbids", `a<b>c:d"e|f?g*h`, "a_b_c_d_e_f_g_h"},
	{"invalid UTF-8", "caf\xe9", "caf_"},
	{"cut at the limit then trimmed", strings.Repeat("x", maxNameBytes-1) + " y", strings.Repeat("x", maxNameBytes-1)},
}

func TestSanitizeNameHostileNames(t *testing.T) {
	for _, tc := range hostileNames {
		t.Run(tc.name, func(t *testing.T) {
			got := SanitizeName(tc.in)
			if got != tc.want {
				t.Errorf("SanitizeName(%q) = %q, want %q", tc.in, got, tc.want)
			}
			checkValidName(t, got, maxNameBytes)
		})
	}
}

func TestSanitizeNameKeepsOrdinaryNames(t *testing.T) {
	for _, name := range []string{"front door", "Caméra 東", "cam-01_a.b", "garage (north)", "2024", "CONSOLE", "COM10", "lpt", "a..b"} {
		if got := SanitizeName(name); got != name {
			t.Errorf("SanitizeName(%q) = %q, want it unchanged", name, got)
		}
	}
}

// checkValidName asserts what SanitizeName promises, independently of how it
// does it; maxBytes is 255 for whole file names, the common file system limit.
func checkValidName(t *testing.T, name string, maxBytes int) {
	t.Helper()
	switch {
	case name == "" || name == "." || name == "..":
		t.Errorf("name %q is empty or a folder reference", name)
	case !utf8.ValidString(name):
		t.Errorf("name %q is not valid UTF-8", name)
	case len(name) > maxBytes:
		t.Errorf("name %q is %d bytes, more than %d", name, len(name), maxBytes)
	case strings.ContainsAny(name, `/\:*?"<>|`):
		t.Errorf("name %q holds a separator or a character Windows forbids", name)
	case strings.IndexFunc(name, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) >= 0:
		t.Errorf("name %q holds a control or formatting character", name)
	case strings.HasPrefix(name, ".") || strings.HasSuffix(name, ".") || strings.TrimSpace(name) != name:
		t.Errorf("name %q starts or ends with a dot or a space", name)
	case reservedOnWindows(name):
		t.Errorf("name %q is a Windows device name", name)
	case !filepath.IsLocal(name) || filepath.Base(name) != name:
		t.Errorf("name %q is not a single local path element", name)
	}
}

// TestHostileCameraNamesLandInsideTheFolder writes a snapshot for every
// hostile name with the default pattern, which uses the name twice, as a
// folder and in the file name.
func TestHostileCameraNamesLandInsideTheFolder(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "snaps")
	s := startSnapshotter(t, SnapshotSettings{Dir: dir})
	results := make(chan Result, len(hostileNames))
	for _, tc := range hostileNames {
		if err := s.Submit(Request{Camera: tc.in, Source: ImageSource(testImage(16, 16, 0)), Done: func(r Result) { results <- r }}); err != nil {
			t.Fatal(err)
		}
	}
	s.Wait()
	close(results)
	for r := range results {
		if r.Err != nil {
			t.Errorf("camera %q: %v", r.Camera, r.Err)
			continue
		}
		rel, err := filepath.Rel(dir, r.Path)
		if err != nil || !filepath.IsLocal(rel) {
			t.Errorf("camera %q written outside the folder: %s", r.Camera, r.Path)
			continue
		}
		parts := strings.Split(rel, string(filepath.Separator))
		if len(parts) != 2 {
			t.Errorf("camera %q: %s is not FOLDER/FILE", r.Camera, rel)
		}
		for _, p := range parts {
			checkValidName(t, p, 255)
		}
		if _, err := os.Stat(r.Path); err != nil {
			t.Errorf("camera %q: %v", r.Camera, err)
		}
	}
	// Nothing was written next to the folder.
	entries, _ := os.ReadDir(root)
	if len(entries) != 1 || entries[0].Name() != "snaps" {
		t.Errorf("files outside the snapshot folder: %v", entries)
	}
}

func FuzzSanitizeName(f *testing.F) {
	for _, tc := range hostileNames {
		f.Add(tc.in)
	}
	f.Fuzz(func(t *testing.T, name string) {
		got := SanitizeName(name)
		checkValidName(t, got, maxNameBytes)
		if again := SanitizeName(got); again != got {
			t.Errorf("SanitizeName is not stable: %q then %q", got, again)
		}
	})
}

func TestTimestampIsUTCToTheMillisecondAndSortsAsText(t *testing.T) {
	paris := time.FixedZone("CET", 3600)
	at := time.Date(2026, 11, 22, 23, 35, 1, 123_456_789, paris)
	if got, want := Timestamp(at), "20261122T223501.123Z"; got != want {
		t.Errorf("Timestamp = %q, want %q", got, want)
	}
	if got, want := Timestamp(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)), "20260102T030405.000Z"; got != want {
		t.Errorf("Timestamp of a whole second = %q, want %q (always three digits)", got, want)
	}
	// Times an hour apart across a daylight saving change, in local zones
	// whose offsets differ, still sort in time order.
	times := []time.Time{
		time.Date(2026, 10, 25, 2, 30, 0, 0, time.FixedZone("CEST", 2*3600)),
		time.Date(2026, 10, 25, 2, 10, 0, 0, time.FixedZone("CET", 3600)),
		time.Date(2026, 10, 25, 2, 10, 0, 1_000_000, time.FixedZone("CET", 3600)),
	}
	var stamps []string
	for _, tm := range times {
		stamps = append(stamps, Timestamp(tm))
	}
	if !slices.IsSorted(stamps) {
		t.Errorf("timestamps in time order do not sort: %q", stamps)
	}
}

func TestPatternProblems(t *testing.T) {
	tests := []struct {
		pattern string
		want    string // a fragment; "" when valid
	}{
		{DefaultSnapshotPattern, ""},
		{"{timestamp}_{camera}.png", ""},
		{"all/{camera} {timestamp}", ""},
		{"", "is empty"},
		{"/abs/{camera}.jpg", "must be relative"},
		{`{camera}\{timestamp}.jpg`, "separate folders with /"},
		{"../{camera}.jpg", "must not contain . or .. folders"},
		{"a/./{camera}.jpg", "must not contain . or .. folders"},
		{"a//{camera}.jpg", "empty folder name"},
		{"{camera}/", "empty folder name"},
		{"{cam}.jpg", "unknown placeholder {cam}"},
		{"{camera.jpg", "{ without its }"},
		{"camera}.jpg", "} without its {"},
		{"C:/{camera}.jpg", "control characters or any of"},
		{"nul/{camera}.jpg", "Windows reserves"},
		{".hidden/{camera}.jpg", "starts or ends with a dot"},
		{"{camera}\x01.jpg", "control characters"},
	}
	for _, tc := range tests {
		got := patternProblem(tc.pattern)
		if (tc.want == "") != (got == "") || !strings.Contains(got, tc.want) {
			t.Errorf("patternProblem(%q) = %q, want %q", tc.pattern, got, tc.want)
		}
	}
}

func TestNumberedPutsTheCounterBeforeTheExtension(t *testing.T) {
	if got, want := numbered(filepath.Join("d", "cam_1.jpg"), 3), filepath.Join("d", "cam_1_3.jpg"); got != want {
		t.Errorf("numbered = %q, want %q", got, want)
	}
}

// startSnapshotter starts a Snapshotter closed when the test ends.
func startSnapshotter(t testing.TB, settings SnapshotSettings) *Snapshotter {
	t.Helper()
	s := &Snapshotter{Settings: settings, Workers: 2}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// testImage is a w×h image of one grey level.
func testImage(w, h int, grey uint8) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = grey, grey, grey, 255
	}
	return img
}
