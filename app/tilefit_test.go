package app

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"github.com/camwall/camwall/storage"
)

func TestAWallOf64FitsA1280x720ScreenWithTextsThatNeverOverlap(t *testing.T) {
	for _, kiosk := range []bool{false, true} {
		t.Run(fmt.Sprintf("kiosk=%v", kiosk), func(t *testing.T) {
			cams := cameras(64, deadURL)
			for i := range cams {
				cams[i].Name = fmt.Sprintf("%dt01x360 camera by the loading bay", i+1)
			}
			ui := newUI(t, Options{Kiosk: kiosk, Config: storage.Config{Cameras: cams}})
			if min := ui.Window.Content().MinSize(); min.Width > 1280 || min.Height > 720-40 {
				t.Fatalf("the window needs at least %v, more than a 1280×720 screen with its bars", min)
			}
			ui.Window.Resize(fyne.NewSize(1280, 680))
			ui.Window.Show()
			ui.showStats = true
			ui.refresh(time.Now())
			for i, tile := range ui.Tiles {
				size := tile.Size()
				var shown []*canvas.Text
				for _, c := range []*canvas.Text{tile.Name, tile.State, tile.Rec, tile.Reason, tile.Offline, tile.Stats[0], tile.Stats[1], tile.Stats[2]} {
					if c.Visible() && c.Text != "" {
						shown = append(shown, c)
					}
				}
				if !tile.Name.Visible() || tile.Name.Text == "" {
					t.Errorf("tile %d shows no name", i)
				}
				for a, x := range shown {
					ra := textRect(x)
					if ra.Max.X > size.Width+0.5 {
						t.Errorf("tile %d (%v wide): %q runs past its edge to %.0f", i, size.Width, x.Text, ra.Max.X)
					}
					for _, y := range shown[a+1:] {
						if rb := textRect(y); overlaps(ra, rb) {
							t.Errorf("tile %d: %q and %q print over each other", i, x.Text, y.Text)
						}
					}
				}
			}
		})
	}
}

type rect struct{ Min, Max fyne.Position }

// textRect is where a text is drawn: from its position, as wide as its
// text measures (a centred text is centred in its own size).
func textRect(c *canvas.Text) rect {
	m := fyne.MeasureText(c.Text, c.TextSize, c.TextStyle)
	p := c.Position()
	if c.Alignment == fyne.TextAlignCenter && c.Size().Width > m.Width {
		p.X += (c.Size().Width - m.Width) / 2
	}
	return rect{p, fyne.NewPos(p.X+m.Width, p.Y+m.Height)}
}

func overlaps(a, b rect) bool {
	return a.Min.X < b.Max.X && b.Min.X < a.Max.X && a.Min.Y < b.Max.Y && b.Min.Y < a.Max.Y
}

func TestEllipsizeCutsToTheRoomThereIs(t *testing.T) {
	size, style := float32(14), fyne.TextStyle{}
	full := "front door, north side"
	w := fyne.MeasureText(full, size, style).Width
	tests := []struct {
		behaviour string
		width     float32
		check     func(string) bool
	}{
		{"a text that fits is whole", w, func(s string) bool { return s == full }},
		{"a text that does not is cut with an ellipsis", w / 2, func(s string) bool {
			return len(s) < len(full) && s[len(s)-len("…"):] == "…" && fyne.MeasureText(s, size, style).Width <= w/2
		}},
		{"no room at all gives nothing", 1, func(s string) bool { return s == "" }},
	}
	for _, tc := range tests {
		t.Run(tc.behaviour, func(t *testing.T) {
			if got := ellipsize(full, tc.width, size, style); !tc.check(got) {
				t.Errorf("ellipsize(%q, %.0f) = %q", full, tc.width, got)
			}
		})
	}
}
