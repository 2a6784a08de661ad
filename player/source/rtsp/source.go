package player

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"sync/atomic"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
	"github.com/pion/rtp"
)

// rtspSource receives a camera over RTSP or RTSPS with gortsplib's client.
// The codec-specific part, RTP packets to access units, is a depacketizer
// (rtsp_h264.go, rtsp_h265.go, rtsp_mjpeg.go).
type rtspSource struct {
	// url is what is played: the camera's URL, or the one a GoPro serves.
	url string
	// pin is the SHA-256 of the certificate an rtsps:// camera must present
	// (Config.Fingerprint); nil verifies the certificate chain instead.
	pin []byte
	// hostPort is where the camera listens, for reachability probes.
	hostPort string
}

// newRTSPSource checks what can be checked before connecting, so that a
// configuration mistake is reported once as such, not retried for ever.
func newRTSPSource(cfg *Config, rawURL, scheme, host, port string) (*rtspSource, error) {
	src := &rtspSource{url: rawURL}
	if port == "" {
		port = "554"
		if scheme == "rtsps" {
			port = "322"
		}
	}
	src.hostPort = net.JoinHostPort(host, port)
	if cfg.Fingerprint != "" {
		pin, err := parseFingerprint(cfg.Fingerprint)
		if err != nil {
			return nil, err
		}
		src.pin = pin
	}
	return src, nil
}

func (r *rtspSource) address() string { return r.hostPort }

// attempt is the state of one connection attempt.
type attempt struct {
	u     *base.URL
	conns *attemptConns
	// handshook is set once an rtsps:// TLS handshake got as far as the
	// certificate: a timeout before that means a port that speaks no TLS.
	handshook atomic.Bool
}

func (r *rtspSource) play(ctx context.Context, s *Session) error {
	u, err := base.ParseURL(r.url)
	if err != nil {
		return &Error{Reason: "invalid camera URL: " + Redact(r.url), Permanent: true, Err: errors.Join(ErrBadURL, err)}
	}
	a := &attempt{u: u, conns: &attemptConns{timeout: s.cfg.ReadTimeout}}
	c := r.client(a, s)
	if err := c.Start2(); err != nil {
		return fmt.Errorf("connect %s: %w", Redact(r.url), err)
	}
	defer c.Close()
	// The client's calls block on the network; closing its connections, then
	// the client, is how a cancelled session interrupts a DESCRIBE or SETUP
	// in flight (c.Close alone waits for them).
	stop := context.AfterFunc(ctx, func() { a.conns.closeAll(); c.Close() })
	defer stop()

	// The client answers a 401 with the URL's user name and password, by
	// Basic or Digest as the camera asks.
	desc, _, err := c.Describe(u)
	if err != nil {
		return a.describeFailed(err, r.url)
	}
	track, err := pickVideo(desc)
	if err != nil {
		return err
	}
	if _, err := c.Setup(desc.BaseURL, track.media, 0, 0); err != nil {
		return fmt.Errorf("setup %s: %w", Redact(r.url), err)
	}
	enq := newEnqueuer(&s.stats)
	codec, epoch := track.dep.codec(), s.attempts.Add(1)
	enq.tap = func(au accessUnit) { s.recordTap(au, codec, epoch) }
	receive(c, track, enq, s)
	if _, err := c.Play(nil); err != nil {
		return fmt.Errorf("play %s: %w", Redact(r.url), err)
	}
	a.conns.playing()

	srcErr := make(chan error, 1)
	waited := make(chan struct{})
	go func() { srcErr <- c.Wait(); close(waited) }()
	err = s.decodeLoop(ctx, track.dep.codec(), enq.q, srcErr)
	c.Close()
	<-waited // no goroutine outlives the attempt
	return err
}

// client configures gortsplib for one attempt.
func (r *rtspSource) client(a *attempt, s *Session) *gortsplib.Client {
	c := &gortsplib.Client{
		Scheme:      a.u.Scheme,
		Host:        a.u.Host,
		ReadTimeout: s.cfg.ReadTimeout,
		DialContext: a.conns.dial,
		// gortsplib logs through the standard logger by default; route its
		// events into this camera's log instead.
		OnPacketsLost: func(n uint64) { s.log.Debug("RTP packets lost", "count", n) },
		OnDecodeError: func(err error) { s.log.Debug("RTP decode error", "err", err) },
		OnTransportSwitch: func(err error) {
			s.log.Info("switching RTSP transport", "reason", err)
		},
	}
	if a.u.Scheme == "rtsps" {
		// A new configuration per attempt: the client writes ServerName into it.
		c.TLSConfig = tlsConfig(r.pin)
		c.TLSConfig.VerifyConnection = func(tls.ConnectionState) error { a.handshook.Store(true); return nil }
	}
	switch s.cfg.Transport {
	case TransportTCP:
		t := gortsplib.TransportTCP
		c.Transport = &t
	case TransportUDP:
		t := gortsplib.TransportUDP
		c.Transport = &t
	}
	return c
}

// describeFailed words the failures that only the first request can tell
// apart; explain does the rest.
func (a *attempt) describeFailed(err error, rawURL string) error {
	var bad liberrors.ErrClientBadStatusCode
	switch {
	case errors.As(err, &bad) && bad.Code == base.StatusUnauthorized && a.u.User == nil:
		return &Error{Reason: "the camera asks for a user name and password (RTSP 401): put them in the URL, rtsp://user:password@host/…",
			SlowRetry: true, Err: err}
	case a.u.Scheme == "rtsps" && !a.handshook.Load():
		// Most often a port that speaks plain RTSP: it waits for a request
		// line that never comes, or hangs up on the TLS hello.
		if r := explain(err).Reason; r == reasonTimedOut || r == reasonClosed {
			return &Error{Reason: r + " during the TLS handshake: check that this port speaks RTSPS",
				SlowRetry: true, Err: err}
		}
	}
	return fmt.Errorf("describe %s: %w", Redact(rawURL), err)
}

// receive hands the track's packets to its depacketizer and the access units
// to enq. The callback runs on gortsplib's reader goroutine: depacketize and
// enqueue only, never block.
func receive(c *gortsplib.Client, track *videoTrack, enq *enqueuer, s *Session) {
	codec := track.dep.codec()
	c.OnPacketRTP(track.media, track.format, func(pkt *rtp.Packet) {
		// Every packet goes through the timestamp decoder, not just the last
		// of each access unit: it starts only on a packet that begins a
		// keyframe.
		pts, ok := c.PacketPTS2(track.media, pkt)
		if !ok {
			return
		}
		au, key, err := track.dep.decode(pkt)
		if err != nil {
			s.log.Debug("depacketize", "codec", codec.String(), "err", err)
			return
		}
		if au == nil {
			return
		}
		ntp, _ := c.PacketNTP(track.media, pkt)
		enq.push(accessUnit{data: au, pts: pts, ntp: ntp, key: key})
	})
}
