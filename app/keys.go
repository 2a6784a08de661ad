package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
)

// Shortcuts, documented in README.md:
//
//	arrows        move the selection
//	1–9           show layout (or page) 1–9; also the View menu
//	F1            the help overlay on / off
//	Ctrl+Alt+K    leave kiosk mode (or enter it)
//	Enter         focus the selected tile / back to the grid (also double-click)
//	Escape        back to the grid
//	F11           full screen on / off
//	I             statistics on every tile on / off (hover shows one tile's)
//	S             snapshot of the selected tile (also its camera button)
//	Ctrl+Shift+S  snapshot of every tile (also the toolbar's camera button)
//	R             start / stop recording the selected camera (also its record button)
//	Ctrl+Shift+R  record every camera / stop all (also the toolbar's record button)
//	X             export a clip of the selected camera's recordings
//	F5            retry the selected camera now, ending its wait (also in the Cameras menu)
//	Ctrl+N        add a camera
//	Ctrl+G        add a GoPro (looks for GoPros on USB at once)
//	Ctrl+D        find ONVIF cameras (probes the network at once)
//	Ctrl+E        edit the selected camera
//	Delete        remove the selected camera
//	Ctrl+,        settings
//
// On a focused PTZ camera, arrows, + / - and 1–9 steer it instead (ptz.go).
func (u *UI) bindKeys() {
	u.Window.Canvas().SetOnTypedKey(u.typedKey)
	// Held keys steer a PTZ camera (ptz.go): only a desktop canvas tells
	// when a key goes down and up.
	if dc, ok := u.Window.Canvas().(desktop.Canvas); ok {
		dc.SetOnKeyDown(func(ev *fyne.KeyEvent) { u.ptz.KeyDown(ev.Name) })
		dc.SetOnKeyUp(func(ev *fyne.KeyEvent) { u.ptz.KeyUp(ev.Name) })
	}
	u.Window.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyN, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { u.AddCameraDialog() })
	u.Window.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyG, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { u.AddGoProDialog() })
	u.Window.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyD, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { u.FindONVIFDialog() })
	u.Window.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { u.EditCameraDialog() })
	u.Window.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyS, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift},
		func(fyne.Shortcut) { u.SnapshotAll() })
	u.Window.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyR, Modifier: fyne.KeyModifierShortcutDefault | fyne.KeyModifierShift},
		func(fyne.Shortcut) { u.RecordAll() })
	u.Window.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyK, Modifier: fyne.KeyModifierControl | fyne.KeyModifierAlt},
		func(fyne.Shortcut) { u.SetKiosk(!u.kiosk) })
	u.Window.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyComma, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) { u.SettingsDialog() })
}

func (u *UI) typedKey(ev *fyne.KeyEvent) {
	u.userActive()
	if u.ptz.typed(ev.Name) {
		return
	}
	if n, ok := viewKey(ev.Name); ok {
		u.ShowView(n)
		return
	}
	switch ev.Name {
	case fyne.KeyLeft, fyne.KeyRight, fyne.KeyUp, fyne.KeyDown:
		u.moveSelection(ev.Name)
	case fyne.KeyF1:
		u.ToggleHelp()
	case fyne.KeyReturn, fyne.KeyEnter:
		u.ToggleFocus()
	case fyne.KeyEscape:
		// The dialog on top first: Fyne's custom dialogs do not close
		// on Escape by themselves.
		switch {
		case u.onvif != nil && u.onvif.shown:
			u.onvif.close()
		case u.export != nil && u.export.shown:
			u.export.close()
		case u.form != nil:
			u.form.close()
		case u.layout.focused >= 0:
			u.ToggleFocus()
		}
	case fyne.KeyF11:
		u.Window.SetFullScreen(!u.Window.FullScreen())
	case fyne.KeyI:
		u.ToggleStats()
	case fyne.KeyS:
		u.Snapshot(u.selected)
	case fyne.KeyR:
		u.ToggleRecording(u.selected)
	case fyne.KeyF5:
		u.Retry(u.selected)
	case fyne.KeyX:
		u.ExportClipDialog(u.selected)
	case fyne.KeyDelete:
		u.RemoveCameraDialog()
	}
}

// viewKey maps keys 1–9 to views 0–8.
func viewKey(k fyne.KeyName) (int, bool) {
	if len(k) == 1 && k[0] >= '1' && k[0] <= '9' {
		return int(k[0] - '1'), true
	}
	return 0, false
}

// Retry makes camera i try to connect now instead of at its tile's "next
// try", and starts its ladder of slow retries again: for a camera whose
// password was just fixed on its side, or that was switched back on.
func (u *UI) Retry(i int) {
	if i < 0 || i >= len(u.cameras) {
		return
	}
	u.cameras[i].retry()
}

// moveSelection moves to the neighbouring tile in the arrow's direction
// (see neighbour). In focus mode it switches the focused tile too, so
// arrows page through the view's cameras.
func (u *UI) moveSelection(key fyne.KeyName) {
	i := u.neighbour(u.selected, key)
	if i < 0 {
		return
	}
	focused := u.layout.focused >= 0
	if focused {
		u.ToggleFocus()
	}
	u.Select(i)
	if focused {
		u.ToggleFocus()
	}
}
