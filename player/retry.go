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
// untrusted certificate) climbs its own ladder, SlowRetryLadder, and is never
// shortened but by Session.Retry.
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

// SlowRetryLadder is how long a session waits after each failure that will
// not go away by itself (source.Error.SlowRetry), counted since the camera
// last played (other failures in between do not start it again): a wrong user
// name or password (RTSP 401) or access denied (403), a certificate that is
// not trusted or does not match its pin, TLS on a port that speaks none, a
// redirect camwall does not follow, a stream without video or in a codec
// camwall does not play. The last wait repeats.
//
// Many cameras lock the account, or the client's address, after about five
// failed logins; so a wrong password is tried at 0 s, 5 s, 35 s, 2 min 35 s
// and then every 5 minutes: three tries in the first 90 s. The ladder starts
// again when the session is replaced (a configuration edit), when the user
// asks for a retry (Session.Retry), and after the camera played.
var SlowRetryLadder = []time.Duration{5 * time.Second, 30 * time.Second, 2 * time.Minute, 5 * time.Minute}

// slowWait is the wait after the n-th slow failure in a row (from 0) on
// ladder.
func slowWait(ladder []time.Duration, n int) time.Duration {
	return ladder[min(n, len(ladder)-1)]
}

// retryWait plans the wait after a failed attempt that ended with err,
// explained as e, when the backoff has reached backoff, the camera was last
// live sinceLive ago, and slow failures came slow times before this one
// since then.
func (s *Session) retryWait(backoff time.Duration, e *source.Error, err error, addr string, sinceLive time.Duration, slow int) retryPlan {
	if e.SlowRetry {
		return retryPlan{wait: slowWait(s.cfg.SlowRetry, slow)}
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

// Retry ends the wait before the next attempt at once, and starts the
// ladders of slow retries and backoff again: the user's "retry now", after
// fixing a password on the camera's side, say. A Retry while an attempt is
// under way ends the next wait instead. It does nothing to a camera that
// cannot be played at all (StateFailed).
func (s *Session) Retry() {
	select {
	case s.retry <- struct{}{}:
	default: // one is pending already
	}
}

// sleep waits as p says; retried reports that Session.Retry ended it, and
// closed that the session was closed meanwhile.
func (s *Session) sleep(p retryPlan) (retried, closed bool) {
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
			return false, true
		case <-s.retry:
			s.log.Info("retry asked for")
			return true, false
		case <-timer.C:
			return false, false
		case <-probe:
			if s.reachable(p.probe) {
				s.log.Debug("camera reachable again", "address", p.probe)
				return false, false
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
