package storage

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// testPassword appears in many inputs below; no error message may contain it.
const testPassword = "s3cr3t-Pa55"

// doc joins lines into a file, so that a case's line numbers can be read off
// its argument positions.
func doc(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

// errLine matches one line of an error of ParseConfig("config.yaml", ...).
var errLine = regexp.MustCompile(`^config\.yaml:(\d+): \S`)

// checkErr asserts the shape every ParseConfig error must have: each line
// "config.yaml:N: ...", and no test password anywhere.
func checkErr(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	for _, l := range strings.Split(msg, "\n") {
		if !errLine.MatchString(l) {
			t.Errorf("error line %q does not start with config.yaml:LINE:", l)
		}
	}
	if strings.Contains(msg, testPassword) {
		t.Errorf("error shows the password: %q", msg)
	}
}

func TestExampleConfigIsValid(t *testing.T) {
	c, err := ParseConfig("example.yaml", []byte(ExampleConfig))
	if err != nil {
		t.Fatalf("ExampleConfig does not parse: %v", err)
	}
	if len(c.Cameras) != 2 {
		t.Fatalf("ExampleConfig has %d cameras, want 2", len(c.Cameras))
	}
	front, garage := c.Cameras[0], c.Cameras[1]
	if front.PasswordEnv == "" || front.Substream == "" {
		t.Errorf("first camera should show password_env and substream: %+v", front)
	}
	if !strings.HasPrefix(garage.URL, "rtsps://") || garage.Fingerprint == "" {
		t.Errorf("second camera should show rtsps with a fingerprint: %+v", garage)
	}
	if c.Grid != (Grid{}) || !strings.Contains(ExampleConfig, "# grid:") {
		t.Errorf("the grid section should be there, commented out; grid = %+v", c.Grid)
	}
	if !strings.HasPrefix(ExampleConfig, header) {
		t.Errorf("ExampleConfig should start with the header %q", header)
	}
}

// TestExampleConfigSnapshotsSectionIsValidUncommented checks the commented
// snapshots section a user would uncomment.
func TestExampleConfigSnapshotsSectionIsValidUncommented(t *testing.T) {
	var out []string
	in := false
	for _, l := range strings.Split(ExampleConfig, "\n") {
		if l == "# snapshots:" {
			in = true
		}
		if in && strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "#   #") {
			l = strings.TrimPrefix(l, "# ")
		}
		out = append(out, l)
	}
	c, err := ParseConfig("example.yaml", []byte(strings.Join(out, "\n")))
	if err != nil {
		t.Fatalf("the uncommented snapshots section does not parse: %v", err)
	}
	want := SnapshotSettings{Dir: "~/Pictures/camwall", Pattern: DefaultSnapshotPattern, Format: "jpeg", Quality: DefaultSnapshotQuality}
	if c.Snapshots != want {
		t.Errorf("snapshots = %+v, want %+v (the defaults, written out)", c.Snapshots, want)
	}
}

func TestParseConfigValid(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Config
	}{
		{"empty file means no cameras", "", Config{}},
		{"only comments means no cameras", "# nothing yet\n", Config{}},
		{"cameras key with its items commented out", doc("cameras:", "#  - name: a"), Config{}},
		{"empty camera list", "cameras: []\n", Config{}},
		{"grid key with its keys commented out", doc("grid:", "#  rows: 2", "cameras: []"), Config{}},
		{"trailing document separator is harmless", doc("cameras: []", "---"), Config{}},
		{"minimal camera", doc("cameras:", "  - name: a", "    url: rtsp://10.0.0.1/s"),
			Config{Cameras: []Camera{{Name: "a", URL: "rtsp://10.0.0.1/s"}}}},
		{"every field", doc(
			"grid:",
			"  rows: 1",
			"  columns: 2",
			"cameras:",
			"  - name: Front door",
			"    url: rtsps://cam.local:322/main",
			"    substream: rtsps://cam.local:322/sub",
			"    transport: udp",
			"    user: admin",
			"    password: "+testPassword,
			"    fingerprint: "+strings.Repeat("ab", 32),
			"  - name: back",
			"    url: rtsp://10.0.0.2/s",
			"    transport: auto",
			"    password_env: BACK_PW",
		), Config{Grid: Grid{Rows: 1, Columns: 2}, Cameras: []Camera{
			{Name: "Front door", URL: "rtsps://cam.local:322/main", Substream: "rtsps://cam.local:322/sub",
				Transport: "udp", User: "admin", Password: testPassword, Fingerprint: strings.Repeat("ab", 32)},
			{Name: "back", URL: "rtsp://10.0.0.2/s", Transport: "auto", PasswordEnv: "BACK_PW"},
		}}},
		{"transport tcp", doc("cameras:", "  - {name: a, url: 'rtsp://h/', transport: tcp}"),
			Config{Cameras: []Camera{{Name: "a", URL: "rtsp://h/", Transport: "tcp"}}}},
		{"values that look like numbers stay as written", doc("cameras:", "  - name: 2024", "    url: rtsp://h/", "    user: 007", "    password: 0123"),
			Config{Cameras: []Camera{{Name: "2024", URL: "rtsp://h/", User: "007", Password: "0123"}}}},
		{"fingerprint with colons in lower case", doc("cameras:", "  - name: a", "    url: rtsps://h/", "    fingerprint: "+strings.TrimSuffix(strings.Repeat("a1:", 32), ":")),
			Config{Cameras: []Camera{{Name: "a", URL: "rtsps://h/", Fingerprint: strings.TrimSuffix(strings.Repeat("a1:", 32), ":")}}}},
		{"user in the url and password from the environment", doc("cameras:", "  - name: a", "    url: rtsp://admin@h/", "    password_env: A_PW"),
			Config{Cameras: []Camera{{Name: "a", URL: "rtsp://admin@h/", PasswordEnv: "A_PW"}}}},
		{"grid exactly as large as the cameras", doc("grid: {rows: 1, columns: 2}", "cameras:", "  - {name: a, url: 'rtsp://a/'}", "  - {name: b, url: 'rtsp://b/'}"),
			Config{Grid: Grid{1, 2}, Cameras: []Camera{{Name: "a", URL: "rtsp://a/"}, {Name: "b", URL: "rtsp://b/"}}}},
		{"grid rows in hexadecimal are still a number", doc("grid: {rows: 0x2, columns: 2}"), Config{Grid: Grid{2, 2}}},
		{"names differing only in spaces inside are distinct", doc("cameras:", "  - {name: a b, url: 'rtsp://a/'}", "  - {name: ab, url: 'rtsp://b/'}"),
			Config{Cameras: []Camera{{Name: "a b", URL: "rtsp://a/"}, {Name: "ab", URL: "rtsp://b/"}}}},
		{"anchors and aliases", doc("cameras:", "  - {name: a, url: &u 'rtsp://h/', user: &who admin}", "  - {name: b, url: *u, user: *who}"),
			Config{Cameras: []Camera{{Name: "a", URL: "rtsp://h/", User: "admin"}, {Name: "b", URL: "rtsp://h/", User: "admin"}}}},
		{"snapshots section", doc("cameras: []", "snapshots:", "  dir: ~/cams", "  pattern: '{timestamp}/{camera}.png'", "  format: png", "  quality: 0x50"),
			Config{Snapshots: SnapshotSettings{Dir: "~/cams", Pattern: "{timestamp}/{camera}.png", Format: "png", Quality: 80}}},
		{"snapshots key with its keys commented out", doc("snapshots:", "#  dir: /x"), Config{}},
		{"Windows line endings", "cameras:\r\n  - name: a\r\n    url: rtsp://h/\r\n",
			Config{Cameras: []Camera{{Name: "a", URL: "rtsp://h/"}}}},
		{"byte order mark", "\uFEFFcameras:\n  - name: a\n    url: rtsp://h/\n",
			Config{Cameras: []Camera{{Name: "a", URL: "rtsp://h/"}}}},
	}

	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseConfig("config.yaml", []byte(tc.in))
			if err != nil {
				t.Fatalf("ParseConfig: %v", err)
			}
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tc.want)
			}
		})
	}
}

