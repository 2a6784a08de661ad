package storage

import (
	"slices"
	"strings"
)

// Edits the UI makes to a valid configuration, each leaving it valid. They
// change copies of the slices they touch, never the arrays underneath: a
// Config copied before the edit (to undo it, or to compare) keeps its
// cameras and layouts as they were.

// RenameCamera renames the camera called oldName (by the rule names are told
// apart by: ignoring case and surrounding spaces) to newName, and every
// layout's mention of it; a camera already renamed in c.Cameras has only its
// mentions updated. newName must be free (UniqueName).
func (c *Config) RenameCamera(oldName, newName string) {
	if strings.TrimSpace(oldName) == "" {
		return
	}
	is := sameName(oldName)
	if i := slices.IndexFunc(c.Cameras, func(cam Camera) bool { return is(cam.Name) }); i >= 0 {
		c.Cameras = slices.Clone(c.Cameras)
		c.Cameras[i].Name = newName
	}
	c.Layouts = slices.Clone(c.Layouts)
	for i := range c.Layouts {
		l := &c.Layouts[i]
		if slices.ContainsFunc(l.Cameras, is) {
			l.Cameras = slices.Clone(l.Cameras)
			for j, name := range l.Cameras {
				if is(name) {
					l.Cameras[j] = newName
				}
			}
		}
		if slices.ContainsFunc(l.Tiles, func(t LayoutTile) bool { return is(t.Camera) }) {
			l.Tiles = slices.Clone(l.Tiles)
			for j, t := range l.Tiles {
				if is(t.Camera) {
					l.Tiles[j].Camera = newName
				}
			}
		}
	}
}

// ForgetCamera drops every layout's mention of the camera called name, as
// removing the camera from c.Cameras requires. A preset's later cameras move
// up a cell; a grid keeps the removed tile's cells empty. c.Cameras is not
// changed.
func (c *Config) ForgetCamera(name string) {
	if strings.TrimSpace(name) == "" {
		return
	}
	is := sameName(name)
	c.Layouts = slices.Clone(c.Layouts)
	for i := range c.Layouts {
		l := &c.Layouts[i]
		l.Cameras = nilIfEmpty(slices.DeleteFunc(slices.Clone(l.Cameras), is))
		l.Tiles = nilIfEmpty(slices.DeleteFunc(slices.Clone(l.Tiles), func(t LayoutTile) bool { return is(t.Camera) }))
	}
}

// SwapCells swaps the cameras shown at cells a and b, as LayoutCells
// resolved them, of layout (an index into c.Layouts), and reports whether it
// did. In a preset the two names trade places in its cameras; in a grid the
// two tiles trade cameras and keep their places and spans. When b is an
// empty cell of a grid (Camera -1), a's tile moves there with its span, if
// it fits inside the grid without overlapping another tile. A preset's
// cameras fill its cells in order, so none can move to an empty one.
//
// Layout -1 is the plain grid of every camera, in the order of c.Cameras:
// the two cameras trade places there.
func (c *Config) SwapCells(layout int, a, b Cell) bool {
	hasCamera := func(k int) bool { return k >= 0 && k < len(c.Cameras) }
	if !hasCamera(a.Camera) || b.Camera != -1 && !hasCamera(b.Camera) || a.Camera == b.Camera {
		return false
	}
	if layout == -1 {
		if b.Camera == -1 {
			return false
		}
		c.Cameras = slices.Clone(c.Cameras)
		c.Cameras[a.Camera], c.Cameras[b.Camera] = c.Cameras[b.Camera], c.Cameras[a.Camera]
		return true
	}
	if layout < 0 || layout >= len(c.Layouts) {
		return false
	}
	l := c.Layouts[layout]
	shows := func(k int) func(string) bool {
		return func(name string) bool { return c.cameraIndex(name) == k }
	}
	if l.Preset != "" {
		p, q := slices.IndexFunc(l.Cameras, shows(a.Camera)), slices.IndexFunc(l.Cameras, shows(b.Camera))
		if p < 0 || q < 0 {
			return false
		}
		l.Cameras = slices.Clone(l.Cameras)
		l.Cameras[p], l.Cameras[q] = l.Cameras[q], l.Cameras[p]
		c.setLayout(layout, l)
		return true
	}
	tileOf := func(k int) int {
		return slices.IndexFunc(l.Tiles, func(t LayoutTile) bool { return shows(k)(t.Camera) })
	}
	p := tileOf(a.Camera)
	if p < 0 {
		return false
	}
	l.Tiles = slices.Clone(l.Tiles)
	if b.Camera != -1 {
		q := tileOf(b.Camera)
		if q < 0 {
			return false
		}
		l.Tiles[p].Camera, l.Tiles[q].Camera = l.Tiles[q].Camera, l.Tiles[p].Camera
		c.setLayout(layout, l)
		return true
	}
	moved := l.Tiles[p]
	moved.Row, moved.Col = b.Row, b.Col
	if !fits(l, p, moved) {
		return false
	}
	l.Tiles[p] = moved
	c.setLayout(layout, l)
	return true
}

// setLayout replaces layout i with l in a copy of c.Layouts.
func (c *Config) setLayout(i int, l Layout) {
	c.Layouts = slices.Clone(c.Layouts)
	c.Layouts[i] = l
}

// fits reports whether tile t, put in place of tile p of grid layout l, lies
// inside the grid and overlaps none of the other tiles.
func fits(l Layout, p int, t LayoutTile) bool {
	rows, cols := span(t.Rows), span(t.Cols)
	if t.Row < 0 || t.Col < 0 || t.Row+rows > l.Rows || t.Col+cols > l.Columns {
		return false
	}
	for j, o := range l.Tiles {
		if j != p && t.Row < o.Row+span(o.Rows) && o.Row < t.Row+rows && t.Col < o.Col+span(o.Cols) && o.Col < t.Col+cols {
			return false
		}
	}
	return true
}

// sameName is a test for names equal to name by the rule names are told
// apart by: ignoring case and surrounding spaces.
func sameName(name string) func(string) bool {
	name = strings.TrimSpace(name)
	return func(other string) bool { return strings.EqualFold(strings.TrimSpace(other), name) }
}

func nilIfEmpty[S ~[]E, E any](s S) S {
	if len(s) == 0 {
		return nil
	}
	return s
}
