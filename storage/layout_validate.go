package storage

import (
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// layoutProblems checks the layouts: each named, once, and either a preset
// or a grid of tiles, showing cameras that exist, each at most once.
func (c *Config) layoutProblems() []problem {
	var ps []problem
	add := func(path, format string, args ...any) {
		ps = append(ps, problem{path: path, msg: fmt.Sprintf(format, args...)})
	}
	if n := len(c.Layouts); n > MaxLayouts {
		add(fmt.Sprintf("layouts[%d]", MaxLayouts), "%d layouts: the wall has at most %d, one for each of the keys 1 to %d; %s and the layouts after it are too many",
			n, MaxLayouts, MaxLayouts, c.Layouts[MaxLayouts].label(MaxLayouts))
	}
	for i, l := range c.Layouts {
		at := fmt.Sprintf("layouts[%d]", i)
		label := l.label(i)

		name := strings.TrimSpace(l.Name)
		if msg := textProblem("name", l.Name); msg != "" {
			add(at+".name", "%s: %s", label, msg)
		} else if name == "" {
			add(at+".name", "layout #%d has no name", i+1)
		} else {
			for j, other := range c.Layouts[:i] {
				if strings.EqualFold(strings.TrimSpace(other.Name), name) {
					add(at+".name", "%s: layout #%d already has this name (names must differ, ignoring case)", label, j+1)
					break
				}
			}
		}

		grid := l.Rows != 0 || l.Columns != 0 || len(l.Tiles) > 0
		switch {
		case l.Preset != "" && grid:
			add(at+".preset", "%s: preset and rows, columns or tiles are both set; a layout is either a preset or a grid of tiles, not both", label)
		case l.Preset != "":
			ps = append(ps, c.presetProblems(at, label, l)...)
		case grid:
			if len(l.Cameras) > 0 {
				add(at+".cameras", "%s: cameras fill the cells of a preset, and this layout has none; place each camera with a tile instead", label)
			}
			ps = append(ps, gridProblems(at, label, l)...)
		default:
			add(at, "%s needs a preset, or rows, columns and tiles", label)
		}

		// Cameras are checked whatever the shape's problems: a misspelt name
		// is worth knowing about in any case.
		seen := map[int]string{}
		ref := func(path, what, name string) {
			if msg := textProblem("camera", name); msg != "" {
				add(path, "%s: %s: %s", label, what, msg)
				return
			}
			k := c.cameraIndex(name)
			switch {
			case strings.TrimSpace(name) == "":
				add(path, "%s: %s names no camera", label, what)
			case k < 0:
				add(path, "%s: %s: no camera is named %s%s", label, what, quote(strings.TrimSpace(name)), c.suggestCamera(name))
			case seen[k] != "":
				add(path, "%s: %s: %s is already in this layout, as %s; a camera appears at most once in a layout", label, what, c.Cameras[k].label(k), seen[k])
			default:
				seen[k] = what
			}
		}
		for j, name := range l.Cameras {
			ref(fmt.Sprintf("%s.cameras[%d]", at, j), fmt.Sprintf("cameras #%d", j+1), name)
		}
		for j, t := range l.Tiles {
			ref(fmt.Sprintf("%s.tiles[%d].camera", at, j), fmt.Sprintf("tile #%d", j+1), t.Camera)
		}
	}
	return ps
}

// presetProblems checks layout l, at path at, as a preset.
func (c *Config) presetProblems(at, label string, l Layout) []problem {
	_, _, cells := PresetCells(l.Preset)
	if cells == nil {
		msg := fmt.Sprintf("%s: preset must be one of %s, not %s", label, strings.Join(Presets, ", "), quote(l.Preset))
		if best := closest(l.Preset, Presets); best != "" {
			msg += didYouMean(best)
		}
		return []problem{{path: at + ".preset", msg: msg}}
	}
	if len(l.Cameras) > len(cells) {
		return []problem{{path: fmt.Sprintf("%s.cameras[%d]", at, len(cells)), msg: fmt.Sprintf(
			"%s: preset %s has %s but %d cameras are listed; the %s, %s, and those after it have no cell",
			label, l.Preset, count(len(cells), "cell"), len(l.Cameras), ordinal(len(cells)+1), quote(strings.TrimSpace(l.Cameras[len(cells)])))}}
	}
	return nil
}

// gridProblems checks layout l, at path at, as a grid of tiles: the grid's
// shape, and tiles inside it that do not overlap.
func gridProblems(at, label string, l Layout) []problem {
	var ps []problem
	add := func(path, format string, args ...any) {
		ps = append(ps, problem{path: path, msg: fmt.Sprintf(format, args...)})
	}
	shaped := true
	for _, side := range []struct {
		key string
		n   int
	}{{"rows", l.Rows}, {"columns", l.Columns}} {
		if side.n < 1 || side.n > maxGridSide {
			add(at+"."+side.key, "%s: %s must be from 1 to %d, not %d", label, side.key, maxGridSide, side.n)
			shaped = false
		}
	}
	// owner is which tile (index + 1) covers each cell, for overlaps.
	var owner [maxGridSide][maxGridSide]int
	for j, t := range l.Tiles {
		tp := fmt.Sprintf("%s.tiles[%d]", at, j)
		what := fmt.Sprintf("%s: tile #%d", label, j+1)
		placed := true
		for _, f := range []struct {
			key string
			n   int
		}{{"row", t.Row}, {"col", t.Col}, {"rows", t.Rows}, {"cols", t.Cols}} {
			if f.n < 0 {
				add(tp+"."+f.key, "%s: %s must not be negative, not %d", what, f.key, f.n)
				placed = false
			}
		}
		if !shaped || !placed {
			continue
		}
		rows, cols := span(t.Rows), span(t.Cols)
		if last := t.Row + rows - 1; last >= l.Rows {
			add(tp+"."+spanKey("row", "rows", t.Rows), "%s spans rows %d to %d, past the layout's last row, %d (rows count from 0)", what, t.Row, last, l.Rows-1)
			placed = false
		}
		if last := t.Col + cols - 1; last >= l.Columns {
			add(tp+"."+spanKey("col", "cols", t.Cols), "%s spans columns %d to %d, past the layout's last column, %d (columns count from 0)", what, t.Col, last, l.Columns-1)
			placed = false
		}
		if !placed {
			continue
		}
		reported := map[int]bool{}
		for r := t.Row; r < t.Row+rows; r++ {
			for col := t.Col; col < t.Col+cols; col++ {
				if k := owner[r][col]; k != 0 {
					if !reported[k] {
						add(tp, "%s (camera %s) overlaps tile #%d (camera %s) at row %d, col %d; tiles must not overlap",
							what, quote(strings.TrimSpace(t.Camera)), k, quote(strings.TrimSpace(l.Tiles[k-1].Camera)), r, col)
						reported[k] = true
					}
					continue
				}
				owner[r][col] = j + 1
			}
		}
	}
	return ps
}

// spanKey is the key to blame for a tile past the grid's edge: its span
// when it has one, else its position.
func spanKey(position, spanKey string, span int) string {
	if span > 1 {
		return spanKey
	}
	return position
}

// suggestCamera proposes the camera a misspelt name was meant to be.
func (c *Config) suggestCamera(name string) string {
	names := make([]string, len(c.Cameras))
	for i, cam := range c.Cameras {
		names[i] = strings.TrimSpace(cam.Name)
	}
	if best := closest(strings.TrimSpace(name), names); best != "" {
		return didYouMean(best)
	}
	return ""
}

// tourProblems checks the tour: a period in range, and layouts to rotate
// that exist, each listed once.
func (c *Config) tourProblems() []problem {
	var ps []problem
	add := func(path, format string, args ...any) {
		ps = append(ps, problem{path: path, msg: fmt.Sprintf(format, args...)})
	}
	t := c.Tour
	if msg := textProblem("every", t.Every); msg != "" {
		add("tour.every", "tour: %s", msg)
	} else if t.Every == "" {
		if len(t.Layouts) > 0 {
			add("tour.layouts", "tour: layouts are listed but every is not set; set every (such as 30s) to how long each is shown")
		}
	} else if d, err := time.ParseDuration(t.Every); err != nil {
		add("tour.every", "tour: every must be a duration such as 30s, 5m or 1h, not %s", quote(t.Every))
	} else if d < minTourPeriod || d > maxTourPeriod {
		add("tour.every", "tour: every must be from 5s to 24h, not %s", quote(t.Every))
	}
	if len(t.Layouts) == 1 {
		add("tour.layouts", "tour: layouts lists one layout, and a tour of one layout never changes the wall; list at least 2, or none to rotate every layout")
	}
	first := map[int]int{}
	for j, name := range t.Layouts {
		path := fmt.Sprintf("tour.layouts[%d]", j)
		if msg := textProblem("layout name", name); msg != "" {
			add(path, "tour: layouts #%d: %s", j+1, msg)
			continue
		}
		n := strings.TrimSpace(name)
		k := c.LayoutIndex(n)
		switch {
		case n == "":
			add(path, "tour: layouts #%d names no layout", j+1)
		case k < 0:
			add(path, "tour: no layout is named %s%s", quote(n), c.suggestLayout(n))
		case first[k] != 0:
			add(path, "tour: %s is listed twice (#%d and #%d); list each layout once", c.Layouts[k].label(k), first[k], j+1)
		default:
			first[k] = j + 1
		}
	}
	return ps
}

// suggestLayout proposes the layout a misspelt name was meant to be.
func (c *Config) suggestLayout(name string) string {
	names := make([]string, len(c.Layouts))
	for i, l := range c.Layouts {
		names[i] = strings.TrimSpace(l.Name)
	}
	if best := closest(name, names); best != "" {
		return didYouMean(best)
	}
	return ""
}

// metricsProblems checks the metrics address: empty, or a host (empty for
// every interface) and a numeric port that net.Listen accepts.
func metricsProblems(addr string) []problem {
	bad := func(format string, args ...any) []problem {
		return []problem{{path: "metrics", msg: fmt.Sprintf(format, args...)}}
	}
	if addr == "" {
		return nil
	}
	if msg := textProblem("metrics", addr); msg != "" {
		return bad("%s", msg)
	}
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return bad("metrics must be an address host:port such as 127.0.0.1:9464 (or :9464 for every interface), not %s", quote(addr))
	}
	// Digits only: net.Listen would look a service name up ("http"), and
	// Atoi takes a sign.
	if n, err := strconv.Atoi(port); err != nil || strings.Trim(port, "0123456789") != "" || n < 1 || n > 65535 {
		return bad("metrics: the port must be a number from 1 to 65535, not %s", quote(port))
	}
	return nil
}

// ordinal writes n as "1st", "2nd", "3rd", "4th"…
func ordinal(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// count writes n things: "1 cell", "6 cells".
func count(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.Itoa(n) + " " + thing + "s"
}
