package cli

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestFlagsOutOfTheirRangeAreUsageErrors(t *testing.T) {
	config := filepath.Join(t.TempDir(), "none.yaml") // an empty configuration
	var tooMany []string
	for i := range 65 {
		tooMany = append(tooMany, "--url", fmt.Sprintf("rtsp://127.0.0.1:1/%d", i))
	}
	tests := []struct {
		name string
		cmd  string
		args []string
	}{
		{"probe: a transport the configuration refuses", "probe", []string{"rtsp://127.0.0.1:1/x", "--transport", "quic"}},
		{"probe: a URL without a host", "probe", []string{"rtsp:///x"}},
		{"probe: no seconds of video", "probe", []string{"rtsp://127.0.0.1:1/x", "--seconds", "0"}},
		{"probe: a negative timeout", "probe", []string{"rtsp://127.0.0.1:1/x", "--timeout", "-1s"}},
		{"snapshot: a timeout of a millisecond", "snapshot", []string{"--url", "rtsp://127.0.0.1:1/x", "--timeout", "1ms", "--config", config}},
		{"snapshot: a URL that does not parse", "snapshot", []string{"--url", "rtsp://[::1", "--config", config}},
		{"snapshot: more cameras than a wall", "snapshot", append(tooMany, "--config", config)},
		{"record: a negative duration", "record", []string{"--url", "rtsp://127.0.0.1:1/x", "--duration", "-5s", "--config", config}},
		{"record: a duration of a millisecond", "record", []string{"--url", "rtsp://127.0.0.1:1/x", "--duration", "1ms", "--config", config}},
		{"record: a URL with no scheme", "record", []string{"--url", "127.0.0.1/x", "--config", config}},
		{"probe: a hwaccel the configuration refuses", "probe", []string{"rtsp://127.0.0.1:1/x", "--hwaccel", "opencl"}},
		{"snapshot: a hwaccel in capitals", "snapshot", []string{"--url", "rtsp://127.0.0.1:1/x", "--hwaccel", "VAAPI", "--config", config}},
		{"record: a hwaccel the configuration refuses", "record", []string{"--url", "rtsp://127.0.0.1:1/x", "--hwaccel", "gpu", "--config", config}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if code, _ := Run(tc.cmd, tc.args); code != 2 {
				t.Errorf("camwall %s %s: exit %d, want 2 (a usage error)", tc.cmd, strings.Join(tc.args, " "), code)
			}
		})
	}
}

func TestCheckDurationSaysTheRangeAsTyped(t *testing.T) {
	tests := []struct {
		name      string
		d         time.Duration
		zeroMeans string
		want      string // "" when accepted
	}{
		{"within", 10 * time.Second, "", ""},
		{"the bounds are in", time.Second, "", ""},
		{"zero when it means something", 0, "until interrupted", ""},
		{"zero otherwise", 0, "", "--timeout must be a duration from 1s to 24h, not 0s"},
		{"too long", 25 * time.Hour, "", "--timeout must be a duration from 1s to 24h, not 25h0m0s"},
		{"negative, with what zero means", -time.Second, "until interrupted", "--timeout must be a duration from 1s to 24h (or 0: until interrupted), not -1s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkDuration("timeout", tc.d, time.Second, 24*time.Hour, tc.zeroMeans)
			if got := fmt.Sprint(err); tc.want == "" && err != nil || tc.want != "" && got != tc.want {
				t.Errorf("checkDuration(%v) = %v, want %q", tc.d, err, tc.want)
			}
		})
	}
}
