package player

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/camwall/camwall/player/gopro"
)

// goproSource plays a GoPro: it asks the camera over its HTTP API to stream
// MPEG-TS to this host, keeps it alive while the stream plays, receives the
// stream through FFmpeg's demuxer, and stops it at the end of every attempt.
// When the stream stalls (the camera slept, overheated or was unplugged),
// the attempt ends and the session's next attempt starts the stream again
// through the API, with the session's backoff.
type goproSource struct {
	t      gopro.Target
	client *gopro.Client
}

// stopTimeout bounds the requests that stop a stream: a camera that has gone
// must not hold up closing the wall.
const stopTimeout = 2 * time.Second

const reasonGoProStalled = ": the GoPro stopped sending (asleep, overheated or unplugged?)"

func newGoProSource(cfg *Config) (*goproSource, error) {
	t, err := gopro.ParseURL(cfg.URL)
	if err != nil {
		return nil, &Error{Reason: err.Error(), Permanent: true, Err: errors.Join(ErrBadURL, err)}
	}
	return &goproSource{t: t, client: gopro.NewClient(t.BaseURL(), cfg.Dial)}, nil
}

func (g *goproSource) address() string { return g.t.Address() }

func (g *goproSource) play(ctx context.Context, s *Session) error {
	if err := g.start(ctx); err != nil {
		return g.failed(ctx, err)
	}
	defer g.stop(ctx, s)

	kctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	wg.Go(func() { g.keepAlive(kctx, s) })
	// Deferred after stop, so it runs first: no keep-alive after the stop.
	defer func() { cancel(); wg.Wait() }()

	if g.t.RTSP {
		return g.playRTSP(ctx, s)
	}
	// Receive only on the address the camera was reached through: that is
	// where it sends, and nothing on another network can feed this tile.
	local := "0.0.0.0"
	if ip := g.client.LocalIP(); ip != nil {
		local = ip.String()
	}
	input := fmt.Sprintf("udp://@:%d?localaddr=%s", g.t.UDPPort, local)
	return s.playDemuxed(ctx, input, demuxPlan{live: true, stalled: reasonGoProStalled})
}

// rtspReadyWithin is how long a webcam started with RTSP gets to bring up
// its RTSP server.
const rtspReadyWithin = 5 * time.Second

// playRTSP plays the RTSP server of a webcam started with RTSP, as any RTSP
// camera. The server comes up a moment after the start request is answered,
// so until a stream is set up, the attempt retries every 250 ms for up to
// rtspReadyWithin rather than ending: ending would stop and restart the
// webcam, never giving its server the time it needs.
func (g *goproSource) playRTSP(ctx context.Context, s *Session) error {
	src, err := newRTSPSource(&s.cfg, g.t.RTSPURL(), "rtsp", g.t.Host, strconv.Itoa(g.t.RTSPPort))
	if err != nil {
		return err
	}
	deadline := time.Now().Add(rtspReadyWithin)
	for {
		setups := s.attempts.Load()
		err := src.play(ctx, s)
		if ctx.Err() != nil || s.attempts.Load() != setups || time.Now().After(deadline) {
			return err
		}
		s.log.Debug("GoPro RTSP server not ready yet", "err", err)
		select {
		case <-ctx.Done():
			return errClosed
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// start asks the camera for its stream, in the order the API wants.
func (g *goproSource) start(ctx context.Context) error {
	if g.t.USB {
		if err := g.client.WiredUSB(ctx, true); err != nil {
			return fmt.Errorf("turn on wired USB control: %w", err)
		}
	}
	switch g.t.Mode {
	case gopro.ModePreview:
		return g.client.PreviewStart(ctx, g.t.UDPPort)
	case gopro.ModeLegacy:
		return g.client.LegacyRestart(ctx)
	default:
		return g.client.WebcamStart(ctx, g.t.Res, g.t.FOV, g.t.UDPPort, g.t.RTSP)
	}
}

// keepAlive runs while the stream plays. A failed keep-alive is only logged:
// the stream's own watchdog decides when the camera is gone.
func (g *goproSource) keepAlive(ctx context.Context, s *Session) {
	logErr := func(err error) { s.log.Debug("GoPro keep-alive failed", "err", err) }
	if g.t.Mode == gopro.ModeLegacy {
		if err := gopro.KeepLegacyAlive(ctx, g.t.Host, g.t.KeepAlivePort, logErr); err != nil {
			logErr(err)
		}
		return
	}
	t := time.NewTicker(gopro.KeepAliveEvery)
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
// session is closing, webcam mode is left as well, giving the camera back.
func (g *goproSource) stop(ctx context.Context, s *Session) {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), stopTimeout)
	defer cancel()
	var err error
	switch g.t.Mode {
	case gopro.ModePreview:
		err = g.client.PreviewStop(sctx)
	case gopro.ModeLegacy:
		// A HERO4–7 stops by itself once the keep-alives stop.
	default:
		err = g.client.WebcamStop(sctx)
		if ctx.Err() != nil {
			err = errors.Join(err, g.client.WebcamExit(sctx))
		}
	}
	if err != nil {
		s.log.Debug("stopping the GoPro's stream failed", "err", err)
	}
}

// failed words a failure to start the stream.
func (g *goproSource) failed(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return errClosed
	}
	var api *gopro.APIError
	if errors.As(err, &api) {
		return &Error{Reason: api.Error(), Err: err}
	}
	switch e := explain(err); e.Reason {
	case reasonTimedOut, reasonClosed:
		return &Error{Reason: "the GoPro does not answer at " + g.t.Address() + " (asleep, switched off or unplugged?)", Err: err}
	default:
		if unreachable(err) {
			return &Error{Reason: "the GoPro is not reachable at " + g.t.Address() + ": " + e.Reason, Err: err}
		}
		return e
	}
}