func TestParseConfigErrors(t *testing.T) {
	cam := func(extra ...string) string {
		return doc(append([]string{"cameras:", "  - name: x", "    url: rtsp://10.0.0.1/s"}, extra...)...)
	}
	tests := []struct {
		name string
		in   string
		line int
		want string // a fragment of the error
	}{
		// Keys.
		{"unknown key at the top level", doc("cameras: []", "camras: []"), 2, `unknown key "camras" at the top level; did you mean "cameras"?`},
		{"unknown key in grid", doc("grid:", "  rows: 2", "  cols: 2"), 3, `unknown key "cols" in grid; did you mean "columns"?`},
		{"unknown key in a camera", doc("cameras:", "  - name: front door", "    url: rtsp://h/", "", "", "", "    trasport: tcp"), 7, `unknown key "trasport" in camera "front door"`},
		{"unknown key with no near match lists the keys", cam("    colour: red"), 4, `(known keys: name, url, substream, transport, user, password, password_env, fingerprint, hwaccel)`},
		{"unknown key in an unnamed camera", doc("cameras:", "  - url: rtsp://h/", "    nom: x"), 3, `unknown key "nom" in camera #1`},
		{"abbreviated key", cam("    pwd: x"), 4, `unknown key "pwd" in camera "x"; did you mean "password"?`},
		{"longer key", cam("    username: x"), 4, `unknown key "username" in camera "x"; did you mean "user"?`},
		{"keys are case-sensitive", cam("    URL: rtsp://h/"), 4, `unknown key "URL" in camera "x"; did you mean "url"?`},
		{"key written twice", cam("    url: rtsp://10.0.0.2/s"), 4, `key "url" appears twice in camera "x" (first at line 3)`},
		{"merge keys", doc("cameras:", "  - name: x", "    <<: {url: 'rtsp://h/'}"), 3, "merge keys (<<) are not supported"},
		{"a list as a key", doc("cameras: []", "? [a]", ": b"), 2, "keys are plain words"},

		// Syntax and structure.
		{"syntax error keeps its line", doc("cameras:", "  - name: x", "    url: rtsp://h/", "    user: a: b"), 4, "invalid YAML: mapping values are not allowed"},
		{"syntax error on the first line", "cameras: [\n", 1, "invalid YAML"},
		{"tab indentation", doc("cameras:", "  - name: x", "\turl: rtsp://h/"), 3, "invalid YAML: found a tab character"},
		{"unclosed quote points where it opens", doc("cameras:", "  - name: \"x", "    url: rtsp://h/"), 2, "invalid YAML: found unexpected end of stream"},
		{"unclosed list at the end of the file", doc("cameras:", "  - name: x", "    url: ["), 3, "invalid YAML: did not find expected node content"},
		{"error far below where the list began", doc("", "", "", "- a", "b: c"), 5, "invalid YAML: did not find expected '-' indicator"},
		{"parser error line is 1-based", doc("cameras:", "  - name: x", "  url: rtsp://h/"), 3, "invalid YAML: did not find expected '-' indicator"},
		{"alias without anchor", doc("cameras:", "  - name: x", "    url: *nowhere"), 3, "an alias (a value starting with *) refers to no anchor (&) before it; quote a value that starts with *"},
		{"control character in the file", doc("cameras:", "  - name: \"x\x07\""), 2, "control character U+0007"},
		{"not UTF-8", doc("cameras:", "  - name: caf\xe9"), 2, "not UTF-8 text"},
		{"second document", doc("cameras: []", "---", "cameras: []"), 2, "more than one YAML document"},
		{"top level is a list", doc("- name: x", "  url: rtsp://h/"), 1, "must be a mapping with the keys grid and cameras, not a list"},
		{"cameras is not a list", doc("cameras:", "  name: x"), 2, `cameras must be a list, each camera starting with "- ", not a mapping`},
		{"camera is not a mapping", doc("cameras:", "  - rtsp://h/"), 2, `camera #1 must be a mapping with keys such as name and url, not "rtsp://h/"`},
		{"camera written as a bare url does not show its password", doc("cameras:", "  - rtsp://admin:"+testPassword+"@h/"), 2, `camera #1 must be a mapping with keys such as name and url, not "rtsp://admin:***@h/"`},
		{"cameras written as a url does not show its password", doc("cameras: rtsp://admin:" + testPassword + "@h/"), 1, `cameras must be a list, each camera starting with "- ", not "rtsp://admin:***@h/"`},
		{"camera is empty", doc("cameras:", "  - name: x", "    url: rtsp://h/", "  -"), 4, "camera #2 is empty"},
		{"field is a list", cam("    user: [a, b]"), 4, `camera "x": user must be text, not a list`},
		{"password is a mapping, and its content is not shown", cam("    password: {" + testPassword + ": 1}"), 4, `camera "x": password must be text, not a mapping`},
		{"custom tag", cam("    password: !secret " + testPassword), 4, `password must be text, not a value with a YAML tag (quote a value that starts with !`},
		{"standard tag", cam("    user: !!binary aGk="), 4, `user must be text, not a value tagged "!!binary"`},

		// Grid.
		{"grid is not a mapping", doc("grid: 2x2"), 1, `grid must be a mapping with the keys rows and columns, not "2x2"`},
		{"grid rows not a number", doc("grid:", "  rows: two", "  columns: 2"), 2, `grid: rows must be a whole number from 0 to 8, not "two"`},
		{"grid rows a fraction", doc("grid:", "  rows: 1.5", "  columns: 2"), 2, `rows must be a whole number`},
		{"grid rows quoted", doc("grid:", "  rows: '2'", "  columns: 2"), 2, `rows must be a whole number`},
		{"grid rows too many", doc("grid:", "  rows: 9", "  columns: 2"), 2, "grid: rows must be from 0 to 8, not 9"},
		{"grid columns negative", doc("grid:", "  rows: 2", "  columns: -1"), 3, "grid: columns must be from 0 to 8, not -1"},
		{"grid rows without columns", doc("grid:", "  rows: 2"), 1, "grid: columns is 0 but rows is 2; set both"},
		{"grid columns without rows", doc("grid:", "  rows: 0", "  columns: 3"), 2, "grid: rows is 0 but columns is 3; set both"},
		{"grid too small for the cameras", doc("grid: {rows: 1, columns: 1}", "cameras:", "  - {name: a, url: 'rtsp://a/'}", "  - {name: b, url: 'rtsp://b/'}"), 1,
			"grid: rows × columns (1×1 = 1) must be at least the number of cameras (2)"},

		// Snapshots.
		{"snapshots is not a mapping", doc("cameras: []", "snapshots: /pics"), 2, `snapshots must be a mapping with keys such as dir and format, not "/pics"`},
		{"unknown key in snapshots", doc("snapshots:", "  folder: /pics"), 2, `unknown key "folder" in snapshots (known keys: dir, pattern, format, quality, group_readable)`},
		{"misspelt key in snapshots", doc("snapshots:", "  qualty: 80"), 2, `unknown key "qualty" in snapshots; did you mean "quality"?`},
		{"snapshot quality not a number", doc("snapshots:", "  quality: high"), 2, `snapshots: quality must be a whole number from 1 to 100, not "high"`},
		{"snapshot quality out of range", doc("snapshots:", "  dir: /pics", "  quality: 101"), 3, "snapshots: quality must be from 1 to 100, not 101"},
		{"snapshot folder relative", doc("cameras: []", "snapshots:", "  dir: pics"), 3, `snapshots: dir must be an absolute folder, or start with ~/ for your home folder, not "pics"`},
		{"snapshot format unknown", doc("snapshots:", "  format: gif"), 2, `snapshots: format must be jpeg or png, not "gif"`},
		{"snapshot pattern escaping the folder", doc("snapshots:", "  pattern: ../{camera}.jpg"), 2, `snapshots: pattern "../{camera}.jpg" must not contain . or .. folders`},
		{"snapshot pattern with an unknown placeholder", doc("snapshots:", "  pattern: '{name}.jpg'"), 2, "has the unknown placeholder {name}"},
		{"snapshot pattern and format disagree", doc("snapshots:", "  pattern: x_{timestamp}.png", "  format: jpeg"), 2, "ends in .png but format is jpeg; make them agree"},
		{"snapshot folder is a list", doc("snapshots:", "  dir: [a, b]"), 2, "snapshots: dir must be text, not a list"},

		// Names.
		{"camera without a name", doc("cameras:", "  - name: a", "    url: rtsp://a/", "  - url: rtsp://b/"), 4, "camera #2 has no name"},
		{"camera with a blank name", doc("cameras:", "  - name: '  '", "    url: rtsp://a/"), 2, "camera #1 has no name"},
		{"camera with a null name", doc("cameras:", "  - name:", "    url: rtsp://a/"), 2, "camera #1 has no name"},
		{"duplicate name ignoring case and spaces", doc("cameras:", "  - {name: Garage, url: 'rtsp://a/'}", "  - {name: ' garage', url: 'rtsp://b/'}"), 3,
			`camera "garage": camera #1 already has this name (names must differ, ignoring case)`},
		{"duplicate name written as an alias points at the alias", doc("cameras:", "  - &a {name: x, url: 'rtsp://a/'}", "  - *a"), 3, "camera #1 already has this name"},
		{"name with a control character", doc("cameras:", `  - name: "a\tb"`, "    url: rtsp://a/"), 2, `camera "a\tb": name contains a control character or line break (U+0009)`},
		{"name with a line separator", doc("cameras:", `  - name: "a\Lb"`, "    url: rtsp://a/"), 2, "name contains a control character or line break (U+2028)"},

		// URLs.
		{"camera without a url", doc("cameras:", "  - name: x", "    user: a"), 2, `camera "x" has no url`},
		{"url without a scheme suggests one", doc("cameras:", "  - name: x", "    url: 10.0.0.1/stream"), 3,
			`camera "x": url "10.0.0.1/stream" must be a URL with a scheme and a host; did you mean "rtsp://10.0.0.1/stream"?`},
		{"url without a host", doc("cameras:", "  - name: x", "    url: rtsp:///stream"), 3, `url "rtsp:///stream" must be a URL with a scheme and a host, like rtsp://`},
		{"url with only a port", doc("cameras:", "  - name: x", "    url: rtsp://:554/stream"), 3, `must be a URL with a scheme and a host`},
		{"url that does not parse", doc("cameras:", "  - name: x", "    url: rtsp://h:port/s"), 3, `camera "x": url "rtsp://h:port/s" is not a valid URL: invalid port ":port" after host`},
		{"url with an unescaped password hides it", doc("cameras:", "  - name: x", "    url: rtsp://admin:"+testPassword+"/x@h/s"), 3,
			`url "rtsp://admin:***@h/s" reads as another host: a password holding # ? / or @ must have them percent-encoded (# as %23`},
		{"url with an unescaped password that Go misreads as host:port hides it", doc("cameras:", "  - name: x", "    url: rtsp://viewer:77#x@h/s"), 3,
			`url "rtsp://viewer:***@h/s" reads as another host: a password holding # ? / or @ must have them percent-encoded (# as %23, ? as %3F, / as %2F, @ as %40), and an @ in the path or query is written %40`},
		{"url with an invalid escape in its password hides it", doc("cameras:", "  - name: x", "    url: rtsp://admin:a%zz"+testPassword+"@h/s"), 3,
			`url "rtsp://admin:***@h/s" is not a valid URL: check that the user and password in it are percent-encoded`},
		{"url with a password and no scheme hides it", doc("cameras:", "  - name: x", "    url: admin:"+testPassword+"@h/s"), 3, `url "admin:***@h/s" must be a URL`},
		{"url with a multi-line value", doc("cameras:", "  - name: x", "    url: |", "      rtsp://h/"), 3, "url contains a control character or line break (U+000A)"},
		{"substream invalid", cam("    substream: sub"), 4, `camera "x": substream "sub" must be a URL with a scheme and a host`},
		{"substream with a password and a password field", cam("    substream: rtsp://u:"+testPassword+"@h/sub", "    password: other"), 5,
			`camera "x": the password is given both in substream and in password; keep one`},

		// Transport.
		{"transport unknown", doc("cameras:", "  - name: x", "    url: rtsp://h/", "    transport: ftp"), 4, `camera "x": transport must be auto, tcp or udp, not "ftp"`},
		{"transport in capitals", cam("    transport: TCP"), 4, `transport must be auto, tcp or udp, not "TCP"`},

		// Credentials.
		{"password and password_env", cam("    password: "+testPassword, "    password_env: X_PW"), 5, `camera "x": password and password_env are both set; keep one`},
		{"user in the url and in user", doc("cameras:", "  - name: x", "    url: rtsp://admin@h/", "    user: admin"), 4, `camera "x": the user is given both in url and in user; keep one`},
		{"password in the url and in password", doc("cameras:", "  - name: x", "    url: rtsp://admin:"+testPassword+"@h/", "    password: "+testPassword), 4,
			`camera "x": the password is given both in url and in password; keep one`},
		{"password in the url and in password_env", doc("cameras:", "  - name: x", "    url: rtsp://admin:"+testPassword+"@h/", "    password_env: X_PW"), 4,
			"the password is given both in url and in password_env"},
		{"password_env not a variable name", cam("    password_env: $X_PW"), 4, `password_env must be the name of an environment variable (letters, digits and _), not "$X_PW"`},
		{"password with a control character is not shown", cam(`    password: "` + testPassword + `\u0001"`), 4, "camera \"x\": password contains a control character or line break"},

		// Fingerprint.
		{"fingerprint too short", cam("    fingerprint: abcd"), 4, `camera "x": fingerprint must be a SHA-256 written as 64 hexadecimal digits (colons allowed), not "abcd"`},
		{"fingerprint not hex", cam("    fingerprint: " + strings.Repeat("zz", 32)), 4, "fingerprint must be a SHA-256"},
		{"fingerprint on a plain rtsp:// camera", cam("    fingerprint: " + strings.Repeat("ab", 32)), 4,
			`camera "x": fingerprint pins the certificate of an rtsps:// camera, and this camera's url is rtsp://: use rtsps:// or remove the fingerprint`},
		{"fingerprint of SHA-1 length", cam("    fingerprint: " + strings.Repeat("ab:", 19) + "ab"), 4, "64 hexadecimal digits"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantParseError(t, tc.in, tc.line, tc.want)
		})
	}
}

