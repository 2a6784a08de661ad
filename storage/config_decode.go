package storage

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/camwall/camwall/player/redact"
)

// lineError is one problem found in a file.
type lineError struct {
	line int
	msg  string
}

// decoder builds a Config from a YAML node tree, strictly: yaml.v3's own
// decoding names Go types in its messages and quietly truncates 1.5 to an
// int, so the tree is walked here against the same keys as the struct tags.
type decoder struct {
	name string
	errs []lineError
	lay  layout
	// aliased is set while decoding the content of a value written as an
	// alias, whose nodes carry the anchor's lines: problems inside it are
	// put where the alias is, which is what the user means.
	aliased bool
}

// layout remembers where each field was written, to put validation
// problems on their line.
type layout struct {
	sections map[int]sectionLayout // by section.in
	cameras  []cameraLayout
	// nodes are where values were written by path ("kiosk", "tour.every",
	// "layouts[0].tiles[1].row"), for problems located by a path.
	nodes map[string]*yaml.Node
}

type sectionLayout struct {
	key    *yaml.Node            // the section's key
	fields map[string]*yaml.Node // values by key
}

type cameraLayout struct {
	item   *yaml.Node            // the list item, an alias when written as one
	fields map[string]*yaml.Node // values by key
}

func (l *layout) line(p problem) int {
	if p.path != "" {
		return l.pathLine(p.path)
	}
	var n *yaml.Node
	if s, ok := l.sections[p.camera]; ok {
		n = s.fields[p.field]
		if n == nil {
			n = s.key
		}
	} else if p.camera >= 0 && p.camera < len(l.cameras) {
		cl := l.cameras[p.camera]
		n = cl.fields[p.field]
		if n == nil {
			n = cl.item
		}
	}
	if n == nil || n.Line < 1 {
		return 1
	}
	return n.Line
}

// pathLine is the line of the value at path, or of the nearest value
// around it that was written: a key left out is reported at its mapping.
func (l *layout) pathLine(path string) int {
	for p := path; p != ""; p = parentPath(p) {
		if n := l.nodes[p]; n != nil && n.Line >= 1 {
			return n.Line
		}
	}
	return 1
}

// parentPath is path without its last key or index: "layouts[0].tiles" for
// "layouts[0].tiles[1]", "layouts[0]" for "layouts[0].tiles".
func parentPath(path string) string {
	if i := strings.LastIndexAny(path, ".["); i >= 0 {
		return path[:i]
	}
	return ""
}

// note records that the value at path was written at n.
func (d *decoder) note(path string, n *yaml.Node) {
	if d.aliased {
		return
	}
	if d.lay.nodes == nil {
		d.lay.nodes = map[string]*yaml.Node{}
	}
	d.lay.nodes[path] = n
}

// aliasing sets d.aliased while decoding the content of n, when n is an
// alias; the function it returns restores it.
func (d *decoder) aliasing(n *yaml.Node) func() {
	was := d.aliased
	d.aliased = was || n.Kind == yaml.AliasNode
	return func() { d.aliased = was }
}

func (d *decoder) errorf(n *yaml.Node, format string, args ...any) {
	d.errs = append(d.errs, lineError{max(n.Line, 1), fmt.Sprintf(format, args...)})
}

func (d *decoder) err() error {
	slices.SortStableFunc(d.errs, func(a, b lineError) int { return a.line - b.line })
	errs := make([]error, len(d.errs))
	for i, e := range d.errs {
		errs[i] = fmt.Errorf("%s:%d: %s", d.name, e.line, e.msg)
	}
	return errors.Join(errs...)
}

func (d *decoder) config(doc *yaml.Node) *Config {
	c := &Config{}
	if doc == nil || doc.Kind == 0 {
		return c
	}
	n := doc
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return c
		}
		n = n.Content[0]
	}
	n = deref(n)
	if isNull(n) {
		return c // only comments: no cameras yet
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, "the file must be a mapping with the keys grid and cameras, not %s", describe(n))
		return c
	}
	d.mapping(n, "at the top level", topKeys, func(key, val *yaml.Node) {
		if f := topValues[key.Value]; f != nil {
			f(d, c, val)
			return
		}
		for _, s := range sections {
			if s.key == key.Value {
				d.section(s, c, key, val)
			}
		}
	})
	return c
}

