package app

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/camwall/camwall/player"
)

var (
	tileBackground = color.NRGBA{R: 0x10, G: 0x12, B: 0x16, A: 0xff}
	barBackground  = color.NRGBA{A: 0xa0}
	dimColour      = color.NRGBA{A: 0xa0}
	liveColour     = color.NRGBA{R: 0x4c, G: 0xd1, B: 0x6b, A: 0xff}
	warnColour     = color.NRGBA{R: 0xf0, G: 0xb4, B: 0x29, A: 0xff}
	errorColour    = color.NRGBA{R: 0xf0, G: 0x55, B: 0x4a, A: 0xff}
	textColour     = color.NRGBA{R: 0xee, G: 0xee, B: 0xee, A: 0xff}
)

// Tile shows one camera: its newest picture letterboxed, a bar with its name
// and state, and the reason when it is not live. The picture is never
// resampled by Fyne: the session scales it to the tile's pixel size.
type Tile struct {
	widget.BaseWidget

	session *player.Session

	// The canvas objects, kept so that tests can look at them.
	Image  *canvas.Image
	Name   *canvas.Text
	State  *canvas.Text
	Reason *canvas.Text
	dim    *canvas.Rectangle
	bg     *canvas.Rectangle
	bar    *canvas.Rectangle
	dot    *canvas.Circle

	shownState player.State
	shownText  string
}

// NewTile makes the tile for a session.
func NewTile(s *player.Session) *Tile {
	t := &Tile{session: s}
	t.Image = &canvas.Image{FillMode: canvas.ImageFillContain, ScaleMode: canvas.ImageScaleFastest}
	t.bg = canvas.NewRectangle(tileBackground)
	t.dim = canvas.NewRectangle(dimColour)
	t.bar = canvas.NewRectangle(barBackground)
	t.dot = canvas.NewCircle(warnColour)
	t.Name = canvas.NewText(s.Name(), textColour)
	t.Name.TextStyle.Bold = true
	t.State = canvas.NewText("", textColour)
	t.Reason = canvas.NewText("", textColour)
	t.Reason.Alignment = fyne.TextAlignCenter
	t.shownState = -1
	t.ExtendBaseWidget(t)
	t.updateStatus(time.Now())
	return t
}

// Session the tile shows.
func (t *Tile) Session() *player.Session { return t.session }

// CreateRenderer implements fyne.Widget.
func (t *Tile) CreateRenderer() fyne.WidgetRenderer {
	return &tileRenderer{t: t, objects: []fyne.CanvasObject{t.bg, t.Image, t.dim, t.Reason, t.bar, t.dot, t.Name, t.State}}
}

// showFrame swaps in the session's newest picture, if there is one, and
// gives the previous one back. Runs on the UI goroutine.
func (t *Tile) showFrame() bool {
	img, ok := t.session.Frames().Take()
	if !ok {
		return false
	}
	old, _ := t.Image.Image.(*image.RGBA)
	t.Image.Image = img
	t.Image.Refresh()
	// The old buffer is no longer referenced by the canvas object, and its
	// texture is replaced at the next paint; the decoder may reuse it.
	t.session.Frames().Release(old)
	return true
}

// updateStatus refreshes the overlay from the session's status when what it
// would show has changed. Runs on the UI goroutine.
func (t *Tile) updateStatus(now time.Time) {
	st := t.session.Status()
	state, reason, colour := describe(st, now)
	text := state + "\x00" + reason
	if st.State == t.shownState && text == t.shownText {
		return
	}
	t.shownState, t.shownText = st.State, text
	t.State.Text = state
	t.Reason.Text = reason
	t.dot.FillColor = colour
	// Never pass a frozen picture off as live: dim it while not live.
	if st.State == player.StateLive {
		t.dim.Hide()
		t.Reason.Hide()
	} else {
		t.dim.Show()
		t.Reason.Show()
	}
	t.State.Refresh()
	t.Reason.Refresh()
	t.dot.Refresh()
	t.dim.Refresh()
}

// describe returns the state word, the reason line and the dot colour.
func describe(st player.Status, now time.Time) (string, string, color.Color) {
	switch st.State {
	case player.StateLive:
		return fmt.Sprintf("live · %dx%d %s", st.Width, st.Height, st.Codec), "", liveColour
	case player.StateConnecting, player.StateIdle:
		return "connecting…", "connecting…", warnColour
	case player.StateReconnecting:
		secs := int(math.Ceil(st.RetryAt.Sub(now).Seconds()))
		retry := "retrying now"
		if secs > 0 {
			retry = fmt.Sprintf("retry in %ds", secs)
		}
		return "reconnecting", st.Reason + " · " + retry, warnColour
	case player.StateFailed:
		return "error", st.Reason, errorColour
	default:
		return st.State.String(), "", warnColour
	}
}

type tileRenderer struct {
	t       *Tile
	objects []fyne.CanvasObject
}

func (r *tileRenderer) Layout(size fyne.Size) {
	t := r.t
	for _, o := range []fyne.CanvasObject{t.bg, t.Image, t.dim} {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	pad := theme.Padding()
	barH := t.Name.MinSize().Height + pad
	t.bar.Move(fyne.NewPos(0, 0))
	t.bar.Resize(fyne.NewSize(size.Width, barH))
	dotD := barH / 2
	t.dot.Move(fyne.NewPos(pad, (barH-dotD)/2))
	t.dot.Resize(fyne.NewSize(dotD, dotD))
	t.Name.Move(fyne.NewPos(2*pad+dotD, pad/2))
	stateW := t.State.MinSize().Width
	t.State.Move(fyne.NewPos(size.Width-stateW-pad, pad/2))
	t.Reason.Resize(fyne.NewSize(size.Width, t.Reason.MinSize().Height))
	t.Reason.Move(fyne.NewPos(0, (size.Height-t.Reason.MinSize().Height)/2))

	// Tell the session the size in device pixels, so that it scales each
	// picture exactly once, in the decoder goroutine, never on the UI thread.
	scale := float32(1)
	if c := fyne.CurrentApp().Driver().CanvasForObject(t); c != nil {
		scale = c.Scale()
	}
	t.session.SetTileSize(int(size.Width*scale), int(size.Height*scale))
}

func (r *tileRenderer) MinSize() fyne.Size {
	return fyne.NewSize(160, 90)
}

func (r *tileRenderer) Refresh() {
	r.Layout(r.t.Size())
	for _, o := range r.objects {
		o.Refresh()
	}
}

func (r *tileRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *tileRenderer) Destroy()                     {}