func TestParseConfigReportsEveryProblemInFileOrder(t *testing.T) {
	in := doc(
		"grid:",
		"  rows: 9",
		"  columns: 1",
		"cameras:",
		"  - name: a",
		"    url: rtsp://h/",
		"    transport: ftp",
		"  - name: A",
		"    url: nohost",
	)
	_, err := ParseConfig("config.yaml", []byte(in))
	if err == nil {
		t.Fatal("ParseConfig accepted it")
	}
	checkErr(t, err)
	var lines []int
	for _, l := range strings.Split(err.Error(), "\n") {
		n, _ := strconv.Atoi(errLine.FindStringSubmatch(l)[1])
		lines = append(lines, n)
	}
	if want := []int{2, 7, 8, 9}; !slices.Equal(lines, want) {
		t.Errorf("problems on lines %v, want %v:\n%v", lines, want, err)
	}
}

func TestLoadConfigNamesTheFileInErrors(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(doc("cameras:", "  - name: x", "    url: rtsp://h/", "    trasport: tcp")), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := LoadConfig(path)
	if err == nil || !strings.HasPrefix(err.Error(), path+":4: unknown key \"trasport\"") {
		t.Errorf("LoadConfig error = %v, want it to start with %s:4:", err, path)
	}
}

func TestLoadConfigMissingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "nope.yaml")
	_, err := LoadConfig(path)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("LoadConfig error = %v, want fs.ErrNotExist", err)
	}
	if err != nil && !strings.HasPrefix(err.Error(), "load config "+path+": ") {
		t.Errorf("LoadConfig error = %q, want it to say what was being done", err)
	}
}

func TestLoadConfigRefusesAHugeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "video.mp4")
	if err := os.WriteFile(path, bytes.Repeat([]byte("# \n"), maxConfigSize), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadConfig(path); err == nil || !strings.Contains(err.Error(), "too large") {
		t.Errorf("LoadConfig error = %v, want too large", err)
	}
}

func TestValidate(t *testing.T) {
	ok := Camera{Name: "a", URL: "rtsp://h/"}
	tests := []struct {
		name string
		c    *Config
		want string // "" when valid
	}{
		{"zero config", &Config{}, ""},
		{"valid camera", &Config{Cameras: []Camera{ok}}, ""},
		{"cameras of every kind camwall plays", &Config{Cameras: []Camera{{Name: "gopro", URL: "gopro://172.25.190.51?port=8556"},
			{Name: "udp", URL: "udp://@:8600"}, {Name: "mjpeg", URL: "http://127.0.0.1:8080/video"}, {Name: "file", URL: "file:///srv/clip.ts"}}}, ""},
		{"a file URL needs an absolute path", &Config{Cameras: []Camera{{Name: "a", URL: "file:clip.ts"}}}, `must be a URL with a scheme and a host`},
		{"nil config", nil, "no configuration"},
		{"problems have no line prefix", &Config{Cameras: []Camera{{Name: "a", URL: "rtsp://h/", Transport: "ftp"}}},
			`camera "a": transport must be auto, tcp or udp, not "ftp"`},
		{"every problem, one a line", &Config{Grid: Grid{Rows: 9, Columns: 9}, Cameras: []Camera{{URL: "x"}}},
			"grid: rows must be from 0 to 8, not 9\ngrid: columns must be from 0 to 8, not 9\ncamera #1 has no name\n"},
		{"password from the url is not shown", &Config{Cameras: []Camera{{Name: "a", URL: "rtsp://u:" + testPassword + "@h/", PasswordEnv: "P"}}},
			`the password is given both in url and in password_env`},
		{"invalid UTF-8 in a field", &Config{Cameras: []Camera{{Name: "a", URL: "rtsp://h/", User: "\xff"}}}, `camera "a": user is not valid UTF-8 text`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.c.Validate()
			if tc.want == "" {
				if err != nil {
					t.Errorf("Validate = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate accepted %+v", tc.c)
			}
			if !strings.HasPrefix(err.Error(), tc.want) && !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate = %q, want it to contain %q", err, tc.want)
			}
			if strings.Contains(err.Error(), testPassword) {
				t.Errorf("Validate shows the password: %q", err)
			}
		})
	}
}

