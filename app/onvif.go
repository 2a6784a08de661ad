package app

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"

	"github.com/camwall/camwall/player/onvif"
	"github.com/camwall/camwall/storage"
)

// onvifListen is how long "Find cameras" waits before saying what it found;
// devices that answer later, or announce themselves, still appear while
// the dialog is open.
const onvifListen = 3 * time.Second

// onvifReadTimeout bounds reading a device's profiles and streams.
const onvifReadTimeout = 10 * time.Second

// onvifParent is what the ONVIF dialog needs of the wall.
type onvifParent interface {
	// discoverConfig is where to look (Options.ONVIF).
	discoverConfig() onvif.DiscoverConfig
	dialer() dialer
	// configured is the name of the wall's camera on the device at xaddr,
	// "" when none is.
	configured(xaddr string) string
	// uniqueName is a name for a new camera that no other has.
	uniqueName(name string) string
	// useCamera hands over the camera read from a device: the camera
	// dialog shows it, to be checked and saved.
	useCamera(storage.Camera)
}

// ONVIFDialog finds ONVIF cameras and reads a chosen one's streams. Its
// widgets are exported so that tests can fill and tap them.
type ONVIFDialog struct {
	// Devices lists what answered; selecting one fills Address.
	Devices *widget.List
	// Address is the device to read: filled by a selection, or typed for a
	// camera discovery cannot reach (host, host:port or http:// URL).
	Address        *widget.Entry
	User, Password *widget.Entry
	FindButton     *widget.Button
	UseButton      *widget.Button
	CancelButton   *widget.Button
	// Result says what discovery found, or why reading a device failed.
	Result *widget.Label

	parent onvifParent
	dialog dialog.Dialog
	// found is what answered, in Devices' order; touched on the UI
	// goroutine only.
	found []onvif.Found
	// stop ends the running discovery; listed is closed when it has said
	// what it found within onvifListen, and read when the last "Use" has
	// shown its result.
	stop   context.CancelFunc
	listed chan struct{}
	read   chan struct{}
	// shown is set while the dialog is on screen: Escape closes it.
	shown bool
}

// Listed is closed when the last "Find cameras" has waited onvifListen and
// shown what it found.
func (d *ONVIFDialog) Listed() <-chan struct{} { return d.listed }

// Read is closed when the last "Use" has shown its result.
func (d *ONVIFDialog) Read() <-chan struct{} { return d.read }

// Found is what discovery found so far, in the list's order.
func (d *ONVIFDialog) Found() []onvif.Found { return slices.Clone(d.found) }

// newONVIFDialog builds the dialog; user and password start as given (the
// camera dialog's, when opened from it).
func newONVIFDialog(p onvifParent, win fyne.Window, user, password string) *ONVIFDialog {
	d := &ONVIFDialog{parent: p, read: make(chan struct{})}
	d.Devices = widget.NewList(func() int { return len(d.found) },
		func() fyne.CanvasObject {
			return widget.NewLabel("camera name — model at 000.000.000.000:00000 (needs a password)")
		},
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(d.label(i)) })
	d.Devices.OnSelected = d.pick
	d.Address = widget.NewEntry()
	d.Address.SetPlaceHolder("host, host:port or http://host/onvif/device_service")
	d.User = widget.NewEntry()
	d.User.SetText(user)
	d.User.SetPlaceHolder("the camera's user")
	d.Password = widget.NewPasswordEntry()
	d.Password.SetText(password)
	d.Result = widget.NewLabel("")
	d.Result.Wrapping = fyne.TextWrapWord
	d.FindButton = widget.NewButton("Find cameras", d.find)
	d.UseButton = widget.NewButton("Use this camera", d.use)
	d.UseButton.Importance = widget.HighImportance
	d.CancelButton = widget.NewButton("Cancel", d.close)

	// The list takes the dialog's width and five rows, whatever it holds.
	room := canvas.NewRectangle(color.Transparent)
	room.SetMinSize(fyne.NewSize(640, 190))
	list := container.NewStack(room, d.Devices)
	form := widget.NewForm(
		widget.NewFormItem("Address", d.Address),
		widget.NewFormItem("User", d.User),
		widget.NewFormItem("Password", d.Password),
	)
	buttons := container.NewHBox(d.FindButton, layout.NewSpacer(), d.CancelButton, d.UseButton)
	content := container.NewVBox(list, form, d.Result, buttons)
	d.dialog = dialog.NewCustomWithoutButtons("Find ONVIF cameras", content, win)
	d.dialog.SetOnClosed(func() { d.shown = false; d.stopFinding() })
	return d
}

