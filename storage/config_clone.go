package storage

import "slices"

// Clone is a copy of c that shares no slice with it, for an edit that may
// be abandoned.
func (c *Config) Clone() Config {
	out := *c
	out.Cameras = slices.Clone(c.Cameras)
	out.Layouts = slices.Clone(c.Layouts)
	for i, l := range out.Layouts {
		out.Layouts[i].Cameras = slices.Clone(l.Cameras)
		out.Layouts[i].Tiles = slices.Clone(l.Tiles)
	}
	out.Tour.Layouts = slices.Clone(c.Tour.Layouts)
	return out
}