// topText decodes the top-level text value key into the field field
// gives; what says what the value must be.
func topText(key, what string, field func(*Config) *string) func(d *decoder, c *Config, val *yaml.Node) {
	return func(d *decoder, c *Config, val *yaml.Node) {
		d.note(key, val)
		v, ok := textValue(val)
		if !ok {
			d.errorf(val, "%s must be %s, not %s", key, what, describe(deref(val)))
		}
		*field(c) = v
	}
}

// topValues decode the top-level keys that are not sections: the lists and
// the single values.
var topValues = map[string]func(d *decoder, c *Config, val *yaml.Node){
	"cameras": func(d *decoder, c *Config, val *yaml.Node) { c.Cameras = d.cameras(val) },
	"layouts": func(d *decoder, c *Config, val *yaml.Node) { c.Layouts = d.layouts(val) },
	"kiosk": func(d *decoder, c *Config, val *yaml.Node) {
		d.note("kiosk", val)
		v, ok := boolValue(val)
		if !ok {
			d.errorf(val, "kiosk must be true or false, not %s", describe(deref(val)))
		}
		c.Kiosk = v
	},
	"metrics": topText("metrics", "an address such as 127.0.0.1:9464", func(c *Config) *string { return &c.Metrics }),
	"hwaccel": topText("hwaccel", "one of "+modeList(), func(c *Config) *string { return &c.HWAccel }),
}

// A section is a mapping under a top-level key: grid, snapshots, recording,
// tour.
// They differ only in what this table holds, so that one walker
// (decoder.section) decodes them all with the same rules and messages.
type section struct {
	key   string
	in    int      // the problem.camera of its validation problems
	keys  []string // the keys it accepts
	shape string   // what it must hold, for the message when it is not a mapping
	// value decodes the value of one of keys into c.
	value func(d *decoder, c *Config, key string, val *yaml.Node)
}

var sections = []section{
	{"grid", inGrid, gridKeys, "the keys rows and columns", func(d *decoder, c *Config, key string, val *yaml.Node) {
		v, ok := intValue(val)
		if !ok {
			d.errorf(val, "grid: %s must be a whole number from 0 to %d, not %s", key, maxGridSide, describe(deref(val)))
			return
		}
		if key == "rows" {
			c.Grid.Rows = v
		} else {
			c.Grid.Columns = v
		}
	}},
	{"snapshots", inSnapshots, snapshotKeys, "keys such as dir and format", func(d *decoder, c *Config, key string, val *yaml.Node) {
		if key == "quality" {
			v, ok := intValue(val)
			if !ok {
				d.errorf(val, "snapshots: quality must be a whole number from 1 to 100, not %s", describe(deref(val)))
			}
			c.Snapshots.Quality = v
			return
		}
		if key == "group_readable" {
			d.bool(&c.Snapshots.GroupReadable, "snapshots", key, val)
			return
		}
		d.text(snapshotField(&c.Snapshots, key), "snapshots", key, val)
	}},
	{"recording", inRecording, recordKeys, "keys such as dir and segment", func(d *decoder, c *Config, key string, val *yaml.Node) {
		if b := recordFlag(&c.Recording, key); b != nil {
			d.bool(b, "recording", key, val)
			return
		}
		d.text(recordField(&c.Recording, key), "recording", key, val)
	}},
	{"tour", inTour, tourKeys, "the keys every and layouts", func(d *decoder, c *Config, key string, val *yaml.Node) {
		if key == "every" {
			d.text(&c.Tour.Every, "tour", key, val)
			return
		}
		c.Tour.Layouts = d.names("tour.layouts", "tour: layouts", "layout names", "a layout's name", val)
	}},
}

