package storage

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// parseYAML parses data into a YAML node tree; nil for a file with no
// content.
func parseYAML(name string, data []byte) (*yaml.Node, error) {
	if line, msg := badText(data); msg != "" {
		return nil, fmt.Errorf("%s:%d: %s", name, line, msg)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, nil
		}
		return nil, syntaxError(name, data, err)
	}
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, syntaxError(name, data, err)
		}
		// A trailing "---" with nothing after it is harmless; a second
		// document would be silently ignored, which is never what was meant.
		if !isEmptyDocument(&next) {
			return nil, fmt.Errorf("%s:%d: the file holds more than one YAML document; remove the \"---\" line and merge them", name, max(next.Line, 1))
		}
	}
	return &doc, nil
}

func isEmptyDocument(n *yaml.Node) bool {
	if n.Kind == yaml.DocumentNode {
		if len(n.Content) == 0 {
			return true
		}
		n = n.Content[0]
	}
	return n.Kind == 0 || isNull(n)
}

// badText finds what the YAML reader rejects without saying where: invalid
// UTF-8 and characters YAML does not allow in a file.
func badText(data []byte) (line int, msg string) {
	if bytes.HasPrefix(data, []byte{0xFE, 0xFF}) || bytes.HasPrefix(data, []byte{0xFF, 0xFE}) {
		// yaml.v3 reads UTF-16, but every line number here counts UTF-8
		// lines, and camwall writes UTF-8 anyway.
		return 1, "the file is UTF-16 text; save it as UTF-8"
	}
	line = 1
	for i := 0; i < len(data); {
		if n := lineBreak(data, i); n > 0 {
			line++
			i += n
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return line, "the file is not UTF-8 text; save it as UTF-8"
		case !yamlPrintable(r):
			return line, fmt.Sprintf("the file contains the control character %U, which YAML does not allow", r)
		}
		i += size
	}
	return 0, ""
}

// lineBreak is the length of the line break at data[i], 0 if there is none.
// It counts lines as yaml.v3 does, so that lines found here agree with the
// lines of its nodes: CR LF, CR, LF, and the Unicode NEL, LS and PS.
func lineBreak(data []byte, i int) int {
	switch {
	case data[i] == '\n':
		return 1
	case data[i] == '\r':
		if i+1 < len(data) && data[i+1] == '\n' {
			return 2
		}
		return 1
	case bytes.HasPrefix(data[i:], []byte("\u0085")):
		return 2
	case bytes.HasPrefix(data[i:], []byte("\u2028")), bytes.HasPrefix(data[i:], []byte("\u2029")):
		return 3
	}
	return 0
}

// lineEnds returns the offsets just past each line of data.
func lineEnds(data []byte) []int {
	var ends []int
	for i := 0; i < len(data); {
		if n := lineBreak(data, i); n > 0 {
			i += n
			ends = append(ends, i)
			continue
		}
		i++
	}
	if len(ends) == 0 || ends[len(ends)-1] < len(data) {
		ends = append(ends, len(data))
	}
	return ends
}

// lineAt is the 1-based line of data holding offset off.
func lineAt(data []byte, off int) int {
	line := 1
	for _, end := range lineEnds(data) {
		if off < end {
			return line
		}
		line++
	}
	return line
}

// yamlPrintable is YAML 1.2's c-printable.
func yamlPrintable(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0x7E) || r == 0x85 ||
		(r >= 0xA0 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
}

// Problems the YAML parser (as opposed to its scanner) reports. yaml.v3
// prints their line 0-based, or not at all on the first line; scanner
// problems are 1-based.
var parserProblems = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

var (
	yamlLine      = regexp.MustCompile(`^line (\d+): (.*)$`)
	unknownAnchor = regexp.MustCompile(`^unknown anchor '(.*)' referenced$`)
	// anchorName is an anchor or alias name yaml.v3 quotes in a message.
	anchorName = regexp.MustCompile(`anchor '.*'`)
)

// syntaxError turns a yaml.v3 parse error into "name:LINE: ...".
func syntaxError(name string, data []byte, err error) error {
	msg, line := splitYAMLError(err)
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		// The name is not shown: a password that starts with * is read
		// as an alias, and the name would be the rest of it.
		line = lineOf(data, "*"+m[1])
		msg = "an alias (a value starting with *) refers to no anchor (&) before it; quote a value that starts with *, as in '*…'"
	} else {
		line = failingLine(data, msg, line)
		msg = anchorName.ReplaceAllString(msg, "anchor")
	}
	// Errors at the end of the file ("found unexpected end of stream") point
	// past its last line; the cause is on the last line with text.
	text := bytes.TrimRightFunc(data, func(r rune) bool { return unicode.IsSpace(r) || r == '\uFEFF' })
	if last := lineAt(text, len(text)-1); line > last {
		line = last
	}
	return fmt.Errorf("%s:%d: invalid YAML: %s", name, max(line, 1), msg)
}

// splitYAMLError splits a yaml.v3 syntax error into its message and the
// 1-based line it gives, 1 when it gives none.
func splitYAMLError(err error) (msg string, line int) {
	msg = strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	if parserProblems[msg] || line == 0 {
		line++
	}
	return msg, line
}

// failingLine is the first line, from line from on, at which the file cut
// after that line fails with msg. yaml.v3 gives the line where the construct
// it was reading began (a list, a quoted string), which can be well before
// the mistake; the first failing prefix is where a user should look.
func failingLine(data []byte, msg string, from int) int {
	// The search is for files with a few mistakes near each other; it gives
	// up rather than parse a huge file many times.
	const maxTries = 64
	from = max(from, 1)
	for i, end := range lineEnds(data) {
		line := i + 1
		if line < from {
			continue
		}
		if line >= from+maxTries {
			break
		}
		if err := checkSyntax(data[:end]); err != nil {
			if m, _ := splitYAMLError(err); m == msg {
				return line
			}
		}
	}
	return from
}

// checkSyntax parses every document of data, for its syntax errors only.
func checkSyntax(data []byte) error {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
	}
}

// lineOf is the 1-based line of the first occurrence of s in data, 0 if none.
func lineOf(data []byte, s string) int {
	i := bytes.Index(data, []byte(s))
	if i < 0 {
		return 0
	}
	return lineAt(data, i)
}
