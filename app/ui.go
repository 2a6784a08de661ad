// Package app is camwall's user interface: the window, the grid of camera
// tiles, the camera dialog and the UI ticker that shows new pictures. It is
// the only package that imports Fyne; everything it shows comes from player
// sessions, and what it saves goes through storage.
package app

import (
	"context"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/camwall/camwall/assets"
	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/player/gopro"
	"github.com/camwall/camwall/player/onvif"
	"github.com/camwall/camwall/storage"
)

// Options configure the window.
type Options struct {
	// Config is what the wall shows; Cameras may be empty.
	Config storage.Config
	// ConfigPath is where camera edits are saved; empty disables saving.
	ConfigPath string
	// Demo cameras are shown while the configuration has none; they are
	// never saved, and adding a real camera replaces them.
	Demo []storage.Camera
	// GoPro finds GoPros on USB for "Add GoPro…", and only then; its zero
	// value looks at this computer's interfaces. Tests give it a made-up
	// interface list.
	GoPro gopro.Discoverer
	// ONVIF is where "Find ONVIF cameras" looks, and only then; nil probes
	// every multicast interface. Tests probe their simulator's address.
	ONVIF *onvif.DiscoverConfig
	// StatsEvery, when positive, logs every tile's state and painted rate
	// at this interval (see logTileStats).
	StatsEvery time.Duration
	// Kiosk starts the wall in kiosk mode (--kiosk), as Config.Kiosk does.
	Kiosk bool
	// Dial, when set, opens the connections sessions and GoPro discovery
	// make besides RTSP's (see player.Config.Dial). Tests route camera
	// addresses to simulators on loopback with it.
	Dial dialer
	// Metrics is the address /metrics and /healthz are served on (host:port,
	// e.g. 127.0.0.1:9464); empty serves nothing.
	Metrics string
	// HWAccel (--hwaccel), when set, is how every camera decodes, whatever
	// the configuration says (player.Config.DefaultHWAccel).
	HWAccel string
}

// UI is camwall's main window.
type UI struct {
	App    fyne.App
	Window fyne.Window
	// Tiles in grid order, one per camera.
	Tiles []*Tile
	Grid  *fyne.Container
	// StatusBar shows short confirmations (where a snapshot went, why not).
	StatusBar *widget.Label
	Toolbar   *widget.Toolbar

	opts        Options
	cfg         storage.Config
	cameras     []*camera
	layout      *gridLayout
	selected    int
	showStats   bool
	form        *CameraForm
	onvif       *ONVIFDialog
	export      *ExportDialog
	ptz         *PTZControls
	settings    *SettingsForm // the Settings dialog while it is open
	snaps       *storage.Snapshotter
	notices     int
	noticeTimer *time.Timer
	onNotify    func(string) // test hook: every status bar message
	statsLogged time.Time
	// unconfiguredPruned is when pruneUnconfigured last started (UI
	// goroutine).
	unconfiguredPruned time.Time

	stop chan struct{}
	done chan struct{}
	// replacing counts the configuration changes still closing old
	// sessions and starting new ones (replace); Close waits for them, so
	// that no session is started after the wall closed.
	replacing sync.WaitGroup
	// wake is signalled when a tile's session publishes a picture.
	wake chan struct{}
	// kiosk: full screen, the wall alone (kiosk.go).
	kiosk bool
	over  *overlays
	// view is the index of the view shown (views.go); warm is the view
	// whose tiles warm up for the tour's next switch, -1 for none.
	view int
	warm int
	tour *tour
	// lastInput is when the user last typed, clicked or moved the pointer;
	// ptr hides the pointer once it rested cursorIdle in kiosk mode.
	lastInput time.Time
	ptr       pointer
	// pointer is where the pointer last moved to (pointerSeen: it did).
	pointer     fyne.Position
	pointerSeen bool
	// paintGap is the shortest time between two repaints (nanoseconds),
	// set on the UI goroutine, read by tick.
	paintGap atomic.Int64
	// due is when the next repaint is due (Unix nanoseconds, 0: no picture
	// waits): the earliest due time of the pictures published and not yet
	// shown. Lowered by framePublished and refresh, cleared by tick.
	due atomic.Int64
	obs observers // metrics and systemd (observe.go)
}

