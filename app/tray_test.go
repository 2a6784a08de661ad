package app

import (
	"fmt"
	"net"
	"os"
	"path/filepath"
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
	// A socket that answers is all trayPossible looks for.
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path="+listenUnix(t, t.TempDir()))
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
	if a.trayMenu == nil {
		t.Fatal("no tray menu")
	}
	// Fyne's tray window would turn the close button into Hide.
	if a.trayWindow != nil {
		t.Error("the wall is the tray's window: closing it would no longer quit")
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

// listenUnix listens on a unix socket named bus in dir until the test
// ends, accepting and closing connections, and returns its path.
func listenUnix(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "bus")
	l, err := net.Listen("unix", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return path
}

func TestTrayNeedsASessionBusThatAnswersOnUnixDesktops(t *testing.T) {
	noBus := t.TempDir()
	withBus := t.TempDir()
	bus := listenUnix(t, withBus)
	deadBus := filepath.Join(t.TempDir(), "bus")
	if err := os.WriteFile(deadBus, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name            string
		goos, addr, xdg string
		want            bool
	}{
		{"Windows has a tray", "windows", "", noBus, true},
		{"macOS has a tray", "darwin", "", noBus, true},
		{"Linux with a session bus address", "linux", "unix:path=" + bus + ",guid=0123", noBus, true},
		{"Linux with an escaped address", "linux", "unix:path=" + strings.ReplaceAll(bus, "/", "%2f"), noBus, true},
		{"the second of two addresses answers", "linux", "unix:path=/nonexistent/bus;unix:path=" + bus, noBus, true},
		{"Linux with the bus in the runtime folder", "linux", "", withBus, true},
		{"Linux without a session bus", "linux", "", noBus, false},
		{"an address nobody listens on", "linux", "unix:path=/nonexistent/bus", withBus, false},
		{"a file that is no socket", "linux", "unix:path=" + deadBus, noBus, false},
		{"autolaunch is no bus", "linux", "autolaunch:", noBus, false},
		{"FreeBSD without a session bus", "freebsd", "", noBus, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("DBUS_SESSION_BUS_ADDRESS", tc.addr)
			t.Setenv("XDG_RUNTIME_DIR", tc.xdg)
			if got := trayPossible(tc.goos); got != tc.want {
				t.Errorf("trayPossible = %v, want %v", got, tc.want)
			}
		})
	}
}
