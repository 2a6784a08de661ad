package app

import (
	"time"

	"fyne.io/fyne/v2"

	"github.com/camwall/camwall/player"
)

// How the window is repainted. A repaint redraws the whole window whatever
// changed (about 30 ms of CPU for 1280×720 under Mesa's llvmpipe, measured
// with a bare Fyne program), so pictures are not painted as they arrive but
// gathered: the window repaints at most once per frame period of the fastest
// camera on screen, with every tile that changed since in that one repaint,
// and not at all while nothing changed. Sixteen cameras whose frames arrive
// at staggered times then cost 30 repaints a second, not 60 or more.
const (
	// maxPaintRate: Fyne's draw loop runs at 60 Hz; more is never drawn.
	maxPaintRate = 60
	// minPaintRate bounds the wait for a camera that reports a very low
	// rate (a 1 fps camera's picture is not held back a second).
	minPaintRate = 10
	// assumedFPS paces the window until a camera has measured its rate.
	assumedFPS = 30
	// paceSlack shortens the gap a little below the frame period, so that a
	// camera's frames that arrive with some jitter are not skipped.
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
// tile can show: it wakes the painter, never blocking.
func (u *UI) framePublished(player.FrameEvent) {
	select {
	case u.wake <- struct{}{}:
	default:
	}
}

// tick is the one place that moves pictures onto the screen. It waits for a
// picture (or the status period), keeps the pace set by paintGap, and has at
// most one fyne.Do in flight: its queue is unbounded, so a busy UI thread
// must not pile up work, and every changed tile is refreshed in that one
// call.
func (u *UI) tick() {
	defer close(u.done)
	status := time.NewTicker(statusPeriod)
	defer status.Stop()
	pace := time.NewTimer(time.Hour)
	defer pace.Stop()
	var last time.Time
	for {
		select {
		case <-u.stop:
			return
		case <-u.wake:
		case <-status.C:
		}
		if wait := time.Until(last.Add(time.Duration(u.paintGap.Load()))); wait > 0 {
			pace.Reset(wait)
			select {
			case <-u.stop:
				return
			case <-pace.C:
			}
		}
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
