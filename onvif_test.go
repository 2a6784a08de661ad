package main

import (
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/camwall/camwall/player/onvif/onviftest"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/storage"
)

// lobbyDevice is a PTZ camera on an ONVIF device whose two profiles play
// the demo server's streams.
func lobbyDevice(t *testing.T) (*onviftest.Device, string) {
	t.Helper()
	srv := playtest.StartDemo(t, 2)
	dev := onviftest.Start(t, onviftest.Config{Name: "Lobby PTZ", Username: "admin", Password: "pw-Secret1",
		Profiles: []onviftest.Profile{
			{Token: "main", Name: "Main", Width: 1280, Height: 720, StreamURI: srv.URL(1), PTZ: true},
			{Token: "sub", Name: "Sub", Width: 640, Height: 360, StreamURI: srv.URL(2)},
		}})
	host := strings.TrimSuffix(strings.TrimPrefix(dev.XAddr(), "http://"), "/onvif/device_service")
	return dev, host
}

func TestDiscoverListsAndAddsONVIFCameras(t *testing.T) {
	bin := camwallBinary(t)
	dev, host := lobbyDevice(t)
	probe := dev.ListenDiscovery(t, "127.0.0.1:0")
	path := filepath.Join(t.TempDir(), "config.yaml")

	stdout, stderr, code := runCamwall(t, bin, "discover", "--no-multicast", "--to", probe, "--timeout", "1s")
	if code != 0 || !strings.Contains(stdout, "Lobby PTZ") || !strings.Contains(stdout, host) || !strings.Contains(stdout, "needs a password") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}

	env := append(os.Environ(), "LOBBY_PASSWORD=pw-Secret1")
	stdout, stderr, code = runCamwallIn(t, env, bin, "discover", "--no-multicast", "--to", probe, "--timeout", "1s",
		"--add", "--user", "admin", "--password-env", "LOBBY_PASSWORD", "--config", path)
	if code != 0 || strings.Contains(stdout+stderr, "pw-Secret1") {
		t.Fatalf("--add: exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	cfg, err := storage.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	want := storage.Camera{Name: "Lobby PTZ", URL: "onvif://" + host + "?profile=main", Substream: "onvif://" + host + "?profile=sub",
		User: "admin", PasswordEnv: "LOBBY_PASSWORD"}
	if len(cfg.Cameras) != 1 || cfg.Cameras[0] != want {
		t.Fatalf("saved %+v, want %+v", cfg.Cameras, want)
	}
	// A second --add finds it configured already.
	stdout, _, code = runCamwallIn(t, env, bin, "discover", "--no-multicast", "--to", probe, "--timeout", "1s",
		"--add", "--user", "admin", "--password-env", "LOBBY_PASSWORD", "--config", path)
	if code != 1 || !strings.Contains(stdout, `already configured as "Lobby PTZ"`) {
		t.Errorf("second --add: exit %d\n%s", code, stdout)
	}
}

func TestProbeOfAnONVIFURLPlaysTheProfileNamed(t *testing.T) {
	bin := camwallBinary(t)
	_, host := lobbyDevice(t)
	stdout, stderr, code := runCamwall(t, bin, "probe", "onvif://admin:pw-Secret1@"+host+"/?profile=sub", "--seconds", "1")
	if code != 0 || !strings.Contains(stdout, "640x360") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if strings.Contains(stdout+stderr, "pw-Secret1") {
		t.Errorf("the password was printed:\n%s%s", stdout, stderr)
	}
	_, stderr, code = runCamwall(t, bin, "probe", "onvif://admin:wrong-Pass9@"+host, "--seconds", "1", "--timeout", "5s")
	if code != 1 || !strings.Contains(stderr, "ONVIF: the device refused the user name or password") || strings.Contains(stderr, "wrong-Pass9") {
		t.Errorf("wrong password: exit %d\n%s", code, stderr)
	}
}

// In the real window, inside a network of the test's own where multicast
// stays on loopback: Ctrl+D lists the device, and on the focused tile the
// arrow keys pan the camera while held (xdotool's key down and up through
// the X server), and a camwall that dies mid-move leaves the camera
// stopping by itself.
func TestONVIFInTheRealWindow(t *testing.T) {
	if !onviftest.InNamespace(t) {
		return
	}
	dev, host := lobbyDevice(t)
	dev.JoinMulticast(t, "lo")
	cfg := &storage.Config{Cameras: []storage.Camera{{Name: "Lobby PTZ", URL: "onvif://" + host + "?profile=main",
		Substream: "onvif://" + host + "?profile=sub", User: "admin", Password: "pw-Secret1"}}}
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := storage.SaveConfig(path, cfg); err != nil {
		t.Fatal(err)
	}
	w := startWall(t, "--config", path)
	// One tile fills the window: it plays once a screenshot changes.
	playtest.WaitFor(t, 30*time.Second, "the tile never showed moving video", func() bool {
		a := w.shot(t, "a.png")
		time.Sleep(time.Second)
		return changedFraction(a, w.shot(t, "b.png"), image.Rect(100, 100, 1180, 620)) > 0.01
	})

	xdo := func(args ...string) {
		t.Helper()
		if out, err := exec.Command("xdotool", args...).CombinedOutput(); err != nil {
			t.Fatalf("xdotool %v: %v %s", args, err, out)
		}
	}
	// The dialog's list, as the user sees it.
	xdo("mousemove", "640", "360", "click", "1", "key", "ctrl+d")
	time.Sleep(4 * time.Second) // onvifListen, and a repaint
	w.shot(t, "onvif-dialog.png")
	if keep := os.Getenv("CAMWALL_SCREENSHOT_ONVIF"); keep != "" {
		if err := os.WriteFile(keep, mustRead(t, filepath.Join(w.dir, "onvif-dialog.png")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if dev.Probes() == 0 {
		t.Fatal("Ctrl+D sent no probe")
	}
	xdo("key", "Escape")

	// Focus the tile; the controls are up once the presets were read.
	xdo("mousemove", "640", "360", "click", "1", "key", "Return")
	playtest.WaitFor(t, 20*time.Second, "the focused tile never read the presets", func() bool {
		return strings.Contains(strings.Join(dev.Actions(), " "), "GetPresets")
	})
	time.Sleep(time.Second) // the bar appears at the next refresh
	w.shot(t, "ptz.png")
	if keep := os.Getenv("CAMWALL_SCREENSHOT_PTZ"); keep != "" {
		if err := os.WriteFile(keep, mustRead(t, filepath.Join(w.dir, "ptz.png")), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	xdo("keydown", "Right")
	playtest.WaitFor(t, 10*time.Second, "a held arrow never panned", func() bool { p := dev.Position(); return p.Moving && p.Pan > 0 })
	time.Sleep(1500 * time.Millisecond) // past the device's timeout: renewed while held
	if !dev.Position().Moving {
		t.Fatal("the move stopped while the key was held")
	}
	xdo("keyup", "Right")
	playtest.WaitFor(t, 10*time.Second, "the release never stopped the camera", func() bool { return !dev.Position().Moving })

	xdo("keydown", "Up")
	playtest.WaitFor(t, 10*time.Second, "a held arrow never tilted", func() bool { p := dev.Position(); return p.Moving && p.Tilt > 0 })
	w.proc.Kill() // the wall is gone mid-move: no Stop will come
	xdo("keyup", "Up")
	playtest.WaitFor(t, 10*time.Second, "the camera moved on alone", func() bool { return !dev.Position().Moving })
}
