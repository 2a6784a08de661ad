//go:build !linux || wayland

package app

import "fyne.io/fyne/v2"

// pointer would hide the mouse pointer over the window; only X11 is done
// (cursor_x11.go), elsewhere kiosk mode leaves the pointer shown.
type pointer struct{ hidden bool }

func (p *pointer) hide(fyne.Window) {}
func (p *pointer) show()            {}
func (p *pointer) close()           {}
