package app

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/player/gopro"
)

// noGoPro is what "Find GoPro" says when nothing answered: how to connect
// one, and the Wi-Fi addresses discovery does not look at.
const noGoPro = "No GoPro found on USB. Connect it with a USB-C data cable and switch it on (HERO9 Black or later). " +
	"Over the camera's Wi-Fi, enter gopro://10.5.5.9 (HERO9 and later) or gopro://10.5.5.9?mode=legacy (HERO4 to HERO7)."

// AddGoProDialog opens the camera form and looks for GoPros on USB at once:
// "plug it in, it appears".
func (u *UI) AddGoProDialog() {
	if !u.editable() {
		return
	}
	u.AddCameraDialog()
	u.form.findGoPro()
}

// goProItems builds the form's GoPro row: a button that runs discovery and
// a list of what it found.
func (f *CameraForm) goProItems() *widget.FormItem {
	f.FindGoProButton = widget.NewButton("Find GoPro on USB", f.findGoPro)
	// Always there, disabled until something is found: a row that
	// appears later would move the whole form under the user's pointer.
	f.GoPros = widget.NewSelect(nil, f.pickGoPro)
	f.GoPros.PlaceHolder = "(none yet)"
	f.GoPros.Disable()
	return widget.NewFormItem("GoPro", container.NewBorder(nil, nil, f.FindGoProButton, nil, f.GoPros))
}

// findGoPro runs discovery off the UI goroutine. Only here, when the user
// asks, is anything probed.
func (f *CameraForm) findGoPro() {
	f.FindGoProButton.Disable()
	f.Result.SetText("Looking for GoPros on USB…")
	done := make(chan struct{})
	f.discovered = done
	d := f.ui.opts.GoPro
	if d.Dial == nil {
		d.Dial = f.ui.opts.Dial
	}
	go func() {
		found, err := d.Discover(context.Background())
		fyne.Do(func() {
			defer close(done)
			f.FindGoProButton.Enable()
			f.showGoPros(found, err)
		})
	}()
}

// showGoPros lists what discovery found and fills the form with the first
// camera not yet on the wall.
func (f *CameraForm) showGoPros(found []gopro.Found, err error) {
	f.found = found
	if err != nil {
		f.Result.SetText("✗ GoPro discovery failed: " + err.Error())
		return
	}
	if len(found) == 0 {
		f.GoPros.Options = nil
		f.GoPros.PlaceHolder = "(none found)"
		f.GoPros.ClearSelected()
		f.GoPros.Disable()
		f.Result.SetText(noGoPro)
		return
	}
	labels := make([]string, len(found))
	pick := -1
	for i, c := range found {
		labels[i] = fmt.Sprintf("%s at %s (%s)", c.Name(), c.Address, gopro.StatusText(c.Status))
		if f.ui.hasGoPro(c.Address) {
			labels[i] += ", already on the wall"
		} else if pick < 0 {
			pick = i
		}
	}
	f.GoPros.Options = labels
	f.GoPros.Enable()
	if len(found) == 1 {
		f.Result.SetText("Found 1 GoPro. Save adds it.")
	} else {
		f.Result.SetText(fmt.Sprintf("Found %d GoPros. Save adds the one selected.", len(found)))
	}
	if pick < 0 {
		f.Result.SetText("Every GoPro found is already on the wall.")
		return
	}
	f.GoPros.SetSelectedIndex(pick)
}

// pickGoPro fills the form with a found camera, streaming to a UDP port no
// other GoPro on the wall uses.
func (f *CameraForm) pickGoPro(string) {
	i := f.GoPros.SelectedIndex()
	if i < 0 || i >= len(f.found) {
		return
	}
	c := f.found[i]
	urls := make([]string, 0, len(f.ui.cfg.Cameras))
	for j, cam := range f.ui.cfg.Cameras {
		if j != f.index {
			urls = append(urls, cam.URL)
		}
	}
	f.Name.SetText(f.ui.cfg.UniqueName(c.Name(), f.index))
	f.URL.SetText(c.URL(gopro.FreeUDPPort(urls)))
	f.Substream.SetText("")
}

// hasGoPro reports whether a configured camera is the GoPro at addr.
func (u *UI) hasGoPro(addr string) bool {
	urls := make([]string, len(u.cfg.Cameras))
	for i, c := range u.cfg.Cameras {
		urls[i] = c.URL
	}
	return gopro.Configured(urls, addr)
}

// goProStatus is the status of the wall's session on the GoPro that url
// names, if one plays it.
func (u *UI) goProStatus(url string) (player.Status, bool) {
	t, err := gopro.ParseURL(url)
	if err != nil {
		return player.Status{}, false
	}
	for _, c := range u.cameras {
		if c.grid == nil {
			continue
		}
		if o, err := gopro.ParseURL(c.grid.URL()); err == nil && o.Host == t.Host {
			return c.grid.Status(), true
		}
	}
	return player.Status{}, false
}
