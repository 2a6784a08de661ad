package app

import (
	"fmt"

	"fyne.io/fyne/v2"

	"github.com/camwall/camwall/storage"
)

// Dragging a tile onto another swaps the two cameras' places, and onto an
// empty cell of a layout moves it there; the change is saved to the
// configuration. Desktop mode only: a kiosk's wall is not rearranged by
// whoever walks past with a mouse.

// Dragged implements fyne.Draggable: it follows where the pointer is, in
// window coordinates, from where the drag began and each step's movement.
func (t *Tile) Dragged(ev *fyne.DragEvent) {
	t.ui.userActive()
	if t.ui.layout.focused == t.index && t.ui.ptz.dragged(ev.Dragged) {
		return // a drag on a focused PTZ camera steers it
	}
	if !t.dragging {
		t.dragAt = fyne.CurrentApp().Driver().AbsolutePositionForObject(t).Add(ev.Position)
		t.dragging = true
	}
	t.dragAt = t.dragAt.Add(ev.Dragged)
}

// DragEnd implements fyne.Draggable: the tile is dropped where the
// pointer last was.
func (t *Tile) DragEnd() {
	if t.ui.layout.focused == t.index && t.ui.ptz.dragEnd() {
		return
	}
	if !t.dragging {
		return
	}
	t.dragging = false
	t.ui.dropTile(t.index, t.dragAt)
}

// dropTile moves camera i's tile to the cell under abs, a position in the
// window.
func (u *UI) dropTile(i int, abs fyne.Position) {
	if u.layout.focused >= 0 || len(u.cfg.Cameras) == 0 || !u.editable() {
		return
	}
	from, ok := u.layout.cellOf(i)
	if !ok {
		return
	}
	grid := fyne.CurrentApp().Driver().AbsolutePositionForObject(u.Grid)
	r, c, ok := u.layout.cellAtPos(abs.Subtract(grid), u.Grid.Size())
	if !ok {
		return
	}
	to := storage.Cell{Camera: -1, Row: r, Col: c, Rows: 1, Cols: 1}
	if j := u.layout.cellAt(r, c); j >= 0 {
		to, _ = u.layout.cellOf(j)
	}
	if to.Camera == i {
		return
	}
	v := u.views()[u.view]
	moved := u.cameras[i].cfg.Name
	other := ""
	if to.Camera >= 0 {
		other = u.cameras[to.Camera].cfg.Name
	}
	cfg := u.cfg.Clone()
	if !cfg.SwapCells(v.layout, from, to) {
		u.notify("That tile does not fit there")
		return
	}
	if !u.save(cfg) {
		return
	}
	u.replace(cfg)
	if other != "" {
		u.notify(fmt.Sprintf("Swapped %s and %s", moved, other))
	} else {
		u.notify("Moved " + moved)
	}
}
