package app

import (
	"fmt"
	"image"
	"image/color"
	"math"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/camwall/camwall/player"
)

var (
	tileBackground  = color.NRGBA{R: 0x10, G: 0x12, B: 0x16, A: 0xff}
	barBackground   = color.NRGBA{A: 0xa0}
	dimColour       = color.NRGBA{A: 0xa0}
	liveColour      = color.NRGBA{R: 0x4c, G: 0xd1, B: 0x6b, A: 0xff}
	warnColour      = color.NRGBA{R: 0xf0, G: 0xb4, B: 0x29, A: 0xff}
	errorColour     = color.NRGBA{R: 0xf0, G: 0x55, B: 0x4a, A: 0xff}
	textColour      = color.NRGBA{R: 0xee, G: 0xee, B: 0xee, A: 0xff}
	selectionColour = color.NRGBA{R: 0x3f, G: 0xa7, B: 0xd6, A: 0xff}
	recColour       = color.NRGBA{R: 0xff, G: 0x3b, B: 0x30, A: 0xff}
)

// Tile shows one camera: its newest picture letterboxed, a bar with its name
// and state, the reason when it is not live, and statistics on hover or when
// toggled. The picture is never resampled by Fyne: the session scales it to
// the tile's pixel size.
type Tile struct {
	widget.BaseWidget

	ui    *UI
	index int
	cam   *camera

	// The canvas objects, kept so that tests can look at them.
	// Texts show what fits the tile (tilefit.go); StateText, ReasonText and
	// the statistics lines are in full in the fields below them.
	Name   *canvas.Text
	State  *canvas.Text
	Reason *canvas.Text
	// Offline says since when a camera that was live is not, above Reason.
	Offline *canvas.Text
	// Stats are the statistics overlay's lines, bottom up: rates, then
	// bitrate, transport, drops and latency, then (in amber) why the rate is
	// reduced and why RTP does not travel over UDP.
	// Short lines, so that they fit a tile of a 4×4 wall.
	Stats [3]*canvas.Text
	// SnapshotButton saves this camera's newest full-resolution frame.
	SnapshotButton *widget.Button
	// RecordButton starts and stops recording this camera; Rec is the red
	// indicator (and the recording's error, if writing fails).
	RecordButton *widget.Button
	Rec          *canvas.Text
	dim          *canvas.Rectangle
	bg           *canvas.Rectangle
	bar          *canvas.Rectangle
	statBg       *canvas.Rectangle
	// The selection is four thin edges rather than one stroked rectangle:
	// a shape is shaded over its whole area at every repaint, and under a
	// software renderer a tile-sized one costs as much as the picture.
	edges [4]*canvas.Rectangle
	// The letterbox: bg fills a tile that has no picture; once there is
	// one, only the two bars beside (or above and below) it are drawn.
	bars [2]*canvas.Rectangle
	dot  *canvas.Circle

	pic       *picture
	shownText string
	// What the texts say in full, before fitting.
	stateText, reasonText, offlineText, recText string
	statsText                                   [3]string
	// offlineSince is when the camera stopped being live, zero while live
	// or before it ever was.
	offlineSince time.Time
	everLive     bool
	// Painted frame rate: pictures the painter drew per second, which is
	// lower than the decoded rate when the UI thread cannot keep up.
	fpsSince   time.Time
	paintedFPS float64
	hovered    bool
	// dragAt is where a drag of the tile has the pointer (drag.go).
	dragAt   fyne.Position
	dragging bool
}

