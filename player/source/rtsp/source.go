package rtsp

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
	"github.com/pion/rtp"

	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/redact"
	"github.com/camwall/camwall/player/source"
)

// Transport selects how RTP travels.
type Transport string

// Transports. Auto plays over whichever works: UDP first, TCP within the same
// attempt when no UDP port can be opened, the camera refuses a UDP SETUP or
// no packet arrives over UDP (transport.go).
const (
	TransportAuto Transport = "auto"
	TransportTCP  Transport = "tcp"
	TransportUDP  Transport = "udp"
)

// Config is one RTSP camera.
type Config struct {
	// URL is rtsp:// or rtsps://; it may hold a user and password, which
	// User and Password replace when set.
	URL            string
	User, Password string
	// Transport; empty means TransportAuto.
	Transport Transport
	// Fingerprint pins an rtsps:// camera's certificate (SHA-256 of its
	// leaf, hex, colons and case as you like); empty verifies the chain.
	Fingerprint string
	// ReadTimeout ends an attempt that receives nothing for this long, and
	// bounds each request before the stream plays.
	ReadTimeout time.Duration
	// UDPRetry is how long the automatic transport keeps to TCP once UDP
	// failed, before an attempt tries UDP again; 0 means DefaultUDPRetry.
	UDPRetry time.Duration
	// ListenPacket opens the client's UDP ports; nil means net.ListenPacket.
	// Tests make it fail, as every UDP socket does under Wine.
	ListenPacket func(network, address string) (net.PacketConn, error)
}

// Source plays one RTSP camera.
type Source struct {
	cfg Config
	u   *base.URL
	// pin is the SHA-256 of the certificate an rtsps:// camera must present;
	// nil verifies the certificate chain instead.
	pin []byte
	// hostPort is where the camera listens, for reachability probes.
	hostPort string
	// fallback remembers, across attempts, that UDP failed this camera.
	fallback fallback
}

// New checks what can be checked before connecting, so that a configuration
// mistake is reported once as such, not retried for ever.
func New(cfg Config) (*Source, error) {
	u, err := base.ParseURL(cfg.URL)
	if err != nil || u.Host == "" || u.Scheme != "rtsp" && u.Scheme != "rtsps" {
		return nil, &source.Error{Reason: "invalid camera URL: " + redact.URL(cfg.URL), Permanent: true,
			Err: errors.Join(source.ErrBadURL, err)}
	}
	if cfg.User != "" || cfg.Password != "" {
		// The client answers a 401 with these, by Basic or Digest as the
		// camera asks.
		u.User = url.UserPassword(cfg.User, cfg.Password)
	}
	if cfg.UDPRetry == 0 {
		cfg.UDPRetry = DefaultUDPRetry
	}
	src := &Source{cfg: cfg, u: u}
	port := u.Port()
	if port == "" {
		port = "554"
		if u.Scheme == "rtsps" {
			port = "322"
		}
	}
	src.hostPort = net.JoinHostPort(u.Hostname(), port)
	if cfg.Fingerprint != "" {
		if src.pin, err = parseFingerprint(cfg.Fingerprint); err != nil {
			return nil, err
		}
		if u.Scheme != "rtsps" {
			// Ignoring the pin would let the user believe the camera
			// authenticates itself, which a plain connection never does.
			return nil, &source.Error{Reason: "a certificate fingerprint needs an rtsps:// URL: use rtsps:// or remove the fingerprint",
				Permanent: true, Err: source.ErrBadFingerprint}
		}
	}
	return src, nil
}

// Address is where the camera listens.
func (r *Source) Address() string { return r.hostPort }

// attempt is the state of one connection attempt.
type attempt struct {
	u     *base.URL
	conns *attemptConns
	// handshook is set once an rtsps:// TLS handshake got as far as the
	// certificate: a timeout before that means a port that speaks no TLS.
	handshook atomic.Bool
	redirects *redirects
}

// Play runs one attempt; every error it returns is a *source.Error.
func (r *Source) Play(ctx context.Context, sink source.Sink) error {
	actx, abort := context.WithCancel(ctx)
	defer abort()
	g := &guard{log: sink.Log(), abort: abort}
	err := r.play(actx, sink, g)
	if perr := g.panicked(); perr != nil {
		return perr
	}
	if ctx.Err() != nil {
		return source.ErrClosed
	}
	return explain(err)
}

