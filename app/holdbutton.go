package app

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

// HoldButton acts while pressed: held(true) on press, held(false) on
// release or when the pointer leaves it pressed, so that a release
// outside the button still ends the move.
type HoldButton struct {
	widget.Button
	held    func(bool)
	pressed bool
}

func newHoldButton(icon fyne.Resource, held func(bool)) *HoldButton {
	b := &HoldButton{held: held}
	b.Icon = icon
	b.Importance = widget.LowImportance
	b.ExtendBaseWidget(b)
	return b
}

// MouseDown implements desktop.Mouseable.
func (b *HoldButton) MouseDown(*desktop.MouseEvent) { b.Press() }

// MouseUp implements desktop.Mouseable.
func (b *HoldButton) MouseUp(*desktop.MouseEvent) { b.Release() }

// MouseOut ends a press whose pointer left the button.
func (b *HoldButton) MouseOut() {
	b.Button.MouseOut()
	b.Release()
}

// Press and Release are what the pointer does; tests call them.
func (b *HoldButton) Press() {
	if !b.pressed {
		b.pressed = true
		b.held(true)
	}
}

// Release is described with Press.
func (b *HoldButton) Release() {
	if b.pressed {
		b.pressed = false
		b.held(false)
	}
}
