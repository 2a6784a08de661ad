package app

import (
	"context"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/camwall/camwall/app/metrics"
	"github.com/camwall/camwall/app/systemd"
)

// publishEvery is the shortest time between two snapshots of the wall for
// the metrics server: scrapes come every few seconds, and the UI goroutine
// has better things to do at every repaint. /healthz sees the UI's last
// refresh at most this late.
const publishEvery = 250 * time.Millisecond

// observers are what watch the wall from outside its window: the metrics
// server, which reads the snapshot the UI publishes, and systemd, told that
// the wall is up and, while the window refreshes, that it is alive. The
// fields are for the UI goroutine, but wall and Snapshot.
type observers struct {
	started bool
	server  *metrics.Server // nil unless Options.Metrics
	// wall is the snapshot the server reads, from its own goroutines.
	wall      atomic.Pointer[metrics.Wall]
	published time.Time
	// painted counts each camera's pictures the window drew; lastPaint is
	// when a count last grew (within a second: updateStatus hands the
	// counts over once a second).
	painted   map[*camera]uint64
	lastPaint map[*camera]time.Time
	watchdog  *systemd.Watchdog
	ready     bool // READY=1 was sent
	pingFails int
}

// startObservers serves metrics when Options.Metrics asks for them, and
// gets ready to tell systemd about the wall. A metrics address that cannot
// be served is said in the window and the log; the wall plays on.
func (u *UI) startObservers() {
	o := &u.obs
	o.started = true
	o.painted, o.lastPaint = map[*camera]uint64{}, map[*camera]time.Time{}
	w, err := systemd.NewWatchdog()
	if err != nil {
		slog.Warn("systemd watchdog off", "err", err)
	}
	o.watchdog = w
	if u.opts.Metrics == "" {
		return
	}
	srv := &metrics.Server{Listen: u.opts.Metrics, Source: o}
	if err := srv.Start(); err != nil {
		slog.Error("metrics unavailable", "err", err)
		u.notify("Metrics unavailable: " + err.Error())
		return
	}
	o.server = srv
}

// stopObservers tells systemd the wall is stopping, and stops serving.
func (u *UI) stopObservers() {
	if !u.obs.started {
		return
	}
	if err := systemd.Stopping(); err != nil {
		slog.Warn("systemd not told of the stop", "err", err)
	}
	if u.obs.server != nil {
		u.obs.server.Close()
	}
}

// MetricsAddr is the address /metrics and /healthz are served on, with the
// port it got; "" when not serving.
func (u *UI) MetricsAddr() string {
	if u.obs.server == nil {
		return ""
	}
	return u.obs.server.Addr()
}

// Snapshot implements metrics.Source: the wall as the UI last published it.
func (o *observers) Snapshot() metrics.Wall {
	if w := o.wall.Load(); w != nil {
		return *w
	}
	return metrics.Wall{}
}

// countPainted adds n pictures painted to cam's count. UI goroutine.
func (u *UI) countPainted(cam *camera, n int, now time.Time) {
	if n <= 0 || !u.obs.started {
		return
	}
	u.obs.painted[cam] += uint64(n)
	u.obs.lastPaint[cam] = now
}

// observe runs at the end of every refresh, on the UI goroutine, so that
// what it says is what the window does: the first refresh tells systemd the
// wall is up, every one feeds its watchdog (a hung window feeds nothing),
// and the metrics get a new snapshot.
func (u *UI) observe(now time.Time) {
	o := &u.obs
	if !o.started {
		return
	}
	if !o.ready {
		o.ready = true
		if err := systemd.Ready(); err != nil {
			slog.Warn("systemd not told the wall is up", "err", err)
		}
	}
	if o.watchdog != nil {
		if err := o.watchdog.Ping(now); err != nil {
			// Once at warning level: a socket gone for good must not
			// fill the log.
			level := slog.LevelDebug
			if o.pingFails++; o.pingFails == 1 {
				level = slog.LevelWarn
			}
			slog.Log(context.Background(), level, "systemd watchdog not fed", "err", err, "failures", o.pingFails)
		} else {
			o.pingFails = 0
		}
	}
	if o.server != nil && now.Sub(o.published) >= publishEvery {
		o.published = now
		o.wall.Store(u.snapshot(now))
	}
}

// snapshot is the wall's state for the metrics. The state is the tile's
// (what a person sees); the counters are the grid session's, which plays as
// long as the camera is on the wall, while a focused tile's main-stream
// session comes and goes. UI goroutine.
func (u *UI) snapshot(now time.Time) *metrics.Wall {
	w := &metrics.Wall{LastPaint: now, Cameras: make([]metrics.Camera, 0, len(u.Tiles))}
	shown := make(map[*camera]bool, len(u.Tiles))
	for _, t := range u.Tiles {
		cam := t.cam
		shown[cam] = true
		st := t.status()
		c := metrics.Camera{Name: cam.cfg.Name, State: st.State, Bitrate: st.Bitrate, Latency: st.Latency,
			Painted: u.obs.painted[cam], LastPaint: u.obs.lastPaint[cam], Hardware: st.Hardware}
		if cam.grid != nil {
			g := cam.grid.Status()
			c.Received, c.Decoded, c.Dropped, c.Corrupt, c.Reconnects = g.Received, g.Decoded, g.Dropped, g.Corrupt, g.Reconnects
		}
		if r := cam.recorder; r != nil {
			c.Recording, c.RecordBytes = true, r.session.Status().RecordBytes
		}
		w.Cameras = append(w.Cameras, c)
	}
	// A camera no longer on the wall takes its counts with it.
	for cam := range u.obs.painted {
		if !shown[cam] {
			delete(u.obs.painted, cam)
			delete(u.obs.lastPaint, cam)
		}
	}
	return w
}
