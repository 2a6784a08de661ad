package storage

import (
	"reflect"
	"testing"
)

// wall is a valid configuration with cameras a, b and c, a preset, two
// grids and a tour, as the editing tests start from.
func wall() *Config {
	return &Config{
		Cameras: []Camera{{Name: "a", URL: "rtsp://a/"}, {Name: "b", URL: "rtsp://b/"}, {Name: "c", URL: "rtsp://c/"}},
		Layouts: []Layout{
			{Name: "preset", Preset: "1+5", Cameras: []string{"a", "B"}},
			{Name: "grid", Rows: 2, Columns: 3, Tiles: []LayoutTile{{Camera: "a", Row: 0, Col: 0, Rows: 2, Cols: 2}, {Camera: "b", Row: 0, Col: 2}}},
			{Name: "roomy", Rows: 3, Columns: 3, Tiles: []LayoutTile{{Camera: "A", Row: 0, Col: 0, Rows: 2, Cols: 2}, {Camera: "c", Row: 2, Col: 2}}},
		},
		Tour: Tour{Every: "10s", Layouts: []string{"preset", "grid"}},
	}
}

// edit runs f on c and asserts that it left c valid, and that a copy of c
// taken before it was not changed through the slices they share.
func edit(t *testing.T, c *Config, f func()) {
	t.Helper()
	before, saved := *c, c.Clone()
	f()
	if err := c.Validate(); err != nil {
		t.Errorf("the edit left the configuration invalid: %v", err)
	}
	if !reflect.DeepEqual(before, saved) {
		t.Errorf("the edit changed a copy taken before it: %+v", before)
	}
}

func TestRenameCamera(t *testing.T) {
	tests := []struct {
		name     string
		prepare  func(c *Config) // what the UI did before calling
		old, new string
		want     func(c *Config) // the expected configuration, from wall()
	}{
		{"renames the camera and every mention of it, whatever its case", nil, " A", "front door", func(c *Config) {
			c.Cameras[0].Name = "front door"
			c.Layouts[0].Cameras[0] = "front door"
			c.Layouts[1].Tiles[0].Camera = "front door"
			c.Layouts[2].Tiles[0].Camera = "front door"
		}},
		{"a camera already renamed has its mentions updated", func(c *Config) { c.Cameras[1].Name = "back" }, "b", "back", func(c *Config) {
			c.Cameras[1].Name = "back"
			c.Layouts[0].Cameras[1] = "back"
			c.Layouts[1].Tiles[1].Camera = "back"
		}},
		{"a change of case only", nil, "c", "C", func(c *Config) {
			c.Cameras[2].Name = "C"
			c.Layouts[2].Tiles[1].Camera = "C"
		}},
		{"an unknown name changes nothing", nil, "z", "y", func(*Config) {}},
		{"a blank name changes nothing", nil, " ", "y", func(*Config) {}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := wall()
			if tc.prepare != nil {
				tc.prepare(c)
			}
			edit(t, c, func() { c.RenameCamera(tc.old, tc.new) })
			want := wall()
			tc.want(want)
			if !reflect.DeepEqual(c, want) {
				t.Errorf("got  %+v\nwant %+v", c, want)
			}
		})
	}
}

func TestForgetCamera(t *testing.T) {
	tests := []struct {
		name string
		cam  string
		want func(c *Config)
	}{
		{"a preset's later cameras move up a cell, a grid's cells stay empty", "A", func(c *Config) {
			c.Layouts[0].Cameras = []string{"B"}
			c.Layouts[1].Tiles = []LayoutTile{{Camera: "b", Row: 0, Col: 2}}
			c.Layouts[2].Tiles = []LayoutTile{{Camera: "c", Row: 2, Col: 2}}
		}},
		{"a layout left with no camera stays, empty", "c", func(c *Config) {
			c.Layouts[2].Tiles = []LayoutTile{{Camera: "A", Row: 0, Col: 0, Rows: 2, Cols: 2}}
		}},
		{"an unknown name changes nothing", "z", func(*Config) {}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := wall()
			edit(t, c, func() { c.ForgetCamera(tc.cam) })
			want := wall()
			tc.want(want)
			if !reflect.DeepEqual(c, want) {
				t.Errorf("got  %+v\nwant %+v", c, want)
			}
		})
	}
	t.Run("every camera forgotten leaves empty layouts, still valid", func(t *testing.T) {
		c := wall()
		for _, name := range []string{"a", "b", "c"} {
			c.ForgetCamera(name)
		}
		for i, l := range c.Layouts {
			if l.Cameras != nil || l.Tiles != nil {
				t.Errorf("layout %d still shows cameras: %+v", i, l)
			}
		}
		if err := c.Validate(); err != nil {
			t.Errorf("Validate: %v", err)
		}
	})
}

