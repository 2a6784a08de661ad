package player

import (
	"context"
	"net"
	"time"

	"github.com/camwall/camwall/player/source"
)

// probeEvery is how often a session waiting to reconnect checks whether a
// camera it could not reach accepts TCP connections again.
//
// Why probe: the backoff (MinBackoff doubling up to MaxBackoff, 0.5 s to 5 s
// by default) keeps a failing camera from being hammered, but it must not
// keep a camera that was merely switched off or rebooting dark for longer
// than needed: a tile is to be live again within 2 s of its camera being
// reachable, and with the backoff alone a camera back just after an attempt
// would wait up to MaxBackoff. So while the last failure was "could not
// connect at all" (refused, no route, no answer to the TCP handshake), the
// session also dials the camera's port every probeEvery, a TCP handshake
// closed at once and no RTSP, and starts the full attempt as soon as one
// succeeds: at most probeEvery plus one handshake after the camera is back,
// which leaves the rest of the 2 s to RTSP and the first keyframe. Every
// other failure waits its backoff, since the camera answered and retrying
// sooner would only repeat the failure; and a slow retry (wrong password, an
// untrusted certificate) is never shortened.
const probeEvery = 500 * time.Millisecond

// retryPlan is how a session waits before its next attempt.
type retryPlan struct {
	wait time.Duration
	// probe is the host:port to dial every probeEvery while waiting, ending
	// the wait when it answers; empty to wait the whole time.
	probe string
}

// fastRetryFor is how long after a camera was live a fleeting refusal
// (source.Error.Fleeting) is retried every probeEvery instead of after the
// backoff: a camera behind a relay that lost it for a moment, or a server
// that is up before its paths, is live again within 2 s of being back, as a
// camera whose port was closed is through the probe.
const fastRetryFor = 30 * time.Second

// retryWait plans the wait after a failed attempt that ended with err,
// explained as e, when the backoff has reached backoff and the camera was
// last live sinceLive ago.
func (s *Session) retryWait(backoff time.Duration, e *source.Error, err error, addr string, sinceLive time.Duration) retryPlan {
	if e.SlowRetry {
		return retryPlan{wait: s.cfg.MaxBackoff}
	}
	if e.Fleeting && sinceLive < fastRetryFor {
		return retryPlan{wait: min(probeEvery, backoff)}
	}
	p := retryPlan{wait: backoff}
	if source.Unreachable(err) {
		p.probe = addr
	}
	return p
}

// sleep waits as p says; false means the session was closed meanwhile.
func (s *Session) sleep(p retryPlan) bool {
	timer := time.NewTimer(p.wait)
	defer timer.Stop()
	var probe <-chan time.Time
	if p.probe != "" {
		t := time.NewTicker(probeEvery)
		defer t.Stop()
		probe = t.C
	}
	for {
		select {
		case <-s.ctx.Done():
			return false
		case <-timer.C:
			return true
		case <-probe:
			if s.reachable(p.probe) {
				s.log.Debug("camera reachable again", "address", p.probe)
				return true
			}
		}
	}
}

// reachable dials addr once and hangs up.
func (s *Session) reachable(addr string) bool {
	ctx, cancel := context.WithTimeout(s.ctx, probeEvery)
	defer cancel()
	dial := s.cfg.Dial
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	c, err := dial(ctx, "tcp", addr)
	if err != nil {
		return false
	}
	c.Close()
	return true
}