// New builds the window and its camera sessions; Start starts them.
func New(a fyne.App, opts Options) *UI {
	u := &UI{App: a, opts: opts, cfg: opts.Config, stop: make(chan struct{}), done: make(chan struct{}), wake: make(chan struct{}, 1)}
	u.paintGap.Store(int64(paintGap(0)))
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	u.Window = a.NewWindow("camwall")
	u.layout = &gridLayout{focused: -1, gap: 2}
	u.Grid = container.New(u.layout)
	u.StatusBar = widget.NewLabel("")
	u.StatusBar.Truncation = fyne.TextTruncateEllipsis
	u.Toolbar = widget.NewToolbar(
		widget.NewToolbarAction(theme.ContentAddIcon(), u.AddCameraDialog),
		widget.NewToolbarAction(theme.MediaPhotoIcon(), u.SnapshotAll),
		widget.NewToolbarAction(theme.MediaRecordIcon(), u.RecordAll),
		widget.NewToolbarAction(theme.InfoIcon(), u.ToggleStats),
		widget.NewToolbarAction(theme.ViewFullScreenIcon(), func() { u.Window.SetFullScreen(!u.Window.FullScreen()) }),
	)
	u.over = newOverlays()
	u.ptz = newPTZControls(onvifBridge{u})
	u.snaps = &storage.Snapshotter{Settings: opts.Config.Snapshots}
	u.Window.SetPadded(false)
	u.Window.Resize(fyne.NewSize(1280, 720))
	u.bindKeys()
	u.build()
	u.SetKiosk(opts.Kiosk || opts.Config.Kiosk)
	u.setupDesktop()
	return u
}

// shownCameras is what the wall plays: the configured cameras, or the demo
// while there are none.
func (u *UI) shownCameras() []storage.Camera {
	if len(u.cfg.Cameras) == 0 {
		return u.opts.Demo
	}
	return u.cfg.Cameras
}

// build creates cameras and tiles for the current configuration, keeping
// the cameras of the previous wall whose entry did not change, with their
// sessions and recordings. It returns the new cameras and the ones no longer
// shown; no session is started or closed here.
func (u *UI) build() (fresh, gone []*camera) {
	u.layout.focused = -1
	gone = u.cameras
	u.cameras, u.Tiles = nil, nil
	objs := []fyne.CanvasObject{}
	for i, c := range u.shownCameras() {
		var cam *camera
		if j := slices.IndexFunc(gone, func(old *camera) bool { return old.cfg == c }); j >= 0 {
			cam = gone[j]
			gone = slices.Delete(gone, j, j+1)
			cam.unfocus() // the wall comes back unfocused
		} else {
			cam = newCamera(c, u.opts.HWAccel, u.cfg.HWAccel, u.opts.Dial, u.framePublished)
			fresh = append(fresh, cam)
		}
		t := newTile(u, i, cam)
		u.cameras = append(u.cameras, cam)
		u.Tiles = append(u.Tiles, t)
		objs = append(objs, t)
	}
	u.Grid.Objects = objs
	u.tour, u.warm = u.newTour(), -1
	vs := u.views()
	if u.view >= len(vs) {
		u.view = 0
	}
	u.layout.rows, u.layout.cols, u.layout.cells = u.cellsOf(vs[u.view])
	u.selected = -1
	if order := u.shownOrder(); len(order) > 0 {
		u.Select(order[0])
	}
	u.Grid.Refresh()
	return fresh, gone
}

// Start starts the camera sessions, the snapshot workers and the UI ticker.
func (u *UI) Start() {
	if err := u.snaps.Start(context.Background()); err != nil {
		// The configuration was validated on load, so this is a folder
		// that cannot be made: say so, and keep the wall playing.
		slog.Error("snapshots unavailable", "err", err)
		u.notify("Snapshots unavailable: " + err.Error())
	}
	for _, c := range u.cameras {
		c.start()
	}
	u.startObservers()
	go u.tick()
}

// Quit ends the app's run loop, from any goroutine, as closing the window
// does; the caller of ShowAndRun then calls Close.
func (u *UI) Quit() { fyne.Do(u.App.Quit) }