// label is row i of the list: name (model) · address · login · on the wall.
func (d *ONVIFDialog) label(i int) string {
	if i < 0 || i >= len(d.found) {
		return ""
	}
	f := d.found[i]
	s := f.Name
	if s == "" {
		s = "(no name)"
	}
	if f.Model != "" && f.Model != f.Name {
		s += " (" + f.Model + ")"
	}
	s += " · " + f.Address
	switch {
	case f.NeedsPassword:
		s += " · needs a password"
	case f.Knocked:
		s += " · no password needed"
	}
	if n := d.parent.configured(f.XAddr); n != "" {
		s += fmt.Sprintf(" · on the wall as %q", n)
	}
	return s
}

// find probes for devices and keeps listening for announcements until the
// dialog closes. Only here, when the user asks, is anything sent.
func (d *ONVIFDialog) find() {
	d.stopFinding()
	d.found = nil
	d.Devices.UnselectAll()
	d.Devices.Refresh()
	d.Result.SetText("Looking for ONVIF cameras…")
	ctx, cancel := context.WithCancel(context.Background())
	d.stop = cancel
	listed := make(chan struct{})
	d.listed = listed
	cfg := d.parent.discoverConfig()
	cfg.Knock = true
	if cfg.Dial == nil {
		cfg.Dial = d.parent.dialer()
	}
	if a := strings.TrimSpace(d.Address.Text); a != "" && !strings.Contains(a, "/") {
		// A typed address is also probed directly: a camera on another
		// subnet, which multicast does not reach, answers that.
		cfg.To = append(slices.Clone(cfg.To), hostOf(a))
	}
	// One goroutine hands everything to the UI, one call at a time: what
	// answers, and the word after onvifListen.
	go func() {
		found := make(chan onvif.Found, 16)
		ended := make(chan error, 1)
		go func() {
			ended <- onvif.Watch(ctx, cfg, func(f onvif.Found) {
				select {
				case found <- f:
				case <-ctx.Done():
				}
			})
		}()
		said := time.After(onvifListen)
		failed := false
		for said != nil || ended != nil {
			select {
			case f := <-found:
				fyne.Do(func() { d.add(f) })
			case err := <-ended:
				ended = nil
				if err != nil && ctx.Err() == nil {
					failed = true
					fyne.Do(func() { d.Result.SetText("✗ Discovery failed: " + err.Error()) })
				}
			case <-said:
				said = nil
				fyne.DoAndWait(func() {
					if ctx.Err() == nil && !failed {
						d.sayFound()
					}
				})
				close(listed)
			}
		}
	}()
}

// hostOf is the host of a typed address, for a unicast probe.
func hostOf(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return strings.Trim(addr, "[]")
}

// add puts a found device in the list, sorted by address.
func (d *ONVIFDialog) add(f onvif.Found) {
	if slices.ContainsFunc(d.found, func(o onvif.Found) bool { return o.XAddr == f.XAddr }) {
		return
	}
	d.found = append(d.found, f)
	slices.SortStableFunc(d.found, func(a, b onvif.Found) int { return strings.Compare(a.Address, b.Address) })
	d.Devices.Refresh()
	if len(d.found) == 1 && strings.TrimSpace(d.Address.Text) == "" {
		d.Devices.Select(0)
	}
	if d.listed != nil {
		select {
		case <-d.listed: // after the first wait: say it now
			d.sayFound()
		default:
		}
	}
}

func (d *ONVIFDialog) sayFound() {
	switch n := len(d.found); n {
	case 0:
		d.Result.SetText(fmt.Sprintf("No ONVIF camera answered within %s. Cameras that announce themselves appear here while this dialog is open; "+
			"for a camera on another network, type its address and press Find cameras or Use this camera.", onvifListen))
	case 1:
		d.Result.SetText("Found 1 camera. Use this camera reads its streams.")
	default:
		d.Result.SetText(fmt.Sprintf("Found %d cameras. Use this camera reads the selected one's streams.", n))
	}
}

// pick fills Address with the selected device.
func (d *ONVIFDialog) pick(i widget.ListItemID) {
	if i < 0 || i >= len(d.found) {
		return
	}
	f := d.found[i]
	d.Address.SetText(f.XAddr)
	if f.NeedsPassword && d.Password.Text == "" {
		d.Result.SetText(f.Address + " needs a password: enter the camera's user and password, then Use this camera.")
	}
}

