package app

import (
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/camwall/camwall/storage"
)

func TestWindowOpensAtItsRememberedSize(t *testing.T) {
	defaultSize := fyne.NewSize(1280, 720)
	tests := []struct {
		name          string
		width, height float64
		want          fyne.Size // zero: the minimum size
	}{
		{"nothing remembered: the default", 0, 0, defaultSize},
		{"the size it had", 900, 500, fyne.NewSize(900, 500)},
		{"a tiny size grows to the minimum", 10, 10, fyne.Size{}},
		{"a size larger than any screen is ignored", 90000, 500, defaultSize},
		{"a negative size is ignored", -5, 500, defaultSize},
		{"NaN is ignored", math.NaN(), 500, defaultSize},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			if tc.width != 0 {
				a.Preferences().SetFloat(prefWidth, tc.width)
				a.Preferences().SetFloat(prefHeight, tc.height)
			}
			ui := New(a, Options{Config: storage.Config{Cameras: cameras(1, deadURL)}})
			t.Cleanup(ui.stopNotices)
			want := tc.want
			if want.IsZero() {
				want = ui.Window.Content().MinSize()
			}
			if got := ui.Window.Canvas().Size(); got != want {
				t.Errorf("window is %v, want %v", got, want)
			}
			if ui.Window.FullScreen() {
				t.Error("full screen without being asked")
			}
		})
	}
}

func TestWindowRemembersItsSizeAndFullScreenOnClose(t *testing.T) {
	tests := []struct {
		name       string
		kiosk      bool
		fullScreen bool
		// What the next start finds.
		wantSize       fyne.Size
		wantFullScreen bool
	}{
		{"a window", false, false, fyne.NewSize(1000, 600), false},
		{"full screen keeps the windowed size from before", false, true, fyne.NewSize(800, 450), true},
		{"a kiosk remembers nothing", true, true, fyne.NewSize(800, 450), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			a.Preferences().SetFloat(prefWidth, 800)
			a.Preferences().SetFloat(prefHeight, 450)
			ui := New(a, Options{Config: storage.Config{Cameras: cameras(1, deadURL), Kiosk: tc.kiosk}})
			t.Cleanup(ui.stopNotices)
			ui.Window.Resize(fyne.NewSize(1000, 600))
			ui.Window.SetFullScreen(tc.fullScreen)
			ui.Window.Close()

			next := New(a, Options{Config: storage.Config{Cameras: cameras(1, deadURL)}})
			t.Cleanup(next.stopNotices)
			if got := next.Window.Canvas().Size(); got != tc.wantSize {
				t.Errorf("next window is %v, want %v", got, tc.wantSize)
			}
			if next.Window.FullScreen() != tc.wantFullScreen {
				t.Errorf("next window full screen %v, want %v", next.Window.FullScreen(), tc.wantFullScreen)
			}
		})
	}
}
