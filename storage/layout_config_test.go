package storage

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// threeCameras is a file with the cameras a, b and Garage on lines 1 to 4,
// then lines, from line 5.
func threeCameras(lines ...string) string {
	return doc(append([]string{
		"cameras:",
		"  - {name: a, url: 'rtsp://a/'}",
		"  - {name: b, url: 'rtsp://b/'}",
		"  - {name: Garage, url: 'rtsp://c/'}",
	}, lines...)...)
}

var threeCamerasList = []Camera{{Name: "a", URL: "rtsp://a/"}, {Name: "b", URL: "rtsp://b/"}, {Name: "Garage", URL: "rtsp://c/"}}

func TestParseApplianceSettings(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Config // Cameras are threeCamerasList
	}{
		{"kiosk on", threeCameras("kiosk: true"), Config{Kiosk: true}},
		{"kiosk written the YAML 1.1 way", threeCameras("kiosk: yes"), Config{Kiosk: true}},
		{"kiosk left empty is off", threeCameras("kiosk:"), Config{}},
		{"metrics on this machine", threeCameras("metrics: 127.0.0.1:9464"), Config{Metrics: "127.0.0.1:9464"}},
		{"metrics on every interface", threeCameras("metrics: ':9464'"), Config{Metrics: ":9464"}},
		{"metrics on IPv6 loopback", threeCameras("metrics: '[::1]:9464'"), Config{Metrics: "[::1]:9464"}},
		{"metrics by host name", threeCameras("metrics: localhost:65535"), Config{Metrics: "localhost:65535"}},
		{"a preset filled in part", threeCameras("layouts:", "  - name: main", "    preset: 1+5", "    cameras: [Garage, a]"),
			Config{Layouts: []Layout{{Name: "main", Preset: "1+5", Cameras: []string{"Garage", "a"}}}}},
		{"a preset written as a number stays text", threeCameras("layouts:", "  - {name: one, preset: 1, cameras: [b]}"),
			Config{Layouts: []Layout{{Name: "one", Preset: "1", Cameras: []string{"b"}}}}},
		{"camera names match ignoring case and spaces", threeCameras("layouts:", "  - {name: one, preset: '2x2', cameras: [' garage', A]}"),
			Config{Layouts: []Layout{{Name: "one", Preset: "2x2", Cameras: []string{" garage", "A"}}}}},
		{"a preset without cameras is an empty wall", threeCameras("layouts:", "  - {name: blank, preset: 3x3, cameras: []}"),
			Config{Layouts: []Layout{{Name: "blank", Preset: "3x3"}}}},
		{"a grid with spanning tiles", threeCameras(
			"layouts:",
			"  - name: big a",
			"    rows: 3",
			"    columns: 3",
			"    tiles:",
			"      - camera: a",
			"        row: 0",
			"        col: 0",
			"        rows: 2",
			"        cols: 3",
			"      - {camera: b, row: 2, col: 0, rows: 0, cols: 0}",
			"      - {camera: Garage, row: 2, col: 2}",
		), Config{Layouts: []Layout{{Name: "big a", Rows: 3, Columns: 3, Tiles: []LayoutTile{
			{Camera: "a", Row: 0, Col: 0, Rows: 2, Cols: 3}, {Camera: "b", Row: 2, Col: 0}, {Camera: "Garage", Row: 2, Col: 2}}}}}},
		{"a grid without tiles is an empty wall", threeCameras("layouts:", "  - {name: blank, rows: 8, columns: 8}"),
			Config{Layouts: []Layout{{Name: "blank", Rows: 8, Columns: 8}}}},
		{"nine layouts, one a key", threeCameras(append([]string{"layouts:"}, nLayouts(9)...)...),
			Config{Layouts: presetLayouts(9)}},
		{"a tour of the pages", threeCameras("tour:", "  every: 24h"), Config{Tour: Tour{Every: "24h"}}},
		{"a tour of two layouts, named ignoring case", threeCameras(
			"layouts:", "  - {name: One, preset: '1', cameras: [a]}", "  - {name: two, preset: '1', cameras: [b]}",
			"tour:", "  every: 5s", "  layouts: [two, ONE]"),
			Config{Layouts: []Layout{{Name: "One", Preset: "1", Cameras: []string{"a"}}, {Name: "two", Preset: "1", Cameras: []string{"b"}}},
				Tour: Tour{Every: "5s", Layouts: []string{"two", "ONE"}}}},
		{"sections with their content commented out", threeCameras("layouts:", "#  - name: x", "tour:", "#  every: 30s"), Config{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseConfig("config.yaml", []byte(tc.in))
			if err != nil {
				t.Fatalf("ParseConfig: %v", err)
			}
			tc.want.Cameras = threeCamerasList
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("got  %+v\nwant %+v", *got, tc.want)
			}
		})
	}
}

