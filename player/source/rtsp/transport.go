package rtsp

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/headers"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
)

// DefaultUDPRetry is how long a camera on the automatic transport plays over
// TCP, once UDP failed it, before a new connection tries UDP again: long
// enough that a camera behind a firewall does not spend its reconnections
// waiting for UDP that never comes, short enough that a firewall opened
// later gives the camera UDP back within the hour.
const DefaultUDPRetry = 15 * time.Minute

// udpSilence is how long gortsplib's automatic transport waits for the first
// RTP packet over UDP before it sets the stream up again over TCP (its
// InitialUDPReadTimeout, set here so that the reason shown names it).
const udpSilence = 3 * time.Second

// Words for how the stream travels, as the tile and the probe show them.
const (
	shownUDP = "UDP"
	shownTCP = "TCP"
)

// udpUnavailableError is a UDP port the client could not open (udpOpens).
// Nothing reached the camera, so the attempt goes on over TCP at once when
// the transport is automatic.
type udpUnavailableError struct{ err error }

func (e *udpUnavailableError) Error() string { return "cannot open a UDP port: " + e.err.Error() }
func (e *udpUnavailableError) Unwrap() error { return e.err }

// portTries is how many UDP ports gortsplib may fail to open in one SETUP
// before listenPacket lets the system choose the port: gortsplib draws
// random even ports and retries for as long as opening one fails, so a
// listen that always fails would spin there for ever.
const portTries = 64

// listenPacket opens the client's RTP and RTCP ports through listen
// (net.ListenPacket when nil). After portTries failures it asks for any port
// instead of the one gortsplib drew; udpOpens checks beforehand that UDP
// opens at all.
func listenPacket(listen func(network, address string) (net.PacketConn, error)) func(network, address string) (net.PacketConn, error) {
	if listen == nil {
		listen = net.ListenPacket
	}
	failed := 0 // gortsplib calls this from its one client goroutine
	return func(network, address string) (net.PacketConn, error) {
		pc, err := listen(network, address)
		if err == nil {
			failed = 0
			return pc, nil
		}
		if failed++; failed > portTries {
			if host, _, serr := net.SplitHostPort(address); serr == nil {
				return listen(network, net.JoinHostPort(host, "0"))
			}
		}
		return nil, err
	}
}

// udpOpens checks that this machine lets the client open a UDP port, before
// a SETUP over UDP: under Wine every UDP socket fails, on Windows security
// software can refuse them.
func (r *Source) udpOpens() error {
	listen := r.cfg.ListenPacket
	if listen == nil {
		listen = net.ListenPacket
	}
	pc, err := listen("udp", ":0")
	if err != nil {
		return &udpUnavailableError{err: err}
	}
	return pc.Close()
}

// udpRefusedError is a camera that refused a SETUP over UDP for a reason
// that is not about the request itself (gortsplib itself switches to TCP on
// 461 Unsupported Transport; 401, 403 and 404 are not UDP's fault and are
// reported as they are).
type udpRefusedError struct {
	bad liberrors.ErrClientBadStatusCode
}

func (e *udpRefusedError) Error() string {
	return fmt.Sprintf("the camera refused a UDP SETUP (RTSP %d %s)", e.bad.Code, e.bad.Message)
}
func (e *udpRefusedError) Unwrap() error { return e.bad }

// refusedUDP is err as a udpRefusedError when a UDP SETUP that failed with
// err is worth trying again over TCP, or nil.
func refusedUDP(err error) error {
	var bad liberrors.ErrClientBadStatusCode
	if errors.As(err, &bad) && bad.Code >= 400 && bad.Code != 401 && bad.Code != 403 && bad.Code != 404 {
		return &udpRefusedError{bad: bad}
	}
	return nil
}

// whyTCPOnly is a camera that answers a UDP SETUP with 461 or with TCP: its
// own choice, remembered so that later attempts skip the round trip, but
// nothing wrong that the tile needs to explain.
const whyTCPOnly = "the camera offers RTP over TCP only"

// switchReason words gortsplib's own switch from UDP to TCP.
func switchReason(err error) string {
	if errors.As(err, new(liberrors.ErrClientSwitchToTCP2)) {
		return whyTCPOnly
	}
	return fmt.Sprintf("no RTP arrived over UDP within %s (a firewall, NAT or VPN in the way?)", udpSilence)
}

// fallback is what a Source on the automatic transport remembers between
// attempts: that UDP failed this camera, why and when. Attempts read it on
// their goroutine, gortsplib's callbacks write it on theirs.
type fallback struct {
	mu  sync.Mutex
	why string
	at  time.Time
}

// remember notes that UDP failed for why, now.
func (f *fallback) remember(why string, now time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.why, f.at = why, now
}

// tcpOnly reports why the next attempt goes straight to TCP, while UDP
// failed less than retry ago.
func (f *fallback) tcpOnly(now time.Time, retry time.Duration) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.why == "" || now.Sub(f.at) >= retry {
		return "", false
	}
	return f.why, true
}

// transportNote is what the tile and the probe show beside "TCP" when UDP was
// given up; "" for a camera that offers nothing else.
func transportNote(why string) string {
	if why == whyTCPOnly {
		return ""
	}
	return "UDP unavailable: " + why + "; playing over TCP"
}

// plan is how one connection of an attempt sets its stream up.
type plan struct {
	// transport is gortsplib's: nil is its automatic mode (UDP, then TCP
	// after udpSilence without a packet or on 461).
	transport *gortsplib.Transport
	// why, when set, is why UDP is not tried.
	why string
}

func (p plan) tcp() bool { return p.transport != nil && *p.transport == gortsplib.TransportTCP }

// setupTransport is how a SETUP's answer says the stream travels, in the
// tile's words.
func setupTransport(res *base.Response) string {
	var th headers.Transport
	if res == nil || th.Unmarshal(res.Header["Transport"]) != nil || th.Protocol == headers.TransportProtocolTCP {
		return shownTCP
	}
	return shownUDP
}

func transportPtr(t gortsplib.Transport) *gortsplib.Transport { return &t }

// planFor is the first connection's plan for the configured transport.
func (r *Source) planFor(now time.Time) plan {
	switch r.cfg.Transport {
	case TransportTCP:
		return plan{transport: transportPtr(gortsplib.TransportTCP)}
	case TransportUDP:
		return plan{transport: transportPtr(gortsplib.TransportUDP)}
	}
	if why, ok := r.fallback.tcpOnly(now, r.cfg.UDPRetry); ok {
		return plan{transport: transportPtr(gortsplib.TransportTCP), why: why}
	}
	return plan{}
}

// checked is p once UDP is known to open, or, on the automatic transport,
// the plan that goes over TCP because it does not; with transport udp, the
// error says what to do.
func (r *Source) checked(p plan) (plan, error) {
	if p.tcp() || r.u.Scheme == "rtsps" {
		return p, nil // rtsps:// without secure UDP goes over TCP anyway
	}
	err := r.udpOpens()
	switch {
	case err == nil:
		return p, nil
	case r.cfg.Transport == TransportUDP:
		return p, err
	}
	return plan{transport: transportPtr(gortsplib.TransportTCP), why: err.Error()}, nil
}
