package storage

import "time"

// TEMPORARY stand-in until the layouts branch merges; deleted then.

func (c *Config) LayoutCells(i int) (rows, cols int, cells []Cell) {
	l := c.Layouts[i]
	idx := func(name string) int {
		for j, cam := range c.Cameras {
			if cam.Name == name {
				return j
			}
		}
		return -1
	}
	for _, t := range l.Tiles {
		if j := idx(t.Camera); j >= 0 {
			cells = append(cells, Cell{Camera: j, Row: t.Row, Col: t.Col, Rows: max(1, t.Rows), Cols: max(1, t.Cols)})
		}
	}
	return l.Rows, l.Columns, cells
}

func (c *Config) SwapCells(layout int, a, b Cell) bool { return false }

func (t Tour) Period() time.Duration { d, _ := time.ParseDuration(t.Every); return d }