func newTile(ui *UI, index int, cam *camera) *Tile {
	t := &Tile{ui: ui, index: index, cam: cam}
	t.pic = newPicture()
	t.bg = canvas.NewRectangle(tileBackground)
	t.dim = canvas.NewRectangle(dimColour)
	t.bar = canvas.NewRectangle(barBackground)
	t.statBg = canvas.NewRectangle(barBackground)
	for i := range t.edges {
		t.edges[i] = canvas.NewRectangle(selectionColour)
		t.edges[i].Hide()
	}
	for i := range t.bars {
		t.bars[i] = canvas.NewRectangle(tileBackground)
		t.bars[i].Hide()
	}
	t.dot = canvas.NewCircle(warnColour)
	t.Name = canvas.NewText(cam.cfg.Name, textColour)
	t.Name.TextStyle.Bold = true
	t.State = canvas.NewText("", textColour)
	t.Reason = canvas.NewText("", textColour)
	t.Reason.Alignment = fyne.TextAlignCenter
	t.Offline = canvas.NewText("", textColour)
	t.Offline.Alignment = fyne.TextAlignCenter
	t.Offline.TextStyle.Bold = true
	for i := range t.Stats {
		c := textColour
		if i == 2 {
			c = warnColour
		}
		t.Stats[i] = canvas.NewText("", c)
		t.Stats[i].TextSize = theme.CaptionTextSize()
		t.Stats[i].TextStyle.Monospace = true
		t.Stats[i].Hide()
	}
	t.statBg.Hide()
	t.SnapshotButton = widget.NewButtonWithIcon("", theme.MediaPhotoIcon(), func() { ui.Snapshot(t.index) })
	t.SnapshotButton.Importance = widget.LowImportance
	t.RecordButton = widget.NewButtonWithIcon("", theme.MediaRecordIcon(), func() { ui.ToggleRecording(t.index) })
	t.RecordButton.Importance = widget.LowImportance
	t.Rec = canvas.NewText("", recColour)
	t.Rec.TextStyle.Bold = true
	t.Rec.Hide()
	t.ExtendBaseWidget(t)
	t.updateStatus(time.Now())
	return t
}

// CreateRenderer implements fyne.Widget.
func (t *Tile) CreateRenderer() fyne.WidgetRenderer {
	return &tileRenderer{t: t, objects: []fyne.CanvasObject{
		t.bg, t.bars[0], t.bars[1], t.pic.Raster, t.dim, t.Offline, t.Reason, t.bar, t.dot, t.Name, t.Rec, t.State, t.RecordButton, t.SnapshotButton,
		t.statBg, t.Stats[0], t.Stats[1], t.Stats[2], t.edges[0], t.edges[1], t.edges[2], t.edges[3],
	}}
}

// Tapped selects the tile.
func (t *Tile) Tapped(*fyne.PointEvent) {
	t.ui.userActive()
	t.ui.Select(t.index)
}

// DoubleTapped focuses the tile, or goes back to the grid.
func (t *Tile) DoubleTapped(*fyne.PointEvent) {
	t.ui.userActive()
	t.ui.Select(t.index)
	t.ui.ToggleFocus()
}

// MouseIn implements desktop.Hoverable: statistics show while hovered.
func (t *Tile) MouseIn(ev *desktop.MouseEvent) {
	t.ui.pointerAt(ev)
	t.hovered = true
	t.updateStatus(time.Now())
	t.Refresh() // what a small tile shows on hover
}

// MouseMoved implements desktop.Hoverable: movement is input, which shows
// the pointer and holds the tour.
func (t *Tile) MouseMoved(ev *desktop.MouseEvent) { t.ui.pointerAt(ev) }

// MouseOut implements desktop.Hoverable.
func (t *Tile) MouseOut() {
	t.hovered = false
	t.updateStatus(time.Now())
	t.Refresh()
}

func (t *Tile) setSelected(on bool) {
	for _, e := range t.edges {
		if on {
			e.Show()
		} else {
			e.Hide()
		}
		e.Refresh()
	}
	t.Refresh() // a small tile shows its state while selected
}

