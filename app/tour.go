package app

import (
	"slices"
	"time"
)

const (
	// tourPause is how long user input holds the tour on the view the user
	// is looking at.
	tourPause = time.Minute
	// tourWarm is how long before a switch the next view's hidden tiles
	// start decoding every frame: a hidden tile decodes keyframes only, and
	// without this the switch would show pictures up to a keyframe interval
	// old, standing still until the next keyframe. Every camera's session
	// stays connected whatever is shown, so no switch waits on a connection.
	tourWarm = 3 * time.Second
)

// tour rotates the wall through views on a timer. It holds no clock of its
// own: the UI feeds it the time at every refresh, and tests feed it theirs.
type tour struct {
	every time.Duration
	// order is the views toured, as indices into UI.views.
	order []int
	// next is when the next switch is due; zero until the first step.
	next time.Time
	// pausedUntil is the end of the hold user input asked for.
	pausedUntil time.Time
}

// newTour is the tour of the configuration, nil when there is none: no
// period, or fewer than two views to rotate.
func (u *UI) newTour() *tour {
	every := u.cfg.Tour.Period()
	if every <= 0 {
		return nil
	}
	var order []int
	if len(u.cfg.Tour.Layouts) > 0 && len(u.cfg.Cameras) > 0 {
		for _, name := range u.cfg.Tour.Layouts {
			if i := u.cfg.LayoutIndex(name); i >= 0 {
				order = append(order, i)
			}
		}
	} else {
		for i := range u.views() {
			order = append(order, i)
		}
	}
	if len(order) < 2 {
		return nil
	}
	return &tour{every: every, order: order}
}

// pause holds the tour for tourPause from now.
func (t *tour) pause(now time.Time) {
	t.pausedUntil = now.Add(tourPause)
	// The view stays up for a whole period once the hold ends.
	t.next = t.pausedUntil.Add(t.every)
}

// step says what the wall should do at now: switch to view show (-1: stay),
// and warm up view warm (-1: none), which comes next within tourWarm.
func (t *tour) step(now time.Time, current int) (show, warm int) {
	if t.next.IsZero() {
		t.next = now.Add(t.every)
	}
	if now.Before(t.pausedUntil) {
		return -1, -1
	}
	following := t.order[0]
	if i := slices.Index(t.order, current); i >= 0 {
		following = t.order[(i+1)%len(t.order)]
	}
	if !now.Before(t.next) {
		t.next = now.Add(t.every)
		return following, -1
	}
	if t.next.Sub(now) <= tourWarm {
		return -1, following
	}
	return -1, -1
}

// stepTour runs the tour at each refresh: it switches views when one is
// due, and warms up the next view's tiles shortly before.
func (u *UI) stepTour(now time.Time) {
	if u.tour == nil {
		return
	}
	show, warm := u.tour.step(now, u.view)
	switch {
	case show >= 0:
		u.warm = -1
		u.ShowView(show)
	case warm >= 0 && warm != u.warm:
		u.warmView(warm)
	}
}

// warmView makes the hidden tiles of view i decode every frame, at the
// size they will have, ahead of the switch to it.
func (u *UI) warmView(i int) {
	vs := u.views()
	if i < 0 || i >= len(vs) {
		return
	}
	u.warm = i
	rows, cols, cells := u.cellsOf(vs[i])
	size := u.Grid.Size()
	for _, cell := range cells {
		if cell.Camera >= len(u.Tiles) {
			continue
		}
		t := u.Tiles[cell.Camera]
		if t.Visible() {
			continue
		}
		_, sz := cellRect(rows, cols, u.layout.gap, cell, size)
		t.warmUp(sz)
	}
}

// coolDown hides again the tiles warmView woke for a switch that is not
// coming (the user paused the tour).
func (u *UI) coolDown() {
	if u.warm < 0 {
		return
	}
	u.warm = -1
	for _, t := range u.Tiles {
		if !t.Visible() {
			t.Refresh()
		}
	}
}