// roundTripConfigs are configurations whose values YAML could misread if
// they were not quoted on save.
var roundTripConfigs = map[string]*Config{
	"empty":   {},
	"example": mustParse(ExampleConfig),
	"awkward values": {Grid: Grid{Rows: 3, Columns: 3}, Cameras: []Camera{
		{Name: "yes", URL: "rtsp://h1/", User: "no", Password: "0123"},
		{Name: "~", URL: "rtsp://h2/?a=1&b=2#frag", Password: "null"},
		{Name: "#1: 'quoted' \"double\"", URL: "rtsp://h3/", Password: "p@ss:w/rd # not a comment"},
		{Name: "  padded  ", URL: "rtsps://h4/", Password: "- [x] {y}: *z &w !v %u @t `s", Fingerprint: strings.Repeat("AB:", 31) + "AB"},
		{Name: "Caméra 東", URL: "rtsp://h5/ストリーム", Substream: "rtsp://h5/sub", Transport: "udp", PasswordEnv: "CAM_5"},
		{Name: "1e3", URL: "rtsp://admin:x%40y@h6/", Password: "", User: ""},
		{Name: "true", URL: "rtsp://h7/", Password: "'", User: "\""},
	}},
	"snapshots": {Snapshots: SnapshotSettings{Dir: "~/Pictures/cams #1", Pattern: "{camera}/{camera} #{timestamp}", Format: "png", Quality: 100}},
	"appliance": {Kiosk: true, Metrics: "[::1]:9464",
		Cameras: []Camera{{Name: "yes", URL: "rtsp://h1/"}, {Name: "1", URL: "rtsp://h2/"}, {Name: "#2: x", URL: "rtsp://h3/"}},
		Layouts: []Layout{
			{Name: "1", Preset: "1", Cameras: []string{"1"}},
			{Name: "no", Preset: "1+5", Cameras: []string{"#2: x", "YES"}},
			{Name: "empty preset", Preset: "4x4"},
			{Name: "grid", Rows: 2, Columns: 2, Tiles: []LayoutTile{{Camera: "yes", Row: 0, Col: 0, Rows: 2, Cols: 1}, {Camera: "1", Row: 1, Col: 1}}},
			{Name: "empty grid", Rows: 8, Columns: 8},
		},
		Tour: Tour{Every: "5s", Layouts: []string{"no", "grid", "1"}}},
	"tour of pages": {Tour: Tour{Every: "24h"}},
}

