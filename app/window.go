package app

import (
	"math"

	"fyne.io/fyne/v2"
)

// The window's place in the app's preferences (a.Preferences()).
const (
	prefWidth      = "window.width"
	prefHeight     = "window.height"
	prefFullScreen = "window.fullscreen"
)

// maxWindowSide bounds a remembered size: anything larger is a corrupt
// preference, not a screen.
const maxWindowSide = 16384

// setupDesktop dresses the new window for a desktop: its remembered size
// and the tray.
func (u *UI) setupDesktop() {
	u.restoreWindow()
	u.setupTray()
}

// restoreWindow gives the window the size and full-screen state it had
// when camwall last closed, and remembers them when it closes again.
// Fyne 2.7 can neither read nor set a window's position, so where the
// window opens is left to the window manager.
func (u *UI) restoreWindow() {
	p := u.App.Preferences()
	if size, ok := rememberedSize(p, u.Window.Content().MinSize()); ok {
		u.Window.Resize(size)
	}
	// Full screen is only ever turned on here: kiosk mode asks for it
	// whatever the last desktop session did.
	if p.Bool(prefFullScreen) {
		u.Window.SetFullScreen(true)
	}
	u.Window.SetOnClosed(u.rememberWindow)
}

// rememberedSize is the size stored in p, raised to min; false when none
// is stored or the stored one is not a size a screen could have.
func rememberedSize(p fyne.Preferences, min fyne.Size) (fyne.Size, bool) {
	w, h := p.Float(prefWidth), p.Float(prefHeight)
	sane := func(v float64) bool { return v > 0 && v <= maxWindowSide && !math.IsNaN(v) }
	if !sane(w) || !sane(h) {
		return fyne.Size{}, false
	}
	return fyne.NewSize(max(float32(w), min.Width), max(float32(h), min.Height)), true
}

// rememberWindow stores the window's size and full-screen state. In full
// screen the canvas is the screen's size, so the windowed size stored
// before stays; a kiosk's full screen comes from its configuration, and
// is not the user's choice to remember.
func (u *UI) rememberWindow() {
	if u.kiosk {
		return
	}
	p := u.App.Preferences()
	full := u.Window.FullScreen()
	p.SetBool(prefFullScreen, full)
	if full {
		return
	}
	size := u.Window.Canvas().Size()
	if size.Width <= 0 || size.Height <= 0 {
		return
	}
	p.SetFloat(prefWidth, float64(size.Width))
	p.SetFloat(prefHeight, float64(size.Height))
}
