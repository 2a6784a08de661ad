package app

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/storage"
)

// The test driver runs fyne.Do callbacks on the calling goroutine, so these
// tests never start the UI ticker: they call ui.refresh themselves, which is
// what one tick does (the real-window test in main_test.go covers the ticker).

func cameras(n int, url func(i int) string) []storage.Camera {
	out := make([]storage.Camera, n)
	for i := range out {
		out[i] = storage.Camera{Name: fmt.Sprintf("cam %d", i+1), URL: url(i + 1)}
	}
	return out
}

func deadURL(i int) string { return fmt.Sprintf("rtsp://127.0.0.1:1/cam%d", i) }

// newUI builds a UI whose sessions are closed at the end of the test.
func newUI(t *testing.T, opts Options) *UI {
	t.Helper()
	ui := New(test.NewTempApp(t), opts)
	t.Cleanup(func() {
		for _, c := range ui.cameras {
			c.close()
		}
		ui.stopNotices()
	})
	return ui
}

// pressKey delivers a key to the window as the driver does.
func pressKey(c fyne.Canvas, key fyne.KeyName) {
	c.OnTypedKey()(&fyne.KeyEvent{Name: key})
}

func startSessions(ui *UI) {
	for _, c := range ui.cameras {
		c.start()
	}
}

// until ticks the UI until cond holds.
func until(t *testing.T, ui *UI, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		ui.refresh(time.Now())
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestGridShowsOneTilePerCamera(t *testing.T) {
	tests := []struct {
		name       string
		cameras    int
		grid       storage.Grid
		rows, cols int
	}{
		{"one camera fills the window", 1, storage.Grid{}, 1, 1},
		{"two cameras in a 2x2 grid", 2, storage.Grid{}, 1, 2},
		{"four cameras in a 2x2 grid", 4, storage.Grid{}, 2, 2},
		{"five cameras in a 3x3 grid", 5, storage.Grid{}, 2, 3},
		{"nine cameras in a 3x3 grid", 9, storage.Grid{}, 3, 3},
		{"sixty-four cameras in an 8x8 grid", 64, storage.Grid{}, 8, 8},
		{"explicit rows and columns", 3, storage.Grid{Rows: 1, Columns: 3}, 1, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ui := newUI(t, Options{Config: storage.Config{Grid: tc.grid, Cameras: cameras(tc.cameras, deadURL)}})
			if len(ui.Tiles) != tc.cameras || len(ui.Grid.Objects) != tc.cameras {
				t.Fatalf("tiles = %d, grid objects = %d, want %d", len(ui.Tiles), len(ui.Grid.Objects), tc.cameras)
			}
			for i, tile := range ui.Tiles {
				if want := fmt.Sprintf("cam %d", i+1); tile.Name.Text != want {
					t.Errorf("tile %d is named %q, want %q", i, tile.Name.Text, want)
				}
			}
			if r, c := ui.layout.Dims(); r != tc.rows || c != tc.cols {
				t.Errorf("grid = %dx%d, want %dx%d", r, c, tc.rows, tc.cols)
			}
		})
	}
}

func TestDemoIsShownOnlyWithoutConfiguredCameras(t *testing.T) {
	demoCams := cameras(4, deadURL)
	ui := newUI(t, Options{Demo: demoCams})
	if len(ui.Tiles) != 4 {
		t.Fatalf("empty configuration shows %d tiles, want the 4 demo ones", len(ui.Tiles))
	}
	ui = newUI(t, Options{Demo: demoCams, Config: storage.Config{Cameras: cameras(1, deadURL)}})
	if len(ui.Tiles) != 1 {
		t.Fatalf("one configured camera shows %d tiles, want 1", len(ui.Tiles))
	}
}

