package rtspserver

import (
	"fmt"
	"log/slog"
)

// Demo is camwall's built-in demo cameras: a Server that loops one clip at
// rtsp://ADDR/demo/1 … /demo/N, so that a first start shows live video with
// nothing configured. Each stream starts at a different point of the clip so
// that tiles do not look identical. Tests use it as a real RTSP camera too.
type Demo struct {
	// Addr to listen on. It defaults to "127.0.0.1:0" (a free loopback port).
	Addr string
	// Streams is the number of paths served. It defaults to 4.
	Streams int
	// Clip looped on every path; without access units, the embedded demo
	// clip (DemoClip). Its Offset is not used: stream i starts (i-1)/Streams
	// of the way into the clip.
	Clip Clip
	// Logger defaults to slog.Default().
	Logger *slog.Logger

	srv Server
}

// Start listens and begins streaming.
func (d *Demo) Start() error {
	if d.Streams <= 0 {
		d.Streams = 4
	}
	clip := d.Clip
	if len(clip.AccessUnits) == 0 {
		var err error
		if clip, err = DemoClip(); err != nil {
			return fmt.Errorf("demo server: %w", err)
		}
	}
	// Nothing but the demo's own streams plays from it.
	d.srv = Server{Addr: d.Addr, Logger: d.Logger, NoPublishers: true, who: "demo server"}
	if err := d.srv.Start(); err != nil {
		return err
	}
	d.Addr, d.Logger = d.srv.Addr, d.srv.Logger
	for i := 1; i <= d.Streams; i++ {
		clip.Offset = (i - 1) * len(clip.AccessUnits) / d.Streams
		if err := d.srv.Loop(demoPath(i), clip); err != nil {
			d.Close()
			return err
		}
	}
	return nil
}

func demoPath(i int) string { return fmt.Sprintf("demo/%d", i) }

// URL of stream i (1-based).
func (d *Demo) URL(i int) string { return d.srv.URL(demoPath(i)) }

// Address the server listens on.
func (d *Demo) Address() string { return d.srv.Address() }

// Conns counts the connections accepted so far.
func (d *Demo) Conns() int { return d.srv.Conns() }

// Close stops streaming and the server, and waits for both. It may be called
// more than once.
func (d *Demo) Close() { d.srv.Close() }
