package app

import (
	"math"

	"fyne.io/fyne/v2"

	"github.com/camwall/camwall/storage"
)

// gridLayout places tiles on the cells of the view shown: a grid of rows ×
// columns where each tile may span several cells. Tiles are the grid
// container's objects in camera order, and a cell names its tile by camera
// index, so a tile keeps its place whatever its camera does: a dropped
// camera's tile stays where it is, dimmed, and nothing reflows. Tiles the
// view does not place are hidden (their sessions keep running, so that
// switching views shows pictures at once). While one tile is focused it has
// the whole area.
type gridLayout struct {
	rows, cols int
	cells      []storage.Cell
	focused    int // index of the focused tile, -1 for the grid
	gap        float32
}

// minCell is a cell's least size: small enough that 8×8 tiles and the
// window's bars fit a 1280×720 screen, large enough for a state dot.
var minCell = fyne.NewSize(32, 18)

// GridColumns is the column count of the automatic layout: the smallest
// square grid that holds n tiles (1, 2×2, 3×3, … 8×8).
func GridColumns(n int) int {
	if n <= 1 {
		return 1
	}
	return int(math.Ceil(math.Sqrt(float64(n))))
}

// gridDims is the shape of the plain wall of n cameras: the configured
// rows and columns, or the smallest square grid, trimmed to the rows used.
func gridDims(g storage.Grid, n int) (rows, cols int) {
	if g.Rows > 0 && g.Columns > 0 {
		return g.Rows, g.Columns
	}
	cols = GridColumns(n)
	rows = max(1, int(math.Ceil(float64(n)/float64(cols))))
	return rows, cols
}

// Dims returns the rows and columns of the view shown.
func (g *gridLayout) Dims() (rows, cols int) { return max(1, g.rows), max(1, g.cols) }

// cellAt is the camera whose tile covers cell (r, c), -1 for none.
func (g *gridLayout) cellAt(r, c int) int {
	for _, cell := range g.cells {
		if r >= cell.Row && r < cell.Row+cell.Rows && c >= cell.Col && c < cell.Col+cell.Cols {
			return cell.Camera
		}
	}
	return -1
}

// cellOf is the cell camera i's tile occupies in the view shown.
func (g *gridLayout) cellOf(i int) (storage.Cell, bool) {
	for _, cell := range g.cells {
		if cell.Camera == i {
			return cell, true
		}
	}
	return storage.Cell{}, false
}

// cellSize is the size of one cell of a rows × cols grid in an area of
// size.
func cellSize(rows, cols int, gap float32, size fyne.Size) (w, h float32) {
	return (size.Width - gap*float32(cols-1)) / float32(cols), (size.Height - gap*float32(rows-1)) / float32(rows)
}

// cellRect is where a cell of a rows × cols grid lies in an area of size.
func cellRect(rows, cols int, gap float32, cell storage.Cell, size fyne.Size) (fyne.Position, fyne.Size) {
	cw, ch := cellSize(rows, cols, gap, size)
	pos := fyne.NewPos(float32(cell.Col)*(cw+gap), float32(cell.Row)*(ch+gap))
	return pos, fyne.NewSize(cw*float32(cell.Cols)+gap*float32(cell.Cols-1), ch*float32(cell.Rows)+gap*float32(cell.Rows-1))
}

// rect is where a cell of the view shown lies in an area of size.
func (g *gridLayout) rect(cell storage.Cell, size fyne.Size) (fyne.Position, fyne.Size) {
	rows, cols := g.Dims()
	return cellRect(rows, cols, g.gap, cell, size)
}

// cellAtPos is the cell (row, column) under a position of an area of size.
func (g *gridLayout) cellAtPos(p fyne.Position, size fyne.Size) (r, c int, ok bool) {
	rows, cols := g.Dims()
	cw, ch := cellSize(rows, cols, g.gap, size)
	c, r = int(p.X/(cw+g.gap)), int(p.Y/(ch+g.gap))
	return r, c, p.X >= 0 && p.Y >= 0 && r < rows && c < cols
}

func (g *gridLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	if g.focused >= 0 && g.focused < len(objs) {
		for i, o := range objs {
			if i == g.focused {
				o.Move(fyne.NewPos(0, 0))
				o.Resize(size)
				o.Show()
			} else {
				o.Hide()
			}
		}
		return
	}
	placed := make([]bool, len(objs))
	for _, cell := range g.cells {
		if cell.Camera < 0 || cell.Camera >= len(objs) {
			continue
		}
		o := objs[cell.Camera]
		pos, sz := g.rect(cell, size)
		o.Move(pos)
		o.Resize(sz)
		o.Show()
		placed[cell.Camera] = true
	}
	for i, o := range objs {
		if !placed[i] {
			o.Hide()
		}
	}
}

func (g *gridLayout) MinSize([]fyne.CanvasObject) fyne.Size {
	rows, cols := g.Dims()
	return fyne.NewSize(minCell.Width*float32(cols)+g.gap*float32(cols-1), minCell.Height*float32(rows)+g.gap*float32(rows-1))
}
