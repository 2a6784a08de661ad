//go:build linux && !wayland

package app

/*
#cgo LDFLAGS: -lX11
#include <X11/Xlib.h>
#include <stdlib.h>

// blankCursor is a cursor of one transparent pixel.
static Cursor blankCursor(Display *d, Window w) {
	static char bits[1] = {0};
	Pixmap p = XCreateBitmapFromData(d, w, bits, 1, 1);
	XColor black = {0};
	Cursor c = XCreatePixmapCursor(d, p, p, &black, &black, 0, 0);
	XFreePixmap(d, p);
	return c;
}

static void defineCursor(Display *d, Window w, Cursor c) { XDefineCursor(d, w, c); XFlush(d); }
static void undefineCursor(Display *d, Window w) { XUndefineCursor(d, w); XFlush(d); }
*/
import "C"

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver"
)

// pointer hides the mouse pointer over the window on X11. Fyne sets a
// cursor only when the pointer moves onto an object that wants another
// one, so a pointer resting over the wall can be hidden only by the window
// system: on a connection of camwall's own, a blank cursor is defined on
// the window, and removed again at the next movement.
type pointer struct {
	display *C.Display
	window  C.Window
	blank   C.Cursor
	hidden  bool
}

// hide hides the pointer over w; it does nothing where the window is not an
// X11 window (the test driver, Wayland) or no display opens.
func (p *pointer) hide(w fyne.Window) {
	if p.hidden {
		return
	}
	if p.display == nil {
		nw, ok := w.(driver.NativeWindow)
		if !ok {
			return
		}
		nw.RunNative(func(ctx any) {
			if x, ok := ctx.(driver.X11WindowContext); ok {
				p.window = C.Window(x.WindowHandle)
			}
		})
		if p.window == 0 {
			return
		}
		if p.display = C.XOpenDisplay(nil); p.display == nil {
			return
		}
		p.blank = C.blankCursor(p.display, p.window)
	}
	C.defineCursor(p.display, p.window, p.blank)
	p.hidden = true
}

// show brings the pointer back.
func (p *pointer) show() {
	if !p.hidden {
		return
	}
	C.undefineCursor(p.display, p.window)
	p.hidden = false
}

// close lets go of the display connection.
func (p *pointer) close() {
	if p.display != nil {
		C.XFreeCursor(p.display, p.blank)
		C.XCloseDisplay(p.display)
		p.display = nil
	}
}