func TestTileShowsLiveVideoAndItsState(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	ui := newUI(t, Options{Config: storage.Config{Cameras: []storage.Camera{{Name: "front door", URL: srv.URL(1)}}}})
	ui.Window.Resize(fyne.NewSize(640, 400))
	ui.Window.Show()
	startSessions(ui)
	tile := ui.Tiles[0]
	until(t, ui, 20*time.Second, "no live picture", func() bool {
		return tile.Picture() != nil && tile.State.Text == "live · 640x360 H.264"
	})
	// Scaled by the session to the tile's pixel size (the test canvas has
	// scale 1), letterboxed to 16:9.
	b := tile.Picture().Bounds()
	ts := tile.Size()
	w, h := decoder.TileSize(640, 360, int(ts.Width), int(ts.Height))
	if b.Dx() != w || b.Dy() != h || w < 320 {
		t.Errorf("picture is %dx%d, want %dx%d for a %v tile", b.Dx(), b.Dy(), w, h, ts)
	}
	if tile.dim.Visible() || tile.Reason.Visible() {
		t.Error("a live tile is dimmed or shows a reason")
	}
	// Statistics: hidden, shown on hover, shown for all with I.
	if tile.StatsText() != "" {
		t.Error("statistics shown without hover or toggle")
	}
	tile.MouseIn(nil)
	if !strings.Contains(tile.StatsText(), "rx ") || !strings.Contains(tile.StatsText(), "painted ") {
		t.Errorf("hover: stats %q, want the received and painted rates", tile.StatsText())
	}
	tile.MouseOut()
	pressKey(ui.Window.Canvas(), fyne.KeyI)
	ui.refresh(time.Now())
	if tile.StatsText() == "" {
		t.Error("I did not show statistics")
	}
}

func TestTileExplainsADeadCamera(t *testing.T) {
	tests := []struct {
		name, url, state, reason string
	}{
		{"unknown scheme is an error", "ftp://127.0.0.1/x", "error", `unsupported URL scheme "ftp" (camwall plays rtsp://, rtsps://, onvif://, gopro://, udp://, tcp://, http:// and file:// URLs)`},
		{"refused port reconnects with a countdown", "rtsp://127.0.0.1:1/x", "reconnecting", "connection refused: nothing listens on that port · retry in"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ui := newUI(t, Options{Config: storage.Config{Cameras: []storage.Camera{{Name: "bad", URL: tc.url}}}})
			startSessions(ui)
			tile := ui.Tiles[0]
			until(t, ui, 20*time.Second, "state never became "+tc.state, func() bool { return tile.State.Text == tc.state })
			if !tile.Reason.Visible() || !strings.HasPrefix(tile.Reason.Text, tc.reason) {
				t.Errorf("reason %q (visible %v), want prefix %q", tile.Reason.Text, tile.Reason.Visible(), tc.reason)
			}
			if !tile.dim.Visible() {
				t.Error("a dead camera's tile is not dimmed")
			}
		})
	}
}

func TestTileShowsAConfigurationError(t *testing.T) {
	ui := newUI(t, Options{Config: storage.Config{Cameras: []storage.Camera{
		{Name: "x", URL: "rtsp://127.0.0.1:1/x", User: "admin", PasswordEnv: "CAMWALL_TEST_UNSET_VARIABLE"},
	}}})
	tile := ui.Tiles[0]
	ui.refresh(time.Now())
	if tile.State.Text != "error" || !strings.Contains(tile.Reason.Text, "CAMWALL_TEST_UNSET_VARIABLE") {
		t.Errorf("state %q reason %q, want an error naming the variable", tile.State.Text, tile.Reason.Text)
	}
}

