package app

import (
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/camwall/camwall/storage"
)

func TestDraggingATileOntoAnotherSwapsThemAndSavesTheWall(t *testing.T) {
	tests := []struct {
		behaviour string
		cfg       storage.Config
		drag      int // tile dragged onto the next one
		check     func(t *testing.T, saved *storage.Config)
	}{
		{"the plain grid swaps the cameras' order", storage.Config{Cameras: cameras(4, deadURL)}, 0, func(t *testing.T, saved *storage.Config) {
			if saved.Cameras[0].Name != "cam 2" || saved.Cameras[1].Name != "cam 1" {
				t.Errorf("saved order %s, %s; want cam 2, cam 1", saved.Cameras[0].Name, saved.Cameras[1].Name)
			}
		}},
		{"a layout swaps the cameras of its two cells", storage.Config{Cameras: cameras(4, deadURL), Layouts: []storage.Layout{spanning}}, 1, func(t *testing.T, saved *storage.Config) {
			tiles := saved.Layouts[0].Tiles
			if tiles[1].Camera != "cam 3" || tiles[2].Camera != "cam 2" || saved.Cameras[1].Name != "cam 2" {
				t.Errorf("saved layout %+v, want cam 2 and cam 3 swapped and the cameras' order kept", tiles)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.behaviour, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "config.yaml")
			ui := newUI(t, Options{Config: tc.cfg, ConfigPath: path})
			ui.Window.Resize(fyne.NewSize(800, 600))
			ui.Window.Show()
			from, to := ui.Tiles[tc.drag], ui.Tiles[tc.drag+1]
			start := fyne.CurrentApp().Driver().AbsolutePositionForObject(from).Add(fyne.NewPos(20, 40))
			end := fyne.CurrentApp().Driver().AbsolutePositionForObject(to).Add(fyne.NewPos(20, 40))
			test.Drag(ui.Window.Canvas(), start, end.X-start.X, end.Y-start.Y)
			saved, err := storage.LoadConfig(path)
			if err != nil {
				t.Fatalf("the swap was not saved: %v", err)
			}
			tc.check(t, saved)
			if ui.Tiles[tc.drag].Name.Text != ui.cfg.Cameras[tc.drag].Name {
				t.Error("the wall does not show the saved order")
			}
		})
	}
}

func TestDraggingDoesNothingInKioskMode(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config.yaml")
	ui := newUI(t, Options{Kiosk: true, Config: storage.Config{Cameras: cameras(2, deadURL)}, ConfigPath: path})
	ui.Window.Resize(fyne.NewSize(800, 400))
	ui.Window.Show()
	test.Drag(ui.Window.Canvas(), fyne.NewPos(100, 100), 400, 0)
	if _, err := storage.LoadConfig(path); err == nil {
		t.Error("a drag in kiosk mode saved the configuration")
	}
}
