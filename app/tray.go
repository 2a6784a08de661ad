package app

import (
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
	// Fyne keeps a hidden window of its own for the tray, so without a
	// master window closing the wall would no longer end the app.
	u.Window.SetMaster()
	d.SetSystemTrayMenu(u.trayMenu())
	d.SetSystemTrayWindow(u.Window)
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
