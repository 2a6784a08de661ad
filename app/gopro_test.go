package app

import (
	"bytes"
	"fmt"
	"image/png"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/camwall/camwall/player/gopro"
	"github.com/camwall/camwall/player/gopro/goprotest"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/storage"
)

// usbNetworks is a made-up interface list: a LAN and two GoPro USB
// networks, only the first with a camera.
func usbNetworks() ([]net.Addr, error) {
	var out []net.Addr
	for _, s := range []string{"192.168.1.20/24", "172.20.123.50/24", "172.29.199.50/24"} {
		ip, n, err := net.ParseCIDR(s)
		if err != nil {
			return nil, err
		}
		n.IP = ip
		out = append(out, n)
	}
	return out, nil
}

func TestAddGoProFindsPlaysAndStopsASimulatedGoPro(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	sim := goprotest.Start(t, goprotest.Config{})
	route := goprotest.NewRoute(map[string]string{"172.20.123.51:8080": sim.Addr()})
	path := filepath.Join(t.TempDir(), "config.yaml")
	ui := newUI(t, Options{
		Config:     storage.Config{Cameras: []storage.Camera{{Name: "door", URL: srv.URL(1)}}},
		ConfigPath: path,
		GoPro:      gopro.Discoverer{Addrs: usbNetworks},
		Dial:       route.Dial,
	})
	ui.Window.Show()
	startSessions(ui)

	ui.AddGoProDialog()
	f := ui.Form()
	select {
	case <-f.Discovered():
	case <-time.After(10 * time.Second):
		t.Fatal("discovery never finished")
	}
	if f.GoPros.Disabled() || len(f.GoPros.Options) != 1 || f.GoPros.Options[0] != "GoPro 023 at 172.20.123.51 (webcam off)" {
		t.Fatalf("offered %v (disabled %v); result %q", f.GoPros.Options, f.GoPros.Disabled(), f.Result.Text)
	}
	if f.Name.Text != "GoPro 023" || f.URL.Text != "gopro://172.20.123.51" {
		t.Errorf("form filled with %q %q", f.Name.Text, f.URL.Text)
	}
	// CAMWALL_SCREENSHOT_ADDGOPRO=path keeps the dialog as Fyne's test
	// driver draws it, to look at.
	if keep := os.Getenv("CAMWALL_SCREENSHOT_ADDGOPRO"); keep != "" {
		var b bytes.Buffer
		if err := png.Encode(&b, ui.Window.Canvas().Capture()); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(keep, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if c, err := net.ListenPacket("udp", "127.0.0.1:8554"); err != nil {
		// Something on this machine has the GoPro default port: the user
		// would pick another, and so does the test.
		f.URL.SetText(fmt.Sprintf("gopro://172.20.123.51?port=%d", playtest.FreeUDPPort(t)))
	} else {
		c.Close()
	}
	test.Tap(f.SaveButton)
	if ui.Form() != nil {
		t.Fatalf("form still open: %q", f.Result.Text)
	}
	if len(ui.Tiles) != 2 {
		t.Fatalf("%d tiles, want the RTSP camera and the GoPro", len(ui.Tiles))
	}
	door, cam := ui.Tiles[0], ui.Tiles[1]
	until(t, ui, 10*time.Second, "the GoPro tile never went live beside the RTSP one", func() bool {
		return strings.HasPrefix(cam.State.Text, "live · 640x360 H.264") && strings.HasPrefix(door.State.Text, "live")
	})
	if cam.Name.Text != "GoPro 023" {
		t.Errorf("tile named %q", cam.Name.Text)
	}

	// Test connection on the GoPro playing on the wall reports its tile's
	// state instead of starting a second stream that would stop the first.
	ui.Select(1)
	ui.EditCameraDialog()
	edit := ui.Form()
	starts := len(sim.Paths())
	test.Tap(edit.TestButton)
	<-edit.Tested()
	if want := "✓ live: H.264 640x360 (already playing on the wall)"; edit.Result.Text != want {
		t.Errorf("Test connection said %q, want %q", edit.Result.Text, want)
	}
	if got := sim.Paths()[starts:]; slices.Contains(got, "/gopro/webcam/start") {
		t.Errorf("Test connection asked the camera for %v", got)
	}
	test.Tap(edit.CancelButton)

	// The camera overheats and stops sending: the tile says so, then the
	// stream is restarted through the API.
	sim.StopSender()
	until(t, ui, 10*time.Second, "the stalled GoPro was not shown", func() bool {
		return cam.State.Text == "reconnecting" && strings.Contains(cam.Reason.Text, "the GoPro stopped sending (asleep, overheated or unplugged?)")
	})
	until(t, ui, 15*time.Second, "the GoPro did not come back", func() bool { return strings.HasPrefix(cam.State.Text, "live · 640x360 H.264") })

	// Removing the camera stops its stream on the camera.
	ui.RemoveCamera(1)
	until(t, ui, 20*time.Second, "the removed GoPro was not stopped", func() bool {
		p := sim.Paths()
		return !sim.Streaming() && len(p) > 0 && p[len(p)-1] == "/gopro/webcam/exit"
	})
	if !strings.HasPrefix(ui.Tiles[0].State.Text, "live") {
		t.Errorf("the RTSP camera did not play on through the removal: %q", ui.Tiles[0].State.Text)
	}
	if got := route.Dialed(); !slices.Equal(got, []string{"172.20.123.51:8080", "172.29.199.51:8080"}) {
		t.Errorf("dialled %v; only the two USB camera addresses may be", got)
	}
	cfg, err := storage.LoadConfig(path)
	if err != nil || len(cfg.Cameras) != 1 {
		t.Errorf("saved configuration after removal: %+v, %v", cfg, err)
	}
}

func TestFindGoProExplainsWhenThereIsNone(t *testing.T) {
	route := goprotest.NewRoute(nil)
	ui := newUI(t, Options{GoPro: gopro.Discoverer{Addrs: func() ([]net.Addr, error) { return nil, nil }}, Dial: route.Dial})
	ui.Window.Show()
	// Ctrl+G, as the keyboard user reaches it.
	ui.Window.Canvas().(fyne.Shortcutable).TypedShortcut(
		&desktop.CustomShortcut{KeyName: fyne.KeyG, Modifier: fyne.KeyModifierShortcutDefault})
	f := ui.Form()
	if f == nil {
		t.Fatal("Ctrl+G opened no dialog")
	}
	<-f.Discovered()
	if !f.GoPros.Disabled() || f.Result.Text != noGoPro {
		t.Errorf("result %q (list enabled %v)", f.Result.Text, !f.GoPros.Disabled())
	}
	if len(route.Dialed()) != 0 {
		t.Errorf("dialled %v with no GoPro network", route.Dialed())
	}
}
