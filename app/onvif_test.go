package app

import (
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/player/onvif"
	"github.com/camwall/camwall/player/onvif/onviftest"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/storage"
)

func waitClosed(t *testing.T, ch <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(20 * time.Second):
		t.Fatal(what)
	}
}

// The whole way a user adds an ONVIF camera: found, read with its
// password, saved; the grid plays the small profile, the focused tile the
// large one, and the focused tile steers it.
func TestAnONVIFCameraIsFoundAddedPlayedAndSteered(t *testing.T) {
	srv := playtest.StartDemo(t, 2)
	dev := onviftest.Start(t, onviftest.Config{Name: "Lobby PTZ", Username: "admin", Password: "pw-Secret1",
		Profiles: []onviftest.Profile{
			{Token: "main", Name: "Main", Width: 1280, Height: 720, StreamURI: srv.URL(1), PTZ: true},
			{Token: "sub", Name: "Sub", Width: 640, Height: 360, StreamURI: srv.URL(2)},
		}})
	probe := dev.ListenDiscovery(t, "127.0.0.1:0")
	path := filepath.Join(t.TempDir(), "config.yaml")
	ui := newUI(t, Options{ConfigPath: path, Demo: cameras(1, deadURL), ONVIF: &onvif.DiscoverConfig{To: []string{probe}}})
	t.Cleanup(ui.ptz.close)
	ui.Window.Resize(fyne.NewSize(800, 600))
	ui.Window.Show()

	ui.FindONVIFDialog()
	d := ui.ONVIF()
	waitClosed(t, d.Listed(), "discovery never said what it found")
	if found := d.Found(); len(found) != 1 || found[0].XAddr != dev.XAddr() {
		t.Fatalf("found %+v", found)
	}
	if l := d.label(0); l != "Lobby PTZ (sim) · "+strings.TrimPrefix(strings.TrimSuffix(dev.XAddr(), "/onvif/device_service"), "http://")+" · needs a password" {
		t.Errorf("listed as %q", l)
	}
	if d.Address.Text != dev.XAddr() {
		t.Errorf("the only device found is not selected: address %q", d.Address.Text)
	}
	test.Type(d.User, "admin")
	test.Type(d.Password, "wrong")
	test.Tap(d.UseButton)
	waitClosed(t, d.Read(), "reading the device never finished")
	if d.Result.Text != "✗ The camera refused the user name or password." || ui.Form() != nil {
		t.Fatalf("a wrong password: %q (form open: %v)", d.Result.Text, ui.Form() != nil)
	}
	d.Password.SetText("pw-Secret1")
	test.Tap(d.UseButton)
	waitClosed(t, d.Read(), "reading the device never finished")
	f := ui.Form()
	if f == nil {
		t.Fatalf("no camera dialog: %q", d.Result.Text)
	}
	host := strings.TrimSuffix(strings.TrimPrefix(dev.XAddr(), "http://"), "/onvif/device_service")
	if f.Name.Text != "Lobby PTZ" || f.URL.Text != "onvif://"+host+"?profile=main" || f.Substream.Text != "onvif://"+host+"?profile=sub" ||
		f.User.Text != "admin" || f.Password.Text != "pw-Secret1" {
		t.Fatalf("form filled with %q %q %q %q", f.Name.Text, f.URL.Text, f.Substream.Text, f.User.Text)
	}
	test.Tap(f.SaveButton)
	if ui.Form() != nil {
		t.Fatalf("not saved: %q", f.Result.Text)
	}
	cfg, err := storage.LoadConfig(path)
	if err != nil || len(cfg.Cameras) != 1 || cfg.Cameras[0].URL != f.URL.Text {
		t.Fatalf("saved %+v, %v", cfg, err)
	}

	startSessions(ui)
	cam, tile := ui.cameras[0], ui.Tiles[0]
	until(t, ui, 20*time.Second, "the grid never played the substream", func() bool {
		return cam.grid.URL() == f.Substream.Text && cam.grid.Status().State == player.StateLive && tile.Picture() != nil
	})
	if ui.ptz.Active() || ui.ptz.Bar.Visible() {
		t.Fatal("PTZ controls on a tile that is not focused")
	}
	ui.ToggleFocus()
	until(t, ui, 20*time.Second, "the focused tile never played the main profile", func() bool {
		return cam.main != nil && cam.main.URL() == f.URL.Text && cam.mainShown
	})
	until(t, ui, 20*time.Second, "no PTZ controls on the focused PTZ camera", func() bool { return ui.ptz.Active() && ui.ptz.Bar.Visible() })
	if !strings.Contains(ui.ptz.Presets.Text, "2 Gate") {
		t.Errorf("presets shown: %q", ui.ptz.Presets.Text)
	}

	// A held arrow pans; its release stops.
	if !ui.ptz.KeyDown(fyne.KeyRight) {
		t.Fatal("the arrow was not taken by the PTZ controls")
	}
	pressKey(ui.Window.Canvas(), fyne.KeyRight) // the typed key that follows is not a selection move
	until(t, ui, 10*time.Second, "never panned right", func() bool { p := dev.Position(); return p.Moving && p.Pan > 0 })
	ui.ptz.KeyUp(fyne.KeyRight)
	until(t, ui, 10*time.Second, "never stopped", func() bool { return !dev.Position().Moving })
	if ui.layout.focused != 0 {
		t.Fatal("the arrow left focus")
	}
	// A button held zooms; a number key goes to a preset, not a layout.
	ui.ptz.ZoomIn.Press()
	until(t, ui, 10*time.Second, "never zoomed", func() bool { p := dev.Position(); return p.Moving && p.Zoom > 0 })
	ui.ptz.ZoomIn.Release()
	until(t, ui, 10*time.Second, "zoom never stopped", func() bool { return !dev.Position().Moving })
	pressKey(ui.Window.Canvas(), fyne.Key2)
	until(t, ui, 10*time.Second, "never went to a preset", func() bool {
		return strings.Contains(strings.Join(dev.Actions(), " "), "GotoPreset")
	})

	// Leaving focus stops steering and hides the controls.
	ui.ToggleFocus()
	if ui.ptz.Active() || ui.ptz.Bar.Visible() {
		t.Error("PTZ controls stayed after focus ended")
	}
}

