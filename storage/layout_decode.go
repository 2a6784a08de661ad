package storage

import (
	"fmt"

	"gopkg.in/yaml.v3"
)

// layouts decodes the layouts list. Every value is noted by its path
// ("layouts[0].tiles[1].row"), which is how validation finds its line.
func (d *decoder) layouts(n *yaml.Node) []Layout {
	defer d.aliasing(n)()
	m := deref(n)
	if isNull(m) {
		return nil
	}
	if m.Kind != yaml.SequenceNode {
		d.errorf(n, "layouts must be a list, each layout starting with \"- \", not %s", describe(m))
		return nil
	}
	if len(m.Content) == 0 {
		return nil
	}
	ls := make([]Layout, len(m.Content))
	for i, item := range m.Content {
		ls[i] = d.layout(i, item)
	}
	return ls
}

func (d *decoder) layout(i int, item *yaml.Node) Layout {
	var l Layout
	path := fmt.Sprintf("layouts[%d]", i)
	d.note(path, item)
	defer d.aliasing(item)()
	m := deref(item)
	if isNull(m) {
		d.errorf(item, "layout #%d is empty; it needs a name, and a preset or rows, columns and tiles", i+1)
		return l
	}
	if m.Kind != yaml.MappingNode {
		d.errorf(item, "layout #%d must be a mapping with keys such as name and preset, not %s", i+1, describe(m))
		return l
	}
	label := Layout{Name: nameIn(m)}.label(i)
	d.mapping(m, "in "+label, layoutKeys, func(key, val *yaml.Node) {
		d.note(path+"."+key.Value, val)
		switch key.Value {
		case "name":
			d.text(&l.Name, label, key.Value, val)
		case "preset":
			d.text(&l.Preset, label, key.Value, val)
		case "rows", "columns":
			v, ok := intValue(val)
			if !ok {
				d.errorf(val, "%s: %s must be a whole number from 1 to %d, not %s", label, key.Value, maxGridSide, describe(deref(val)))
			}
			if key.Value == "rows" {
				l.Rows = v
			} else {
				l.Columns = v
			}
		case "cameras":
			l.Cameras = d.names(path+".cameras", label+": cameras", "camera names", "a camera's name", val)
		case "tiles":
			l.Tiles = d.tiles(path+".tiles", label, val)
		}
	})
	return l
}

func (d *decoder) tiles(path, label string, n *yaml.Node) []LayoutTile {
	defer d.aliasing(n)()
	m := deref(n)
	if isNull(m) {
		return nil
	}
	if m.Kind != yaml.SequenceNode {
		d.errorf(n, "%s: tiles must be a list, each tile starting with \"- \", not %s", label, describe(m))
		return nil
	}
	if len(m.Content) == 0 {
		return nil
	}
	ts := make([]LayoutTile, len(m.Content))
	for j, item := range m.Content {
		ts[j] = d.tile(fmt.Sprintf("%s[%d]", path, j), fmt.Sprintf("%s: tile #%d", label, j+1), item)
	}
	return ts
}

func (d *decoder) tile(path, label string, item *yaml.Node) LayoutTile {
	var t LayoutTile
	d.note(path, item)
	defer d.aliasing(item)()
	m := deref(item)
	if isNull(m) {
		d.errorf(item, "%s is empty; it needs a camera, a row and a col", label)
		return t
	}
	if m.Kind != yaml.MappingNode {
		d.errorf(item, "%s must be a mapping with keys such as camera, row and col, not %s", label, describe(m))
		return t
	}
	d.mapping(m, "in "+label, tileKeys, func(key, val *yaml.Node) {
		d.note(path+"."+key.Value, val)
		if key.Value == "camera" {
			d.text(&t.Camera, label, key.Value, val)
			return
		}
		v, ok := intValue(val)
		if !ok {
			d.errorf(val, "%s: %s must be a whole number, not %s", label, key.Value, describe(deref(val)))
		}
		*tileNumber(&t, key.Value) = v
	})
	return t
}

// tileNumber maps a number key of a tile to its field; nil for camera.
func tileNumber(t *LayoutTile, key string) *int {
	switch key {
	case "row":
		return &t.Row
	case "col":
		return &t.Col
	case "rows":
		return &t.Rows
	case "cols":
		return &t.Cols
	}
	return nil
}

// names decodes a list of names at path: a layout's cameras, a tour's
// layouts. what names the list in messages ("tour: layouts"), plural what it
// holds and one what each entry is.
func (d *decoder) names(path, what, plural, one string, n *yaml.Node) []string {
	defer d.aliasing(n)()
	m := deref(n)
	if isNull(m) {
		return nil
	}
	if m.Kind != yaml.SequenceNode {
		d.errorf(n, "%s must be a list of %s, such as [a, b], not %s", what, plural, describe(m))
		return nil
	}
	if len(m.Content) == 0 {
		return nil
	}
	out := make([]string, len(m.Content))
	for j, item := range m.Content {
		d.note(fmt.Sprintf("%s[%d]", path, j), item)
		s, ok := textValue(item)
		if !ok {
			d.errorf(item, "%s #%d must be %s, not %s", what, j+1, one, describe(deref(item)))
			continue
		}
		out[j] = s
	}
	return out
}
