package rtsp

import (
	"errors"
	"strings"
	"testing"

	"github.com/camwall/camwall/player/source"
)

// fingerprintWithColons turns hex "ab12…" into "AB:12:…", the form openssl
// prints.
func fingerprintWithColons(hexFP string) string {
	var parts []string
	for i := 0; i+2 <= len(hexFP); i += 2 {
		parts = append(parts, strings.ToUpper(hexFP[i:i+2]))
	}
	return strings.Join(parts, ":")
}

func TestParseFingerprintAcceptsTheUsualForms(t *testing.T) {
	const hexFP = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	tests := []struct {
		name, in string
		ok       bool
	}{
		{"lower-case hex", hexFP, true},
		{"upper case with colons", fingerprintWithColons(hexFP), true},
		{"surrounding spaces", "  " + hexFP + "\n", true},
		{"SHA-1 length", hexFP[:40], false},
		{"not hex", strings.Repeat("zz", 32), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := parseFingerprint(tc.in)
			if tc.ok != (err == nil) {
				t.Fatalf("parseFingerprint(%q) error = %v, want ok=%v", tc.in, err, tc.ok)
			}
			if err != nil && !errors.Is(err, source.ErrBadFingerprint) {
				t.Errorf("error %v is not source.ErrBadFingerprint", err)
			}
			if tc.ok && len(b) != 32 {
				t.Errorf("%d bytes", len(b))
			}
		})
	}
}
