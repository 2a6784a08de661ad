package app

import (
	"math"

	"fyne.io/fyne/v2"
)

// gridLayout places tiles in rows × columns cells, or, while one tile is
// focused, gives that tile the whole area and hides the others (their
// sessions keep running, so leaving focus is instant).
type gridLayout struct {
	rows, cols int // 0, 0: automatic
	focused    int // index of the focused tile, -1 for the grid
	gap        float32
}

// Dims returns the rows and columns used for n tiles.
func (g *gridLayout) Dims(n int) (rows, cols int) {
	if g.rows > 0 && g.cols > 0 {
		return g.rows, g.cols
	}
	cols = GridColumns(n)
	rows = max(1, int(math.Ceil(float64(n)/float64(cols))))
	return rows, cols
}

// GridColumns is the column count of the automatic layout: the smallest
// square grid that holds n tiles (1, 2×2, 3×3, … 8×8).
func GridColumns(n int) int {
	if n <= 1 {
		return 1
	}
	return int(math.Ceil(math.Sqrt(float64(n))))
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
	rows, cols := g.Dims(len(objs))
	cw := (size.Width - g.gap*float32(cols-1)) / float32(cols)
	ch := (size.Height - g.gap*float32(rows-1)) / float32(rows)
	for i, o := range objs {
		if i >= rows*cols {
			o.Hide() // more cameras than an explicit grid holds
			continue
		}
		r, c := i/cols, i%cols
		o.Move(fyne.NewPos(float32(c)*(cw+g.gap), float32(r)*(ch+g.gap)))
		o.Resize(fyne.NewSize(cw, ch))
		o.Show()
	}
}

func (g *gridLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	rows, cols := g.Dims(len(objs))
	if len(objs) == 0 {
		return fyne.NewSize(320, 180)
	}
	m := objs[0].MinSize()
	return fyne.NewSize(m.Width*float32(cols)+g.gap*float32(cols-1), m.Height*float32(rows)+g.gap*float32(rows-1))
}