// nLayouts is n layouts, one a line, each the preset 1 showing camera a.
func nLayouts(n int) []string {
	var lines []string
	for i := range n {
		lines = append(lines, fmt.Sprintf("  - {name: l%d, preset: '1', cameras: [a]}", i+1))
	}
	return lines
}

func presetLayouts(n int) []Layout {
	var ls []Layout
	for i := range n {
		ls = append(ls, Layout{Name: fmt.Sprintf("l%d", i+1), Preset: "1", Cameras: []string{"a"}})
	}
	return ls
}

func TestParseApplianceSettingsErrors(t *testing.T) {
	// layout is a file whose layout "main" starts on line 6 with lines.
	layout := func(lines ...string) string {
		return threeCameras(append([]string{"layouts:", "  - name: main"}, lines...)...)
	}
	tests := []struct {
		name string
		in   string
		line int
		want string // a fragment of the error
	}{
		// Kinds and keys.
		{"kiosk is not a boolean", threeCameras("kiosk: sometimes"), 5, `kiosk must be true or false, not "sometimes"`},
		{"kiosk is a list", threeCameras("kiosk: [true]"), 5, `kiosk must be true or false, not a list`},
		{"metrics is a list", threeCameras("metrics: [a]"), 5, `metrics must be an address such as 127.0.0.1:9464, not a list`},
		{"misspelt layouts", threeCameras("layout: []"), 5, `unknown key "layout" at the top level; did you mean "layouts"?`},
		{"misspelt tour", threeCameras("tours: {every: 1m}"), 5, `unknown key "tours" at the top level; did you mean "tour"?`},
		{"layouts is a mapping", threeCameras("layouts:", "  name: main"), 6, `layouts must be a list, each layout starting with "- ", not a mapping`},
		{"layout is a word", threeCameras("layouts: [2x2]"), 5, `layout #1 must be a mapping with keys such as name and preset, not "2x2"`},
		{"layout is empty", threeCameras("layouts:", "  -"), 6, `layout #1 is empty; it needs a name, and a preset or rows, columns and tiles`},
		{"misspelt preset", layout("    present: 2x2"), 7, `unknown key "present" in layout "main"; did you mean "preset"?`},
		{"abbreviated columns", layout("    cols: 2"), 7, `unknown key "cols" in layout "main"; did you mean "columns"?`},
		{"layout key twice", layout("    preset: 2x2", "    preset: 3x3"), 8, `key "preset" appears twice in layout "main" (first at line 7)`},
		{"layout name is a list", threeCameras("layouts:", "  - name: [a]"), 6, `layout #1: name must be text, not a list`},
		{"layout rows is a word", layout("    rows: two"), 7, `layout "main": rows must be a whole number from 1 to 8, not "two"`},
		{"layout columns is a fraction", layout("    columns: 1.5"), 7, `layout "main": columns must be a whole number`},
		{"layout cameras is a word", layout("    cameras: a"), 7, `layout "main": cameras must be a list of camera names, such as [a, b], not "a"`},
		{"layout camera is a mapping", layout("    cameras:", "      - a", "      - {b: 1}"), 9, `layout "main": cameras #2 must be a camera's name, not a mapping`},
		{"tiles is a mapping", layout("    tiles: {camera: a}"), 7, `layout "main": tiles must be a list, each tile starting with "- ", not a mapping`},
		{"tile is a word", layout("    tiles: [a]"), 7, `layout "main": tile #1 must be a mapping with keys such as camera, row and col, not "a"`},
		{"tile is empty", layout("    tiles:", "      -"), 8, `layout "main": tile #1 is empty; it needs a camera, a row and a col`},
		{"misspelt tile key", layout("    tiles:", "      - {camera: a, row: 0, column: 1}"), 8, `unknown key "column" in layout "main": tile #1; did you mean "col"?`},
		{"tile row is a fraction", layout("    tiles:", "      - camera: a", "        row: 1.5"), 9, `layout "main": tile #1: row must be a whole number, not "1.5"`},
		{"tile camera is a list", layout("    tiles:", "      - camera: [a]"), 8, `layout "main": tile #1: camera must be text, not a list`},
		{"tour is a word", threeCameras("tour: 30s"), 5, `tour must be a mapping with the keys every and layouts, not "30s"`},
		{"unknown key in tour", threeCameras("tour:", "  interval: 30s"), 6, `unknown key "interval" in tour (known keys: every, layouts)`},
		{"tour every is a list", threeCameras("tour:", "  every: [30s]"), 6, `tour: every must be text, not a list`},
		{"tour layouts is a word", threeCameras("tour:", "  every: 30s", "  layouts: main"), 7, `tour: layouts must be a list of layout names, such as [a, b], not "main"`},

		// Layouts.
		{"layout without a name", threeCameras("layouts:", "  - preset: '1'", "    cameras: [a]"), 6, `layout #1 has no name`},
		{"layout name with a tab", threeCameras("layouts:", `  - name: "x\ty"`, "    preset: '1'"), 6, `layout #1: name contains a control character or line break (U+0009)`},
		{"layout names differ ignoring case", threeCameras("layouts:", "  - {name: Main, preset: '1'}", "  - {name: ' main', preset: '1'}"), 7,
			`layout "main": layout #1 already has this name (names must differ, ignoring case)`},
		{"a layout repeated as an alias is reported at the alias", threeCameras("layouts:", "  - &l {name: x, preset: '1'}", "  - *l"), 7, `layout "x": layout #1 already has this name`},
		{"ten layouts", threeCameras(append([]string{"layouts:"}, nLayouts(10)...)...), 15,
			`10 layouts: the wall has at most 9, one for each of the keys 1 to 9; layout "l10" and the layouts after it are too many`},
		{"unknown preset suggests one", layout("    preset: 2X3"), 7,
			`layout "main": preset must be one of 1, 2x2, 3x3, 4x4, 1+5, 1+7, 2+8, 1+12, not "2X3"; did you mean "2x2"?`},
		{"a preset and a grid", layout("    preset: 2x2", "    rows: 2"), 7,
			`layout "main": preset and rows, columns or tiles are both set; a layout is either a preset or a grid of tiles, not both`},
		{"neither a preset nor a grid", layout("    cameras: [a]"), 6, `layout "main" needs a preset, or rows, columns and tiles`},
		{"more cameras than the preset has cells", layout("    preset: '1'", "    cameras:", "      - a", "      - b", "      - Garage"), 10,
			`layout "main": preset 1 has 1 cell but 3 cameras are listed; the 2nd, "b", and those after it have no cell`},
		{"an unknown camera suggests the closest name", layout("    preset: 2x2", "    cameras: [a, garag]"), 8,
			`layout "main": cameras #2: no camera is named "garag"; did you mean "Garage"?`},
		{"an unknown camera nothing like a known one", layout("    preset: 2x2", "    cameras: [front door]"), 8,
			`layout "main": cameras #1: no camera is named "front door"` + "\n"},
		{"a blank camera", layout("    preset: 2x2", "    cameras: [a, '']"), 8, `layout "main": cameras #2 names no camera`},
		{"a camera twice in a preset", layout("    preset: 2x2", "    cameras:", "      - a", "      - ' A'"), 10,
			`layout "main": cameras #2: camera "a" is already in this layout, as cameras #1; a camera appears at most once in a layout`},
		{"cameras beside tiles", layout("    rows: 1", "    columns: 1", "    cameras: [a]", "    tiles: [{camera: b, row: 0, col: 0}]"), 9,
			`layout "main": cameras fill the cells of a preset, and this layout has none; place each camera with a tile instead`},
		{"grid rows out of range", layout("    rows: 9", "    columns: 1"), 7, `layout "main": rows must be from 1 to 8, not 9`},
		{"grid columns left out", layout("    rows: 2", "    tiles: [{camera: a, row: 0, col: 0}]"), 6, `layout "main": columns must be from 1 to 8, not 0`},
		{"tile without a camera", layout("    rows: 1", "    columns: 1", "    tiles:", "      - {row: 0, col: 0}"), 10, `layout "main": tile #1 names no camera`},
		{"tile of an unknown camera", layout("    rows: 1", "    columns: 1", "    tiles:", "      - camera: bb", "        row: 0"), 10,
			`layout "main": tile #1: no camera is named "bb"; did you mean "b"?`},
		{"a camera on two tiles", layout("    rows: 1", "    columns: 2", "    tiles:", "      - {camera: b, row: 0, col: 0}", "      - {camera: B, row: 0, col: 1}"), 11,
			`layout "main": tile #2: camera "b" is already in this layout, as tile #1`},
		{"tile at a negative row", layout("    rows: 1", "    columns: 1", "    tiles:", "      - camera: a", "        row: -1", "        col: 0"), 11,
			`layout "main": tile #1: row must not be negative, not -1`},
		{"tile past the last column", layout("    rows: 1", "    columns: 2", "    tiles:", "      - camera: a", "        row: 0", "        col: 2"), 12,
			`layout "main": tile #1 spans columns 2 to 2, past the layout's last column, 1 (columns count from 0)`},
		{"tile spanning past the last row points at its span", layout("    rows: 2", "    columns: 2", "    tiles:", "      - camera: a", "        row: 1", "        col: 0", "        rows: 2"), 13,
			`layout "main": tile #1 spans rows 1 to 2, past the layout's last row, 1 (rows count from 0)`},
		{"overlapping tiles name both", layout("    rows: 2", "    columns: 2", "    tiles:", "      - {camera: a, row: 0, col: 0, cols: 2}", "      - {camera: b, row: 0, col: 1, rows: 2}"), 11,
			`layout "main": tile #2 (camera "b") overlaps tile #1 (camera "a") at row 0, col 1; tiles must not overlap`},

		// Tour.
		{"tour every without a unit", threeCameras("tour:", "  every: 30"), 6, `tour: every must be a duration such as 30s, 5m or 1h, not "30"`},
		{"tour every too short", threeCameras("tour:", "  every: 4.5s"), 6, `tour: every must be from 5s to 24h, not "4.5s"`},
		{"tour every too long", threeCameras("tour:", "  every: 24h1s"), 6, `tour: every must be from 5s to 24h, not "24h1s"`},
		{"tour every negative", threeCameras("tour:", "  every: -1m"), 6, `tour: every must be from 5s to 24h, not "-1m"`},
		{"tour layouts without every", threeCameras(append(append([]string{"layouts:"}, nLayouts(2)...), "tour:", "  layouts: [l1, l2]")...), 9,
			`tour: layouts are listed but every is not set; set every (such as 30s) to how long each is shown`},
		{"tour of one layout", threeCameras(append(append([]string{"layouts:"}, nLayouts(2)...), "tour:", "  every: 1m", "  layouts: [l1]")...), 10,
			`tour: layouts lists one layout, and a tour of one layout never changes the wall; list at least 2, or none to rotate every layout`},
		{"tour of an unknown layout suggests one", threeCameras(append(append([]string{"layouts:"}, nLayouts(2)...), "tour:", "  every: 1m", "  layouts:", "    - l1", "    - L3")...), 12,
			`tour: no layout is named "L3"; did you mean "l1"?`},
		{"tour of layouts when there are none", threeCameras("tour:", "  every: 1m", "  layouts: [a, b]"), 7, `tour: no layout is named "a"`},
		{"tour listing a layout twice", threeCameras(append(append([]string{"layouts:"}, nLayouts(2)...), "tour:", "  every: 1m", "  layouts:", "    - l1", "    - l2", "    - L1")...), 13,
			`tour: layout "l1" is listed twice (#1 and #3); list each layout once`},
		{"tour layout name blank", threeCameras(append(append([]string{"layouts:"}, nLayouts(2)...), "tour:", "  every: 1m", "  layouts: [l1, l2, ~]")...), 10,
			`tour: layouts #3 names no layout`},

		// Metrics.
		{"metrics without a port", threeCameras("metrics: 9464"), 5, `metrics must be an address host:port such as 127.0.0.1:9464 (or :9464 for every interface), not "9464"`},
		{"metrics with a named port", threeCameras("metrics: localhost:http"), 5, `metrics: the port must be a number from 1 to 65535, not "http"`},
		{"metrics on port 0", threeCameras("metrics: ':0'"), 5, `metrics: the port must be a number from 1 to 65535, not "0"`},
		{"metrics past the last port", threeCameras("metrics: ':65536'"), 5, `not "65536"`},
		{"metrics port with a sign", threeCameras("metrics: ':+80'"), 5, `not "+80"`},
		{"metrics IPv6 without brackets", threeCameras("metrics: '::1:9464'"), 5, `metrics must be an address host:port`},
		{"metrics with a line break", threeCameras("metrics: \"127.0.0.1:9464\\n\""), 5, `metrics contains a control character or line break (U+000A)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wantParseError(t, tc.in, tc.line, tc.want)
		})
	}
}

func TestEveryLayoutProblemIsReportedOnItsLine(t *testing.T) {
	in := threeCameras(
		"layouts:",
		"  - name: main",       // 6
		"    preset: 2x2",      // 7
		"    cameras: [a, zz]", // 8: unknown camera
		"  - name: MAIN",       // 9: name taken
		"    rows: 1",          // 10
		"    columns: 2",       // 11
		"    tiles:",           // 12
		"      - {camera: a, row: 0, col: 0, cols: 2}", // 13
		"      - {camera: b, row: 0, col: 1}",          // 14: overlaps tile #1
		"tour:",                                        // 15
		"  every: 2s",                                  // 16: too short
		"  layouts: [main, nope]",                      // 17: unknown layout
		"metrics: localhost:99999",                     // 18: no such port
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
	if want := []int{8, 9, 14, 16, 17, 18}; !slices.Equal(lines, want) {
		t.Errorf("problems on lines %v, want %v:\n%v", lines, want, err)
	}
}

func TestValidateLayoutsBuiltInCode(t *testing.T) {
	c := &Config{Cameras: threeCamerasList, Layouts: []Layout{
		{Name: "grid", Rows: 2, Columns: 2, Tiles: []LayoutTile{{Camera: "a", Row: 1, Col: 1, Rows: 1, Cols: 2}}},
	}, Tour: Tour{Every: "10s", Layouts: []string{"grid", "grid"}}}
	want := `layout "grid": tile #1 spans columns 1 to 2, past the layout's last column, 1 (columns count from 0)` + "\n" +
		`tour: layout "grid" is listed twice (#1 and #2); list each layout once`
	if err := c.Validate(); err == nil || err.Error() != want {
		t.Errorf("Validate = %v\nwant %s", err, want)
	}
}

// uncommentSections uncomments the example's commented-out sections that
// start with "# key:" for each of keys, as a user enabling them would.
func uncommentSections(example string, keys ...string) string {
	var out []string
	in := false
	for _, l := range strings.Split(example, "\n") {
		starts := slices.ContainsFunc(keys, func(k string) bool { return strings.HasPrefix(l, "# "+k+":") })
		switch {
		case starts, in && strings.HasPrefix(l, "#   "):
			in = true
			l = strings.TrimPrefix(l, "# ")
		default:
			in = false
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

func TestExampleConfigApplianceSectionsAreValidUncommented(t *testing.T) {
	c, err := ParseConfig("example.yaml", []byte(uncommentSections(ExampleConfig, "kiosk", "metrics", "layouts", "tour")))
	if err != nil {
		t.Fatalf("the uncommented sections do not parse: %v", err)
	}
	if !c.Kiosk || c.Metrics != "127.0.0.1:9464" {
		t.Errorf("kiosk = %v, metrics = %q; want true and 127.0.0.1:9464", c.Kiosk, c.Metrics)
	}
	if len(c.Layouts) != 2 || c.Layouts[0].Preset == "" || !slices.ContainsFunc(c.Layouts[1].Tiles, func(t LayoutTile) bool { return t.Rows > 1 }) {
		t.Errorf("layouts = %+v; want a preset and a grid with a spanning tile", c.Layouts)
	}
	if c.Tour.Period() != 30*time.Second || len(c.Tour.Layouts) != 2 {
		t.Errorf("tour = %+v; want every 30s through both layouts", c.Tour)
	}
	if plain := mustParse(ExampleConfig); plain.Kiosk || plain.Metrics != "" || plain.Layouts != nil || plain.Tour.Every != "" {
		t.Errorf("commented out, the sections should change nothing: %+v", plain)
	}
}

func TestTourPeriod(t *testing.T) {
	for _, tc := range []struct {
		name  string
		every string
		want  time.Duration
	}{
		{"no tour", "", 0},
		{"seconds", "30s", 30 * time.Second},
		{"hours and minutes", "1h30m", 90 * time.Minute},
		{"not a duration (an invalid configuration) is no tour", "often", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (Tour{Every: tc.every}).Period(); got != tc.want {
				t.Errorf("Period of %q = %v, want %v", tc.every, got, tc.want)
			}
		})
	}
}
