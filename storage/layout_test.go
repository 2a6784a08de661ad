package storage

import (
	"reflect"
	"testing"
)

// cell is a Cell of camera k at row, col spanning rows × cols.
func cell(k, row, col, rows, cols int) Cell {
	return Cell{Camera: k, Row: row, Col: col, Rows: rows, Cols: cols}
}

func TestPresetCells(t *testing.T) {
	tests := []struct {
		preset     string
		rows, cols int
		cells      []Cell
	}{
		{"1", 1, 1, []Cell{cell(0, 0, 0, 1, 1)}},
		{"2x2", 2, 2, []Cell{cell(0, 0, 0, 1, 1), cell(1, 0, 1, 1, 1), cell(2, 1, 0, 1, 1), cell(3, 1, 1, 1, 1)}},
		{"1+5", 3, 3, []Cell{cell(0, 0, 0, 2, 2),
			cell(1, 0, 2, 1, 1), cell(2, 1, 2, 1, 1), cell(3, 2, 0, 1, 1), cell(4, 2, 1, 1, 1), cell(5, 2, 2, 1, 1)}},
		{"1+7", 4, 4, []Cell{cell(0, 0, 0, 3, 3),
			cell(1, 0, 3, 1, 1), cell(2, 1, 3, 1, 1), cell(3, 2, 3, 1, 1),
			cell(4, 3, 0, 1, 1), cell(5, 3, 1, 1, 1), cell(6, 3, 2, 1, 1), cell(7, 3, 3, 1, 1)}},
		{"2+8", 4, 4, []Cell{cell(0, 0, 0, 2, 2), cell(1, 0, 2, 2, 2),
			cell(2, 2, 0, 1, 1), cell(3, 2, 1, 1, 1), cell(4, 2, 2, 1, 1), cell(5, 2, 3, 1, 1),
			cell(6, 3, 0, 1, 1), cell(7, 3, 1, 1, 1), cell(8, 3, 2, 1, 1), cell(9, 3, 3, 1, 1)}},
		{"1+12", 4, 4, []Cell{cell(0, 1, 1, 2, 2),
			cell(1, 0, 0, 1, 1), cell(2, 0, 1, 1, 1), cell(3, 0, 2, 1, 1), cell(4, 0, 3, 1, 1),
			cell(5, 1, 0, 1, 1), cell(6, 1, 3, 1, 1),
			cell(7, 2, 0, 1, 1), cell(8, 2, 3, 1, 1),
			cell(9, 3, 0, 1, 1), cell(10, 3, 1, 1, 1), cell(11, 3, 2, 1, 1), cell(12, 3, 3, 1, 1)}},
		{"5x5", 0, 0, nil},
		{"", 0, 0, nil},
	}
	for _, tc := range tests {
		t.Run("preset "+tc.preset, func(t *testing.T) {
			rows, cols, cells := PresetCells(tc.preset)
			if rows != tc.rows || cols != tc.cols || !reflect.DeepEqual(cells, tc.cells) {
				t.Errorf("PresetCells(%q) = %d×%d %v\nwant %d×%d %v", tc.preset, rows, cols, cells, tc.rows, tc.cols, tc.cells)
			}
		})
	}
}

// Whatever a preset's shape, its cells cover its grid exactly once, large
// cells first, and are numbered in that order.
func TestEveryPresetCoversItsGridExactlyOnceLargestFirst(t *testing.T) {
	wantCells := map[string]int{"1": 1, "2x2": 4, "3x3": 9, "4x4": 16, "1+5": 6, "1+7": 8, "2+8": 10, "1+12": 13}
	for _, p := range Presets {
		t.Run("preset "+p, func(t *testing.T) {
			rows, cols, cells := PresetCells(p)
			if len(cells) != wantCells[p] {
				t.Errorf("%d cells, want %d", len(cells), wantCells[p])
			}
			covered := map[[2]int]int{}
			for k, c := range cells {
				if c.Camera != k {
					t.Errorf("cell %d has Camera %d, want its place %d", k, c.Camera, k)
				}
				if k > 0 && c.Rows*c.Cols > cells[k-1].Rows*cells[k-1].Cols {
					t.Errorf("cell %d (%d×%d) is larger than the cell before it", k, c.Rows, c.Cols)
				}
				for r := c.Row; r < c.Row+c.Rows; r++ {
					for col := c.Col; col < c.Col+c.Cols; col++ {
						if r >= rows || col >= cols {
							t.Errorf("cell %d covers (%d, %d), outside the %d×%d grid", k, r, col, rows, cols)
						}
						covered[[2]int{r, col}]++
					}
				}
			}
			for r := range rows {
				for col := range cols {
					if n := covered[[2]int{r, col}]; n != 1 {
						t.Errorf("(%d, %d) is covered %d times, want once", r, col, n)
					}
				}
			}
		})
	}
}

func TestLayoutCells(t *testing.T) {
	c := &Config{Cameras: threeCamerasList, Layouts: []Layout{
		{Name: "preset", Preset: "1+5", Cameras: []string{" garage", "A"}},
		{Name: "grid", Rows: 2, Columns: 3, Tiles: []LayoutTile{{Camera: "b", Row: 0, Col: 0, Rows: 2, Cols: 2}, {Camera: "a", Row: 1, Col: 2}}},
		{Name: "empty", Preset: "2x2"},
	}}
	tests := []struct {
		name       string
		layout     int
		rows, cols int
		cells      []Cell
	}{
		{"a preset's cameras fill its cells, largest first, and its empty cells are left out", 0, 3, 3,
			[]Cell{cell(2, 0, 0, 2, 2), cell(0, 0, 2, 1, 1)}},
		{"a grid's tiles keep their spans, and a span of 0 is 1", 1, 2, 3,
			[]Cell{cell(1, 0, 0, 2, 2), cell(0, 1, 2, 1, 1)}},
		{"a preset without cameras has its shape and no cells", 2, 2, 2, nil},
		{"a layout past the last has nothing", 3, 0, 0, nil},
		{"the plain grid is not a layout", -1, 0, 0, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rows, cols, cells := c.LayoutCells(tc.layout)
			if rows != tc.rows || cols != tc.cols || !reflect.DeepEqual(cells, tc.cells) {
				t.Errorf("LayoutCells(%d) = %d×%d %v\nwant %d×%d %v", tc.layout, rows, cols, cells, tc.rows, tc.cols, tc.cells)
			}
		})
	}
}
