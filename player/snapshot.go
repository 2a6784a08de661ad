package player

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/source"
)

// ErrNotLive is the cause (errors.Is) of a snapshot refused because the
// camera has no picture: it is connecting, reconnecting, failed or closed.
var ErrNotLive = errors.New("camera is not live")

// newestFrame keeps a reference to the session's newest decoded frame at the
// source's full resolution, always: replacing it costs the decode goroutine
// well under a microsecond and no allocation (decoder.Picture.Set), and a
// snapshot then gets the picture the tile shows at once instead of waiting for
// the next frame of a 1 fps camera.
type newestFrame struct {
	mu  sync.Mutex
	pic *decoder.Picture // nil while the session has no frame
	at  time.Time        // when pic was decoded
	// quality, when not nil, says pic was decoded without the deblocking
	// filter and how to decode it again in full (lightDecode).
	quality *fullQuality
	wake    chan struct{} // closed when a frame arrives; nil while nobody waits
	// waiters counts the snapshots waiting for a frame decoded after they
	// asked (Config.DecodeOnDemand): while there are any, the session
	// decodes.
	waiters atomic.Int32
}

// keep makes f the newest frame. It runs on the decode goroutine, and holds
// the lock only for a reference count and a clone's reference count: it never
// waits on a snapshot being converted.
func (n *newestFrame) keep(f *decoder.Frame, at time.Time, q *fullQuality) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	var err error
	if n.pic == nil {
		n.pic, err = f.Ref()
	} else if err = n.pic.Set(f); err != nil {
		n.pic.Free()
		n.pic = nil
	}
	if err != nil {
		return err
	}
	n.at, n.quality = at, q
	if n.wake != nil {
		close(n.wake)
		n.wake = nil
	}
	return nil
}

// drop forgets the frame when the decode loop ends: a picture from before a
// disconnection is not what "the newest frame" promises, and its buffer
// should go back to FFmpeg.
func (n *newestFrame) drop() {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.pic.Free()
	n.pic, n.quality = nil, nil
}

// take returns the caller's own reference to the newest frame decoded at
// or after since, with how to decode it again in full when it is not (nil
// when it is), or, when there is none, a channel closed when a frame
// arrives.
func (n *newestFrame) take(since time.Time) (*decoder.Picture, time.Time, *fullQuality, <-chan struct{}, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.pic != nil && !n.at.Before(since) {
		c, err := n.pic.Clone()
		return c, n.at, n.quality, nil, err
	}
	if n.wake == nil {
		n.wake = make(chan struct{})
	}
	return nil, time.Time{}, nil, n.wake, nil
}

// snapshotPoll is how often a waiting Snapshot looks at the status: a session
// that fails or schedules its retry too late has no frame to wake it with.
const snapshotPoll = 50 * time.Millisecond

// Snapshot returns the session's newest decoded frame at the source's full
// resolution and quality, and when it was decoded (local clock). A frame
// the tile had decoded without the deblocking filter (Status.LightDecode)
// is decoded again with it, from the units since its keyframe. It waits for the first
// frame while the camera is connecting or reconnecting, until ctx ends; it
// fails at once, with ErrNotLive as the cause and the tile's reason in its
// text, when the session has failed or is closed, or when its next connection
// attempt is due after ctx's deadline.
//
// The Picture is the caller's: it costs the decode goroutine nothing more,
// and the caller converts it (Picture.RGBA, or a storage.Snapshotter worker)
// on its own goroutine, then frees it. Snapshot is safe to call from any
// goroutine, for any number of snapshots at once.
func (s *Session) Snapshot(ctx context.Context) (*decoder.Picture, time.Time, error) {
	var since time.Time // any frame will do: the session decodes all the time
	if s.cfg.DecodeOnDemand {
		// A frame kept for an earlier snapshot is as old as that one.
		since = time.Now()
		s.newest.waiters.Add(1)
		defer s.newest.waiters.Add(-1)
	}
	var poll *time.Ticker
	for {
		pic, at, q, wake, err := s.newest.take(since)
		if err != nil {
			return nil, time.Time{}, fmt.Errorf("snapshot of camera %q: %w", s.cfg.Name, err)
		}
		if pic != nil && q != nil {
			pic.Free()
			pic = nil
			if q.ok {
				full, err := decoder.Redecode(q.cfg, q.replay, q.pts)
				if err == nil {
					return full, at, nil
				}
				s.log.Warn("snapshot not decoded again at full quality: waiting for the next keyframe", "err", err)
			}
			// The next frame of full quality, whenever it comes.
			since = at.Add(time.Nanosecond)
			continue
		}
		if pic != nil {
			return pic, at, nil
		}
		st := s.Status()
		if err := hopeless(ctx, st); err != nil {
			return nil, time.Time{}, err
		}
		if poll == nil {
			poll = time.NewTicker(snapshotPoll)
			defer poll.Stop()
		}
		select {
		case <-wake:
		case <-poll.C:
		case <-s.done:
			return nil, time.Time{}, notLive(s.Status(), nil)
		case <-ctx.Done():
			return nil, time.Time{}, notLive(s.Status(), ctx.Err())
		}
	}
}

// hopeless says why waiting for a frame cannot succeed before ctx ends, or
// returns nil.
func hopeless(ctx context.Context, st Status) error {
	switch st.State {
	case StateFailed, StateClosed:
		return notLive(st, nil)
	case StateReconnecting:
		if deadline, ok := ctx.Deadline(); ok && st.RetryAt.After(deadline) {
			return notLive(st, context.DeadlineExceeded)
		}
	}
	return nil
}

// notLive words a snapshot refused for want of a frame, with the state and
// the reason the tile shows (already free of credentials).
func notLive(st Status, cause error) error {
	var why string
	switch st.State {
	case StateIdle:
		why = "not started"
	case StateConnecting:
		why = "still connecting"
	case StateLive:
		why = "no frame decoded yet"
	case StateClosed:
		why = "closed"
	default:
		why = st.State.String()
	}
	if st.Reason != "" && st.State != StateConnecting {
		why += ": " + st.Reason
	}
	return &source.Error{Reason: ErrNotLive.Error() + " (" + why + ")", Err: errors.Join(ErrNotLive, cause)}
}

// Capture connects to one camera headless, takes its first full-resolution
// frame and disconnects: `camwall snapshot`, and a snapshot of a camera whose
// tile plays a lower-resolution substream. Errors are Snapshot's.
func Capture(ctx context.Context, cfg Config) (*decoder.Picture, time.Time, error) {
	s := New(cfg)
	// No tile size: frames are decoded and kept, never scaled.
	s.Start()
	defer s.Close()
	return s.Snapshot(ctx)
}