func TestKeyboardMovesSelectionAndFocus(t *testing.T) {
	ui := newUI(t, Options{Config: storage.Config{Cameras: cameras(4, deadURL)}})
	c := ui.Window.Canvas()
	steps := []struct {
		key      fyne.KeyName
		selected int
		focused  int
	}{
		{fyne.KeyRight, 1, -1},
		{fyne.KeyDown, 3, -1},
		{fyne.KeyDown, 3, -1}, // stays inside the grid
		{fyne.KeyLeft, 2, -1},
		{fyne.KeyUp, 0, -1},
		{fyne.KeyReturn, 0, 0},
		{fyne.KeyRight, 1, 1}, // arrows page through cameras in focus
		{fyne.KeyEscape, 1, -1},
		{fyne.KeyEnter, 1, 1},
		{fyne.KeyReturn, 1, -1},
	}
	for i, s := range steps {
		pressKey(c, s.key)
		if ui.Selected() != s.selected || ui.Focused() != s.focused {
			t.Fatalf("step %d (%s): selected %d focused %d, want %d %d", i, s.key, ui.Selected(), ui.Focused(), s.selected, s.focused)
		}
	}
}

func TestDoubleClickFocusesAndReturns(t *testing.T) {
	ui := newUI(t, Options{Config: storage.Config{Cameras: cameras(4, deadURL)}})
	ui.Window.Resize(fyne.NewSize(800, 450))
	ui.Window.Show()
	test.DoubleTap(ui.Tiles[2])
	if ui.Focused() != 2 {
		t.Fatalf("focused %d after double-click on tile 2", ui.Focused())
	}
	for i, tile := range ui.Tiles {
		if tile.Visible() != (i == 2) {
			t.Errorf("tile %d visible = %v in focus mode", i, tile.Visible())
		}
	}
	if got := ui.Tiles[2].Size(); got != ui.Grid.Size() {
		t.Errorf("focused tile size %v, want the whole grid %v", got, ui.Grid.Size())
	}
	test.DoubleTap(ui.Tiles[2])
	if ui.Focused() != -1 {
		t.Fatal("second double-click did not return to the grid")
	}
}

func TestFocusSwitchesToTheMainStream(t *testing.T) {
	srv := playtest.StartDemo(t, 2)
	ui := newUI(t, Options{Config: storage.Config{Cameras: []storage.Camera{
		{Name: "hall", URL: srv.URL(1), Substream: srv.URL(2)},
	}}})
	ui.Window.Resize(fyne.NewSize(640, 360))
	ui.Window.Show()
	startSessions(ui)
	tile := ui.Tiles[0]
	cam := ui.cameras[0]
	if cam.grid.URL() != srv.URL(2) {
		t.Fatalf("grid plays %s, want the substream %s", cam.grid.URL(), srv.URL(2))
	}
	until(t, ui, 20*time.Second, "no substream picture", func() bool { return tile.Picture() != nil })
	ui.ToggleFocus()
	if cam.main == nil {
		t.Fatal("focus did not start the main stream")
	}
	// Until the main stream decodes, the substream picture stays up.
	if tile.Picture() == nil {
		t.Fatal("picture cleared while the main stream starts")
	}
	until(t, ui, 20*time.Second, "main stream never shown", func() bool {
		return cam.mainShown && tile.pic.from == cam.main.Frames()
	})
	main := cam.main
	ui.ToggleFocus()
	if cam.main != nil || cam.active() != cam.grid {
		t.Fatal("leaving focus did not go back to the substream")
	}
	main.Wait() // closed in the background
}

