package player

import (
	"errors"
	"fmt"
	"time"

	"github.com/camwall/camwall/player/source"
)

// freezeGrace is how much longer than ReadTimeout a connection that stays up
// may deliver no video before the picture counts as frozen. A connection on
// which nothing at all arrives is ended by the source's own read timeout,
// which says more ("camera stopped answering"); the grace lets it come first.
// Before the attempt's first unit the grace is longer, startGrace: an RTSP
// client on the automatic transport waits that long for UDP before it
// switches to TCP (gortsplib's InitialUDPReadTimeout), and delivers nothing
// meanwhile.
const (
	freezeGrace = time.Second
	startGrace  = 3 * time.Second
)

// errFrozen is the cause of an attempt ended because its picture froze.
var errFrozen = errors.New("picture frozen")

// freezeWatch tells a frozen picture from a session that legitimately
// decodes little. The picture is frozen when, for the read timeout, either
//
//   - no video unit is delivered by the source although the attempt goes on
//     (RTCP or audio keep the connection alive, the video stopped): this
//     holds for every session, also a hidden one decoding keyframes only and
//     one decoding on demand, since units dropped while waiting for a
//     keyframe count as delivered; or
//   - units the decoder is given, each of which should give a picture, give
//     none (garbage payloads, a stream the decoder rejects): every unit for
//     a session decoding every frame, keyframes only for a hidden one. Only
//     units actually given count, so a long GOP (units dropped until the next
//     keyframe) and a session decoding on demand while no snapshot waits
//     never start the clock, and a hidden session needs a second keyframe
//     without a picture, at least the read timeout after the first.
//
// It lives on the decode goroutine.
type freezeWatch struct {
	timeout time.Duration
	// lastPicture is when the decoder last gave a picture; zero before the
	// first.
	lastPicture time.Time
	// undecodedSince is when the first unit that should have given a
	// picture, and did not, was given to the decoder since the last
	// picture; zero when there is none.
	undecodedSince time.Time
	// units is the source's count of delivered units when it last grew, at
	// unitAt; seen is set once it grew during this attempt.
	units  uint64
	unitAt time.Time
	seen   bool
}

// newFreezeWatch starts watching an attempt at now; units is the source's
// count of delivered units so far, and lastPicture the session's newest
// picture (zero for none), which the tile still shows.
func newFreezeWatch(timeout time.Duration, units uint64, lastPicture, now time.Time) *freezeWatch {
	return &freezeWatch{timeout: timeout, units: units, unitAt: now, lastPicture: lastPicture}
}

// picture notes a decoded picture.
func (w *freezeWatch) picture(now time.Time) {
	w.lastPicture, w.undecodedSince = now, time.Time{}
}

// idle notes that the session stopped decoding on purpose (on demand, or
// while switching decoders): units not given to the decoder say nothing.
func (w *freezeWatch) idle() { w.undecodedSince = time.Time{} }

// undecoded notes a unit that should have given a picture and did not, and
// returns the error that ends the attempt once that has lasted the read
// timeout.
func (w *freezeWatch) undecoded(now time.Time) error {
	if w.undecodedSince.IsZero() {
		w.undecodedSince = now
		return nil
	}
	if now.Sub(w.undecodedSince) < w.timeout {
		return nil
	}
	return w.frozen("the video does not decode")
}

// tick checks, once a second, that units keep arriving; units is the
// source's running count of delivered units.
func (w *freezeWatch) tick(now time.Time, units uint64) error {
	if units != w.units {
		w.units, w.unitAt, w.seen = units, now, true
		return nil
	}
	grace := freezeGrace
	if !w.seen {
		grace = startGrace
	}
	if now.Sub(w.unitAt) < w.timeout+grace {
		return nil
	}
	return w.frozen("no video arrives")
}

// frozen words the failure for the tile: since when the picture has not
// changed, in local time, and why.
func (w *freezeWatch) frozen(why string) error {
	reason := fmt.Sprintf("no picture for %s: %s", w.timeout.Round(100*time.Millisecond), why)
	if !w.lastPicture.IsZero() {
		reason = fmt.Sprintf("frozen since %s: %s", w.lastPicture.Local().Format("15:04"), why)
	}
	// Fleeting: the stream is there, only its picture is not; a new
	// connection often brings it back, so it is retried quickly.
	return &source.Error{Reason: reason, Fleeting: true, Err: errFrozen}
}
