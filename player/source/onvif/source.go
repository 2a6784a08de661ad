// Package onvif plays an ONVIF camera: at every attempt it asks the device
// (player/onvif) where the profile's stream is, then plays that address
// with the rtsp source. A device that changes its stream address is
// followed at the next connection, and the stored configuration names the
// device and profile rather than an address that can go stale.
package onvif

import (
	"context"
	"errors"
	"net"
	"net/url"
	"time"

	api "github.com/camwall/camwall/player/onvif"
	"github.com/camwall/camwall/player/redact"
	"github.com/camwall/camwall/player/source"
	"github.com/camwall/camwall/player/source/rtsp"
)

// Config is one camera on an ONVIF device.
type Config struct {
	// URL is an onvif:// URL (player/onvif.ParseURL).
	URL string
	// User and Password log in to the device and to its stream; when
	// empty, the URL's are used.
	User, Password string
	// Transport, ReadTimeout and ListenPacket are the rtsp source's.
	Transport    rtsp.Transport
	ReadTimeout  time.Duration
	ListenPacket func(network, address string) (net.PacketConn, error)
	// Dial opens the device's SOAP connections; nil means a net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Source resolves and plays one profile of a device.
type Source struct {
	cfg    Config
	t      api.Target
	client *api.Client
	// stream is the rtsp source of the address last resolved, kept while
	// the device gives the same one, so that what it learnt (UDP does not
	// work here) outlives an attempt. Touched only by Play, which the
	// session calls one at a time.
	stream    *rtsp.Source
	streamURI string
}

// New parses the URL; it contacts nothing.
func New(cfg Config) (*Source, error) {
	t, err := api.ParseURL(cfg.URL)
	if err != nil {
		return nil, &source.Error{Reason: err.Error(), Permanent: true, Err: errors.Join(source.ErrBadURL, err)}
	}
	if cfg.User == "" {
		cfg.User, cfg.Password = t.User, t.Password
	}
	c, err := api.New(api.Config{XAddr: t.XAddr, User: cfg.User, Password: cfg.Password, Dial: cfg.Dial})
	if err != nil {
		return nil, &source.Error{Reason: err.Error(), Permanent: true, Err: errors.Join(source.ErrBadURL, err)}
	}
	return &Source{cfg: cfg, t: t, client: c}, nil
}

// Address is the device service's host:port, which the session probes
// while the camera is down.
func (s *Source) Address() string {
	u, err := url.Parse(s.t.XAddr)
	if err != nil {
		return ""
	}
	if u.Port() == "" {
		return net.JoinHostPort(u.Hostname(), "80")
	}
	return u.Host
}

// Play asks the device for the stream and plays it.
func (s *Source) Play(ctx context.Context, sink source.Sink) error {
	uri, err := s.resolve(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return source.ErrClosed
		}
		return worded(err)
	}
	if uri != s.streamURI || s.stream == nil {
		src, err := rtsp.New(rtsp.Config{URL: uri, User: s.cfg.User, Password: s.cfg.Password,
			Transport: s.cfg.Transport, ReadTimeout: s.cfg.ReadTimeout, ListenPacket: s.cfg.ListenPacket})
		if err != nil {
			return err
		}
		if s.streamURI != "" {
			sink.Log().Info("the ONVIF device gave a new stream address", "url", redact.URL(uri))
		} else {
			sink.Log().Debug("ONVIF stream address", "url", redact.URL(uri))
		}
		s.stream, s.streamURI = src, uri
	}
	return s.stream.Play(ctx, sink)
}

// resolve asks the device where the profile's stream is. Its connections
// close when it has the answer: the device is asked once per attempt, and
// holds no idle connection for the stream's lifetime.
func (s *Source) resolve(ctx context.Context) (string, error) {
	defer s.client.Close()
	if _, err := s.client.Connect(ctx); err != nil {
		return "", err
	}
	profile := s.t.Profile
	if profile == "" {
		profiles, err := s.client.Profiles(ctx)
		if err != nil {
			return "", err
		}
		profile = api.Main(profiles).Token
	}
	return s.client.StreamURI(ctx, profile)
}

// worded turns a failure to resolve into the tile's words: a refused login
// waits as long as RTSP's do (the same per-camera ladder), and so does a
// device that answered with a fault, which retrying soon will not change.
func worded(err error) error {
	var f *api.Fault
	switch {
	case errors.Is(err, api.ErrNotAuthorized):
		return &source.Error{Reason: "ONVIF: the device refused the user name or password", SlowRetry: true, Err: err}
	case errors.As(err, &f):
		return &source.Error{Reason: "ONVIF: " + err.Error(), SlowRetry: true, Err: err}
	case errors.Is(err, api.ErrReplyTooLarge):
		return &source.Error{Reason: "ONVIF: " + err.Error(), SlowRetry: true, Err: err}
	}
	e := source.Explain(err)
	if e.Err == err && e.Reason == err.Error() { // not a network failure: say which protocol
		e.Reason = "ONVIF: " + e.Reason
	}
	return e
}
