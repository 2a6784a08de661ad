package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/player/gopro"
	"github.com/camwall/camwall/player/redact"
	"github.com/camwall/camwall/storage"
)

// testTimeout bounds "Test connection".
const testTimeout = 10 * time.Second

// CameraForm is the add / edit camera dialog. Its widgets are exported so
// that tests can fill and tap them.
type CameraForm struct {
	Name, URL, Substream, User, Password, PasswordEnv, Fingerprint *widget.Entry
	Transport                                                      *widget.Select
	TestButton, SaveButton, CancelButton                           *widget.Button
	// Result shows the outcome of Test connection, or why Save refused.
	Result *widget.Label
	// FindGoProButton runs GoPro discovery; GoPros lists what it found.
	FindGoProButton *widget.Button
	GoPros          *widget.Select
	// FindONVIFButton opens the ONVIF dialog, which fills this one.
	FindONVIFButton *widget.Button

	ui     *UI
	index  int // camera being edited, -1 for a new one
	dialog dialog.Dialog
	tested chan struct{}
	// found is the last discovery's cameras, in GoPros' order; discovered
	// is closed when it has been shown.
	found      []gopro.Found
	discovered chan struct{}
}

// Discovered is closed when the last "Find GoPro" has shown its result.
func (f *CameraForm) Discovered() <-chan struct{} { return f.discovered }

// Tested is closed when the last Test connection has shown its result.
func (f *CameraForm) Tested() <-chan struct{} { return f.tested }

// Form is the camera dialog currently open, nil when none is (for tests).
func (u *UI) Form() *CameraForm { return u.form }

func (u *UI) menu() *fyne.MainMenu {
	return fyne.NewMainMenu(
		fyne.NewMenu("camwall", fyne.NewMenuItem("Settings… (Ctrl+,)", func() { u.SettingsDialog() })),
		fyne.NewMenu("Cameras",
			fyne.NewMenuItem("Add camera…", u.AddCameraDialog),
			fyne.NewMenuItem("Add GoPro…", u.AddGoProDialog),
			fyne.NewMenuItem("Find ONVIF cameras… (Ctrl+D)", u.FindONVIFDialog),
			fyne.NewMenuItem("Edit selected camera…", u.EditCameraDialog),
			fyne.NewMenuItem("Remove selected camera…", u.RemoveCameraDialog),
			fyne.NewMenuItem("Retry selected camera now (F5)", func() { u.Retry(u.selected) }),
			fyne.NewMenuItem("Export a clip of the selected camera… (X)", func() { u.ExportClipDialog(u.selected) }),
		),
		fyne.NewMenu("View",
			fyne.NewMenuItem("Focus selected tile (Enter)", u.ToggleFocus),
			fyne.NewMenuItem("Statistics on all tiles (I)", u.ToggleStats),
			fyne.NewMenuItem("Full screen (F11)", func() { u.Window.SetFullScreen(!u.Window.FullScreen()) }),
			fyne.NewMenuItem("Kiosk mode (Ctrl+Alt+K)", func() { u.SetKiosk(true) }),
			fyne.NewMenuItem("Keyboard help (F1)", u.ToggleHelp),
		),
		u.layoutsMenu(),
	)
}

// layoutsMenu lists the views keys 1–9 switch between.
func (u *UI) layoutsMenu() *fyne.Menu {
	m := fyne.NewMenu("Layouts")
	for i, v := range u.views() {
		label := u.viewName(v)
		if i < 9 {
			label = fmt.Sprintf("%s (%d)", label, i+1)
		}
		item := fyne.NewMenuItem(label, func() { u.ShowView(i) })
		item.Checked = i == u.view
		m.Items = append(m.Items, item)
	}
	return m
}

// AddCameraDialog opens an empty camera form.
func (u *UI) AddCameraDialog() {
	if u.editable() {
		u.openForm(-1, storage.Camera{Transport: "auto"})
	}
}

