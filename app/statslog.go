package app

import (
	"log/slog"
	"time"

	"fyne.io/fyne/v2"
)

// logTileStats writes one line per tile with what its statistics overlay
// shows, and where its picture is in the window (device pixels): a wall
// that runs unattended is then watched from its log, and the window
// benchmark compares the painted rate with what it counts on the screen.
// UI goroutine only.
func (u *UI) logTileStats(now time.Time) {
	every := u.opts.StatsEvery
	if every <= 0 || now.Sub(u.statsLogged) < every {
		return
	}
	u.statsLogged = now
	for i, t := range u.Tiles {
		st := t.status()
		x, y, w, h := t.pictureRect()
		slog.Info("tile", "tile", i+1, "camera", t.cam.cfg.Name, "state", st.State.String(),
			"painted_fps", round1(t.paintedFPS), "decoded_fps", round1(st.DecodedFPS), "received_fps", round1(st.ReceivedFPS),
			"dropped", st.Dropped, "reduced", reduction(st, t.paintedFPS, t.Visible()), "x", x, "y", y, "w", w, "h", h)
	}
}

// pictureRect is where the tile's picture is drawn, in device pixels from
// the window's top-left corner; zero while nothing is shown.
func (t *Tile) pictureRect() (x, y, w, h int) {
	r := t.pic.Raster
	if !t.Visible() || !r.Visible() {
		return 0, 0, 0, 0
	}
	scale := t.canvasScale()
	pos := fyne.CurrentApp().Driver().AbsolutePositionForObject(r)
	size := r.Size()
	return int(pos.X * scale), int(pos.Y * scale), int(size.Width * scale), int(size.Height * scale)
}

func round1(v float64) float64 { return float64(int(v*10+0.5)) / 10 }