// section decodes section s, whose key and value are key and val, into c.
func (d *decoder) section(s section, c *Config, key, val *yaml.Node) {
	fields := map[string]*yaml.Node{}
	if d.lay.sections == nil {
		d.lay.sections = map[int]sectionLayout{}
	}
	d.lay.sections[s.in] = sectionLayout{key, fields}
	d.note(s.key, key)
	m := deref(val)
	if isNull(m) {
		return // a section's line whose keys are commented out
	}
	if m.Kind != yaml.MappingNode {
		d.errorf(val, "%s must be a mapping with %s, not %s", s.key, s.shape, describe(m))
		return
	}
	d.mapping(m, "in "+s.key, s.keys, func(key, val *yaml.Node) {
		fields[key.Value] = val
		d.note(s.key+"."+key.Value, val)
		s.value(d, c, key.Value, val)
	})
}

// text decodes a text value of a section into *dst.
func (d *decoder) text(dst *string, section, key string, val *yaml.Node) {
	v, ok := textValue(val)
	if !ok {
		d.errorf(val, "%s: %s must be text, not %s", section, key, describe(deref(val)))
		return
	}
	*dst = v
}

// bool decodes a true or false of a section into *dst; null is false.
func (d *decoder) bool(dst *bool, section, key string, val *yaml.Node) {
	v, ok := boolValue(val)
	if !ok {
		d.errorf(val, "%s: %s must be true or false, not %s", section, key, describe(deref(val)))
		return
	}
	*dst = v
}

// boolValue is the value of a boolean scalar: YAML's true and false, and
// the yes, no, on and off of YAML 1.1 that yaml.v3 also reads into a bool
// (many files are written that way). Null is false.
func boolValue(n *yaml.Node) (v, ok bool) {
	n = deref(n)
	if isNull(n) {
		return false, true
	}
	if n.Kind != yaml.ScalarNode {
		return false, false
	}
	if n.ShortTag() == "!!bool" {
		err := n.Decode(&v)
		return v, err == nil
	}
	switch n.Value {
	case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON":
		return true, true
	case "n", "N", "no", "No", "NO", "off", "Off", "OFF":
		return false, true
	}
	return false, false
}

func (d *decoder) cameras(n *yaml.Node) []Camera {
	m := deref(n)
	if isNull(m) {
		return nil
	}
	if m.Kind != yaml.SequenceNode {
		d.errorf(n, "cameras must be a list, each camera starting with \"- \", not %s", describe(m))
		return nil
	}
	if len(m.Content) == 0 {
		return nil
	}
	cams := make([]Camera, len(m.Content))
	d.lay.cameras = make([]cameraLayout, len(m.Content))
	for i, item := range m.Content {
		cams[i] = d.camera(i, item)
	}
	return cams
}

func (d *decoder) camera(i int, item *yaml.Node) Camera {
	var c Camera
	cl := &d.lay.cameras[i]
	cl.item = item
	cl.fields = map[string]*yaml.Node{}
	m := deref(item)
	if isNull(m) {
		d.errorf(item, "camera #%d is empty; it needs at least a name and a url", i+1)
		return c
	}
	if m.Kind != yaml.MappingNode {
		d.errorf(item, "camera #%d must be a mapping with keys such as name and url, not %s", i+1, describe(m))
		return c
	}
	label := Camera{Name: nameIn(m)}.label(i)
	d.mapping(m, "in "+label, cameraKeys, func(key, val *yaml.Node) {
		// A camera written as an alias has its problems reported where the
		// alias is, not at the anchor: that is the camera the user means.
		if item.Kind != yaml.AliasNode {
			cl.fields[key.Value] = val
		}
		s, ok := textValue(val)
		if !ok {
			// Not describe: the value may be a password.
			d.errorf(val, "%s: %s must be text, not %s", label, key.Value, kindName(deref(val)))
			return
		}
		*cameraField(&c, key.Value) = s
	})
	return c
}

// nameIn is the camera name in mapping m, for messages about the camera.
func nameIn(m *yaml.Node) string {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if k := deref(m.Content[i]); k.Kind == yaml.ScalarNode && k.Value == "name" {
			if s, ok := textValue(m.Content[i+1]); ok && textProblem("name", s) == "" {
				return s
			}
		}
	}
	return ""
}