// EditCameraDialog opens the form for the selected camera. Demo cameras are
// not editable: the form adds a new camera instead.
func (u *UI) EditCameraDialog() {
	if !u.editable() {
		return
	}
	if len(u.cfg.Cameras) == 0 || u.selected < 0 || u.selected >= len(u.cfg.Cameras) {
		u.AddCameraDialog()
		return
	}
	u.openForm(u.selected, u.cfg.Cameras[u.selected])
}

// RemoveCameraDialog asks before removing the selected camera.
func (u *UI) RemoveCameraDialog() {
	if !u.editable() {
		return
	}
	i := u.selected
	if len(u.cfg.Cameras) == 0 || i < 0 || i >= len(u.cfg.Cameras) {
		return
	}
	name := u.cfg.Cameras[i].Name
	dialog.ShowConfirm("Remove camera", fmt.Sprintf("Remove %q from the wall?", name), func(ok bool) {
		if ok {
			u.RemoveCamera(i)
		}
	}, u.Window)
}

// RemoveCamera removes camera i, saves and rebuilds the wall.
func (u *UI) RemoveCamera(i int) {
	cfg := u.cfg.Clone()
	cfg.ForgetCamera(cfg.Cameras[i].Name) // its tiles leave the layouts
	cfg.Cameras = slices.Delete(cfg.Cameras, i, i+1)
	if cfg.Grid.Rows*cfg.Grid.Columns < len(cfg.Cameras) {
		cfg.Grid = storage.Grid{}
	}
	if u.save(cfg) {
		u.replace(cfg)
	}
}

func (u *UI) openForm(index int, c storage.Camera) {
	f := &CameraForm{ui: u, index: index}
	entry := func(text, placeholder string) *widget.Entry {
		e := widget.NewEntry()
		e.SetText(text)
		e.SetPlaceHolder(placeholder)
		return e
	}
	f.Name = entry(c.Name, "Front door")
	f.URL = entry(c.URL, "rtsp://192.0.2.10:554/stream1 or gopro://10.5.5.9")
	f.Substream = entry(c.Substream, "optional: rtsp://192.0.2.10:554/stream2")
	f.User = entry(c.User, "optional")
	f.Password = widget.NewPasswordEntry()
	f.Password.SetText(c.Password)
	f.PasswordEnv = entry(c.PasswordEnv, "optional: read the password from this variable")
	f.Fingerprint = entry(c.Fingerprint, "optional, rtsps:// only: SHA-256 of the camera's certificate")
	transport := c.Transport
	if transport == "" {
		transport = "auto"
	}
	f.Transport = widget.NewSelect([]string{"auto", "tcp", "udp"}, nil)
	f.Transport.SetSelected(transport)
	f.Result = widget.NewLabel("")
	f.Result.Wrapping = fyne.TextWrapWord
	f.TestButton = widget.NewButton("Test connection", f.test)
	f.SaveButton = widget.NewButton("Save", f.save)
	f.SaveButton.Importance = widget.HighImportance
	f.CancelButton = widget.NewButton("Cancel", f.close)

	f.FindONVIFButton = widget.NewButton("Find ONVIF cameras…", u.FindONVIFDialog)
	form := widget.NewForm(
		f.goProItems(),
		widget.NewFormItem("ONVIF", container.NewHBox(f.FindONVIFButton)),
		widget.NewFormItem("Name", f.Name),
		widget.NewFormItem("URL", f.URL),
		widget.NewFormItem("Substream", f.Substream),
		widget.NewFormItem("Transport", f.Transport),
		widget.NewFormItem("User", f.User),
		widget.NewFormItem("Password", f.Password),
		widget.NewFormItem("Password variable", f.PasswordEnv),
		widget.NewFormItem("Fingerprint", f.Fingerprint),
	)
	buttons := container.NewHBox(f.TestButton, layout.NewSpacer(), f.CancelButton, f.SaveButton)
	content := container.NewVBox(form, f.Result, buttons)
	title := "Add camera"
	if index >= 0 {
		title = "Edit camera"
	}
	f.dialog = dialog.NewCustomWithoutButtons(title, content, u.Window)
	f.dialog.Resize(fyne.NewSize(640, 0))
	u.form = f
	f.dialog.Show()
}