// Close stops the ticker and every session, and waits for them.
func (u *UI) Close() {
	u.stopObservers()
	select {
	case <-u.stop:
	default:
		close(u.stop)
	}
	<-u.done
	u.replacing.Wait()
	for _, c := range u.cameras {
		c.close()
	}
	// Snapshots already queued are written before the app exits.
	u.snaps.Close()
	u.stopNotices()
	u.ptr.close()
	u.ptz.close()
}

// replace swaps the wall for a new configuration. Cameras whose entry did
// not change play on untouched; the others close, and only then do the new
// ones start, in the background so that the UI never waits on the network:
// an edited camera's old session must let go of the camera first (a GoPro
// told to stop after its new session started it would go dark). An edited
// camera that was recording records on in its new session, into a new
// file, with no gap beyond the reconnection.
func (u *UI) replace(cfg storage.Config) {
	u.cfg = cfg
	before := slices.Clone(u.cameras) // build reuses the backing array
	fresh, gone := u.build()
	if !u.kiosk {
		u.Window.SetMainMenu(u.menu()) // the View menu lists the layouts
	}
	var carry []*camera
	for i, c := range u.cameras {
		// The same place on the wall, a changed entry: the edited camera.
		if i < len(before) && before[i].recorder != nil && slices.Contains(gone, before[i]) && slices.Contains(fresh, c) {
			carry = append(carry, c)
		}
	}
	u.replacing.Go(func() {
		for _, c := range gone {
			c.close()
		}
		for _, c := range fresh {
			c.start()
		}
		if len(carry) > 0 {
			fyne.Do(func() { u.startRecording(carry) })
		}
	})
}

// save writes the configuration, reporting failure in the window.
func (u *UI) save(cfg storage.Config) bool {
	if u.opts.ConfigPath == "" {
		return true
	}
	if err := storage.SaveConfig(u.opts.ConfigPath, &cfg); err != nil {
		slog.Error("save configuration", "path", u.opts.ConfigPath, "err", err)
		u.showError("Could not save the configuration", err)
		return false
	}
	return true
}

// Select moves the keyboard selection to tile i.
func (u *UI) Select(i int) {
	if i < 0 || i >= len(u.Tiles) || i == u.selected {
		return
	}
	if u.selected >= 0 && u.selected < len(u.Tiles) {
		u.Tiles[u.selected].setSelected(false)
	}
	u.selected = i
	u.Tiles[i].setSelected(true)
}

// Selected is the index of the selected tile, -1 when there is none.
func (u *UI) Selected() int { return u.selected }

// Focused is the index of the tile shown alone, -1 for the grid.
func (u *UI) Focused() int { return u.layout.focused }

// ToggleFocus shows the selected tile alone in the window, on the main
// stream, or goes back to the grid.
func (u *UI) ToggleFocus() {
	if u.layout.focused >= 0 {
		u.cameras[u.layout.focused].unfocus()
		u.layout.focused = -1
	} else if u.selected >= 0 {
		u.layout.focused = u.selected
		u.cameras[u.selected].focus()
	}
	u.relayout()
}

// ToggleStats shows or hides the statistics line on every tile.
func (u *UI) ToggleStats() {
	u.showStats = !u.showStats
	u.refresh(time.Now())
}

// refresh runs on the UI goroutine: every tile takes its newest picture
// and brings its overlay up to date, and the painter's pace follows the
// fastest camera on screen.
func (u *UI) refresh(now time.Time) {
	fastest := 0.0
	// A picture due within half a gap is shown now rather than a whole
	// repaint late.
	take := now.Add(time.Duration(u.paintGap.Load()) / 2)
	for _, t := range u.Tiles {
		t.showFrame(take)
		st := t.updateStatus(now)
		if t.Visible() && st.State == player.StateLive {
			fastest = max(fastest, st.ReceivedFPS)
		}
		if due, ok := t.nextDue(); ok {
			u.lowerDue(due)
		}
	}
	u.paintGap.Store(int64(paintGap(fastest)))
	u.ptz.refresh()
	u.logTileStats(now)
	u.stepTour(now)
	if u.pointerResting(now) {
		u.ptr.hide(u.Window)
	}
	u.observe(now)
}
