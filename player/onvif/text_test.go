package onvif

import (
	"strings"
	"testing"
)

func TestCleanTextMakesDeviceTextsSafeToShow(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain name kept", "Lobby PTZ", "Lobby PTZ"},
		{"line breaks become one space", "Lobby\r\n\tPTZ", "Lobby PTZ"},
		{"bidirectional override removed", "cam\u202egnp.exe", "cam gnp.exe"},
		{"terminal escape removed", "cam\x1b[31mred", "cam [31mred"},
		{"surrounding space trimmed", "  cam  ", "cam"},
		{"invalid UTF-8 dropped", "cam\xff\xfe1", "cam 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := cleanText(c.in); got != c.want {
				t.Errorf("cleanText(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
	t.Run("long text cut", func(t *testing.T) {
		if got := cleanText(strings.Repeat("é", 1000)); len([]rune(got)) != maxText {
			t.Errorf("kept %d characters, want %d", len([]rune(got)), maxText)
		}
	})
}