func (r *Source) play(ctx context.Context, sink source.Sink, g *guard) error {
	p, err := r.checked(r.planFor(time.Now()))
	if err != nil {
		return err
	}
	err = r.playWith(ctx, sink, g, p)
	var refused *udpRefusedError
	if errors.As(err, &refused) && ctx.Err() == nil {
		// The same attempt, over TCP: a camera must not stay dark because
		// it or the network between cannot do UDP.
		sink.Log().Warn("UDP given up, setting the stream up over TCP", "reason", refused.Error())
		return r.playWith(ctx, sink, g, plan{transport: transportPtr(gortsplib.TransportTCP), why: refused.Error()})
	}
	return err
}

// playWith runs one connection, set up as p says.
func (r *Source) playWith(ctx context.Context, sink source.Sink, g *guard, p plan) error {
	u := r.u.Clone()
	shown := redact.URL(r.cfg.URL)
	a := &attempt{u: u, conns: &attemptConns{timeout: r.cfg.ReadTimeout}, redirects: newRedirects(u)}
	c := r.client(a, sink, g, p)
	if err := c.Start2(); err != nil {
		return fmt.Errorf("connect %s: %w", shown, err)
	}
	defer c.Close()
	// The client's calls block on the network; closing its connections, then
	// the client, is how a cancelled attempt interrupts a DESCRIBE or SETUP
	// in flight (c.Close alone waits for them).
	stop := context.AfterFunc(ctx, func() { a.conns.closeAll(); c.Close() })
	defer stop()

	desc, _, err := c.Describe(u)
	if err != nil {
		return a.describeFailed(err, shown)
	}
	track, err := pickVideo(desc)
	if err != nil {
		return err
	}
	res, err := c.Setup(desc.BaseURL, track.media, 0, 0)
	if err != nil {
		if r.cfg.Transport == TransportAuto && p.transport == nil {
			if refused := refusedUDP(err); refused != nil {
				err = refused
			}
		}
		return fmt.Errorf("setup %s: %w", shown, err)
	}
	r.settled(sink, p, res)
	sink.Begin(track.dep.codec())
	receive(c, track, sink, g)
	r.setupAudio(c, desc, sink, g)
	if _, err := c.Play(nil); err != nil {
		return fmt.Errorf("play %s: %w", shown, err)
	}
	a.conns.playing()
	return c.Wait()
}

// settled tells sink how the stream travels once its SETUP succeeded (the
// camera's answer says), and remembers a fallback to TCP only then: a camera
// that refuses TCP as well has a problem of its own, which is what the user
// must see.
func (r *Source) settled(sink source.Sink, p plan, res *base.Response) {
	how := setupTransport(res)
	switch {
	case how != shownTCP:
		sink.Transport(how, "")
	case p.why != "":
		r.fallback.remember(p.why, time.Now())
		sink.Transport(how, transportNote(p.why))
	default:
		// Automatic mode that ended on TCP: gortsplib's own switch during
		// SETUP (switched noted why), or rtsps:// without secure UDP.
		note := ""
		if why, ok := r.fallback.tcpOnly(time.Now(), r.cfg.UDPRetry); ok && r.cfg.Transport == TransportAuto {
			note = transportNote(why)
		}
		sink.Transport(how, note)
	}
}

// switched is gortsplib's switch from UDP to TCP in its automatic mode (no
// packet over UDP, or a camera that answers 461): remembered as any other
// fallback, and shown.
func (r *Source) switched(sink source.Sink, err error) {
	why := switchReason(err)
	r.fallback.remember(why, time.Now())
	level := slog.LevelWarn
	if why == whyTCPOnly {
		level = slog.LevelInfo
	}
	sink.Log().Log(context.Background(), level, "UDP given up, playing over TCP", "reason", why)
	sink.Transport(shownTCP, transportNote(why))
}

// timeoutGranularity is added to the read timeout gortsplib watches the
// media with: it keeps the time of the last packet in whole seconds
// (v4.16.2, Client.isInTCPTimeout and isInUDPTimeout), so its timeout fires
// up to a second early, and a 1 s timeout on a camera sending 15 frames a
// second fired whenever its once-a-second check fell just after a second
// boundary.
const timeoutGranularity = time.Second

