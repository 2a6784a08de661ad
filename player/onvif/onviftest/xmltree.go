package onviftest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// node is one element of a parsed request. The simulator keeps the whole
// tree rather than unmarshalling into structs because a request is read by
// namespace and local name at any depth, whatever prefixes the client chose,
// and QName values (WS-Discovery Types) need the prefixes in scope.
type node struct {
	space, local string
	attrs        []xml.Attr
	text         string
	children     []*node
	prefixes     map[string]string // prefix -> namespace in scope here
}

// maxDepth bounds nesting so a hostile request cannot make the parser
// recurse without end.
const maxDepth = 64

// parseXML reads one document into a tree.
func parseXML(data []byte) (*node, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("parse XML: %w", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxDepth {
				return nil, fmt.Errorf("parse XML: nested deeper than %d", maxDepth)
			}
			n := &node{space: tok.Name.Space, local: tok.Name.Local, attrs: tok.Copy().Attr}
			parentPrefixes := map[string]string{}
			if len(stack) > 0 {
				parent := stack[len(stack)-1]
				parent.children = append(parent.children, n)
				parentPrefixes = parent.prefixes
			} else if root == nil {
				root = n
			}
			n.prefixes = parentPrefixes
			copied := false
			for _, a := range tok.Attr {
				if a.Name.Space == "xmlns" || (a.Name.Space == "" && a.Name.Local == "xmlns") {
					if !copied {
						copied = true
						n.prefixes = make(map[string]string, len(parentPrefixes)+1)
						for k, v := range parentPrefixes {
							n.prefixes[k] = v
						}
					}
					prefix := a.Name.Local
					if a.Name.Space == "" {
						prefix = ""
					}
					n.prefixes[prefix] = a.Value
				}
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(tok)
			}
		}
	}
	if root == nil {
		return nil, errors.New("parse XML: no element")
	}
	return root, nil
}

// child is the first child element with this namespace and local name; an
// empty space matches any namespace.
func (n *node) child(space, local string) *node {
	if n == nil {
		return nil
	}
	for _, c := range n.children {
		if c.local == local && (space == "" || c.space == space) {
			return c
		}
	}
	return nil
}

// all is every child element with this namespace and local name.
func (n *node) all(space, local string) []*node {
	if n == nil {
		return nil
	}
	var out []*node
	for _, c := range n.children {
		if c.local == local && (space == "" || c.space == space) {
			out = append(out, c)
		}
	}
	return out
}

// value is the trimmed text of n, or "" for a missing element.
func (n *node) value() string {
	if n == nil {
		return ""
	}
	return strings.TrimSpace(n.text)
}

// attr is the value of the attribute with this local name, or "".
func (n *node) attr(local string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.attrs {
		if a.Name.Local == local && a.Name.Space != "xmlns" {
			return a.Value
		}
	}
	return ""
}

// qnames resolves a whitespace-separated list of QNames (prefix:local) with
// the prefixes in scope at n.
func (n *node) qnames() []xml.Name {
	var out []xml.Name
	for _, f := range strings.Fields(n.value()) {
		prefix, local, ok := strings.Cut(f, ":")
		if !ok {
			prefix, local = "", f
		}
		out = append(out, xml.Name{Space: n.prefixes[prefix], Local: local})
	}
	return out
}

// esc escapes s for XML text or attribute values.
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}
