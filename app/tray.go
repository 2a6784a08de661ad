package app

import (
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// setupTray gives the wall a system tray menu where the app runs on a
// desktop. Closing the window still quits camwall, tray or not: the window
// is the wall, and a wall hidden behind a tray icon after its close button
// was pressed would leave a user believing the cameras stopped (and go on
// recording). "Hide window" is the way to keep it running out of sight.
func (u *UI) setupTray() {
	d, ok := u.App.(desktop.App)
	if !ok {
		return
	}
	if !trayPossible(runtime.GOOS) {
		slog.Info("no D-Bus session bus answers: no tray icon")
		return
	}
	// Fyne keeps a hidden window of its own for the tray, so without a
	// master window closing the wall would no longer end the app.
	// SetSystemTrayWindow is not called: it turns the close button into
	// Hide.
	u.Window.SetMaster()
	d.SetSystemTrayMenu(u.trayMenu())
}

// trayPossible reports whether a tray icon can be set up on goos. On the
// Unix desktops the tray is a D-Bus service, and Fyne's systray
// (fyne.io/systray as Fyne 2.7.1 pins it) panics when the app quits if it
// could not connect to the session bus, before the wall could finish its
// recordings: so the tray is set up only when the bus answers. The bus is
// found as godbus finds it, less autolaunch (which starts a bus no tray
// host listens on).
func trayPossible(goos string) bool {
	switch goos {
	case "windows", "darwin":
		return true
	}
	if addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS"); addr != "" && addr != "autolaunch:" {
		return busAnswers(addr)
	}
	dir := os.Getenv("XDG_RUNTIME_DIR")
	if dir == "" {
		dir = fmt.Sprintf("/run/user/%d", os.Getuid())
	}
	return busAnswers("unix:path=" + filepath.Join(dir, "bus"))
}

// busTimeout bounds the check of a bus address that is not a local socket.
const busTimeout = time.Second

// busAnswers reports whether one of a D-Bus address's sockets accepts a
// connection (address syntax: the D-Bus specification, "Server
// Addresses"). Transports other than unix and tcp are taken on trust.
func busAnswers(address string) bool {
	for _, one := range strings.Split(address, ";") {
		transport, params, _ := strings.Cut(one, ":")
		kv := map[string]string{}
		for _, p := range strings.Split(params, ",") {
			if k, v, ok := strings.Cut(p, "="); ok {
				kv[k] = unescapeBusValue(v)
			}
		}
		var network, addr string
		switch {
		case transport == "unix" && kv["path"] != "":
			network, addr = "unix", kv["path"]
		case transport == "unix" && kv["abstract"] != "":
			network, addr = "unix", "@"+kv["abstract"]
		case transport == "tcp" && kv["host"] != "" && kv["port"] != "":
			network, addr = "tcp", net.JoinHostPort(kv["host"], kv["port"])
		case transport == "unix" || transport == "tcp":
			continue
		default:
			return true
		}
		if c, err := net.DialTimeout(network, addr, busTimeout); err == nil {
			c.Close()
			return true
		}
	}
	return false
}

// unescapeBusValue undoes the %XX escapes of a D-Bus address value.
func unescapeBusValue(v string) string {
	if u, err := url.PathUnescape(v); err == nil {
		return u
	}
	return v
}

// trayMenu is the tray's menu. Its last item is labelled Quit so that
// Fyne adds no second one.
func (u *UI) trayMenu() *fyne.Menu {
	return fyne.NewMenu("camwall",
		fyne.NewMenuItem("Show window", func() {
			u.Window.Show()
			u.Window.RequestFocus()
		}),
		fyne.NewMenuItem("Hide window", u.Window.Hide),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Snapshot all", u.SnapshotAll),
		fyne.NewMenuItem("Record all / stop all", u.RecordAll),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem("Quit", u.App.Quit),
	)
}
