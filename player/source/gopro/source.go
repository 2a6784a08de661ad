package gopro

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/camwall/camwall/decoder"
	api "github.com/camwall/camwall/player/gopro"
	"github.com/camwall/camwall/player/source"
	"github.com/camwall/camwall/player/source/demux"
	"github.com/camwall/camwall/player/source/rtsp"
)

// Config is one GoPro.
type Config struct {
	// URL is a gopro:// URL (player/gopro.ParseURL).
	URL string
	// Dial opens the API's connections; nil means a net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// ReadTimeout ends an attempt that receives nothing for this long.
	ReadTimeout time.Duration
	// Transport for a webcam started with RTSP.
	Transport rtsp.Transport
}

// Source asks the camera over its HTTP API to stream to this host, keeps it
// alive while the stream plays, receives the stream, and stops it at the end
// of every attempt. When the stream stalls (the camera slept, overheated or
// was unplugged), the attempt ends and the next one starts the stream again
// through the API.
type Source struct {
	cfg    Config
	t      api.Target
	client *api.Client
}

// stopTimeout bounds the requests that stop a stream: a camera that has gone
// must not hold up closing the wall.
const stopTimeout = 2 * time.Second

// keepAliveHook, when set by a test, runs as the keep-alive goroutine starts.
var keepAliveHook func()

const reasonStalled = ": the GoPro stopped sending (asleep, overheated or unplugged?)"

// New parses the URL; it contacts nothing.
func New(cfg Config) (*Source, error) {
	t, err := api.ParseURL(cfg.URL)
	if err != nil {
		return nil, &source.Error{Reason: err.Error(), Permanent: true, Err: errors.Join(source.ErrBadURL, err)}
	}
	return &Source{cfg: cfg, t: t, client: api.NewClient(t.BaseURL(), cfg.Dial)}, nil
}

// Address is where the camera's API listens.
func (g *Source) Address() string { return g.t.Address() }

// Play runs one attempt: start the stream, play it, stop it.
func (g *Source) Play(ctx context.Context, sink source.Sink) error {
	if err := g.start(ctx); err != nil {
		return g.failed(ctx, err)
	}
	defer g.stop(ctx, sink)

	kctx, cancel := context.WithCancel(ctx)
	// A panic in the keep-alive ends the attempt (pctx) as that panic.
	pctx, abort := context.WithCancel(ctx)
	defer abort()
	var panicked atomic.Pointer[source.Error]
	var wg sync.WaitGroup
	wg.Go(func() {
		defer func() {
			if r := recover(); r != nil {
				panicked.Store(source.Recovered(sink.Log(), r))
				abort()
			}
		}()
		g.keepAlive(kctx, sink)
	})
	// Deferred after stop, so it runs first: no keep-alive after the stop.
	defer func() { cancel(); wg.Wait() }()

	err := g.play(pctx, sink)
	if e := panicked.Load(); e != nil {
		return e
	}
	return err
}

// play receives the stream the camera was asked for.
func (g *Source) play(ctx context.Context, sink source.Sink) error {
	if g.t.RTSP {
		return g.playRTSP(ctx, sink)
	}
	// Receive only on the address the camera was reached through: that is
	// where it sends, and nothing on another network can feed this tile.
	// And take only what comes from the camera (FFmpeg's sources= filters
	// every datagram by its sender): another host on the same network
	// cannot feed it either.
	local := "0.0.0.0"
	if ip := g.client.LocalIP(); ip != nil {
		local = ip.String()
	}
	in := fmt.Sprintf("udp://@:%d?localaddr=%s", g.t.UDPPort, local)
	if ip := g.client.RemoteIP(); ip != nil {
		in += "&sources=" + ip.String()
	}
	src, err := demux.New(demux.Config{
		URL:         in,
		ReadTimeout: g.cfg.ReadTimeout,
		Stalled:     reasonStalled,
	})
	if err != nil {
		return err
	}
	return src.Play(ctx, sink)
}

// rtspReadyWithin is how long a webcam started with RTSP gets to bring up
// its RTSP server.
const rtspReadyWithin = 5 * time.Second

