package main

import (
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/camwall/camwall/player/gopro"
	"github.com/camwall/camwall/player/gopro/goprotest"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/storage"
)

// The real binary with two simulated GoPros (webcam and preview mode, each
// on its own port), an RTSP camera and a file: every tile plays, and
// SIGTERM closes the app as a user would, which stops both GoPros' streams.
func TestRealWindowPlaysGoProsBesideOtherCameras(t *testing.T) {
	webcam := goprotest.Start(t, goprotest.Config{})
	preview := goprotest.Start(t, goprotest.Config{})
	rtsp := playtest.StartDemo(t, 1)
	dir := t.TempDir()
	clip := filepath.Join(dir, "demo.ts")
	if out, err := exec.Command("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "h264", "-framerate", "30",
		"-i", playtest.DemoFile(t), "-c", "copy", clip).CombinedOutput(); err != nil {
		t.Fatalf("make the file camera: %v\n%s", err, out)
	}
	cfg := &storage.Config{Cameras: []storage.Camera{
		{Name: "GoPro webcam", URL: fmt.Sprintf("gopro://%s?usb=1&port=%d", webcam.Addr(), playtest.FreeUDPPort(t))},
		{Name: "RTSP", URL: rtsp.URL(1)},
		{Name: "GoPro preview", URL: fmt.Sprintf("gopro://%s?mode=preview&port=%d", preview.Addr(), playtest.FreeUDPPort(t))},
		{Name: "file", URL: "file://" + clip},
	}}
	path := filepath.Join(dir, "config.yaml")
	if err := storage.SaveConfig(path, cfg); err != nil {
		t.Fatal(err)
	}

	w := startWall(t, "--config", path)
	w.showsMovingVideo(t, "CAMWALL_SCREENSHOT_GOPRO")

	if err := w.proc.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-w.proc.Done():
		if err := w.proc.Err(); err != nil {
			t.Errorf("camwall exited with %v after SIGTERM, want 0", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("camwall did not exit within 15 s of SIGTERM")
	}
	for _, c := range []struct {
		name string
		sim  *goprotest.Sim
		last string
	}{{"webcam", webcam, "/gopro/webcam/exit"}, {"preview", preview, "/gopro/camera/stream/stop"}} {
		p := c.sim.Paths()
		if c.sim.Streaming() || len(p) == 0 || p[len(p)-1] != c.last {
			t.Errorf("%s GoPro after the app closed: streaming %v, requests %v; want it stopped with %s",
				c.name, c.sim.Streaming(), p, c.last)
		}
	}
	if got := webcam.WebcamStatus(); got != gopro.WebcamOff {
		t.Errorf("webcam status %d after close, want off", got)
	}
}

// `camwall gopro discover` on a machine with no GoPro network probes nothing
// and says how to connect one. (Where this machine has an interface that
// looks like a GoPro's USB network, the test does not run: discovery would
// then probe that address, which no test may.)
func TestGoProDiscoverWithoutAGoPro(t *testing.T) {
	addrs, err := net.InterfaceAddrs()
	if err != nil {
		t.Fatal(err)
	}
	if c := gopro.Candidates(addrs); len(c) > 0 {
		t.Skipf("this machine has GoPro-like USB networks (%v); discovery would probe them", c)
	}
	tests := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"nothing found", []string{"gopro", "discover"}, 1, "no GoPro found on USB. Connect it with a USB-C data cable"},
		{"no sub-command", []string{"gopro"}, 2, "usage: camwall gopro discover"},
		{"unknown sub-command", []string{"gopro", "start"}, 2, "usage: camwall gopro discover"},
		{"extra argument", []string{"gopro", "discover", "10.5.5.9"}, 2, "usage: camwall gopro discover"},
	}
	bin := camwallBinary(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stdout, stderr, code := runCamwall(t, bin, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.out) {
				t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s\nwant exit %d and %q", code, stdout, stderr, tc.code, tc.out)
			}
		})
	}
}
