package rtspserver

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/auth"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
	"github.com/pion/rtp"
)

// Server is an RTSP server that serves one stream per path.
type Server struct {
	// Addr to listen on. It defaults to "127.0.0.1:0" (a free loopback port).
	Addr string
	// User and Pass, when User is set, are required from every reader and
	// publisher.
	User, Pass string
	// AuthMethods the server accepts; it defaults to Basic and Digest (MD5).
	AuthMethods []auth.VerifyMethod
	// TLSConfig, when set, makes the server speak RTSPS only.
	TLSConfig *tls.Config
	// NoPublishers refuses ANNOUNCE and RECORD (501 Not Implemented, and
	// OPTIONS does not offer them): only the paths served from inside the
	// process play. The demo cameras are such a server.
	NoPublishers bool
	// Redirects maps a path to the Location its DESCRIBE answers with a
	// 302, after the credentials are checked, as a camera or relay that
	// moved a stream does. Set it before Start.
	Redirects map[string]string
	// UDPRTPAddress and UDPRTCPAddress, when set, let readers play over
	// UDP too, from these addresses (an even port and the next one);
	// otherwise the server offers RTP over TCP only.
	UDPRTPAddress, UDPRTCPAddress string
	// Faults, when set, make the server misbehave when a test says so
	// (fault.go).
	Faults *Faults
	// Logger defaults to slog.Default().
	Logger *slog.Logger

	// who starts its errors and log messages; it defaults to "rtspserver".
	who   string
	srv   *gortsplib.Server
	addr  net.Addr
	conns atomic.Int64

	mu    sync.Mutex
	paths map[string]*path

	stop    chan struct{}
	loops   sync.WaitGroup
	closing sync.Once
}

// path is one served stream and who feeds it.
type path struct {
	stream    *gortsplib.ServerStream
	publisher *gortsplib.ServerSession // nil when fed from inside the process
	recording chan struct{}            // closed when the publisher starts sending
	// mute is the path's stream as readers set up while Faults drop UDP
	// get it: the same description, and nothing ever written to it.
	// Created on first use, under the server's mu.
	mute *gortsplib.ServerStream
}

// close ends the path's streams, disconnecting their readers.
func (p *path) close() {
	p.stream.Close()
	if p.mute != nil {
		p.mute.Close()
	}
}

// muted is the silent twin of the stream st served at name (see path.mute),
// or st itself when it cannot be made.
func (s *Server) muted(name string, st *gortsplib.ServerStream) *gortsplib.ServerStream {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.paths[strings.Trim(name, "/")]
	if p == nil || p.stream != st {
		return st
	}
	if p.mute == nil {
		m := &gortsplib.ServerStream{Server: s.srv, Desc: st.Desc}
		if err := m.Initialize(); err != nil {
			s.Logger.Warn(s.who+": cannot mute a stream, serving it over UDP", "path", name, "err", err)
			return st
		}
		p.mute = m
	}
	return p.mute
}

