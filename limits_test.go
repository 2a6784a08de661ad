package main

import (
	"fmt"
	"strings"
	"testing"
)

// The wall's own command line (cameras by URL, shown and not saved) is held
// to the configuration's rules before any window opens.
func TestWallCommandLineCamerasAreValidatedLikeTheConfiguration(t *testing.T) {
	bin := camwallBinary(t)
	var tooMany []string
	for i := range 65 {
		tooMany = append(tooMany, fmt.Sprintf("rtsp://127.0.0.1:1/%d", i))
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"more cameras than a wall shows", tooMany, "65 cameras: a wall shows at most 64"},
		{"a URL without a scheme", []string{"127.0.0.1/cam"}, `camera "camera 1": url "127.0.0.1/cam" must be a URL with a scheme and a host`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runCamwall(t, bin, tc.args...)
			if code != 1 || !strings.Contains(stderr, "camwall: cameras on the command line: ") || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 1 and %q", code, stderr, tc.want)
			}
		})
	}
}
