package storage

import (
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// FuzzParseConfig checks that no input makes ParseConfig panic, that every
// error points at a line of the file, and that whatever parses survives a
// save and a load unchanged.
func FuzzParseConfig(f *testing.F) {
	for _, seed := range []string{
		ExampleConfig,
		"",
		"cameras: []\n",
		doc("grid: {rows: 2, columns: 2}", "cameras:", "  - {name: a, url: 'rtsp://u:p%40ss@h:554/s?x=1'}"),
		doc("cameras:", "  - name: x", "    url: rtsp://h/", "    trasport: tcp"),
		doc("cameras:", "  - &a {name: x, url: 'rtsp://a/'}", "  - *a"),
		doc("cameras:", "  - name: \"a\\u2028b\"", "    url: rtsp://h/", "    password: \"p\\tw\""),
		doc("cameras:", "  - name: 0x10", "    url: rtsps://h/", "    fingerprint: "+strings.Repeat("Ab:", 31)+"Ab"),
		doc("grid:", "  rows: 1.5", "  <<: {columns: 2}", "---", "x: 1"),
		doc("cameras: []", "snapshots:", "  dir: ~/snaps", "  pattern: '{camera}/{timestamp}.png'", "  quality: 95"),
		doc("cameras:", "  - {name: a, url: 'rtsp://a/'}", "  - {name: b, url: 'rtsp://b/'}", "kiosk: on", "metrics: ':9464'",
			"layouts:", "  - {name: p, preset: 1+5, cameras: [b, A]}", "  - &g {name: g, rows: 2, columns: 2, tiles: [{camera: a, row: 0, col: 0, rows: 2}]}", "  - *g",
			"tour: {every: 30s, layouts: [p, g]}"),
		"cameras:\n  - name: \"x\n",
		"a: *foo\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseConfig("fuzz.yaml", data)
		if err != nil {
			if c != nil {
				t.Errorf("ParseConfig returned a config and an error")
			}
			lines := len(lineEnds(data))
			for _, l := range strings.Split(err.Error(), "\n") {
				rest, ok := strings.CutPrefix(l, "fuzz.yaml:")
				n, _, ok2 := strings.Cut(rest, ": ")
				line, convErr := strconv.Atoi(n)
				if !ok || !ok2 || convErr != nil || line < 1 || line > lines {
					t.Fatalf("error line %q does not start with fuzz.yaml:LINE: within the file's %d lines", l, lines)
				}
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("ParseConfig accepted what Validate rejects: %v", err)
		}
		// marshal is SaveConfig without the file system, which would cut the
		// fuzzer's speed tenfold; the file writing is tested on its own.
		out, err := c.marshal()
		if err != nil {
			t.Fatalf("cannot save what was loaded: %v", err)
		}
		back, err := ParseConfig("saved.yaml", out)
		if err != nil {
			t.Fatalf("cannot load what was saved: %v\n%s", err, out)
		}
		if !sameConfig(back, c) || (len(c.Cameras) > 0 && !reflect.DeepEqual(back, c)) {
			t.Fatalf("save and load changed the configuration\nloaded %+v\nsaved  %+v\nfile:\n%s", c, back, out)
		}
	})
}

// FuzzSaveConfig checks the other direction: any configuration Validate
// accepts is saved so that it loads back equal. YAML emitters have had bugs
// with unusual strings, and passwords and names are free text.
func FuzzSaveConfig(f *testing.F) {
	f.Add("front door", "rtsp://10.0.0.1:554/s", "admin", "p@ss:w/rd", 2, 2)
	f.Add("yes", "rtsp://h/?a=1#x", "no", "0123", 0, 0)
	f.Add(" ~ ", "rtsps://h/ストリーム", "\"'", "- [x] {y}: *z &w !v %u @t `s #c", 1, 1)
	f.Add("a\u00a0b", "rtsp://u@h/", "", " leading and trailing ", 8, 8)
	f.Fuzz(func(t *testing.T, name, rawURL, user, password string, rows, cols int) {
		c := &Config{Grid: Grid{Rows: rows, Columns: cols}, Cameras: []Camera{
			{Name: name, URL: rawURL, User: user, Password: password},
			{Name: name + " 2", URL: "rtsp://h/", PasswordEnv: "X", Substream: rawURL, Transport: "tcp"},
		}}
		if c.Validate() != nil {
			return
		}
		out, err := c.marshal()
		if err != nil {
			t.Fatalf("cannot save a valid configuration: %v", err)
		}
		back, err := ParseConfig("saved.yaml", out)
		if err != nil || !reflect.DeepEqual(back, c) {
			t.Fatalf("save and load changed the configuration (%v)\nsaved  %+v\nloaded %+v\nfile:\n%s", err, c, back, out)
		}
	})
}