func TestCameraDialogAddsTestsAndSaves(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	path := filepath.Join(t.TempDir(), "camwall", "config.yaml")
	ui := newUI(t, Options{ConfigPath: path, Demo: cameras(4, deadURL)})
	ui.Window.Show()

	ui.AddCameraDialog()
	f := ui.Form()
	if f == nil {
		t.Fatal("no form open")
	}
	test.Type(f.Name, "garage")
	test.Type(f.URL, srv.URL(1))
	test.Tap(f.TestButton)
	select {
	case <-f.Tested():
	case <-time.After(testTimeout + 5*time.Second):
		t.Fatal("Test connection never finished")
	}
	if f.Result.Text != "✓ live: H.264 640x360" {
		t.Errorf("test result %q", f.Result.Text)
	}

	test.Tap(f.SaveButton)
	if ui.Form() != nil {
		t.Fatalf("form still open: %q", f.Result.Text)
	}
	if len(ui.Tiles) != 1 || ui.Tiles[0].Name.Text != "garage" {
		t.Fatalf("after adding: %d tiles (demo replaced by the camera expected)", len(ui.Tiles))
	}
	cfg, err := storage.LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Cameras) != 1 || cfg.Cameras[0].Name != "garage" || cfg.Cameras[0].URL != srv.URL(1) {
		t.Errorf("saved %+v", cfg.Cameras)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("config file mode %v (%v), want 0600", fi.Mode().Perm(), err)
	}

	ui.RemoveCamera(0)
	cfg, err = storage.LoadConfig(path)
	if err != nil || len(cfg.Cameras) != 0 {
		t.Fatalf("after remove: %+v %v", cfg, err)
	}
	if len(ui.Tiles) != 4 {
		t.Errorf("after removing the last camera: %d tiles, want the demo back", len(ui.Tiles))
	}
}

func TestCameraDialogRefusesBadInput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	ui := newUI(t, Options{ConfigPath: path, Config: storage.Config{Cameras: cameras(1, deadURL)}})
	ui.Window.Show()
	tests := []struct{ name, camName, url, want string }{
		{"empty name", "", "rtsp://127.0.0.1/x", "name"},
		{"duplicate name", "cam 1", "rtsp://127.0.0.1/x", "cam 1"},
		{"URL without host", "new", "rtsp:///x", "URL"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ui.AddCameraDialog()
			f := ui.Form()
			f.Name.SetText(tc.camName)
			f.URL.SetText(tc.url)
			test.Tap(f.SaveButton)
			if ui.Form() != f || !strings.HasPrefix(f.Result.Text, "Not saved") || !strings.Contains(f.Result.Text, tc.want) {
				t.Errorf("result %q, want a refusal mentioning %q", f.Result.Text, tc.want)
			}
			if _, err := os.Stat(path); err == nil {
				t.Error("a refused camera was written to disk")
			}
			f.close()
		})
	}
}

func TestUITickerStopsOnClose(t *testing.T) {
	ui := New(test.NewTempApp(t), Options{Config: storage.Config{Cameras: cameras(1, deadURL)}})
	ui.Start()
	done := make(chan struct{})
	go func() { ui.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Close did not return")
	}
}

func TestTilesHiddenBehindAFocusedTileStopScaling(t *testing.T) {
	srv := playtest.StartDemo(t, 2)
	ui := newUI(t, Options{Config: storage.Config{Cameras: []storage.Camera{
		{Name: "a", URL: srv.URL(1)}, {Name: "b", URL: srv.URL(2)},
	}}})
	ui.Window.Resize(fyne.NewSize(640, 360))
	ui.Window.Show()
	startSessions(ui)
	hidden := ui.cameras[1].grid
	until(t, ui, 20*time.Second, "no pictures", func() bool { return hidden.Frames().Published() > 0 })
	ui.Select(0)
	ui.ToggleFocus()
	ui.refresh(time.Now())
	// A picture the decoder was scaling when the tile was hidden may still
	// be published: wait until none has come for a while.
	before := hidden.Frames().Published()
	until(t, ui, 20*time.Second, "the hidden tile kept getting pictures", func() bool {
		time.Sleep(150 * time.Millisecond)
		n := hidden.Frames().Published()
		settled := n == before
		before = n
		return settled
	})
	time.Sleep(300 * time.Millisecond)
	ui.refresh(time.Now())
	if after := hidden.Frames().Published(); after != before {
		t.Errorf("hidden tile got %d pictures scaled while another was focused", after-before)
	}
	if st := hidden.Status(); st.State.String() != "live" {
		t.Errorf("hidden camera stopped: %v", st.State)
	}
	ui.ToggleFocus()
	until(t, ui, 20*time.Second, "no pictures after leaving focus", func() bool {
		return hidden.Frames().Published() > before
	})
}
