// Package app is camwall's user interface: the window, the grid of camera
// tiles and the UI ticker that shows new pictures. It is the only package
// that imports Fyne; everything it shows comes from player sessions.
package app

import (
	"math"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"

	"github.com/camwall/camwall/assets"
	"github.com/camwall/camwall/player"
)

// refreshRate of the UI ticker. 60 Hz keeps the wait between a decoded frame
// and its display under 17 ms; a tick with nothing new costs a few atomic
// loads per tile.
const refreshRate = 60

// UI is camwall's main window.
type UI struct {
	App    fyne.App
	Window fyne.Window
	// Tiles in grid order, one per session.
	Tiles []*Tile
	Grid  *fyne.Container

	sessions []*player.Session
	stop     chan struct{}
	done     chan struct{}
	pending  atomic.Bool
}

// New builds the window for the given sessions. It does not start them.
func New(a fyne.App, sessions []*player.Session) *UI {
	u := &UI{App: a, sessions: sessions, stop: make(chan struct{}), done: make(chan struct{})}
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	u.Window = a.NewWindow("camwall")
	for _, s := range sessions {
		u.Tiles = append(u.Tiles, NewTile(s))
	}
	objs := make([]fyne.CanvasObject, len(u.Tiles))
	for i, t := range u.Tiles {
		objs[i] = t
	}
	u.Grid = container.NewGridWithColumns(GridColumns(len(u.Tiles)), objs...)
	u.Window.SetContent(u.Grid)
	u.Window.SetPadded(false)
	u.Window.Resize(fyne.NewSize(1280, 720))
	return u
}

// GridColumns is the column count of the automatic layout: the smallest
// square grid that holds n tiles (1, 2×2, 3×3, …).
func GridColumns(n int) int {
	if n <= 1 {
		return 1
	}
	return int(math.Ceil(math.Sqrt(float64(n))))
}

// Start begins the UI ticker. Sessions are started by their owner.
func (u *UI) Start() {
	go u.tick()
}

// Close stops the ticker and waits for it.
func (u *UI) Close() {
	select {
	case <-u.stop:
	default:
		close(u.stop)
	}
	<-u.done
}

// tick is the one place that moves pictures onto the screen: at most one
// fyne.Do in flight (its queue is unbounded, so a busy UI thread must not
// pile up work), and every changed tile refreshed in that one call.
func (u *UI) tick() {
	defer close(u.done)
	t := time.NewTicker(time.Second / refreshRate)
	defer t.Stop()
	for {
		select {
		case <-u.stop:
			return
		case <-t.C:
		}
		if !u.pending.CompareAndSwap(false, true) {
			continue
		}
		fyne.Do(func() {
			defer u.pending.Store(false)
			u.refresh(time.Now())
		})
	}
}

// refresh runs on the UI goroutine.
func (u *UI) refresh(now time.Time) {
	for _, t := range u.Tiles {
		t.showFrame()
		t.updateStatus(now)
	}
}
