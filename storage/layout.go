package storage

// The wall's appliance settings: kiosk mode, named layouts, the tour that
// rotates them, and where metrics are served. Decoding and validation of
// these sections live beside the others (config_decode.go,
// config_validate.go); the geometry of presets and spans is here.

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