// camera reads the form.
func (f *CameraForm) camera() storage.Camera {
	t := f.Transport.Selected
	if t == "auto" {
		t = ""
	}
	return storage.Camera{
		Name:        strings.TrimSpace(f.Name.Text),
		URL:         strings.TrimSpace(f.URL.Text),
		Substream:   strings.TrimSpace(f.Substream.Text),
		Transport:   t,
		User:        strings.TrimSpace(f.User.Text),
		Password:    f.Password.Text,
		PasswordEnv: strings.TrimSpace(f.PasswordEnv.Text),
		Fingerprint: strings.TrimSpace(f.Fingerprint.Text),
	}
}

// config is the configuration with the form's camera put in place.
func (f *CameraForm) config() storage.Config {
	cfg := f.ui.cfg.Clone()
	if f.index >= 0 {
		old := cfg.Cameras[f.index].Name
		cfg.Cameras[f.index] = f.camera()
		cfg.RenameCamera(old, cfg.Cameras[f.index].Name) // layouts follow a rename
	} else {
		cfg.Cameras = append(cfg.Cameras, f.camera())
	}
	if cfg.Grid.Rows*cfg.Grid.Columns > 0 && cfg.Grid.Rows*cfg.Grid.Columns < len(cfg.Cameras) {
		cfg.Grid = storage.Grid{} // the explicit grid no longer holds them all
	}
	return cfg
}

func (f *CameraForm) save() {
	cfg := f.config()
	if err := cfg.Validate(); err != nil {
		f.Result.SetText("Not saved: " + err.Error())
		return
	}
	if !f.ui.save(cfg) {
		f.Result.SetText("Not saved: the configuration file could not be written")
		return
	}
	f.close()
	f.ui.replace(cfg)
}

func (f *CameraForm) close() {
	f.dialog.Hide()
	if f.ui.form == f {
		f.ui.form = nil
	}
}

// test runs a headless session against the form's camera and reports codec
// and resolution, or the exact reason a tile would show.
func (f *CameraForm) test() {
	cfg, err := player.CameraConfig(f.camera(), false)
	if err != nil {
		f.Result.SetText("✗ " + err.Error())
		return
	}
	cfg.Dial = f.ui.opts.Dial
	cfg.DefaultHWAccel(f.ui.opts.HWAccel, f.ui.cfg.HWAccel)
	// A GoPro streams to one host port at a time, and a second session
	// would stop the wall's stream when it ends: a GoPro already on the
	// wall is reported as its tile sees it.
	if st, ok := f.ui.goProStatus(cfg.URL); ok {
		f.Result.SetText(testResult(st, nil) + " (already playing on the wall)")
		done := make(chan struct{})
		close(done)
		f.tested = done
		return
	}
	f.Result.SetText("Testing " + redact.URL(cfg.URL) + " …")
	f.TestButton.Disable()
	done := make(chan struct{})
	f.tested = done
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		st, err := player.Probe(ctx, cfg, 0, 0, nil)
		msg := testResult(st, err)
		fyne.Do(func() {
			f.Result.SetText(msg)
			f.TestButton.Enable()
			close(done)
		})
	}()
}

func (u *UI) showError(title string, err error) {
	if u.kiosk {
		u.notify(fmt.Sprintf("%s: %v", title, err)) // nothing waits for a click
		return
	}
	dialog.ShowError(fmt.Errorf("%s: %w", title, err), u.Window)
}

// testResult is Test connection's answer for a probe that ended with st and
// err.
func testResult(st player.Status, err error) string {
	switch {
	case err != nil:
		return "✗ " + err.Error()
	case st.State != player.StateLive:
		return "✗ " + st.State.String() + ": " + st.Reason
	}
	return fmt.Sprintf("✓ live: %s %dx%d", st.Codec, st.Width, st.Height)
}