func mustParse(s string) *Config {
	c, err := ParseConfig("test", []byte(s))
	if err != nil {
		panic(err)
	}
	return c
}

func TestSaveConfigLoadConfigRoundTrip(t *testing.T) {
	for name, c := range roundTripConfigs {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			if err := SaveConfig(path, c); err != nil {
				t.Fatalf("SaveConfig: %v", err)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(data), header) {
				t.Errorf("saved file does not start with the header:\n%s", data)
			}
			got, err := LoadConfig(path)
			if err != nil {
				t.Fatalf("LoadConfig of the saved file: %v\n%s", err, data)
			}
			if !sameConfig(got, c) {
				t.Errorf("round trip changed the configuration\ngot  %+v\nwant %+v\nfile:\n%s", got, c, data)
			}
			// Saving over an existing file works the same.
			if err := SaveConfig(path, got); err != nil {
				t.Fatalf("second SaveConfig: %v", err)
			}
		})
	}
}

func TestSaveConfigPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix file modes")
	}
	dir := filepath.Join(t.TempDir(), "new", "camwall")
	path := filepath.Join(dir, "config.yaml")
	if err := SaveConfig(path, roundTripConfigs["example"]); err != nil {
		t.Fatalf("SaveConfig: %v", err)
	}
	assertMode(t, dir, 0o700)
	assertMode(t, filepath.Dir(dir), 0o700)
	assertMode(t, path, 0o600)

	// A file the user made world-readable is replaced by a private one.
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := SaveConfig(path, roundTripConfigs["example"]); err != nil {
		t.Fatalf("SaveConfig over a 0644 file: %v", err)
	}
	assertMode(t, path, 0o600)
	assertOnlyFile(t, dir, "config.yaml")
}

func assertMode(t *testing.T, path string, want fs.FileMode) {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode().Perm(); got != want {
		t.Errorf("mode of %s = %v, want %v", path, got, want)
	}
}

// assertOnlyFile checks that dir holds exactly the named entries: no
// temporary file was left behind.
func assertOnlyFile(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if !slices.Equal(got, names) {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

func TestSaveConfigIntoReadOnlyDirectory(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Unix permissions")
	}
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions; TestSaveConfigFailureLeavesNoTempFile covers cleanup")
	}
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	path := filepath.Join(dir, "config.yaml")
	err := SaveConfig(path, roundTripConfigs["example"])
	if err == nil {
		t.Fatal("SaveConfig into a read-only directory succeeded")
	}
	if !errors.Is(err, fs.ErrPermission) || !strings.HasPrefix(err.Error(), "save config "+path+": ") {
		t.Errorf("SaveConfig error = %q, want a permission error saying what was being saved", err)
	}
	assertOnlyFile(t, dir)
}

func TestSaveConfigFailureLeavesNoTempFile(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) string // returns the path to save to
		want  string
	}{
		{"target is a directory", func(t *testing.T, dir string) string {
			path := filepath.Join(dir, "config.yaml")
			if err := os.MkdirAll(filepath.Join(path, "inside"), 0o700); err != nil {
				t.Fatal(err)
			}
			return path
		}, "replace the file"},
		{"parent is a file", func(t *testing.T, dir string) string {
			if err := os.WriteFile(filepath.Join(dir, "file"), nil, 0o600); err != nil {
				t.Fatal(err)
			}
			return filepath.Join(dir, "file", "config.yaml")
		}, "create directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := tc.setup(t, dir)
			before, _ := os.ReadDir(dir)
			err := SaveConfig(path, roundTripConfigs["example"])
			if err == nil {
				t.Fatal("SaveConfig succeeded")
			}
			if !strings.HasPrefix(err.Error(), "save config "+path+": ") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("SaveConfig error = %q, want it to name %s and say %q", err, path, tc.want)
			}
			var names []string
			for _, e := range before {
				names = append(names, e.Name())
			}
			assertOnlyFile(t, dir, names...)
		})
	}
}

