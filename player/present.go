package player

import (
	"math"
	"slices"
	"time"
)

// presentClock turns a camera's timestamps into the times its pictures are
// due on screen: a steady clock derived from the PTS, not from when each
// picture happened to be decoded. Frames relayed by a server, sent over
// Wi-Fi or by a camera that sends in bursts arrive bunched; shown on arrival
// the second of two bunched frames replaces the first before the window
// repaints, and a third of the pictures never reach the screen.
//
// A picture's delay is its arrival time less its PTS. The smallest delay in
// the recent past is the path's own latency (the picture that came
// fastest); a picture is due at its PTS plus that latency plus the jitter
// allowance: the spread between the smallest delay and the 95th percentile
// of the recent delays, at most maxJitter. An evenly paced camera has no
// spread, so its pictures are due as they arrive; a camera that sends in
// pairs gets about one frame period. A picture later than its due time is
// due at once.
type presentClock struct {
	delays []time.Duration // ring of the last delayWindow delays
	next   int
	sorted []time.Duration // scratch for the percentile
	// offset and jitter are the current estimate, in the ring's terms.
	offset, jitter time.Duration
}

const (
	// delayWindow is how many recent pictures the estimate looks at:
	// about two seconds of a 30 fps camera, long enough to see a pattern
	// of bursts, short enough to follow a path that got faster.
	delayWindow = 64
	// maxJitter bounds the allowance: more than this is not jitter to
	// smooth but a stall, which is shown as it happens.
	maxJitter = 100 * time.Millisecond
	// clockReset is a jump in delay that means the timestamps started over
	// (a new stream, a camera's clock jump): the estimate starts over too.
	clockReset = time.Second
	// noPTS is FFmpeg's AV_NOPTS_VALUE: a picture without a timestamp is
	// due as it arrives.
	noPTS = math.MinInt64
)

// due returns when the picture with pts (90 kHz ticks) that arrived at
// arrival is to be shown.
func (c *presentClock) due(pts int64, arrival time.Time) time.Time {
	if pts == noPTS {
		return arrival
	}
	at := time.Duration(arrival.UnixNano())
	delay := at - time.Duration(pts)*time.Second/90000
	if len(c.delays) > 0 && (delay < c.offset-clockReset || delay > c.offset+c.jitter+clockReset) {
		c.delays, c.next = c.delays[:0], 0
	}
	if len(c.delays) < delayWindow {
		c.delays = append(c.delays, delay)
	} else {
		c.delays[c.next] = delay
		c.next = (c.next + 1) % delayWindow
	}
	c.sorted = append(c.sorted[:0], c.delays...)
	slices.Sort(c.sorted)
	c.offset = c.sorted[0]
	c.jitter = min(c.sorted[len(c.sorted)*95/100]-c.offset, maxJitter)
	due := delay - (c.offset + c.jitter) // ≤ 0: how early the picture is
	if due >= 0 {
		return arrival
	}
	return arrival.Add(-due)
}
