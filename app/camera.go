package app

import (
	"context"
	"net"

	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/storage"
)

// dialer opens the connections sessions make besides RTSP's (see
// player.Config.Dial); nil means the network as it is.
type dialer = func(ctx context.Context, network, addr string) (net.Conn, error)

// camera is one configured camera on the wall: a grid session (the
// substream when there is one) and, while its tile is focused, a session on
// the main stream. Without a substream one session serves both.
type camera struct {
	cfg  storage.Camera
	grid *player.Session
	main *player.Session // nil unless focused and a substream exists
	// mainShown: the main session has published its first picture, so the
	// tile switched to it. Until then the grid picture stays on screen.
	mainShown bool
	// recorder is the running recording, nil when not recording.
	recorder *recorder
	// dial is Options.Dial, for every session of this camera.
	dial dialer
	// onFrame is told of every picture the tile's sessions publish (the UI
	// wakes its painter with it); recording and snapshot sessions have none.
	onFrame func(player.FrameEvent)
	// hwForce and hwDefault are the --hwaccel of the command line and the
	// configuration's hwaccel (player.Config.DefaultHWAccel).
	hwForce, hwDefault string
	// err is a configuration problem found before any session could start
	// (an unset password variable); the tile shows it instead of video.
	err error
}

func newCamera(c storage.Camera, hwForce, hwDefault string, dial dialer, onFrame func(player.FrameEvent)) *camera {
	cam := &camera{cfg: c, hwForce: hwForce, hwDefault: hwDefault, dial: dial, onFrame: onFrame}
	cfg, err := cam.sessionConfig(true)
	if err != nil {
		cam.err = err
		return cam
	}
	cam.grid = player.New(cam.tileConfig(cfg))
	return cam
}

// sessionConfig is the configuration of a session on the camera's main
// stream, or on its substream when substream is set and it has one.
func (c *camera) sessionConfig(substream bool) (player.Config, error) {
	cfg, err := player.CameraConfig(c.cfg, substream)
	cfg.Dial = c.dial
	cfg.DefaultHWAccel(c.hwForce, c.hwDefault)
	return cfg, err
}

// tileConfig adds to cfg what a session whose pictures the tile shows needs.
func (c *camera) tileConfig(cfg player.Config) player.Config {
	cfg.OnFrame = c.onFrame
	return cfg
}

// fullResolution is the running session that plays the camera's main
// stream, whose frames are at the source's full resolution: the grid's
// when there is no substream, else the focused tile's main session, else
// the recording's; nil when none runs (a substream camera that is neither
// focused nor recording), and a snapshot then opens a session of its own
// on the main stream, as a recording does. Sharing them keeps a camera to
// the two or three sessions it allows.
func (c *camera) fullResolution() *player.Session {
	switch {
	case c.cfg.Substream == "":
		return c.grid
	case c.main != nil:
		return c.main
	case c.recorder != nil:
		return c.recorder.session
	}
	return nil
}

func (c *camera) start() {
	if c.grid != nil {
		c.grid.Start()
	}
}

// focus starts the main stream when the grid plays a substream.
func (c *camera) focus() {
	if c.grid == nil || c.cfg.Substream == "" || c.main != nil {
		return
	}
	cfg, err := c.sessionConfig(false)
	if err != nil {
		return
	}
	c.main = player.New(c.tileConfig(cfg))
	c.mainShown = false
	c.main.Start()
}

// unfocus stops the main stream; the grid session never stopped.
func (c *camera) unfocus() {
	if c.main != nil {
		// Close waits for the session's goroutines; it returns quickly, but
		// keep it off the UI goroutine anyway.
		go c.main.Close()
		c.main = nil
		c.mainShown = false
	}
}

// active is the session whose pictures and status the tile shows.
func (c *camera) active() *player.Session {
	if c.main != nil && c.mainShown {
		return c.main
	}
	return c.grid
}

// retry ends the wait of every session of the camera that is waiting to
// reconnect (player.Session.Retry).
func (c *camera) retry() {
	for _, s := range []*player.Session{c.grid, c.main} {
		if s != nil {
			s.Retry()
		}
	}
	if c.recorder != nil && c.recorder.own {
		c.recorder.session.Retry()
	}
}

func (c *camera) close() {
	if r := c.stopRecording(); r != nil {
		r.finish()
	}
	if c.main != nil {
		c.main.Close()
		c.main = nil
	}
	if c.grid != nil {
		c.grid.Close()
	}
}