// playRTSP plays the RTSP server of a webcam started with RTSP, as any RTSP
// camera. The server comes up a moment after the start request is answered,
// so until a stream is set up, the attempt retries every 250 ms for up to
// rtspReadyWithin rather than ending: ending would stop and restart the
// webcam, never giving its server the time it needs.
func (g *Source) playRTSP(ctx context.Context, sink source.Sink) error {
	src, err := rtsp.New(rtsp.Config{URL: g.t.RTSPURL(), Transport: g.cfg.Transport, ReadTimeout: g.cfg.ReadTimeout})
	if err != nil {
		return err
	}
	deadline := time.Now().Add(rtspReadyWithin)
	for {
		w := &watchBegin{Sink: sink}
		err := src.Play(ctx, w)
		if ctx.Err() != nil || w.begun || time.Now().After(deadline) {
			return err
		}
		sink.Log().Debug("GoPro RTSP server not ready yet", "err", err)
		select {
		case <-ctx.Done():
			return source.ErrClosed
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// watchBegin notes whether a stream was set up.
type watchBegin struct {
	source.Sink
	begun bool // written and read on the attempt's goroutine
}

func (w *watchBegin) Begin(c decoder.Codec) { w.begun = true; w.Sink.Begin(c) }

// start asks the camera for its stream, in the order the API wants.
func (g *Source) start(ctx context.Context) error {
	if g.t.USB {
		if err := g.client.WiredUSB(ctx, true); err != nil {
			return fmt.Errorf("turn on wired USB control: %w", err)
		}
	}
	switch g.t.Mode {
	case api.ModePreview:
		return g.client.PreviewStart(ctx, g.t.UDPPort)
	case api.ModeLegacy:
		return g.client.LegacyRestart(ctx)
	default:
		return g.client.WebcamStart(ctx, g.t.Res, g.t.FOV, g.t.UDPPort, g.t.RTSP)
	}
}

// keepAlive runs while the stream plays. A failed keep-alive is only logged:
// the stream's own watchdog decides when the camera is gone.
func (g *Source) keepAlive(ctx context.Context, sink source.Sink) {
	if keepAliveHook != nil {
		keepAliveHook()
	}
	logErr := func(err error) { sink.Log().Debug("GoPro keep-alive failed", "err", err) }
	if g.t.Mode == api.ModeLegacy {
		if err := api.KeepLegacyAlive(ctx, g.t.Host, g.t.KeepAlivePort, logErr); err != nil {
			logErr(err)
		}
		return
	}
	t := time.NewTicker(api.KeepAliveEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := g.client.KeepAlive(ctx); err != nil && ctx.Err() == nil {
				logErr(err)
			}
		}
	}
}

// stop ends the stream on the camera, whatever ended the attempt, so that a
// camera is never left streaming at a host that stopped listening. When the
// attempt was cancelled (the session is closing), webcam mode is left as
// well, giving the camera back.
func (g *Source) stop(ctx context.Context, sink source.Sink) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopTimeout)
	defer cancel()
	var err error
	switch g.t.Mode {
	case api.ModePreview:
		err = g.client.PreviewStop(sctx)
	case api.ModeLegacy:
		// A HERO4–7 stops by itself once the keep-alives stop.
	default:
		err = g.client.WebcamStop(sctx)
		if ctx.Err() != nil {
			err = errors.Join(err, g.client.WebcamExit(sctx))
		}
	}
	if err != nil {
		sink.Log().Debug("stopping the GoPro's stream failed", "err", err)
	}
}

// failed words a failure to start the stream.
func (g *Source) failed(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return source.ErrClosed
	}
	var apiErr *api.APIError
	if errors.As(err, &apiErr) {
		// A redirect, which the client does not follow, is something else
		// on the camera's address: it will not go away by itself either.
		return &source.Error{Reason: apiErr.Error(), SlowRetry: apiErr.HTTPStatus/100 == 3, Err: err}
	}
	switch e := source.Explain(err); e.Reason {
	case source.ReasonTimedOut, source.ReasonClosed:
		return &source.Error{Reason: "the GoPro does not answer at " + g.t.Address() + " (asleep, switched off or unplugged?)", Err: err}
	default:
		if source.Unreachable(err) {
			return &source.Error{Reason: "the GoPro is not reachable at " + g.t.Address() + ": " + e.Reason, Err: err}
		}
		return e
	}
}
