package app

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/camwall/camwall/storage"
)

// desktopApp is the test driver's app with the desktop extensions Fyne's
// real driver has: the system tray cannot be shown under the test driver,
// so it keeps what the UI gives it, and its windows count Show and Hide.
type desktopApp struct {
	fyne.App
	trayMenu   *fyne.Menu
	trayWindow fyne.Window
	quits      int
}

var _ desktop.App = (*desktopApp)(nil)

func (a *desktopApp) SetSystemTrayMenu(m *fyne.Menu)    { a.trayMenu = m }
func (a *desktopApp) SetSystemTrayIcon(fyne.Resource)   {}
func (a *desktopApp) SetSystemTrayWindow(w fyne.Window) { a.trayWindow = w }
func (a *desktopApp) Quit()                             { a.quits++ }
func (a *desktopApp) NewWindow(title string) fyne.Window {
	return &countingWindow{Window: a.App.NewWindow(title)}
}

type countingWindow struct {
	fyne.Window
	shown, hidden int
}

func (w *countingWindow) Show() { w.shown++; w.Window.Show() }
func (w *countingWindow) Hide() { w.hidden++; w.Window.Hide() }

func TestTrayMenuItemsDriveTheWall(t *testing.T) {
	a := &desktopApp{App: test.NewTempApp(t)}
	// A camera that cannot play answers Snapshot all at once; its
	// recording starts and stops without a file.
	cfg := storage.Config{Cameras: []storage.Camera{{Name: "broken", URL: "ftp://127.0.0.1/x"}},
		Recording: storage.RecordSettings{Dir: t.TempDir()}}
	ui := New(a, Options{Config: cfg})
	t.Cleanup(func() {
		for _, c := range ui.cameras {
			c.close()
		}
		ui.stopNotices()
	})
	startSessions(ui)
	msgs := make(chan string, 8)
	ui.onNotify = func(m string) { msgs <- m }
	if a.trayMenu == nil || a.trayWindow != ui.Window {
		t.Fatalf("tray menu %v, tray window %v: want both set", a.trayMenu, a.trayWindow)
	}
	win := ui.Window.(*countingWindow)
	tests := []struct {
		label string
		did   func(t *testing.T)
	}{
		{"Hide window", func(t *testing.T) {
			if win.hidden != 1 {
				t.Errorf("window hidden %d times", win.hidden)
			}
		}},
		{"Show window", func(t *testing.T) {
			if win.shown != 1 {
				t.Errorf("window shown %d times", win.shown)
			}
		}},
		{"Snapshot all", func(t *testing.T) {
			if m := waitMessage(t, msgs); !strings.HasPrefix(m, "Snapshot not saved: broken: ") {
				t.Errorf("message %q", m)
			}
		}},
		{"Record all / stop all", func(t *testing.T) {
			if m := waitMessage(t, msgs); !strings.HasPrefix(m, "Recording broken into ") || !ui.Recording(0) {
				t.Errorf("message %q, recording %v", m, ui.Recording(0))
			}
		}},
		{"Record all / stop all", func(t *testing.T) {
			if m := waitMessage(t, msgs); !strings.HasPrefix(m, "Recording stopped") || ui.Recording(0) {
				t.Errorf("message %q, recording %v", m, ui.Recording(0))
			}
		}},
		{"Quit", func(t *testing.T) {
			if a.quits != 1 {
				t.Errorf("quit %d times", a.quits)
			}
		}},
	}
	for i, tc := range tests {
		t.Run(fmt.Sprintf("%d %s", i+1, tc.label), func(t *testing.T) {
			for _, it := range a.trayMenu.Items {
				if it.Label == tc.label {
					it.Action()
					tc.did(t)
					return
				}
			}
			t.Fatalf("no tray item %q", tc.label)
		})
	}
	// Fyne adds a Quit of its own unless the menu ends with one.
	if last := a.trayMenu.Items[len(a.trayMenu.Items)-1]; last.Label != "Quit" {
		t.Errorf("the tray menu ends with %q, not Quit", last.Label)
	}
}

func TestNoTrayWithoutADesktop(t *testing.T) {
	// The test driver's app is no desktop.App: New must not need one.
	ui := newUI(t, Options{Config: storage.Config{Cameras: cameras(1, deadURL)}})
	if _, ok := ui.App.(desktop.App); ok {
		t.Skip("the test driver's app has a tray now")
	}
	if ui.trayMenu() == nil {
		t.Error("no tray menu built")
	}
}
