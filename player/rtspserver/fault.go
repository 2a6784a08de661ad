package rtspserver

import (
	"net"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
)

// Faults make a Server misbehave when a test says so, as failing cameras
// and relays do: connections that stay open but fall silent, requests
// answered with an error status, connections dropped. Set Server.Faults before Start; one Faults
// may serve the servers that replace each other on one address (a camera
// killed and restarted), and its settings hold for each. Its zero value
// misbehaves in no way. Feed makes a stream misbehave.
type Faults struct {
	mu sync.Mutex
	// conns are the open RTSP connections of the server.
	conns map[*faultConn]struct{}
	// quiet is not nil while every connection is silent, and closed when
	// they may speak again.
	quiet chan struct{}
	// answer, when not zero, is the status every DESCRIBE and SETUP gets.
	answer base.StatusCode
	// udpSilent drops everything the server sends over UDP (SetUDPSilent).
	udpSilent atomic.Bool
}

// SetSilent makes every connection of the server, the open ones and those
// accepted later, stop reading and writing, while it stays open: a wedged
// camera, or a relay that lost its upstream without telling. Requests and
// media wait in the kernel's buffers and on the server's queues (which
// drop what does not fit) until SetSilent(false), when the connections
// resume where they stopped; a connection closed meanwhile, by either
// side, ends its wait at once.
func (f *Faults) SetSilent(silent bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case silent && f.quiet == nil:
		f.quiet = make(chan struct{})
	case !silent && f.quiet != nil:
		close(f.quiet)
		f.quiet = nil
	}
}

// SetAnswer makes every DESCRIBE and SETUP answered with code (401 with an
// authentication challenge, whatever the credentials), until SetAnswer(0).
// Readers already playing are not disturbed: Kick them.
func (f *Faults) SetAnswer(code base.StatusCode) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answer = code
}

// SetUDPSilent makes the server accept readers' UDP SETUPs as usual and
// then send them nothing, while RTP over TCP flows: a firewall that lets
// RTSP through and drops the media (Windows Defender Firewall after the user
// declined its prompt, NAT, many VPNs). It holds for the SETUPs made while it
// is on (they get a stream of the path that nothing writes, muted in
// server.go); readers already playing go on as they were.
func (f *Faults) SetUDPSilent(silent bool) { f.udpSilent.Store(silent) }

// Kick closes every open connection of the server: its readers must come
// back, and meet whatever the server answers now.
func (f *Faults) Kick() {
	f.mu.Lock()
	conns := make([]*faultConn, 0, len(f.conns))
	for c := range f.conns {
		conns = append(conns, c)
	}
	f.mu.Unlock()
	for _, c := range conns {
		c.Close()
	}
}

// Conns counts the server's open RTSP connections.
func (f *Faults) Conns() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.conns)
}

// refusal is the answer a DESCRIBE or SETUP gets instead of the stream,
// when SetAnswer asked for one. A nil Faults refuses nothing.
func (f *Faults) refusal() (*base.Response, bool, error) {
	if f == nil {
		return nil, false, nil
	}
	f.mu.Lock()
	code := f.answer
	f.mu.Unlock()
	switch code {
	case 0:
		return nil, false, nil
	case base.StatusUnauthorized:
		// gortsplib adds the challenge, and hangs up after a wrong try.
		return &base.Response{StatusCode: code}, true, liberrors.ErrServerAuth{}
	default:
		return &base.Response{StatusCode: code}, true, nil
	}
}

// listener wraps the server's listener so that Faults sees every
// connection; a nil Faults leaves it as it is.
func (f *Faults) listener(l net.Listener) net.Listener {
	if f == nil {
		return l
	}
	return &faultListener{Listener: l, f: f}
}

// udpDropped reports whether SetUDPSilent holds; a nil Faults drops nothing.
func (f *Faults) udpDropped() bool { return f != nil && f.udpSilent.Load() }

// silence is the channel to wait on before reading or writing; nil: go on.
func (f *Faults) silence() chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.quiet
}

type faultListener struct {
	net.Listener
	f *Faults
}

func (l *faultListener) Accept() (net.Conn, error) {
	nc, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	c := &faultConn{Conn: nc, f: l.f, closed: make(chan struct{})}
	l.f.mu.Lock()
	if l.f.conns == nil {
		l.f.conns = map[*faultConn]struct{}{}
	}
	l.f.conns[c] = struct{}{}
	l.f.mu.Unlock()
	return c, nil
}

// faultConn is one RTSP connection of a server with Faults.
type faultConn struct {
	net.Conn
	f       *Faults
	closed  chan struct{}
	closing sync.Once
}

// wait blocks while the connection is silenced; false: it was closed.
func (c *faultConn) wait() bool {
	if q := c.f.silence(); q != nil {
		select {
		case <-q:
		case <-c.closed:
			return false
		}
	}
	return true
}

func (c *faultConn) Read(b []byte) (int, error) {
	if !c.wait() {
		return 0, net.ErrClosed
	}
	return c.Conn.Read(b)
}

func (c *faultConn) Write(b []byte) (int, error) {
	if !c.wait() {
		return 0, net.ErrClosed
	}
	return c.Conn.Write(b)
}

func (c *faultConn) Close() error {
	err := net.ErrClosed
	c.closing.Do(func() {
		close(c.closed)
		c.f.mu.Lock()
		delete(c.f.conns, c)
		c.f.mu.Unlock()
		err = c.Conn.Close()
	})
	return err
}

// Unpublish ends the stream at path, if there is one: its readers are
// disconnected, and the path answers 404 until it is published again. A
// Feed attached to it must be detached first.
func (s *Server) Unpublish(name string) {
	name = strings.Trim(name, "/")
	s.mu.Lock()
	p := s.paths[name]
	delete(s.paths, name)
	s.mu.Unlock()
	if p != nil {
		p.stream.Close()
	}
}
