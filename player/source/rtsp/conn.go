package rtsp

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"
)

// attemptConns dials the TCP connections of one connection attempt (gortsplib
// may open more than one: a redirect, a switch from UDP to TCP) and keeps
// them, for two guarantees gortsplib does not give by itself:
//
//   - Until the stream plays, a connection on which nothing arrives for
//     ReadTimeout fails with a timeout. gortsplib times its requests with
//     timers, but an rtsps:// TLS handshake runs inside its first write, and
//     a server that never answers it (a plain RTSP server, a wedged camera)
//     would block that write for ever, and the session's Close with it.
//   - A cancelled attempt closes its connections at once, which unblocks
//     anything still reading or writing.
//
// Once the stream plays, the deadline is lifted: with RTP over UDP the RTSP
// connection is silent between keep-alives, and gortsplib watches the media
// for timeouts itself. (A connection gortsplib dials later on its own, when
// it falls back from UDP to TCP, keeps the rolling deadline; it carries the
// media then, so it only fails when nothing arrives for ReadTimeout, which is
// what ReadTimeout means anyway.)
type attemptConns struct {
	timeout time.Duration
	mu      sync.Mutex
	conns   []*setupConn
	closed  bool
}

var errAttemptClosed = errors.New("connection attempt closed")

// dial is gortsplib's Client.DialContext.
func (a *attemptConns) dial(ctx context.Context, network, addr string) (net.Conn, error) {
	nc, err := (&net.Dialer{}).DialContext(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	c := &setupConn{Conn: nc, timeout: a.timeout}
	if err := c.extend(); err != nil {
		nc.Close()
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		nc.Close()
		return nil, errAttemptClosed
	}
	a.conns = append(a.conns, c)
	return c, nil
}

// playing lifts the setup deadline from every connection.
func (a *attemptConns) playing() {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, c := range a.conns {
		c.play()
	}
}

// closeAll closes every connection, and any dialled later.
func (a *attemptConns) closeAll() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.closed = true
	for _, c := range a.conns {
		c.Close()
	}
}

// setupConn is a connection whose reads time out after timeout without
// data, until play is called.
type setupConn struct {
	net.Conn
	timeout time.Duration
	mu      sync.Mutex
	playing bool
}

func (c *setupConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 {
		if derr := c.extend(); derr != nil && err == nil {
			err = derr
		}
	}
	return n, err
}

// extend moves the read deadline timeout from now, while setting up.
func (c *setupConn) extend() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.playing {
		return nil
	}
	return c.Conn.SetReadDeadline(time.Now().Add(c.timeout))
}

func (c *setupConn) play() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.playing = true
	_ = c.Conn.SetReadDeadline(time.Time{}) // a closed connection: its reader sees that anyway
}