// showFrame swaps in the newest picture due by t, if there is one, and
// gives the previous one back to the slot it came from. Runs on the UI
// goroutine.
func (t *Tile) showFrame(due time.Time) bool {
	cam := t.cam
	if cam.grid == nil {
		return false
	}
	slot := cam.grid.Frames()
	if cam.main != nil {
		// Focused with a substream: keep the grid picture until the main
		// stream has a picture of its own, then show only main-stream ones.
		if img, ok := cam.main.Frames().TakeDue(due); ok {
			cam.mainShown = true
			if old, ok := slot.TakeDue(due); ok {
				slot.Release(old) // never shown, and never due again
			}
			return t.swap(cam.main.Frames(), img)
		}
		if cam.mainShown {
			if old, ok := slot.TakeDue(due); ok {
				slot.Release(old)
			}
			return false
		}
	}
	img, ok := slot.TakeDue(due)
	if !ok {
		return false
	}
	return t.swap(slot, img)
}

// nextDue is when the tile's next picture is due; false when none waits.
func (t *Tile) nextDue() (time.Time, bool) {
	var next time.Time
	found := false
	for _, sess := range []*player.Session{t.cam.grid, t.cam.main} {
		if sess == nil {
			continue
		}
		if d, ok := sess.Frames().NextDue(); ok && (!found || d.Before(next)) {
			next, found = d, true
		}
	}
	return next, found
}

func (t *Tile) swap(from *player.FrameSlot, img *image.RGBA) bool {
	if t.pic.swap(from, img) {
		t.pic.place(t.Size(), t.canvasScale())
		t.layoutLetterbox(t.Size())
	}
	return true
}

// layoutLetterbox covers what the picture leaves of the tile: all of it
// before the first picture, else the bars on either side of it.
func (t *Tile) layoutLetterbox(size fyne.Size) {
	pic := t.pic.Raster
	if !pic.Visible() {
		t.bg.Show()
		t.bars[0].Hide()
		t.bars[1].Hide()
		return
	}
	t.bg.Hide()
	p, ps := pic.Position(), pic.Size()
	if ps.Width < size.Width { // pillarbox: bars left and right
		t.bars[0].Move(fyne.NewPos(0, 0))
		t.bars[0].Resize(fyne.NewSize(p.X, size.Height))
		t.bars[1].Move(fyne.NewPos(p.X+ps.Width, 0))
		t.bars[1].Resize(fyne.NewSize(size.Width-p.X-ps.Width, size.Height))
	} else { // letterbox: bars above and below
		t.bars[0].Move(fyne.NewPos(0, 0))
		t.bars[0].Resize(fyne.NewSize(size.Width, p.Y))
		t.bars[1].Move(fyne.NewPos(0, p.Y+ps.Height))
		t.bars[1].Resize(fyne.NewSize(size.Width, size.Height-p.Y-ps.Height))
	}
	// A bar thinner than a device pixel (a picture that fills the tile) is
	// not drawn: every object costs a draw call at every repaint.
	thinnest := 1 / t.canvasScale()
	for _, b := range t.bars {
		s := b.Size()
		showIf(b, s.Width >= thinnest && s.Height >= thinnest)
		b.Refresh()
	}
	t.bg.Refresh()
}

// Picture is the picture the tile shows, nil before the first.
func (t *Tile) Picture() *image.RGBA { return t.pic.image() }

// PaintedFPS is the tile's painted frame rate over the last second.
func (t *Tile) PaintedFPS() float64 { return t.paintedFPS }

// canvasScale is the number of device pixels per Fyne unit where the tile
// is drawn.
func (t *Tile) canvasScale() float32 {
	if c := fyne.CurrentApp().Driver().CanvasForObject(t); c != nil {
		return c.Scale()
	}
	return 1
}

// status is what the tile reports: its configuration problem, or its
// active session's status.
func (t *Tile) status() player.Status {
	if t.cam.err != nil {
		return player.Status{State: player.StateFailed, Reason: t.cam.err.Error()}
	}
	return t.cam.active().Status()
}

