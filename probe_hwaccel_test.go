package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/camwall/camwall/player/playtest"
)

// `camwall probe --hwaccel` on a machine without the GPU asked for plays in
// software and says why, as users run it: the built binary, headless.
func TestProbeWithHardwareThatIsMissingSaysWhyItDecodesInSoftware(t *testing.T) {
	if nodes, _ := filepath.Glob("/dev/dri/renderD*"); len(nodes) > 0 {
		t.Skip("this machine has a VAAPI render node")
	}
	for _, dir := range []string{"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/lib/aarch64-linux-gnu"} {
		if _, err := os.Stat(filepath.Join(dir, "libcuda.so.1")); err == nil {
			t.Skip("this machine has the NVIDIA driver")
		}
	}
	bin := camwallBinary(t)
	srv := playtest.StartDemo(t, 1)
	tests := []struct {
		hwaccel string
		want    string
	}{
		{"vaapi", "decoder: h264 (software): no VAAPI device: /dev/dri/renderD128 missing\n"},
		{"cuda", "decoder: h264 (software): no CUDA driver: libcuda.so.1 not found"},
		{"auto", "decoder: h264 (software): no VAAPI device: /dev/dri/renderD128 missing; no CUDA driver: libcuda.so.1 not found"},
		{"off", "decoder: h264 (software)\n"},
	}
	for _, tc := range tests {
		t.Run(tc.hwaccel, func(t *testing.T) {
			stdout, stderr, code := runCamwall(t, bin, "probe", srv.URL(1), "--seconds", "1", "--hwaccel", tc.hwaccel)
			if code != 0 || !strings.Contains(stdout, tc.want) || !strings.Contains(stdout, "ok: H.264 640x360 live for 1s") {
				t.Errorf("exit %d, want 0 and %q\nstdout:\n%s\nstderr:\n%s", code, tc.want, stdout, stderr)
			}
		})
	}
}