// use reads the device's profiles off the UI goroutine and hands the
// camera to the camera dialog.
func (d *ONVIFDialog) use() {
	xaddr, err := onvif.DeviceURL(d.Address.Text)
	if err != nil {
		d.Result.SetText("✗ " + err.Error())
		return
	}
	if n := d.parent.configured(xaddr); n != "" {
		d.Result.SetText(fmt.Sprintf("✗ This device is already on the wall as %q.", n))
		return
	}
	var found onvif.Found
	for _, f := range d.found {
		if f.XAddr == xaddr {
			found = f
		}
	}
	user, password := strings.TrimSpace(d.User.Text), d.Password.Text
	d.Result.SetText("Reading the streams of " + xaddr + " …")
	d.UseButton.Disable()
	done := make(chan struct{})
	d.read = done
	dial := d.parent.dialer()
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), onvifReadTimeout)
		defer cancel()
		cam, err := onvif.Inspect(ctx, onvif.Config{XAddr: xaddr, User: user, Password: password, Dial: dial})
		fyne.Do(func() {
			defer close(done)
			d.UseButton.Enable()
			if err != nil {
				d.Result.SetText("✗ " + onvifProblem(err))
				return
			}
			name := onvif.CameraName(found, cam.Info)
			if name == "" {
				u, _ := url.Parse(xaddr)
				name = u.Hostname()
			}
			c := storage.Camera{Name: d.parent.uniqueName(name), URL: cam.URL, Substream: cam.Substream,
				User: user, Password: password}
			d.close()
			d.parent.useCamera(c)
		})
	}()
}

// onvifProblem words a failure to read a device for the dialog.
func onvifProblem(err error) string {
	switch {
	case errors.Is(err, onvif.ErrNotAuthorized):
		return "The camera refused the user name or password."
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Sprintf("The camera did not answer within %s.", onvifReadTimeout)
	}
	return err.Error()
}

func (d *ONVIFDialog) stopFinding() {
	if d.stop != nil {
		d.stop()
		d.stop = nil
	}
}

func (d *ONVIFDialog) close() {
	d.stopFinding()
	d.shown = false
	d.dialog.Hide()
}

// FindONVIFDialog opens the ONVIF dialog and looks for cameras at once;
// from the camera dialog (from set), what it reads fills that dialog.
func (u *UI) FindONVIFDialog() {
	if !u.editable() {
		return
	}
	user, password := "", ""
	if u.form != nil {
		user, password = strings.TrimSpace(u.form.User.Text), u.form.Password.Text
	}
	d := newONVIFDialog(onvifBridge{u}, u.Window, user, password)
	u.onvif = d
	d.dialog.Resize(fyne.NewSize(680, 0))
	d.dialog.Show()
	d.shown = true
	d.find()
}

// ONVIF is the ONVIF dialog last opened, nil before (for tests).
func (u *UI) ONVIF() *ONVIFDialog { return u.onvif }

// onvifBridge is the wall as the ONVIF dialog sees it.
type onvifBridge struct{ u *UI }

func (b onvifBridge) discoverConfig() onvif.DiscoverConfig {
	if b.u.opts.ONVIF != nil {
		return *b.u.opts.ONVIF
	}
	return onvif.DiscoverConfig{Multicast: true}
}

func (b onvifBridge) dialer() dialer { return b.u.opts.Dial }

func (b onvifBridge) configured(xaddr string) string {
	for _, c := range b.u.cfg.Cameras {
		if t, err := onvif.ParseURL(c.URL); err == nil && t.XAddr == xaddr {
			return c.Name
		}
	}
	return ""
}

func (b onvifBridge) uniqueName(name string) string {
	index := -1
	if b.u.form != nil {
		index = b.u.form.index
	}
	return b.u.cfg.UniqueName(name, index)
}

// useCamera fills the open camera dialog, or opens one, with the camera
// read from the device: the user checks it (Test connection) and saves.
func (b onvifBridge) useCamera(c storage.Camera) {
	f := b.u.form
	if f == nil {
		b.u.openForm(-1, storage.Camera{Transport: "auto"})
		f = b.u.form
	}
	f.Name.SetText(c.Name)
	f.URL.SetText(c.URL)
	f.Substream.SetText(c.Substream)
	f.User.SetText(c.User)
	f.Password.SetText(c.Password)
	f.Result.SetText("Read from the camera: the main profile plays when the tile is focused, the smaller one in the grid. Save adds it.")
}

func (b onvifBridge) notify(msg string) { b.u.notify(msg) }
