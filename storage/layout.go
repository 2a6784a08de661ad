package storage

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The wall's appliance settings: kiosk mode, named layouts, the tour that
// rotates them, and where metrics are served. Their decoding and validation
// follow the other sections' rules (layout_decode.go, layout_validate.go),
// their edits keep a configuration valid (layout_edit.go); the geometry of
// presets and spans is here.

// Layout is one named arrangement of the wall: either a preset shape whose
// cells the listed cameras fill in order, or a grid of Rows × Columns cells
// with tiles placed on it, each of which may span rows and columns. A camera
// may appear in several layouts, at most once in each.
type Layout struct {
	Name string `yaml:"name"`
	// Preset is one of Presets ("1", "2x2", "3x3", "4x4", "1+5", "1+7",
	// "2+8", "1+12"); Cameras fill its cells, largest first, in order.
	Preset  string   `yaml:"preset,omitempty"`
	Cameras []string `yaml:"cameras,omitempty"`
	// Without a preset: the grid's shape (1..8 each) and its tiles.
	Rows    int          `yaml:"rows,omitempty"`
	Columns int          `yaml:"columns,omitempty"`
	Tiles   []LayoutTile `yaml:"tiles,omitempty"`
}

// LayoutTile places a camera, by name, on a layout's grid: its top-left
// cell (from 0) and how many rows and columns it spans (1 when 0).
type LayoutTile struct {
	Camera string `yaml:"camera"`
	Row    int    `yaml:"row"`
	Col    int    `yaml:"col"`
	Rows   int    `yaml:"rows,omitempty"`
	Cols   int    `yaml:"cols,omitempty"`
}

// Tour rotates the wall through layouts. Every is a Go duration (5s to
// 24h); empty means no tour. Layouts names them in order; empty means every
// layout, or, with no layouts, the pages of a camera list longer than the
// grid holds.
type Tour struct {
	Every   string   `yaml:"every,omitempty"`
	Layouts []string `yaml:"layouts,omitempty"`
}

// Cell is a resolved tile of a layout: which camera (an index into
// Config.Cameras) sits where, in cells of the layout's grid.
type Cell struct {
	Camera     int
	Row, Col   int
	Rows, Cols int
}

// MaxLayouts is the most layouts a configuration has: one for each of the
// keys 1 to 9.
const MaxLayouts = 9

// A tour shows each layout from minTourPeriod (less is a flicker nobody
// can watch) to maxTourPeriod (more is a wall that never turns).
const (
	minTourPeriod = 5 * time.Second
	maxTourPeriod = 24 * time.Hour
)

// Presets are the preset shapes a layout may name, smallest first.
var Presets = []string{"1", "2x2", "3x3", "4x4", "1+5", "1+7", "2+8", "1+12"}

// presetShapes are the presets' grids and their large cells; the rest of
// each grid is single cells, in reading order after the large ones.
var presetShapes = map[string]struct {
	rows, cols int
	large      []Cell
}{
	"1":    {1, 1, nil},
	"2x2":  {2, 2, nil},
	"3x3":  {3, 3, nil},
	"4x4":  {4, 4, nil},
	"1+5":  {3, 3, []Cell{{Row: 0, Col: 0, Rows: 2, Cols: 2}}},
	"1+7":  {4, 4, []Cell{{Row: 0, Col: 0, Rows: 3, Cols: 3}}},
	"2+8":  {4, 4, []Cell{{Row: 0, Col: 0, Rows: 2, Cols: 2}, {Row: 0, Col: 2, Rows: 2, Cols: 2}}},
	"1+12": {4, 4, []Cell{{Row: 1, Col: 1, Rows: 2, Cols: 2}}},
}

// PresetCells is the grid of preset and its cells in the order a layout's
// cameras fill them, large cells first; each cell's Camera is its place in
// that order. An unknown preset has no cells (0, 0, nil).
func PresetCells(preset string) (rows, cols int, cells []Cell) {
	shape, ok := presetShapes[preset]
	if !ok {
		return 0, 0, nil
	}
	var taken [maxGridSide][maxGridSide]bool
	for _, big := range shape.large {
		big.Camera = len(cells)
		cells = append(cells, big)
		for r := big.Row; r < big.Row+big.Rows; r++ {
			for c := big.Col; c < big.Col+big.Cols; c++ {
				taken[r][c] = true
			}
		}
	}
	for r := range shape.rows {
		for c := range shape.cols {
			if !taken[r][c] {
				cells = append(cells, Cell{Camera: len(cells), Row: r, Col: c, Rows: 1, Cols: 1})
			}
		}
	}
	return shape.rows, shape.cols, cells
}

// LayoutCells resolves layout i of a valid configuration: its grid, and its
// cells that show a camera, each Camera an index into c.Cameras. A preset's
// cells beyond its cameras are left out, and spans of 0 read as 1. An i out
// of range has no cells (0, 0, nil).
func (c *Config) LayoutCells(i int) (rows, cols int, cells []Cell) {
	if i < 0 || i >= len(c.Layouts) {
		return 0, 0, nil
	}
	l := c.Layouts[i]
	if l.Preset != "" {
		rows, cols, all := PresetCells(l.Preset)
		for k, cell := range all {
			if k >= len(l.Cameras) {
				break
			}
			if cell.Camera = c.cameraIndex(l.Cameras[k]); cell.Camera >= 0 {
				cells = append(cells, cell)
			}
		}
		return rows, cols, cells
	}
	for _, t := range l.Tiles {
		if k := c.cameraIndex(t.Camera); k >= 0 {
			cells = append(cells, Cell{Camera: k, Row: t.Row, Col: t.Col, Rows: span(t.Rows), Cols: span(t.Cols)})
		}
	}
	return l.Rows, l.Columns, cells
}

// span is a tile's span as written, 0 (left out) being 1.
func span(n int) int {
	if n == 0 {
		return 1
	}
	return n
}

// cameraIndex is the index of the camera called name, by the rule names
// are told apart by (ignoring case and surrounding spaces); -1 when none is.
func (c *Config) cameraIndex(name string) int {
	return indexNamed(c.Cameras, name, func(cam Camera) string { return cam.Name })
}

// LayoutIndex is the index of the layout called name, by the rule names
// are told apart by (ignoring case and surrounding spaces); -1 when none is.
func (c *Config) LayoutIndex(name string) int {
	return indexNamed(c.Layouts, name, func(l Layout) string { return l.Name })
}

// indexNamed is the index of the item of items called name, by that rule.
func indexNamed[T any](items []T, name string, nameOf func(T) string) int {
	name = strings.TrimSpace(name)
	if name == "" {
		return -1
	}
	return slices.IndexFunc(items, func(it T) bool { return strings.EqualFold(strings.TrimSpace(nameOf(it)), name) })
}

// label names layout i (0-based) in messages.
func (l Layout) label(i int) string {
	if name := strings.TrimSpace(l.Name); name != "" && textProblem("name", name) == "" {
		return "layout " + quote(name)
	}
	return fmt.Sprintf("layout #%d", i+1)
}

// Period is how long the tour shows each layout or page; 0 when there is
// no tour.
func (t Tour) Period() time.Duration {
	if t.Every == "" {
		return 0
	}
	d, err := time.ParseDuration(t.Every)
	if err != nil || d < 0 {
		return 0
	}
	return d
}
