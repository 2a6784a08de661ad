package app

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
)

// layoutTexts places the bar's texts and buttons, the reason lines and the
// statistics in a tile of size, showing what fits.
func (t *Tile) layoutTexts(size fyne.Size, pad, barH, dotD float32) {
	width := func(s string, c *canvas.Text) float32 { return fyne.MeasureText(s, c.TextSize, c.TextStyle).Width }
	right := size.Width - pad
	btn := fyne.NewSize(barH, barH)
	// The buttons show while the user points at the tile or has selected
	// it (S and R do the same from the keyboard): on a wall nobody touches
	// they are four more objects per tile to draw at every repaint, about
	// 3 ms of a 16-tile repaint under llvmpipe.
	if (t.hovered || t.selected()) && size.Width >= 7*barH && size.Height >= 3*barH {
		t.SnapshotButton.Resize(btn)
		t.SnapshotButton.Move(fyne.NewPos(size.Width-btn.Width, 0))
		t.RecordButton.Resize(btn)
		t.RecordButton.Move(fyne.NewPos(size.Width-2*btn.Width, 0))
		showIf(t.SnapshotButton, true)
		showIf(t.RecordButton, true)
		right = size.Width - 2*btn.Width - pad
	} else {
		showIf(t.SnapshotButton, false)
		showIf(t.RecordButton, false)
	}
	nameX := 2*pad + dotD
	name := t.cam.cfg.Name
	nameW, stateW := width(name, t.Name), width(t.stateText, t.State)
	recW := float32(0)
	if t.recText != "" {
		recW = min(width(t.recText, t.Rec), width("● REC", t.Rec)) + 2*pad
	}
	nameRoom := right - nameX - recW
	// top is where what the bar leaves begins.
	top := barH
	rh := t.Reason.MinSize().Height
	switch {
	case nameX+nameW+recW+2*pad+stateW <= right:
		t.State.Text = t.stateText
		t.State.Move(fyne.NewPos(right-stateW, pad/2))
		showIf(t.State, true)
		nameRoom = nameW
	case (t.hovered || t.selected()) && size.Height >= barH+2*rh:
		// No room in the bar: below it, while the user looks at the tile.
		fitText(t.State, t.stateText, size.Width-2*pad)
		t.State.Move(fyne.NewPos(pad, barH))
		showIf(t.State, true)
		top += rh
	default:
		showIf(t.State, false)
	}
	fitText(t.Name, name, max(0, nameRoom))
	t.Name.Move(fyne.NewPos(nameX, pad/2))
	if t.recText != "" {
		x := nameX + width(t.Name.Text, t.Name) + 2*pad
		fitText(t.Rec, t.recText, max(0, right-x))
		t.Rec.Move(fyne.NewPos(x, pad/2))
	}
	showIf(t.Rec, t.recText != "")

	// The reason, and above it since when the camera is offline, in the
	// middle of what the bar leaves.
	lines := 0
	if t.reasonText != "" {
		lines++
	}
	if t.offlineText != "" {
		lines++
	}
	for lines > 0 && top+float32(lines)*rh > size.Height {
		lines--
	}
	y := top + (size.Height-top-float32(lines)*rh)/2
	offline := t.offlineText != "" && lines == 2 || t.reasonText == "" && lines == 1
	reason := t.reasonText != "" && lines >= 1
	for _, c := range []*canvas.Text{t.Reason, t.Offline} {
		c.Resize(fyne.NewSize(size.Width, rh))
	}
	fitText(t.Offline, t.offlineText, size.Width-2*pad)
	fitText(t.Reason, t.reasonText, size.Width-2*pad)
	if offline {
		t.Offline.Move(fyne.NewPos(0, y))
		y += rh
	}
	if reason {
		t.Reason.Move(fyne.NewPos(0, y))
		y += rh
	}
	if lines > 0 {
		top = y
	}
	showIf(t.Offline, offline)
	showIf(t.Reason, reason)

	// Statistics, bottom up, as many lines as there is room for below the
	// rest; the first ones are the ones kept.
	lineH := t.Stats[0].MinSize().Height
	room := int((size.Height - top - pad) / lineH)
	y = size.Height - pad/2
	shown := false
	for i, line := range t.Stats {
		full := t.statsText[i]
		if full == "" || i >= room {
			showIf(line, false)
			continue
		}
		fitText(line, full, size.Width-2*pad)
		y -= lineH
		line.Move(fyne.NewPos(pad, y))
		showIf(line, true)
		shown = true
	}
	t.statBg.Move(fyne.NewPos(0, y-pad/2))
	t.statBg.Resize(fyne.NewSize(size.Width, size.Height-y+pad/2))
	showIf(t.statBg, shown)
}

// showIf shows or hides o.
func showIf(o fyne.CanvasObject, on bool) {
	if on {
		o.Show()
	} else {
		o.Hide()
	}
}

// selected tells whether the keyboard selection is on this tile.
func (t *Tile) selected() bool { return t.ui != nil && t.ui.selected == t.index }

// A tile shows what fits it. On a wall of 64 small tiles, texts laid out
// for a large tile would print over each other; instead each text is cut
// with an ellipsis to the room it has, and what has no room at all steps
// aside in this order: the state words (shown below the bar while the tile
// is hovered or selected), the buttons, the statistics lines from the top,
// the reason. The state dot and the name always show.

// fitText shows full in t, cut with "…" to width.
func fitText(t *canvas.Text, full string, width float32) {
	cut := ellipsize(full, width, t.TextSize, t.TextStyle)
	if cut != t.Text {
		t.Text = cut
	}
}

// ellipsize is s, or its longest beginning that fits width followed by
// "…", or "" when not even that fits.
func ellipsize(s string, width, size float32, style fyne.TextStyle) string {
	if s == "" || fyne.MeasureText(s, size, style).Width <= width {
		return s
	}
	r := []rune(s)
	lo, hi := 0, len(r) // the fitting prefix length lies in [lo, hi)
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if fyne.MeasureText(string(r[:mid])+"…", size, style).Width <= width {
			lo = mid
		} else {
			hi = mid
		}
	}
	if lo == 0 && fyne.MeasureText(string(r[:1])+"…", size, style).Width > width {
		return ""
	}
	return string(r[:max(lo, 1)]) + "…"
}

// offlineLine says since when a camera that was live is not: the time of
// day, with the date once it is not today, and for how long.
func offlineLine(since, now time.Time) string {
	at := since.Local().Format("15:04")
	if y, m, d := since.Local().Date(); y != now.Local().Year() || m != now.Local().Month() || d != now.Local().Day() {
		at = since.Local().Format("2 Jan 15:04")
	}
	return fmt.Sprintf("offline since %s (%s)", at, roughDuration(now.Sub(since)))
}

// roughDuration is d as a person glancing at a wall reads it.
func roughDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%d min", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%d h %d min", int(d.Hours()), int(d.Minutes())%60)
	default:
		return fmt.Sprintf("%d d", int(d.Hours()/24))
	}
}