func TestSaveConfigRefusesAnInvalidConfig(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	err := SaveConfig(path, &Config{Cameras: []Camera{{Name: "x", URL: "rtsp://u:" + testPassword + "@h/", Password: testPassword}}})
	if err == nil || !strings.Contains(err.Error(), "the password is given both in url and in password") {
		t.Fatalf("SaveConfig error = %v, want the validation problem", err)
	}
	if strings.Contains(err.Error(), testPassword) {
		t.Errorf("SaveConfig error shows the password: %q", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("an invalid configuration was written (stat: %v)", err)
	}
	if err := SaveConfig(path, nil); err == nil {
		t.Error("SaveConfig(nil) succeeded")
	}
}

func TestSaveConfigWritesThroughASymlink(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks need privileges on Windows")
	}
	dir := t.TempDir()
	target := filepath.Join(dir, "dotfiles", "camwall.yaml")
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(target, []byte("cameras: []\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "config.yaml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	if err := SaveConfig(link, roundTripConfigs["example"]); err != nil {
		t.Fatalf("SaveConfig: %v", err)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced (%v, %v)", fi, err)
	}
	got, err := LoadConfig(target)
	if err != nil || !sameConfig(got, roundTripConfigs["example"]) {
		t.Errorf("the link's target does not hold the saved configuration: %+v, %v", got, err)
	}
}

func TestDefaultConfigPath(t *testing.T) {
	if runtime.GOOS != "windows" && runtime.GOOS != "darwin" && runtime.GOOS != "ios" && runtime.GOOS != "plan9" {
		t.Setenv("XDG_CONFIG_HOME", "/xdg")
		got, err := DefaultConfigPath()
		if err != nil || got != filepath.Join("/xdg", "camwall", "config.yaml") {
			t.Errorf("DefaultConfigPath = %q, %v", got, err)
		}
		return
	}
	got, err := DefaultConfigPath()
	if err != nil || !strings.HasSuffix(got, filepath.Join("camwall", "config.yaml")) {
		t.Errorf("DefaultConfigPath = %q, %v", got, err)
	}
}

func TestMainStreamCarriesTheCredentialsBesideTheURL(t *testing.T) {
	const reserved = "p@ss:w/rd"
	tests := []struct {
		name    string
		env     map[string]string // set with t.Setenv; "" value with key "-NAME" unsets
		cam     Camera
		want    Stream
		wantErr string
	}{
		{name: "no credentials: the url as written", cam: Camera{Name: "a", URL: "rtsp://10.0.0.1:554/s?x=1"}, want: Stream{URL: "rtsp://10.0.0.1:554/s?x=1"}},
		{name: "credentials in the url move out of it", cam: Camera{Name: "a", URL: "rtsp://u:p%40ss@h/s"}, want: Stream{URL: "rtsp://h/s", User: "u", Password: "p@ss"}},
		{name: "user only", cam: Camera{Name: "a", URL: "rtsp://h/s", User: "admin"}, want: Stream{URL: "rtsp://h/s", User: "admin"}},
		{name: "literal password", cam: Camera{Name: "a", URL: "rtsp://h:554/s", User: "admin", Password: testPassword}, want: Stream{URL: "rtsp://h:554/s", User: "admin", Password: testPassword}},
		{name: "password from the environment", env: map[string]string{"CAM_PW": testPassword},
			cam: Camera{Name: "a", URL: "rtsp://h/s", User: "admin", PasswordEnv: "CAM_PW"}, want: Stream{URL: "rtsp://h/s", User: "admin", Password: testPassword}},
		{name: "user from the url, password from the environment", env: map[string]string{"CAM_PW": testPassword},
			cam: Camera{Name: "a", URL: "rtsp://admin@h/s", PasswordEnv: "CAM_PW"}, want: Stream{URL: "rtsp://h/s", User: "admin", Password: testPassword}},
		{name: "password with reserved characters", cam: Camera{Name: "a", URL: "rtsp://h/s", User: "admin", Password: reserved}, want: Stream{URL: "rtsp://h/s", User: "admin", Password: reserved}},
		{name: "user and password with reserved characters from the environment", env: map[string]string{"CAM_PW": reserved + "?#%20"},
			cam: Camera{Name: "a", URL: "rtsps://h/s", User: "do@main:me", PasswordEnv: "CAM_PW"}, want: Stream{URL: "rtsps://h/s", User: "do@main:me", Password: reserved + "?#%20"}},
		{name: "unset variable", env: map[string]string{"-CAM_PW": ""},
			cam: Camera{Name: "front door", URL: "rtsp://h/s", User: "admin", PasswordEnv: "CAM_PW"}, wantErr: `camera "front door": the environment variable CAM_PW named by password_env is not set`},
		{name: "empty variable", env: map[string]string{"CAM_PW": ""},
			cam: Camera{Name: "front door", URL: "rtsp://h/s", PasswordEnv: "CAM_PW"}, wantErr: `camera "front door": the environment variable CAM_PW named by password_env is empty`},
		{name: "password twice", cam: Camera{Name: "a", URL: "rtsp://u:" + testPassword + "@h/s", Password: testPassword},
			wantErr: `camera "a": the password is given both in url and in password`},
		{name: "user twice", cam: Camera{Name: "a", URL: "rtsp://u@h/s", User: "v"}, wantErr: "the user is given both in url and in user"},
		{name: "password and password_env", cam: Camera{Name: "a", URL: "rtsp://h/s", Password: testPassword, PasswordEnv: "X"}, wantErr: "password and password_env are both set"},
		{name: "invalid url hides its password", cam: Camera{Name: "a", URL: "rtsp://u:" + testPassword + "/@h/s", Password: "x"}, wantErr: `camera "a": url "rtsp://u:***@h/s" reads as another host`},
		{name: "no url", cam: Camera{Name: "a"}, wantErr: `camera "a" has no url`},
		{name: "unnamed camera", cam: Camera{URL: "nohost"}, wantErr: `unnamed camera: url "nohost" must be a URL`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				if name, ok := strings.CutPrefix(k, "-"); ok {
					t.Setenv(name, "")
					os.Unsetenv(name) // t.Setenv restores it afterwards
					continue
				}
				t.Setenv(k, v)
			}
			got, err := tc.cam.MainStream()
			if tc.wantErr != "" {
				if err == nil {
					t.Fatalf("MainStream = %+v, want an error", got)
				}
				if !strings.Contains(err.Error(), tc.wantErr) {
					t.Errorf("MainStream error = %q, want %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), testPassword) {
					t.Errorf("MainStream error shows the password: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("MainStream: %v", err)
			}
			if got != tc.want {
				t.Errorf("MainStream = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestSubStreamLogsInAsTheMainStreamDoes(t *testing.T) {
	c := Camera{Name: "a", URL: "rtsp://h/main", User: "admin", Password: "p@ss:w/rd"}
	if got, err := c.SubStream(); got != (Stream{}) || err != nil {
		t.Errorf("SubStream without a substream = %+v, %v; want the zero Stream, nil", got, err)
	}
	c.Substream = "rtsp://h/sub"
	got, err := c.SubStream()
	if want := (Stream{URL: "rtsp://h/sub", User: "admin", Password: "p@ss:w/rd"}); err != nil || got != want {
		t.Errorf("SubStream = %+v, %v; want %+v", got, err, want)
	}
	c.Substream = "rtsp://:" + testPassword + "@h/sub"
	if _, err := c.SubStream(); err == nil || !strings.Contains(err.Error(), "in substream and in password") || strings.Contains(err.Error(), testPassword) {
		t.Errorf("SubStream with two passwords: %v", err)
	}
}

// TestKeysMatchStructTags keeps the keys ParseConfig accepts in step with the
// struct tags SaveConfig writes with.
func TestKeysMatchStructTags(t *testing.T) {
	for _, tc := range []struct {
		typ  reflect.Type
		keys []string
	}{
		{reflect.TypeOf(Config{}), topKeys},
		{reflect.TypeOf(Grid{}), gridKeys},
		{reflect.TypeOf(Camera{}), cameraKeys},
		{reflect.TypeOf(SnapshotSettings{}), snapshotKeys},
		{reflect.TypeOf(RecordSettings{}), recordKeys},
		{reflect.TypeOf(Layout{}), layoutKeys},
		{reflect.TypeOf(LayoutTile{}), tileKeys},
		{reflect.TypeOf(Tour{}), tourKeys},
	} {
		var tags []string
		for i := range tc.typ.NumField() {
			tag, _, _ := strings.Cut(tc.typ.Field(i).Tag.Get("yaml"), ",")
			tags = append(tags, tag)
		}
		if !slices.Equal(tags, tc.keys) {
			t.Errorf("%s: yaml tags %q, parser keys %q", tc.typ.Name(), tags, tc.keys)
		}
	}
	var c Camera
	for _, k := range cameraKeys {
		if cameraField(&c, k) == nil {
			t.Errorf("camera key %q has no field", k)
		}
	}
	var s SnapshotSettings
	for _, k := range snapshotKeys {
		if (snapshotField(&s, k) == nil) != (k == "quality" || k == "group_readable") {
			t.Errorf("snapshots key %q: a text field only for the text keys", k)
		}
	}
	var tile LayoutTile
	for _, k := range tileKeys {
		if (tileNumber(&tile, k) == nil) != (k == "camera") {
			t.Errorf("tile key %q: a number field for every key but camera", k)
		}
	}
	var r RecordSettings
	for _, k := range recordKeys {
		if (recordField(&r, k) == nil) == (recordFlag(&r, k) == nil) {
			t.Errorf("recording key %q: a text or a boolean field, one of them", k)
		}
	}
}

// TestParseMatchesYAMLDecoding checks that the hand-written decoding reads
// valid files as yaml.v3's strict decoding into the structs would.
func TestParseMatchesYAMLDecoding(t *testing.T) {
	inputs := []string{ExampleConfig, doc(
		"grid: {rows: 2, columns: 4}",
		"cameras:",
		"  - {name: a, url: 'rtsp://h/', user: u, password: 'p: w', transport: udp, hwaccel: 'off'}",
		"  - name: b",
		"    url: rtsp://h2/",
		"    password_env: B_PW",
		"    substream: rtsp://h2/sub",
		"snapshots:",
		"  dir: /srv/snaps",
		"  pattern: \"{camera}/{timestamp}.png\"",
		"  quality: 70",
		"  group_readable: yes",
		"recording:",
		"  group_readable: true",
		"  prune_unconfigured: true",
		"kiosk: yes",
		"metrics: ':9464'",
		"hwaccel: auto",
		"layouts:",
		"  - {name: two, preset: 2x2, cameras: [a, b]}",
		"  - name: big a",
		"    rows: 2",
		"    columns: 3",
		"    tiles:",
		"      - {camera: a, row: 0, col: 0, rows: 2, cols: 2}",
		"      - {camera: b, row: 1, col: 2}",
		"tour:",
		"  every: 1m",
		"  layouts: [two, big a]",
	)}
	for _, in := range inputs {
		got, err := ParseConfig("config.yaml", []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		dec := yaml.NewDecoder(strings.NewReader(in))
		dec.KnownFields(true)
		var want Config
		if err := dec.Decode(&want); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("ParseConfig %+v\nyaml.v3     %+v", *got, want)
		}
	}
}

func TestUniqueNameFollowsTheNameRule(t *testing.T) {
	c := &Config{Cameras: []Camera{{Name: "GoPro 590"}, {Name: " gopro 590 (2) "}, {Name: "door"}}}
	tests := []struct {
		desc, name string
		index      int
		want       string
	}{
		{"a free name is kept", "garage", -1, "garage"},
		{"a taken name, ignoring case, gets the next free number", "GOPRO 590", -1, "GOPRO 590 (3)"},
		{"a camera's own name is not taken from itself", "door", 2, "door"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			if got := c.UniqueName(tc.name, tc.index); got != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// wantParseError asserts that ParseConfig refuses in with an error on
// line whose text (followed by a line break, so that want may name the
// end of a line) contains want.
func wantParseError(t *testing.T, in string, line int, want string) {
	t.Helper()
	c, err := ParseConfig("config.yaml", []byte(in))
	if err == nil {
		t.Fatalf("ParseConfig accepted it: %+v", c)
	}
	checkErr(t, err)
	prefix := "config.yaml:" + strconv.Itoa(line) + ": "
	if !strings.HasPrefix(err.Error(), prefix) {
		t.Errorf("error %q does not start with %q", err, prefix)
	}
	if !strings.Contains(err.Error()+"\n", want) {
		t.Errorf("error %q does not contain %q", err, want)
	}
}
