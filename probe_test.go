package main

import (
	"strings"
	"testing"

	"github.com/camwall/camwall/player/playtest"
)

// `camwall probe` is run as users run it: the built binary, headless.
func TestProbeCommand(t *testing.T) {
	bin := camwallBinary(t)
	srv := playtest.StartDemo(t, 1)
	tests := []struct {
		name     string
		args     []string
		exitCode int
		stdout   []string // fragments expected on stdout
		stderr   string   // fragment expected on stderr
	}{
		{"live camera exits 0 after the requested seconds", []string{"probe", srv.URL(1), "--seconds", "2"}, 0,
			[]string{"live", "codec=H.264 size=640x360", "decoder: h264 (software)\n",
				"transport: TCP\n", "ok: H.264 640x360 live for 2s"}, ""},
		{"flags before the URL", []string{"probe", "--seconds", "1", "--transport", "tcp", srv.URL(1)}, 0,
			[]string{"ok: H.264 640x360 live for 1s"}, ""},
		{"wrong path says 404", []string{"probe", "rtsp://" + srv.Address() + "/nope", "--seconds", "1"}, 1,
			nil, "stream not found (RTSP 404)"},
		{"refused port", []string{"probe", "rtsp://127.0.0.1:1/x", "--seconds", "1"}, 1,
			nil, "connection refused"},
		{"password never printed", []string{"probe", "rtsp://admin:s3cret@127.0.0.1:1/x"}, 1,
			[]string{"probing rtsp://admin:***@127.0.0.1:1/x"}, "connection refused"},
		{"unparsable URL is a usage error", []string{"probe", "rtsp://[::1"}, 2, nil, `url "rtsp://[::1" is not a valid URL`},
		{"bad transport is a usage error", []string{"probe", srv.URL(1), "--transport", "quic"}, 2, nil, `transport must be auto, tcp or udp, not "quic"`},
		{"an unknown hwaccel is a usage error", []string{"probe", srv.URL(1), "--hwaccel", "opencl"}, 2, nil,
			`--hwaccel must be auto, off, vaapi, cuda, d3d11va or videotoolbox, not "opencl"`},
		{"a timeout below 1s is a usage error", []string{"probe", srv.URL(1), "--timeout", "1ms"}, 2, nil, "--timeout must be a duration from 1s to 24h, not 1ms"},
		{"password that reads as a host is a usage error", []string{"probe", "rtsp://viewer:s3cret#x@127.0.0.1:1/x"}, 2, nil,
			`"rtsp://viewer:***@127.0.0.1:1/x" reads as another host: a password holding # ? / or @ must have them percent-encoded (# as %23`},
		{"no URL is a usage error", []string{"probe"}, 2, nil, "usage: camwall probe"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runCamwall(t, bin, tc.args...)
			if code != tc.exitCode {
				t.Errorf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.exitCode, stdout, stderr)
			}
			for _, want := range tc.stdout {
				if !strings.Contains(stdout, want) {
					t.Errorf("stdout lacks %q:\n%s", want, stdout)
				}
			}
			if !strings.Contains(stderr, tc.stderr) {
				t.Errorf("stderr lacks %q:\n%s", tc.stderr, stderr)
			}
			if all := stdout + stderr; strings.Contains(all, "s3cret") {
				t.Errorf("password printed:\n%s", all)
			}
		})
	}
}
