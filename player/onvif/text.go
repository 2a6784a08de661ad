package onvif

import (
	"strings"
	"unicode"
)

// maxText is the most of a device-supplied text kept for display: names,
// models and fault reasons are a few dozen characters on real devices.
const maxText = 128

// cleanText makes a text a device sent fit for a label: control and
// formatting characters (line breaks, bidirectional overrides that would
// reorder what follows) become spaces, runs of space one, and it is cut
// to maxText characters.
func cleanText(s string) string {
	var b strings.Builder
	n := 0
	space := false
	for _, r := range strings.TrimSpace(s) {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.IsSpace(r) || r == unicode.ReplacementChar {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			n++
			space = false
		}
		if n >= maxText {
			break
		}
		b.WriteRune(r)
		n++
	}
	return b.String()
}