// mapping checks the keys of m (plain, known, once each) and calls f for each
// known key. where says where m is, for messages ("in grid").
func (d *decoder) mapping(m *yaml.Node, where string, known []string, f func(key, val *yaml.Node)) {
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		key, val := deref(m.Content[i]), m.Content[i+1]
		switch {
		case key.Kind != yaml.ScalarNode:
			d.errorf(key, "a key %s is %s; keys are plain words such as %s", where, describe(key), known[0])
			continue
		case key.ShortTag() == "!!merge":
			d.errorf(key, "merge keys (<<) are not supported %s; write the keys out", where)
			continue
		}
		if first := seen[key.Value]; first != nil {
			d.errorf(key, "key %s appears twice %s (first at line %d)", quote(key.Value), where, first.Line)
			continue
		}
		seen[key.Value] = key
		if !slices.Contains(known, key.Value) {
			d.errorf(key, "unknown key %s %s%s", quote(key.Value), where, suggest(key.Value, known))
			continue
		}
		f(key, val)
	}
}

// suggest proposes the known key a misspelt one was probably meant to be, or
// lists them all.
func suggest(key string, known []string) string {
	if best := closest(key, known); best != "" {
		return didYouMean(best)
	}
	return " (known keys: " + strings.Join(known, ", ") + ")"
}

// didYouMean is the end of a message proposing s.
func didYouMean(s string) string {
	return "; did you mean " + strconv.Quote(s) + "?"
}

// closest is the one of known that s was probably meant to be, ignoring
// case; "" when none is close.
func closest(s string, known []string) string {
	k := strings.ToLower(s)
	best, bestScore := "", 3 // edit distances above 2 suggest nothing
	for _, want := range known {
		w := strings.ToLower(want)
		if w == "" {
			continue
		}
		score := editDistance(k, w)
		// Abbreviations ("cols", "pwd") and extensions ("username") are
		// further away than typos but no less clear.
		if len(k) >= 3 && k[0] == w[0] && (isSubsequence(k, w) || strings.HasPrefix(k, w)) {
			score = min(score, 1)
		}
		if score < bestScore {
			best, bestScore = want, score
		}
	}
	return best
}

// isSubsequence reports whether the letters of a appear in b in order.
func isSubsequence(a, b string) bool {
	for _, r := range a {
		i := strings.IndexRune(b, r)
		if i < 0 {
			return false
		}
		b = b[i+utf8.RuneLen(r):]
	}
	return true
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// deref follows an alias to the node it names.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 16; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// textValue is the text of a scalar, taken as written: a password of 0123 or
// a name of 2024 stays what the user typed. Null is "".
func textValue(n *yaml.Node) (string, bool) {
	n = deref(n)
	if n.Kind != yaml.ScalarNode {
		return "", false
	}
	switch n.ShortTag() {
	case "!!null":
		return "", true
	case "!!str", "!!int", "!!float", "!!bool", "!!timestamp":
		return n.Value, true
	}
	return "", false
}

// intValue is the value of an integer scalar in any YAML notation; null is 0.
func intValue(n *yaml.Node) (int, bool) {
	n = deref(n)
	if isNull(n) {
		return 0, true
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		return 0, false
	}
	var v int
	if err := n.Decode(&v); err != nil {
		return 0, false
	}
	return v, true
}

// describe says what n is, quoting a scalar with any URL password redacted
// (a list of bare URLs where cameras belong is a likely mistake); never use
// it on a value that may be a password itself.
func describe(n *yaml.Node) string {
	if n.Kind == yaml.ScalarNode {
		if isNull(n) {
			return "empty"
		}
		if s, ok := textValue(n); ok {
			return quote(redact.URL(s))
		}
	}
	return kindName(n)
}

// kindName says what kind of YAML value n is, without its content.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "empty"
		}
		if tag := n.ShortTag(); standardTags[tag] {
			return "a value tagged " + quote(tag)
		}
		// A tag of the user's own is most often a password that starts
		// with !, which YAML reads as a tag: it is not shown.
		return "a value with a YAML tag (quote a value that starts with !, as in '!…')"
	}
	return "an alias"
}

// standardTags are the YAML tags kindName names; any other is the user's
// text.
var standardTags = map[string]bool{
	"!!null": true, "!!bool": true, "!!int": true, "!!float": true, "!!str": true, "!!timestamp": true,
	"!!binary": true, "!!map": true, "!!seq": true, "!!set": true, "!!omap": true, "!!pairs": true, "!!merge": true,
}