func TestSwapCells(t *testing.T) {
	tests := []struct {
		name   string
		layout int
		a, b   Cell
		ok     bool
		want   func(c *Config) // from wall(); nil when nothing changes
	}{
		{"the plain grid swaps the two cameras' places", -1, cell(0, 0, 0, 1, 1), cell(2, 1, 0, 1, 1), true, func(c *Config) {
			c.Cameras[0], c.Cameras[2] = c.Cameras[2], c.Cameras[0]
		}},
		{"the plain grid has no empty cell to move to", -1, cell(0, 0, 0, 1, 1), cell(-1, 1, 1, 1, 1), false, nil},
		{"a preset swaps the two names in its cameras", 0, cell(0, 0, 0, 2, 2), cell(1, 0, 2, 1, 1), true, func(c *Config) {
			c.Layouts[0].Cameras = []string{"B", "a"}
		}},
		{"a preset cannot take a camera that is not in it", 0, cell(0, 0, 0, 2, 2), cell(2, 1, 2, 1, 1), false, nil},
		{"a preset's cameras cannot move to an empty cell", 0, cell(0, 0, 0, 2, 2), cell(-1, 2, 2, 1, 1), false, nil},
		{"a grid's tiles trade cameras and keep their places and spans", 1, cell(1, 0, 2, 1, 1), cell(0, 0, 0, 2, 2), true, func(c *Config) {
			c.Layouts[1].Tiles[0].Camera, c.Layouts[1].Tiles[1].Camera = "b", "a"
		}},
		{"a grid's tile moves to an empty cell", 1, cell(1, 0, 2, 1, 1), cell(-1, 1, 2, 1, 1), true, func(c *Config) {
			c.Layouts[1].Tiles[1].Row = 1
		}},
		{"a spanning tile moves to an empty cell with its span", 2, cell(0, 0, 0, 2, 2), cell(-1, 0, 1, 1, 1), true, func(c *Config) {
			c.Layouts[2].Tiles[0].Col = 1
		}},
		{"a tile whose span would overlap another stays", 2, cell(0, 0, 0, 2, 2), cell(-1, 1, 1, 1, 1), false, nil},
		{"a tile whose span would pass the grid's edge stays", 2, cell(0, 0, 0, 2, 2), cell(-1, 2, 0, 1, 1), false, nil},
		{"an empty cell outside the grid is no place", 1, cell(1, 0, 2, 1, 1), cell(-1, 5, 5, 1, 1), false, nil},
		{"a camera not in the grid cannot move", 1, cell(2, 0, 0, 1, 1), cell(-1, 1, 2, 1, 1), false, nil},
		{"a cell with itself is no swap", 1, cell(0, 0, 0, 2, 2), cell(0, 0, 0, 2, 2), false, nil},
		{"an empty cell cannot be moved", 1, cell(-1, 1, 2, 1, 1), cell(0, 0, 0, 2, 2), false, nil},
		{"a camera past the last is no camera", -1, cell(0, 0, 0, 1, 1), cell(3, 1, 1, 1, 1), false, nil},
		{"a layout past the last is no layout", 3, cell(0, 0, 0, 1, 1), cell(1, 0, 1, 1, 1), false, nil},
		{"a layout before the plain grid is no layout", -2, cell(0, 0, 0, 1, 1), cell(1, 0, 1, 1, 1), false, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := wall()
			edit(t, c, func() {
				if ok := c.SwapCells(tc.layout, tc.a, tc.b); ok != tc.ok {
					t.Errorf("SwapCells = %v, want %v", ok, tc.ok)
				}
			})
			want := wall()
			if tc.want != nil {
				tc.want(want)
			}
			if !reflect.DeepEqual(c, want) {
				t.Errorf("got  %+v\nwant %+v", c, want)
			}
		})
	}
}

// A swap works on the cells LayoutCells resolves, as the UI hands them back.
func TestSwapCellsOfResolvedCells(t *testing.T) {
	c := wall()
	_, _, cells := c.LayoutCells(2)
	if !c.SwapCells(2, cells[0], cells[1]) {
		t.Fatal("SwapCells of two resolved cells = false")
	}
	_, _, after := c.LayoutCells(2)
	if after[0].Camera != cells[1].Camera || after[1].Camera != cells[0].Camera || after[0].Rows != 2 {
		t.Errorf("cells after the swap %v, before %v", after, cells)
	}
}
