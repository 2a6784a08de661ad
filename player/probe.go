package player

import (
	"context"
	"errors"
	"time"
)

// Probe plays one camera headless until it has been live for liveFor (zero:
// until its first decoded frame), its first failure, or ctx's end. It
// reports the status every interval through report (may be nil). The error
// carries the same reason a tile would show. It is what the CLI's `probe`
// and the camera dialog's "Test connection" run.
func Probe(ctx context.Context, cfg Config, liveFor, interval time.Duration, report func(Status)) (Status, error) {
	s := New(cfg)
	// No tile: frames are decoded, not scaled.
	s.Start()
	defer s.Close()

	poll := time.NewTicker(50 * time.Millisecond)
	defer poll.Stop()
	next := time.Now().Add(interval)
	var liveSince time.Time
	for {
		st := s.Status()
		if report != nil && interval > 0 && !time.Now().Before(next) {
			report(st)
			next = next.Add(interval)
		}
		switch st.State {
		case StateFailed, StateReconnecting:
			if !liveSince.IsZero() {
				return st, errors.New("stream ended after being live: " + st.Reason)
			}
			return st, errors.New(st.Reason)
		case StateLive:
			if liveSince.IsZero() {
				liveSince = time.Now()
			}
			if time.Since(liveSince) >= liveFor {
				return st, nil
			}
		}
		select {
		case <-ctx.Done():
			if st.State == StateLive {
				return st, errors.New("probe stopped before the camera had been live long enough")
			}
			return st, errors.New("no video before the timeout (still " + st.State.String() + ")")
		case <-poll.C:
		}
	}
}
