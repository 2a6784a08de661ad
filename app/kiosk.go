package app

import (
	"image/color"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Kiosk mode is the unattended wall: full screen, the tiles and nothing
// else. Messages that the status bar would show appear for a moment over
// the bottom of the wall instead, nothing waits for a click, and the
// keyboard shortcuts that watch and save (views, focus, snapshots,
// recording, retry) keep working; the ones that edit the wall ask to leave
// kiosk mode first, so a passer-by's keyboard cannot change it.

// cursorIdle is how long the pointer rests before kiosk mode hides it.
const cursorIdle = 3 * time.Second

// helpText is the help overlay (F1): every shortcut, as keys.go binds
// them.
const helpText = `arrows	move the selection
Enter	focus the selected tile / back (double-click)
Escape	close the dialog, or back to the wall
1–9	show layout or page 1–9
I	statistics on every tile
S	snapshot of the selected camera
Ctrl+Shift+S	snapshot of every camera
R	record the selected camera / stop
Ctrl+Shift+R	record every camera / stop all
X	export a clip of the selected camera's recordings
F5	retry the selected camera now
F11	full screen
F1	this help
Ctrl+Alt+K	leave kiosk mode / enter it
Ctrl+N, Ctrl+G	add a camera, a GoPro
Ctrl+D	find ONVIF cameras
arrows, + -, 1–9	on a focused PTZ camera: pan, tilt, zoom, presets
Ctrl+E, Delete	edit, remove the selected camera
Ctrl+,	settings`

var overlayBackground = color.NRGBA{R: 0x10, G: 0x12, B: 0x16, A: 0xe0}

// overlays are what kiosk and desktop mode show over the wall: the help
// and, in kiosk mode, the latest message.
type overlays struct {
	help   *fyne.Container
	notice *fyne.Container
	// Notice is the message shown over the wall in kiosk mode.
	Notice *canvas.Text
}

func newOverlays() *overlays {
	o := &overlays{Notice: canvas.NewText("", textColour)}
	keys := container.New(layout.NewFormLayout())
	for _, line := range strings.Split(helpText, "\n") {
		k, what, _ := strings.Cut(line, "\t")
		key := canvas.NewText(k, selectionColour)
		key.TextStyle.Bold = true
		keys.Add(key)
		keys.Add(canvas.NewText(what, textColour))
	}
	title := canvas.NewText("camwall — keyboard", textColour)
	title.TextStyle.Bold = true
	title.TextSize = theme.TextSize() * 1.3
	box := container.NewStack(canvas.NewRectangle(overlayBackground),
		container.NewPadded(container.NewPadded(container.NewVBox(title, widget.NewSeparator(), keys))))
	o.help = container.NewCenter(box)
	o.help.Hide()
	o.notice = container.NewVBox(layout.NewSpacer(), container.NewStack(canvas.NewRectangle(overlayBackground), container.NewPadded(o.Notice)))
	o.notice.Hide()
	return o
}

// content is the window's content for the mode: the wall with the toolbar,
// status bar and menu, or the wall alone.
func (u *UI) content() fyne.CanvasObject {
	wall := container.NewStack(u.Grid, u.ptz.Bar, u.over.notice, u.over.help)
	if u.kiosk {
		return wall
	}
	return container.NewBorder(u.Toolbar, u.StatusBar, nil, nil, wall)
}

// Kiosk reports whether the wall is in kiosk mode.
func (u *UI) Kiosk() bool { return u.kiosk }

// SetKiosk enters or leaves kiosk mode (Ctrl+Alt+K, --kiosk): full screen
// with no menu, toolbar or status bar, or the desktop window back.
func (u *UI) SetKiosk(on bool) {
	u.kiosk = on
	if on {
		u.Window.SetMainMenu(nil)
	} else {
		u.Window.SetMainMenu(u.menu())
		u.over.notice.Hide()
		u.ptr.show()
	}
	u.Window.SetContent(u.content())
	u.Window.SetFullScreen(on)
	u.lastInput = time.Now() // the pointer hides cursorIdle from now
}

// ToggleHelp shows or hides the keyboard help over the wall (F1).
func (u *UI) ToggleHelp() {
	if u.over.help.Visible() {
		u.over.help.Hide()
	} else {
		u.over.help.Show()
	}
}

// HelpShown reports whether the help overlay is up.
func (u *UI) HelpShown() bool { return u.over.help.Visible() }

// editable tells whether the wall may be edited now, and says how when it
// may not.
func (u *UI) editable() bool {
	if u.kiosk {
		u.notify("Kiosk mode: press Ctrl+Alt+K to leave it and edit the wall")
		return false
	}
	return true
}

// userActive records input: it holds the tour on the view being looked at
// and shows the pointer again.
func (u *UI) userActive() {
	u.lastInput = time.Now()
	if u.tour != nil {
		u.tour.pause(u.lastInput)
		u.coolDown()
	}
	u.ptr.show()
}

// pointerMoveMin is how far the pointer must move to count as input: the
// window system reports a pointer that merely lies under a new window as
// entering it, and a tour must not stop for that.
const pointerMoveMin = 8

// pointerAt follows the pointer to where ev has it; a real movement is
// input.
func (u *UI) pointerAt(ev *desktop.MouseEvent) {
	if ev == nil {
		return
	}
	p := ev.AbsolutePosition
	if u.pointerSeen && (abs32(p.X-u.pointer.X) >= pointerMoveMin || abs32(p.Y-u.pointer.Y) >= pointerMoveMin) {
		u.pointer = p
		u.userActive()
		return
	}
	if !u.pointerSeen {
		u.pointer, u.pointerSeen = p, true
	}
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

// pointerResting tells whether kiosk mode counts the pointer as idle: it
// is hidden then, and hovering shows nothing.
func (u *UI) pointerResting(now time.Time) bool {
	return u.kiosk && now.Sub(u.lastInput) >= cursorIdle
}

// showNotice puts a message over the bottom of the wall in kiosk mode.
func (u *UI) showNotice(msg string) {
	u.over.Notice.Text = msg
	if msg == "" || !u.kiosk {
		u.over.notice.Hide()
	} else {
		u.over.notice.Show()
	}
	u.over.notice.Refresh()
}