// Start listens and begins serving.
func (s *Server) Start() error {
	if s.Addr == "" {
		s.Addr = "127.0.0.1:0"
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.who == "" {
		s.who = "rtspserver"
	}
	s.paths = map[string]*path{}
	s.stop = make(chan struct{})
	var h gortsplib.ServerHandler = publishHandler{(*playHandler)(s)}
	if s.NoPublishers {
		h = (*playHandler)(s)
	}
	s.srv = &gortsplib.Server{
		Handler:        h,
		RTSPAddress:    s.Addr,
		UDPRTPAddress:  s.UDPRTPAddress,
		UDPRTCPAddress: s.UDPRTCPAddress,
		TLSConfig:      s.TLSConfig,
		AuthMethods:    s.AuthMethods,
		// Capture the listener's real address: Addr may name port 0.
		Listen: func(network, address string) (net.Listener, error) {
			l, err := net.Listen(network, address)
			if err != nil {
				return nil, err
			}
			s.addr = l.Addr()
			return s.Faults.listener(l), nil
		},
	}
	if err := s.srv.Start(); err != nil {
		s.srv = nil // nothing to close
		return fmt.Errorf("%s: listen on %s: %w", s.who, s.Addr, err)
	}
	return nil
}

// Address the server listens on, host:port.
func (s *Server) Address() string { return s.addr.String() }

// URL of a path, rtsps:// when the server has a TLSConfig.
func (s *Server) URL(path string) string {
	scheme := "rtsp"
	if s.TLSConfig != nil {
		scheme = "rtsps"
	}
	return fmt.Sprintf("%s://%s/%s", scheme, s.addr, strings.Trim(path, "/"))
}

// Conns counts the connections accepted so far.
func (s *Server) Conns() int { return int(s.conns.Load()) }

// Close stops the loops, disconnects everyone and stops the server. It may be
// called more than once.
func (s *Server) Close() {
	s.closing.Do(func() {
		if s.stop != nil {
			close(s.stop)
		}
		s.loops.Wait()
		s.mu.Lock()
		for name, p := range s.paths {
			p.close()
			delete(s.paths, name)
		}
		s.mu.Unlock()
		if s.srv != nil {
			s.srv.Close()
		}
	})
}

// Publish serves desc at path from inside the process. Write packets to the
// returned stream; Loop does that for a clip.
func (s *Server) Publish(name string, desc *description.Session) (*gortsplib.ServerStream, error) {
	st := &gortsplib.ServerStream{Server: s.srv, Desc: desc}
	if err := st.Initialize(); err != nil {
		return nil, fmt.Errorf("%s: stream %s: %w", s.who, name, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	name = strings.Trim(name, "/")
	if _, taken := s.paths[name]; taken {
		st.Close()
		return nil, fmt.Errorf("%s: path %s already has a publisher", s.who, name)
	}
	rec := make(chan struct{})
	close(rec)
	s.paths[name] = &path{stream: st, recording: rec}
	return st, nil
}

// WaitPublisher waits until a publisher is sending on path.
func (s *Server) WaitPublisher(name string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	name = strings.Trim(name, "/")
	for {
		s.mu.Lock()
		p := s.paths[name]
		s.mu.Unlock()
		if p != nil {
			select {
			case <-p.recording:
				return nil
			case <-time.After(time.Until(deadline)):
				return fmt.Errorf("%s: the publisher of %s announced but did not record within %v", s.who, name, timeout)
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s: no publisher on %s within %v", s.who, name, timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *Server) lookup(name string) *path {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.paths[strings.Trim(name, "/")]
}

// playHandler serves readers: it is the whole handler of a server with
// NoPublishers, and publishHandler adds publishers to it.
type playHandler Server

// publishHandler also takes publishers (ANNOUNCE, RECORD).
type publishHandler struct{ *playHandler }

// authorized checks a reader's or publisher's credentials when the server
// requires them. gortsplib answers the first, credential-less request with a
// challenge (WWW-Authenticate) and closes the connection after a wrong try.
func (h *playHandler) authorized(ctx *gortsplib.ServerConn, req *base.Request) bool {
	return h.User == "" || ctx.VerifyCredentials(req, h.User, h.Pass)
}

// OnConnOpen implements gortsplib.ServerHandlerOnConnOpen.
func (h *playHandler) OnConnOpen(*gortsplib.ServerHandlerOnConnOpenCtx) { h.conns.Add(1) }

// OnSessionClose implements gortsplib.ServerHandlerOnSessionClose: a
// publisher that leaves takes its path, and its readers, with it.
func (h *playHandler) OnSessionClose(ctx *gortsplib.ServerHandlerOnSessionCloseCtx) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for name, p := range h.paths {
		if p.publisher == ctx.Session {
			p.close()
			delete(h.paths, name)
		}
	}
}

// reader answers a reader's DESCRIBE or SETUP of path: the stream, once
// its credentials are checked.
func (h *playHandler) reader(conn *gortsplib.ServerConn, req *base.Request, path string) (*base.Response, *gortsplib.ServerStream, error) {
	if !h.authorized(conn, req) {
		return &base.Response{StatusCode: base.StatusUnauthorized}, nil, liberrors.ErrServerAuth{}
	}
	if res, refused, err := h.Faults.refusal(); refused {
		return res, nil, err
	}
	p := (*Server)(h).lookup(path)
	if p == nil {
		return &base.Response{StatusCode: base.StatusNotFound}, nil, nil
	}
	return &base.Response{StatusCode: base.StatusOK}, p.stream, nil
}

// OnDescribe implements gortsplib.ServerHandlerOnDescribe.
func (h *playHandler) OnDescribe(ctx *gortsplib.ServerHandlerOnDescribeCtx) (*base.Response, *gortsplib.ServerStream, error) {
	if to, ok := h.Redirects[strings.Trim(ctx.Path, "/")]; ok && h.authorized(ctx.Conn, ctx.Request) {
		return &base.Response{StatusCode: base.StatusFound, Header: base.Header{"Location": base.HeaderValue{to}}}, nil, nil
	}
	return h.reader(ctx.Conn, ctx.Request, ctx.Path)
}

// OnAnnounce implements gortsplib.ServerHandlerOnAnnounce: one publisher per
// path.
func (h publishHandler) OnAnnounce(ctx *gortsplib.ServerHandlerOnAnnounceCtx) (*base.Response, error) {
	if !h.authorized(ctx.Conn, ctx.Request) {
		return &base.Response{StatusCode: base.StatusUnauthorized}, liberrors.ErrServerAuth{}
	}
	name := strings.Trim(ctx.Path, "/")
	st := &gortsplib.ServerStream{Server: h.srv, Desc: ctx.Description}
	if err := st.Initialize(); err != nil {
		return &base.Response{StatusCode: base.StatusBadRequest}, fmt.Errorf("%s: stream %s: %w", h.who, name, err)
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, taken := h.paths[name]; taken {
		st.Close()
		return &base.Response{StatusCode: base.StatusBadRequest}, fmt.Errorf("%s: path %s already has a publisher", h.who, name)
	}
	h.paths[name] = &path{stream: st, publisher: ctx.Session, recording: make(chan struct{})}
	return &base.Response{StatusCode: base.StatusOK}, nil
}

// OnSetup implements gortsplib.ServerHandlerOnSetup.
func (h *playHandler) OnSetup(ctx *gortsplib.ServerHandlerOnSetupCtx) (*base.Response, *gortsplib.ServerStream, error) {
	// A publisher's SETUPs follow its ANNOUNCE, which checked it already.
	if ctx.Session.State() == gortsplib.ServerSessionStatePreRecord {
		return &base.Response{StatusCode: base.StatusOK}, nil, nil
	}
	res, st, err := h.reader(ctx.Conn, ctx.Request, ctx.Path)
	if st != nil && ctx.Transport != gortsplib.TransportTCP && h.Faults.udpDropped() {
		st = (*Server)(h).muted(ctx.Path, st)
	}
	return res, st, err
}

// OnPlay implements gortsplib.ServerHandlerOnPlay.
func (h *playHandler) OnPlay(*gortsplib.ServerHandlerOnPlayCtx) (*base.Response, error) {
	return &base.Response{StatusCode: base.StatusOK}, nil
}

// OnRecord implements gortsplib.ServerHandlerOnRecord: forward what the
// publisher sends to the path's readers.
func (h publishHandler) OnRecord(ctx *gortsplib.ServerHandlerOnRecordCtx) (*base.Response, error) {
	h.mu.Lock()
	var p *path
	for _, q := range h.paths {
		if q.publisher == ctx.Session {
			p = q
		}
	}
	h.mu.Unlock()
	if p == nil {
		return &base.Response{StatusCode: base.StatusBadRequest}, fmt.Errorf("%s: RECORD without ANNOUNCE", h.who)
	}
	ctx.Session.OnPacketRTPAny(func(medi *description.Media, _ format.Format, pkt *rtp.Packet) {
		if err := p.stream.WritePacketRTP(medi, pkt); err != nil {
			h.Logger.Debug(h.who+": forward", "err", err)
		}
	})
	close(p.recording)
	return &base.Response{StatusCode: base.StatusOK}, nil
}
