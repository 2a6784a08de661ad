package app

import (
	"time"

	"fyne.io/fyne/v2"

	"github.com/camwall/camwall/player"
)

// How the window is repainted. A repaint redraws the whole window whatever
// changed (about 18 ms of CPU for 1280×720 under Mesa's llvmpipe, measured
// with a bare Fyne program), so pictures are gathered: each picture comes
// with the time it is due on screen (player's presentation clock, from its
// timestamps), the window repaints when the earliest picture waiting is due,
// but at most once per frame period of the fastest camera on screen, and
// every tile shows the newest of its pictures due by then. Sixteen cameras
// whose frames arrive at staggered times then cost 30 repaints a second, not
// 60 or more, and frames that arrive bunched (from a relay, over Wi-Fi)
// are each shown in turn instead of replacing each other.
const (
	// maxPaintRate: Fyne's draw loop runs at 60 Hz; more is never drawn.
	maxPaintRate = 60
	// minPaintRate bounds the wait for a camera that reports a very low
	// rate (a 1 fps camera's picture is not held back a second).
	minPaintRate = 10
	// assumedFPS paces the window until a camera has measured its rate.
	assumedFPS = 30
	// paceSlack shortens the gap a little below the frame period, so that a
	// camera's frames are not pushed back a whole repaint by jitter.
	paceSlack = 0.97
	// statusPeriod is how often the overlays (states, retry countdowns,
	// statistics) are brought up to date when no picture arrives.
	statusPeriod = 250 * time.Millisecond
)

// paintGap is the shortest time between two repaints when the fastest
// camera on screen sends fps frames a second (0 when none is live yet).
func paintGap(fps float64) time.Duration {
	if fps <= 0 {
		fps = assumedFPS
	}
	fps = min(max(fps, minPaintRate), maxPaintRate)
	return time.Duration(paceSlack * float64(time.Second) / fps)
}

// framePublished runs on a session's decode goroutine for each picture its
// tile can show: it brings the painter's next repaint forward to the
// picture's due time, never blocking.
func (u *UI) framePublished(ev player.FrameEvent) {
	due := ev.Due
	if due.IsZero() {
		due = ev.Published
	}
	u.lowerDue(due)
	select {
	case u.wake <- struct{}{}:
	default:
	}
}

// lowerDue makes t the next repaint's due time if it is earlier than the one
// set (zero: none).
func (u *UI) lowerDue(t time.Time) {
	n := t.UnixNano()
	for {
		cur := u.due.Load()
		if cur != 0 && cur <= n || u.due.CompareAndSwap(cur, n) {
			return
		}
	}
}

// tick is the one place that moves pictures onto the screen. It repaints
// when the earliest picture waiting is due, keeping the pace set by
// paintGap, and at least every statusPeriod; it has at most one fyne.Do in
// flight: its queue is unbounded, so a busy UI thread must not pile up
// work, and every changed tile is refreshed in that one call.
func (u *UI) tick() {
	defer close(u.done)
	timer := time.NewTimer(statusPeriod)
	defer timer.Stop()
	last := time.Now()
	for {
		at := last.Add(statusPeriod)
		if d := u.due.Load(); d != 0 {
			due := time.Unix(0, d)
			if paced := last.Add(time.Duration(u.paintGap.Load())); due.Before(paced) {
				due = paced
			}
			if due.Before(at) {
				at = due
			}
		}
		if wait := time.Until(at); wait > 0 {
			timer.Reset(wait)
			select {
			case <-u.stop:
				return
			case <-u.wake:
				continue // a picture due earlier, perhaps
			case <-timer.C:
			}
		}
		u.due.Store(0)
		done := make(chan struct{})
		fyne.Do(func() {
			defer close(done)
			u.refresh(time.Now())
		})
		select {
		case <-u.stop:
			return
		case <-done:
		}
		last = time.Now()
	}
}
