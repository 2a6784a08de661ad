package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"

	"github.com/camwall/camwall/storage"
)

// contains tells whether o is somewhere in the object tree under root.
func contains(root, o fyne.CanvasObject) bool {
	if root == o {
		return true
	}
	switch c := root.(type) {
	case *fyne.Container:
		for _, child := range c.Objects {
			if contains(child, o) {
				return true
			}
		}
	}
	return false
}

func TestKioskShowsTheWallAloneFullScreenAndCanBeLeft(t *testing.T) {
	for _, tc := range []struct {
		behaviour string
		opts      Options
	}{
		{"--kiosk", Options{Kiosk: true, Config: storage.Config{Cameras: cameras(2, deadURL)}}},
		{"kiosk: true in the configuration", Options{Config: storage.Config{Kiosk: true, Cameras: cameras(2, deadURL)}}},
	} {
		t.Run(tc.behaviour, func(t *testing.T) {
			ui := newUI(t, tc.opts)
			ui.Window.Show()
			content := ui.Window.Content()
			if !ui.Kiosk() || !ui.Window.FullScreen() || ui.Window.MainMenu() != nil {
				t.Fatalf("kiosk %v, full screen %v, menu %v: want kiosk, full screen, no menu", ui.Kiosk(), ui.Window.FullScreen(), ui.Window.MainMenu())
			}
			if contains(content, ui.Toolbar) || contains(content, ui.StatusBar) || !contains(content, ui.Grid) {
				t.Fatal("kiosk mode shows the toolbar or status bar, or not the wall")
			}
			shortcut(ui, &desktop.CustomShortcut{KeyName: fyne.KeyK, Modifier: fyne.KeyModifierControl | fyne.KeyModifierAlt})
			if ui.Kiosk() || ui.Window.FullScreen() || ui.Window.MainMenu() == nil || !contains(ui.Window.Content(), ui.Toolbar) {
				t.Fatal("Ctrl+Alt+K does not give the desktop window back")
			}
		})
	}
}

// shortcut delivers a shortcut to the window as the driver does.
func shortcut(ui *UI, s fyne.Shortcut) {
	ui.Window.Canvas().(interface{ TypedShortcut(fyne.Shortcut) }).TypedShortcut(s)
}

func TestKioskRefusesEditsWithAMessageOverTheWallNotADialog(t *testing.T) {
	ui := newUI(t, Options{Kiosk: true, Config: storage.Config{Cameras: cameras(2, deadURL)}})
	ui.Window.Show()
	edits := []struct {
		behaviour string
		do        func()
	}{
		{"Ctrl+N", func() {
			shortcut(ui, &desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault})
		}},
		{"Ctrl+E", func() {
			shortcut(ui, &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault})
		}},
		{"Ctrl+G", func() {
			shortcut(ui, &desktop.CustomShortcut{KeyName: fyne.KeyG, Modifier: fyne.KeyModifierShortcutDefault})
		}},
		{"Ctrl+D", func() {
			shortcut(ui, &desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: fyne.KeyModifierShortcutDefault})
		}},
		{"Delete", func() { pressKey(ui.Window.Canvas(), fyne.KeyDelete) }},
	}
	for _, e := range edits {
		t.Run(e.behaviour, func(t *testing.T) {
			ui.over.Notice.Text = ""
			e.do()
			if ui.form != nil || len(ui.Window.Canvas().Overlays().List()) > 0 {
				t.Fatal("an edit dialog opened in kiosk mode")
			}
			if !ui.over.notice.Visible() || !strings.Contains(ui.over.Notice.Text, "Ctrl+Alt+K") {
				t.Errorf("notice %q (shown %v), want how to leave kiosk mode", ui.over.Notice.Text, ui.over.notice.Visible())
			}
		})
	}
	// Watching goes on: the views and the statistics still answer keys.
	pressKey(ui.Window.Canvas(), fyne.KeyI)
	if !ui.showStats {
		t.Error("I does not toggle statistics in kiosk mode")
	}
}