// updateStatus refreshes the overlay when what it would show has changed,
// and returns the status shown. Runs on the UI goroutine.
func (t *Tile) updateStatus(now time.Time) player.Status {
	st := t.status()
	if d := now.Sub(t.fpsSince); d >= time.Second {
		t.ui.countPainted(t.cam, t.pic.painted, now) // before takePainted clears it
		t.paintedFPS = float64(t.pic.takePainted()) / d.Seconds()
		t.fpsSince = now
	}
	state, reason, colour := describe(st, now)
	switch {
	case st.State == player.StateLive:
		t.everLive, t.offlineSince = true, time.Time{}
	case t.everLive && t.offlineSince.IsZero():
		t.offlineSince = now
	}
	offline := ""
	if !t.offlineSince.IsZero() {
		offline = offlineLine(t.offlineSince, now)
	}
	// In kiosk mode a pointer left resting on a tile is not someone
	// looking at it: hover shows statistics only while the pointer moves.
	hover := t.hovered && (t.ui == nil || !t.ui.pointerResting(now))
	showStats := hover || (t.ui != nil && t.ui.showStats)
	var stats [3]string
	if showStats {
		stats = statsLines(st, t.paintedFPS, reduction(st, t.paintedFPS, t.Visible()))
	}
	rec := ""
	if r := t.cam.recorder; r != nil {
		rec = "● REC"
		if e := r.session.Status().RecordError; e != "" {
			rec = "● REC stopped: " + e
		}
	}
	text := state + "\x00" + reason + "\x00" + offline + "\x00" + strings.Join(stats[:], "\x00") + "\x00" + rec
	if text == t.shownText {
		return st
	}
	t.shownText = text
	t.recText = rec
	t.stateText, t.reasonText, t.offlineText, t.statsText = state, reason, offline, stats
	t.dot.FillColor = colour
	// Never pass a frozen picture off as live: dim it while not live. The
	// last picture stays, dimmed, so the wall keeps its look.
	if st.State == player.StateLive {
		t.dim.Hide()
	} else {
		t.dim.Show()
	}
	t.Refresh()
	return st
}

// describe returns the state word, the reason line and the dot colour.
func describe(st player.Status, now time.Time) (string, string, color.Color) {
	switch st.State {
	case player.StateLive:
		return fmt.Sprintf("live · %dx%d %s", st.Width, st.Height, st.Codec), "", liveColour
	case player.StateConnecting, player.StateIdle:
		return "connecting…", "connecting…", warnColour
	case player.StateReconnecting:
		return "reconnecting", st.Reason + " · " + nextTry(st.RetryAt, now), warnColour
	case player.StateFailed:
		return "error", st.Reason, errorColour
	default:
		return st.State.String(), "", warnColour
	}
}

// nextTry says when a reconnecting camera tries again: in seconds up to a
// minute, in minutes up to ten (a slow retry waits up to 5 min), and as a
// time of day beyond, which a user glancing at the wall can compare with the
// clock. F5 is the way to try now.
func nextTry(at, now time.Time) string {
	wait := at.Sub(now)
	switch {
	case wait <= 0:
		return "retrying now"
	case wait <= time.Minute:
		return fmt.Sprintf("retry in %ds", int(math.Ceil(wait.Seconds())))
	case wait < 10*time.Minute:
		return fmt.Sprintf("retry in %d min (F5: now)", int(math.Ceil(wait.Minutes())))
	default:
		return "next try " + at.Local().Format("15:04") + " (F5: now)"
	}
}

// statsLines is the statistics overlay: what a user debugging a camera asks
// first (is it receiving, is it decoding and painting everything, how late
// is it, and if not everything, why; how the stream travels, and why not
// over UDP when the automatic transport gave it up). The codec and size are
// in the state line above.
func statsLines(st player.Status, paintedFPS float64, reduced string) [3]string {
	latency := "n/a"
	if st.Latency > 0 {
		latency = fmt.Sprintf("%d ms", st.Latency.Milliseconds())
	}
	// Which decoder, in a word: why software is for probe and the log.
	dec := "sw"
	if st.Hardware != "" {
		dec = st.Hardware
	}
	if st.LightDecode {
		// Deblocking skipped for a tile at half the camera's size or less.
		dec += ", light"
	}
	over := ""
	if st.Transport != "" {
		over = " · " + st.Transport
	}
	why := reduced
	if st.TransportNote != "" {
		why = strings.TrimPrefix(reduced+" · "+st.TransportNote, " · ")
	}
	return [3]string{
		fmt.Sprintf("rx %.1f · dec %.1f (%s) · painted %.1f fps", st.ReceivedFPS, st.DecodedFPS, dec, paintedFPS),
		fmt.Sprintf("%.2f Mb/s%s · dropped %d · latency %s", st.Bitrate/1e6, over, st.Dropped, latency),
		why,
	}
}

