package app

import (
	"cmp"
	"fmt"
	"slices"

	"fyne.io/fyne/v2"

	"github.com/camwall/camwall/storage"
)

// view is one screen of the wall: a configured layout, or one page of the
// plain grid of every camera (more than one page only when the configured
// grid holds fewer tiles than there are cameras).
type view struct {
	layout int // index into Config.Layouts; -1 for the plain grid
	page   int
}

// views are the screens keys 1–9, the View menu and the tour switch
// between, in that order: the layouts, or else the plain grid's pages.
func (u *UI) views() []view {
	if len(u.cfg.Layouts) > 0 && len(u.cfg.Cameras) > 0 {
		vs := make([]view, len(u.cfg.Layouts))
		for i := range vs {
			vs[i] = view{layout: i}
		}
		return vs
	}
	n := len(u.shownCameras())
	rows, cols := gridDims(u.cfg.Grid, n)
	pages := max(1, (n+rows*cols-1)/(rows*cols))
	vs := make([]view, pages)
	for i := range vs {
		vs[i] = view{layout: -1, page: i}
	}
	return vs
}

// viewName is how the View menu and the overlay name a view.
func (u *UI) viewName(v view) string {
	if v.layout >= 0 {
		return u.cfg.Layouts[v.layout].Name
	}
	if len(u.views()) > 1 {
		return fmt.Sprintf("Page %d", v.page+1)
	}
	return "All cameras"
}

// cellsOf is where a view puts each camera's tile.
func (u *UI) cellsOf(v view) (rows, cols int, cells []storage.Cell) {
	if v.layout >= 0 && v.layout < len(u.cfg.Layouts) {
		return u.cfg.LayoutCells(v.layout)
	}
	n := len(u.shownCameras())
	rows, cols = gridDims(u.cfg.Grid, n)
	per := rows * cols
	for k := range per {
		i := v.page*per + k
		if i >= n {
			break
		}
		cells = append(cells, storage.Cell{Camera: i, Row: k / cols, Col: k % cols, Rows: 1, Cols: 1})
	}
	return rows, cols, cells
}

// View is the index of the view shown (see views).
func (u *UI) View() int { return u.view }

// ShowView switches the wall to view i: keys 1–9, the View menu and the
// tour. Tiles keep their sessions; the ones the view does not place are
// hidden, and decode only keyframes until they are shown again.
func (u *UI) ShowView(i int) {
	vs := u.views()
	if i < 0 || i >= len(vs) {
		return
	}
	if u.layout.focused >= 0 {
		u.cameras[u.layout.focused].unfocus()
		u.layout.focused = -1
	}
	u.view = i
	u.layout.rows, u.layout.cols, u.layout.cells = u.cellsOf(vs[i])
	if _, shown := u.layout.cellOf(u.selected); !shown {
		if order := u.shownOrder(); len(order) > 0 {
			u.Select(order[0])
		}
	}
	u.relayout()
}

// relayout places the tiles again and re-lays out each one, so that every
// tile tells its sessions whether it is shown, and at what size.
func (u *UI) relayout() {
	if f := u.layout.focused; f >= 0 && f < len(u.cameras) {
		u.ptz.follow(f, u.cameras[f].cfg)
	} else {
		u.ptz.follow(-1, storage.Camera{})
	}
	u.Grid.Refresh()
	for _, t := range u.Tiles {
		t.Refresh()
	}
}

// shownOrder is the cameras of the view shown, in reading order of their
// tiles' top-left cells.
func (u *UI) shownOrder() []int {
	cells := slices.Clone(u.layout.cells)
	slices.SortFunc(cells, func(a, b storage.Cell) int {
		return cmp.Or(cmp.Compare(a.Row, b.Row), cmp.Compare(a.Col, b.Col))
	})
	order := make([]int, 0, len(cells))
	for _, c := range cells {
		if c.Camera < len(u.Tiles) {
			order = append(order, c.Camera)
		}
	}
	return order
}

// neighbour is the tile next to camera i's in a direction: left and right
// follow reading order (wrapping to the next row, as text does), up and
// down go to the tile above or below the tile's first column, skipping
// empty cells. -1 when there is none.
func (u *UI) neighbour(i int, key fyne.KeyName) int {
	order := u.shownOrder()
	at := slices.Index(order, i)
	if at < 0 {
		if len(order) > 0 {
			return order[0]
		}
		return -1
	}
	cell, _ := u.layout.cellOf(i)
	rows, _ := u.layout.Dims()
	switch key {
	case fyne.KeyLeft:
		if at > 0 {
			return order[at-1]
		}
	case fyne.KeyRight:
		if at+1 < len(order) {
			return order[at+1]
		}
	case fyne.KeyUp:
		for r := cell.Row - 1; r >= 0; r-- {
			if j := u.layout.cellAt(r, cell.Col); j >= 0 {
				return j
			}
		}
	case fyne.KeyDown:
		for r := cell.Row + cell.Rows; r < rows; r++ {
			if j := u.layout.cellAt(r, cell.Col); j >= 0 {
				return j
			}
		}
	}
	return -1
}