func TestF1ShowsEveryShortcutOverTheWall(t *testing.T) {
	ui := newUI(t, Options{Config: storage.Config{Cameras: cameras(1, deadURL)}})
	pressKey(ui.Window.Canvas(), fyne.KeyF1)
	if !ui.HelpShown() {
		t.Fatal("F1 does not show the help")
	}
	var texts []string
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch c := o.(type) {
		case *fyne.Container:
			for _, child := range c.Objects {
				walk(child)
			}
		case *canvas.Text:
			texts = append(texts, c.Text)
		case *widget.Label:
			texts = append(texts, c.Text)
		}
	}
	walk(ui.over.help)
	all := strings.Join(texts, "\n")
	for _, key := range []string{"Ctrl+Alt+K", "1–9", "F5", "Ctrl+Shift+S", "F1", "Ctrl+D"} {
		if !strings.Contains(all, key) {
			t.Errorf("the help does not name %s", key)
		}
	}
	pressKey(ui.Window.Canvas(), fyne.KeyF1)
	if ui.HelpShown() {
		t.Error("F1 again does not hide the help")
	}
}

func TestTourRotatesPausesForInputAndWarmsTheNextView(t *testing.T) {
	start := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	tr := &tour{every: 30 * time.Second, order: []int{0, 2}}
	steps := []struct {
		behaviour  string
		at         time.Duration // since start
		input      bool
		current    int
		show, warm int
	}{
		{"the first view stays a period", 0, false, 0, -1, -1},
		{"nothing before the warm-up", 26 * time.Second, false, 0, -1, -1},
		{"the next view warms up shortly before", 27 * time.Second, false, 0, -1, 2},
		{"the switch comes after a period", 30 * time.Second, false, 0, 2, -1},
		{"and after the last view the first", 60 * time.Second, false, 2, 0, -1},
		{"input holds the tour", 70 * time.Second, true, 0, -1, -1},
		{"for a minute", 125 * time.Second, false, 0, -1, -1},
		{"then the view stays a whole period", 155 * time.Second, false, 0, -1, -1},
		{"before it moves on", 160 * time.Second, false, 0, 2, -1},
	}
	for _, s := range steps {
		now := start.Add(s.at)
		if s.input {
			tr.pause(now)
		}
		show, warm := tr.step(now, s.current)
		if show != s.show || warm != s.warm {
			t.Errorf("%s (at %v): show %d warm %d, want show %d warm %d", s.behaviour, s.at, show, warm, s.show, s.warm)
		}
	}
}

func TestTourOfTheConfigurationSwitchesTheWall(t *testing.T) {
	cfg := storage.Config{Cameras: cameras(4, deadURL), Layouts: []storage.Layout{spanning, only4},
		Tour: storage.Tour{Every: "10s", Layouts: []string{"yard", "door big"}}}
	ui := newUI(t, Options{Config: cfg})
	ui.Window.Resize(fyne.NewSize(800, 600))
	ui.Window.Show()
	now := time.Now()
	ui.refresh(now) // the tour starts counting
	ui.refresh(now.Add(8 * time.Second))
	if ui.warm != 1 {
		t.Errorf("2 s before the switch, view %d warms up, want the yard (1)", ui.warm)
	}
	ui.refresh(now.Add(10 * time.Second))
	if ui.View() != 1 || !ui.Tiles[3].Visible() || ui.Tiles[0].Visible() {
		t.Fatalf("after 10 s the wall shows view %d, want the yard (1) alone", ui.View())
	}
	ui.refresh(now.Add(20 * time.Second))
	if ui.View() != 0 {
		t.Fatalf("after 20 s the wall shows view %d, want door big (0)", ui.View())
	}
}

func TestOnlyAPointerThatMovesHoldsTheTour(t *testing.T) {
	cfg := storage.Config{Cameras: cameras(4, deadURL), Layouts: []storage.Layout{spanning, only4}, Tour: storage.Tour{Every: "10s"}}
	ui := newUI(t, Options{Kiosk: true, Config: cfg})
	ui.Window.Show()
	tile := ui.Tiles[0]
	tile.MouseIn(&desktop.MouseEvent{PointEvent: fyne.PointEvent{AbsolutePosition: fyne.NewPos(100, 100)}})
	tile.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{AbsolutePosition: fyne.NewPos(103, 102)}})
	if !ui.tour.pausedUntil.IsZero() {
		t.Fatal("a pointer lying under the new window, or trembling, holds the tour")
	}
	tile.MouseMoved(&desktop.MouseEvent{PointEvent: fyne.PointEvent{AbsolutePosition: fyne.NewPos(140, 100)}})
	if ui.tour.pausedUntil.IsZero() {
		t.Fatal("a pointer that moved does not hold the tour")
	}
}