// client configures gortsplib for one attempt. Its callbacks run on
// gortsplib's goroutines, each under g.
func (r *Source) client(a *attempt, sink source.Sink, g *guard, p plan) *gortsplib.Client {
	log := sink.Log()
	c := &gortsplib.Client{
		Scheme:                a.u.Scheme,
		Host:                  a.u.Host,
		ReadTimeout:           r.cfg.ReadTimeout + timeoutGranularity,
		InitialUDPReadTimeout: udpSilence,
		Transport:             p.transport,
		DialContext:           a.conns.dial,
		ListenPacket:          listenPacket(r.cfg.ListenPacket),
		OnResponse:            func(res *base.Response) { g.run(func() { a.redirects.check(res) }) },
		// gortsplib logs through the standard logger by default; route its
		// events into this camera's log instead.
		OnPacketsLost:     func(n uint64) { g.run(func() { log.Debug("RTP packets lost", "count", n) }) },
		OnDecodeError:     func(err error) { g.run(func() { log.Debug("RTP decode error", "err", err) }) },
		OnTransportSwitch: func(err error) { g.run(func() { r.switched(sink, err) }) },
	}
	if a.u.Scheme == "rtsps" {
		// A new configuration per attempt: the client writes ServerName into it.
		c.TLSConfig = tlsConfig(r.pin)
		c.TLSConfig.VerifyConnection = func(tls.ConnectionState) error { a.handshook.Store(true); return nil }
	}
	return c
}

// describeFailed words the failures that only the first request can tell
// apart; explain does the rest.
func (a *attempt) describeFailed(err error, shown string) error {
	if e := a.redirects.refused(err); e != nil {
		return e
	}
	var bad liberrors.ErrClientBadStatusCode
	switch {
	case errors.As(err, &bad) && bad.Code == base.StatusUnauthorized && a.u.User == nil:
		return &source.Error{Reason: "the camera asks for a user name and password (RTSP 401): put them in the URL, rtsp://user:password@host/…",
			SlowRetry: true, Err: err}
	case a.u.Scheme == "rtsps" && !a.handshook.Load():
		// Most often a port that speaks plain RTSP: it waits for a request
		// line that never comes, or hangs up on the TLS hello.
		if r := explain(err).Reason; r == source.ReasonTimedOut || r == source.ReasonClosed {
			return &source.Error{Reason: r + " during the TLS handshake: check that this port speaks RTSPS",
				SlowRetry: true, Err: err}
		}
	}
	return fmt.Errorf("describe %s: %w", shown, err)
}

// receive hands the track's packets to its depacketizer and the access units
// to sink. The callback runs on gortsplib's reader goroutine, under g:
// depacketize and deliver only, never block.
func receive(c *gortsplib.Client, track *videoTrack, sink source.Sink, g *guard) {
	codec, log := track.dep.codec(), sink.Log()
	c.OnPacketRTP(track.media, track.format, func(pkt *rtp.Packet) { g.run(func() { receiveVideo(c, track, sink, pkt, codec, log) }) })
}

// receiveVideo handles one video packet.
func receiveVideo(c *gortsplib.Client, track *videoTrack, sink source.Sink, pkt *rtp.Packet, codec decoder.Codec, log *slog.Logger) {
	// Every packet goes through the timestamp decoder, not just the last
	// of each access unit: it starts only on a packet that begins a
	// keyframe.
	pts, ok := c.PacketPTS2(track.media, pkt)
	if !ok {
		return
	}
	au, dts, key, err := track.dep.decode(pkt, pts)
	if err != nil {
		// A unit comes with the error when only its decoding time was
		// lost.
		log.Debug("depacketize", "codec", codec.String(), "err", err)
	}
	if au == nil {
		return
	}
	ntp, _ := c.PacketNTP(track.media, pkt)
	sink.Deliver(source.Unit{Data: au, PTS: pts, DTS: dts, NTP: ntp, Key: key})
}

// setupAudio sets up the camera's audio, when it sends one camwall records,
// beside the video. Audio is for recordings only: when it cannot be set up,
// the camera plays and records without it, and the log says why.
func (r *Source) setupAudio(c *gortsplib.Client, desc *description.Session, sink source.Sink, g *guard) {
	audio, err := pickAudio(desc)
	if err != nil || audio == nil {
		if err != nil {
			sink.Log().Info("camera audio not recorded", "err", err)
		}
		return
	}
	if _, err := c.Setup(desc.BaseURL, audio.media, 0, 0); err != nil {
		sink.Log().Info("camera audio not recorded", "codec", string(audio.info.Codec), "err", err)
		return
	}
	sink.BeginAudio(audio.info)
	receiveAudio(c, audio, sink, g)
}
