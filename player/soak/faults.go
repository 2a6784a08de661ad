package soak

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/base"

	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source/rtsp"
)

// Kind is one kind of fault a camera suffers.
type Kind string

// The faults, as the issue lists them.
const (
	// Kill closes the camera's server, listener and connections, and starts
	// it again on the same ports at the end.
	Kill Kind = "kill"
	// Unpublish removes the camera's path (its readers are disconnected,
	// DESCRIBE answers 404) and publishes it again at the end.
	Unpublish Kind = "unpublish"
	// Silent keeps the camera's TCP connections open but silent, the open
	// ones and new ones, until the end (TCP cameras: a UDP camera's media
	// does not travel on them).
	Silent Kind = "silent"
	// RTCPOnly sends RTCP sender reports and no video until the end.
	RTCPOnly Kind = "rtcp-only"
	// UDPLoss drops 5-30 % of the camera's RTP packets and sends 10 % after
	// the one that followed them (UDP and auto cameras). It is done where
	// the server writes them (rtspserver.Feed.SetLoss), not in a relay:
	// gortsplib's server sends UDP through a *net.UDPConn nothing can wrap,
	// and a relay between client and server would have to rewrite the ports
	// of every SETUP.
	UDPLoss Kind = "udp-loss"
	// UDPSilent drops the camera's connections and sends nothing over UDP
	// to the readers that set up again, until the end: a firewall that lets
	// RTSP through and drops the media (auto cameras, which go on over TCP
	// within the fault and stay on TCP after it).
	UDPSilent Kind = "udp-silent"
	// Garbage replaces every RTP payload with random bytes.
	Garbage Kind = "garbage"
	// SPSChange sends a 640x360 clip, with its own SPS, instead of the
	// 320x240 one, and switches back at the end: two resolution changes.
	SPSChange Kind = "sps-change"
	// TimeJump moves the RTP clock forward by 2^31 ticks, and back at the
	// end.
	TimeJump Kind = "ts-jump"
	// Answer401, Answer404 and Answer503 drop the camera's connections and
	// answer every DESCRIBE and SETUP with that status until the end; 401
	// refuses the right credentials.
	Answer401 Kind = "answer-401"
	Answer404 Kind = "answer-404"
	Answer503 Kind = "answer-503"
)

// spec is how long a kind of fault lasts and which cameras it fits.
type spec struct {
	kind     Kind
	min, max time.Duration
	// transports the camera must play over; nil: any.
	transports []rtsp.Transport
}

// specs are the faults the run chooses from, each as likely. Durations
// straddle the session's 5 s read timeout where it matters: a silent
// connection or RTCP without video shorter than it goes unnoticed by the
// client, a longer one ends the attempt.
var specs = []spec{
	{kind: Kill, min: time.Second, max: 6 * time.Second},
	{kind: Unpublish, min: time.Second, max: 6 * time.Second},
	{kind: Silent, min: 2 * time.Second, max: 8 * time.Second, transports: []rtsp.Transport{rtsp.TransportTCP}},
	{kind: RTCPOnly, min: 2 * time.Second, max: 8 * time.Second},
	{kind: UDPLoss, min: 3 * time.Second, max: 8 * time.Second, transports: []rtsp.Transport{rtsp.TransportUDP, rtsp.TransportAuto}},
	{kind: UDPSilent, min: 5 * time.Second, max: 10 * time.Second, transports: []rtsp.Transport{rtsp.TransportAuto}},
	{kind: Garbage, min: time.Second, max: 3 * time.Second},
	{kind: SPSChange, min: 2 * time.Second, max: 5 * time.Second},
	{kind: TimeJump, min: time.Second, max: 3 * time.Second},
	{kind: Answer401, min: 2 * time.Second, max: 6 * time.Second},
	{kind: Answer404, min: 2 * time.Second, max: 6 * time.Second},
	{kind: Answer503, min: 2 * time.Second, max: 6 * time.Second},
}

// fits reports whether a camera playing over tr can suffer the fault.
func (s spec) fits(tr rtsp.Transport) bool {
	return s.transports == nil || slices.Contains(s.transports, tr)
}

// fault is one fault as the run chose it.
type fault struct {
	kind Kind
	dur  time.Duration
	// param is the kind's setting, for UDPLoss the fraction lost.
	param string
}

// choose draws a fault of kind s.
func (s spec) choose(rng *rand.Rand) fault {
	f := fault{kind: s.kind, dur: s.min + time.Duration(rng.Int64N(int64(s.max-s.min)+1))}
	if s.kind == UDPLoss {
		f.param = strconv.FormatFloat(0.05+0.25*rng.Float64(), 'f', 2, 64)
	}
	return f
}

// start begins fault kind (with its param) on the server process's camera c.
func (c *camera) start(kind Kind, param string) error {
	switch kind {
	case Kill:
		c.feed.Detach()
		c.srv.Close()
	case Unpublish:
		c.feed.Detach()
		c.srv.Unpublish(c.path)
	case Silent:
		c.faults.SetSilent(true)
	case RTCPOnly:
		c.feed.SetFault(rtspserver.StreamNoVideo)
	case UDPLoss:
		loss, err := strconv.ParseFloat(param, 64)
		if err != nil {
			return fmt.Errorf("loss %q: %w", param, err)
		}
		c.feed.SetLoss(loss, 0.1)
	case UDPSilent:
		c.faults.SetUDPSilent(true)
		c.faults.Kick()
	case Garbage:
		c.feed.SetFault(rtspserver.StreamGarbage)
	case SPSChange:
		c.feed.SetFault(rtspserver.StreamAltClip)
	case TimeJump:
		c.feed.SetFault(rtspserver.StreamTimeJump)
	case Answer401, Answer404, Answer503:
		c.faults.SetAnswer(answers[kind])
		c.faults.Kick()
	default:
		return fmt.Errorf("unknown fault %q", kind)
	}
	return nil
}

// end ends fault kind on c.
func (c *camera) end(kind Kind) error {
	switch kind {
	case Kill:
		return c.serve()
	case Unpublish:
		return c.feed.Publish(c.srv, c.path)
	case Silent:
		c.faults.SetSilent(false)
	case RTCPOnly, Garbage, SPSChange, TimeJump:
		c.feed.SetFault(rtspserver.StreamOK)
	case UDPLoss:
		c.feed.SetLoss(0, 0)
	case UDPSilent:
		c.faults.SetUDPSilent(false)
	case Answer401, Answer404, Answer503:
		c.faults.SetAnswer(0)
	default:
		return fmt.Errorf("unknown fault %q", kind)
	}
	return nil
}

var answers = map[Kind]base.StatusCode{
	Answer401: base.StatusUnauthorized,
	Answer404: base.StatusNotFound,
	Answer503: base.StatusServiceUnavailable,
}