// StatsText is the statistics overlay as shown, one line per row, top down.
func (t *Tile) StatsText() string {
	var lines []string
	for i := len(t.Stats) - 1; i >= 0; i-- {
		if t.Stats[i].Visible() {
			lines = append(lines, t.Stats[i].Text)
		}
	}
	return strings.Join(lines, "\n")
}

type tileRenderer struct {
	t       *Tile
	objects []fyne.CanvasObject
}

func (r *tileRenderer) Layout(size fyne.Size) {
	t := r.t
	for _, o := range []fyne.CanvasObject{t.bg, t.dim} {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
	const edge = 2
	for i, r := range []fyne.Position{{}, {Y: size.Height - edge}, {}, {X: size.Width - edge}} {
		t.edges[i].Move(r)
		if i < 2 {
			t.edges[i].Resize(fyne.NewSize(size.Width, edge))
		} else {
			t.edges[i].Resize(fyne.NewSize(edge, size.Height))
		}
	}
	pad := theme.Padding()
	barH := t.Name.MinSize().Height + pad
	t.bar.Move(fyne.NewPos(0, 0))
	t.bar.Resize(fyne.NewSize(size.Width, barH))
	dotD := barH / 2
	t.dot.Move(fyne.NewPos(pad, (barH-dotD)/2))
	t.dot.Resize(fyne.NewSize(dotD, dotD))
	t.layoutTexts(size, pad, barH, dotD)

	// Tell the sessions the size in device pixels, so that each picture is
	// scaled exactly once, in the decoder goroutine, never on the UI thread.
	scale := t.canvasScale()
	t.pic.place(size, scale)
	t.layoutLetterbox(size)
	w, h := int(size.Width*scale), int(size.Height*scale)
	// Hidden behind a focused tile: scale nothing, and decode keyframes
	// only, so that the focused camera gets the CPU (the hidden picture is
	// then at most one keyframe interval old when focus ends, and back to
	// every frame from the next keyframe).
	if !t.Visible() {
		w, h = 0, 0
	}
	for _, sess := range []*player.Session{t.cam.grid, t.cam.main} {
		if sess != nil {
			sess.SetTileSize(w, h)
			sess.SetHidden(!t.Visible())
		}
	}
}

func (r *tileRenderer) MinSize() fyne.Size { return minCell }

// warmUp makes a hidden tile's sessions decode every frame at the size
// the tile is about to have, ahead of a tour's switch to it.
func (t *Tile) warmUp(size fyne.Size) {
	scale := t.canvasScale()
	for _, sess := range []*player.Session{t.cam.grid, t.cam.main} {
		if sess != nil {
			sess.SetTileSize(int(size.Width*scale), int(size.Height*scale))
			sess.SetHidden(false)
		}
	}
}

// Refresh redraws the overlay. The picture is refreshed only when it
// changes, and the buttons are not: a status line changes every second with
// statistics on, and re-rasterising two icons per tile each time is wasted
// work on the UI thread (a theme change refreshes every widget itself).
func (r *tileRenderer) Refresh() {
	t := r.t
	r.Layout(t.Size())
	for _, o := range r.objects {
		if o != t.pic.Raster && o != t.SnapshotButton && o != t.RecordButton {
			o.Refresh()
		}
	}
}

func (r *tileRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *tileRenderer) Destroy()                     {}