// A camera that is not on an ONVIF device gets no PTZ controls, and its
// arrows move the selection as always.
func TestAFixedCameraHasNoPTZControls(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	dev := onviftest.Start(t, onviftest.Config{Profiles: []onviftest.Profile{
		{Token: "main", Name: "Main", Width: 640, Height: 360, StreamURI: srv.URL(1)},
	}})
	host := strings.TrimSuffix(strings.TrimPrefix(dev.XAddr(), "http://"), "/onvif/device_service")
	ui := newUI(t, Options{Config: storage.Config{Cameras: []storage.Camera{{Name: "fixed", URL: "onvif://" + host}, {Name: "b", URL: deadURL(2)}}}})
	t.Cleanup(ui.ptz.close)
	ui.Window.Show()
	startSessions(ui)
	ui.Select(0)
	ui.ToggleFocus()
	until(t, ui, 10*time.Second, "the device was never asked", func() bool {
		return strings.Contains(strings.Join(dev.Actions(), " "), "GetCapabilities")
	})
	time.Sleep(300 * time.Millisecond)
	ui.refresh(time.Now())
	if ui.ptz.Active() || ui.ptz.Bar.Visible() {
		t.Fatal("PTZ controls on a camera without PTZ")
	}
	pressKey(ui.Window.Canvas(), fyne.KeyRight)
	if ui.selected != 1 {
		t.Errorf("the arrow did not move the selection: selected %d", ui.selected)
	}
}

// With nothing on the network, the dialog says so once its wait is over,
// and lists nothing.
func TestFindONVIFSaysWhenNothingAnswered(t *testing.T) {
	nobody := playtest.FreeUDPPort(t)
	ui := newUI(t, Options{Demo: cameras(1, deadURL),
		ONVIF: &onvif.DiscoverConfig{To: []string{"127.0.0.1:" + strconv.Itoa(nobody)}}})
	ui.Window.Show()
	ui.FindONVIFDialog()
	d := ui.ONVIF()
	waitClosed(t, d.Listed(), "discovery never said what it found")
	if len(d.Found()) != 0 || !strings.HasPrefix(d.Result.Text, "No ONVIF camera answered within 3s.") {
		t.Errorf("found %v, said %q", d.Found(), d.Result.Text)
	}
	// Escape closes it, and discovery with it.
	pressKey(ui.Window.Canvas(), fyne.KeyEscape)
	if d.shown {
		t.Error("Escape left the dialog open")
	}
}
