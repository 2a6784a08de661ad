package app

import (
	"errors"
	"fmt"
	"image/color"
	"log/slog"
	"math"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/camwall/camwall/player/onvif"
	"github.com/camwall/camwall/storage"
)

// Steering a PTZ camera, on its focused tile only (README, "ONVIF"):
//
//	arrows        pan and tilt while held
//	+ / -         zoom in and out while held (also the mouse wheel)
//	1–9           go to preset 1–9
//	drag          pan and tilt, faster the further from where it began
//
// The controls appear only once the camera has said it can steer; other
// cameras keep arrows, 1–9 and dragging as the wall uses them.

// ptzSpeed is the velocity of a key or button held: half the camera's
// range, slow enough to aim.
const ptzSpeed = 0.5

// dragFullSpeed is how far a drag goes, in pixels, for full speed.
const dragFullSpeed = 150

// ptzParent is what the controls need of the wall.
type ptzParent interface {
	notify(string)
	dialer() dialer
}

// PTZControls steer the focused tile's camera. Buttons move while pressed.
type PTZControls struct {
	// Bar is shown over the wall while a camera that can steer is focused.
	Bar                                    *fyne.Container
	Left, Right, Up, Down, ZoomIn, ZoomOut *HoldButton
	// Presets lists the camera's stored positions and their keys.
	Presets *widget.Label

	parent ptzParent
	// camera is the index of the camera steered, -1 for none; steer runs
	// its commands, and ready says the camera confirmed it can steer.
	camera int
	steer  *onvif.Steering
	ready  bool
	// held are the directions held by keys, buttons and a drag, as
	// velocity components; the move sent is their sum.
	held map[string]onvif.Velocity
	drag fyne.Position
	// gen counts steerings started, to tell their callbacks apart; inbox
	// holds what their goroutines said, for the UI's next refresh.
	gen   int
	inbox inbox
}

// inbox carries a steering goroutine's news to the UI goroutine, which
// takes it at every refresh (as tiles take their pictures), so that
// widgets are touched from the UI goroutine only.
type inbox struct {
	mu   sync.Mutex
	news []func()
}

func (b *inbox) put(fn func()) {
	b.mu.Lock()
	b.news = append(b.news, fn)
	b.mu.Unlock()
}

func (b *inbox) take() []func() {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := b.news
	b.news = nil
	return n
}

// refresh applies what the steering said since the last refresh.
func (c *PTZControls) refresh() {
	for _, fn := range c.inbox.take() {
		fn()
	}
}

func newPTZControls(p ptzParent) *PTZControls {
	c := &PTZControls{parent: p, camera: -1, held: map[string]onvif.Velocity{}}
	hold := func(icon fyne.Resource, name string, v onvif.Velocity) *HoldButton {
		return newHoldButton(icon, func(on bool) { c.hold("button "+name, v, on) })
	}
	c.Left = hold(theme.NavigateBackIcon(), "left", onvif.Velocity{Pan: -ptzSpeed})
	c.Right = hold(theme.NavigateNextIcon(), "right", onvif.Velocity{Pan: ptzSpeed})
	c.Up = hold(theme.MoveUpIcon(), "up", onvif.Velocity{Tilt: ptzSpeed})
	c.Down = hold(theme.MoveDownIcon(), "down", onvif.Velocity{Tilt: -ptzSpeed})
	c.ZoomIn = hold(theme.ZoomInIcon(), "in", onvif.Velocity{Zoom: ptzSpeed})
	c.ZoomOut = hold(theme.ZoomOutIcon(), "out", onvif.Velocity{Zoom: -ptzSpeed})
	c.Presets = widget.NewLabel("")
	buttons := container.NewHBox(c.Left, c.Up, c.Down, c.Right, c.ZoomOut, c.ZoomIn, c.Presets)
	bg := canvas.NewRectangle(color.NRGBA{A: 0xa0})
	c.Bar = container.NewVBox(layout.NewSpacer(), container.NewHBox(layout.NewSpacer(),
		container.NewStack(bg, container.NewPadded(buttons)), layout.NewSpacer()))
	c.Bar.Hide()
	return c
}

// Active reports whether the focused camera is being steered.
func (c *PTZControls) Active() bool { return c.steer != nil && c.ready }

// Steering is the running steering, nil when no camera is (for tests).
func (c *PTZControls) Steering() *onvif.Steering { return c.steer }

// follow steers camera i (focused; -1 when none is) when it is on an
// ONVIF device, and stops steering any other.
func (c *PTZControls) follow(i int, cam storage.Camera) {
	if i == c.camera && c.steer != nil {
		return
	}
	c.stop()
	if i < 0 {
		return
	}
	st, err := cam.MainStream()
	if err != nil {
		return
	}
	t, err := onvif.ParseURL(st.URL)
	if err != nil {
		return // not an ONVIF camera: nothing to steer
	}
	user, password := st.User, st.Password
	if user == "" {
		user, password = t.User, t.Password
	}
	// A callback of a steering since stopped finds the generation changed.
	c.gen++
	gen := c.gen
	s, err := onvif.StartSteering(onvif.SteeringConfig{
		Device:  onvif.Config{XAddr: t.XAddr, User: user, Password: password, Dial: c.parent.dialer()},
		Profile: t.Profile,
		Log:     slog.Default().With("camera", cam.Name),
		OnReady: func(presets []onvif.Preset) { c.inbox.put(func() { c.show(gen, presets) }) },
		OnError: func(err error) { c.inbox.put(func() { c.failed(gen, err) }) },
	})
	if err != nil {
		return
	}
	c.camera, c.steer = i, s
}

func (c *PTZControls) show(gen int, presets []onvif.Preset) {
	if gen != c.gen || c.steer == nil {
		return
	}
	c.ready = true
	var names []string
	for i, p := range presets {
		if i == 9 {
			break
		}
		names = append(names, fmt.Sprintf("%d %s", i+1, p.Name))
	}
	c.Presets.SetText(strings.Join(names, "  "))
	c.Bar.Show()
}

func (c *PTZControls) failed(gen int, err error) {
	if gen != c.gen || c.steer == nil {
		return
	}
	if errors.Is(err, onvif.ErrNoPTZ) {
		return // a fixed camera: no controls, nothing to say
	}
	c.parent.notify("PTZ: " + err.Error())
}

// stop ends the steering; the camera gets a Stop off the UI goroutine.
func (c *PTZControls) stop() {
	if c.steer != nil {
		go c.steer.Close()
	}
	c.steer, c.camera, c.ready = nil, -1, false
	clear(c.held)
	c.Bar.Hide()
}

// hold starts or ends one source of motion.
func (c *PTZControls) hold(key string, v onvif.Velocity, on bool) {
	if !c.Active() {
		return
	}
	if on {
		c.held[key] = v
	} else {
		if _, was := c.held[key]; !was {
			return
		}
		delete(c.held, key)
	}
	var sum onvif.Velocity
	for _, h := range c.held {
		sum.Pan, sum.Tilt, sum.Zoom = sum.Pan+h.Pan, sum.Tilt+h.Tilt, sum.Zoom+h.Zoom
	}
	if sum == (onvif.Velocity{}) {
		c.steer.Stop()
		return
	}
	c.steer.Move(sum)
}

// keyVelocity is the motion a key steers, if it steers one.
func keyVelocity(k fyne.KeyName) (onvif.Velocity, bool) {
	switch k {
	case fyne.KeyLeft:
		return onvif.Velocity{Pan: -ptzSpeed}, true
	case fyne.KeyRight:
		return onvif.Velocity{Pan: ptzSpeed}, true
	case fyne.KeyUp:
		return onvif.Velocity{Tilt: ptzSpeed}, true
	case fyne.KeyDown:
		return onvif.Velocity{Tilt: -ptzSpeed}, true
	case fyne.KeyPlus, fyne.KeyEqual:
		return onvif.Velocity{Zoom: ptzSpeed}, true
	case fyne.KeyMinus:
		return onvif.Velocity{Zoom: -ptzSpeed}, true
	}
	return onvif.Velocity{}, false
}

// KeyDown and KeyUp steer while a key is held; they report whether the key
// is the controls' (then the wall does not also act on it).
func (c *PTZControls) KeyDown(k fyne.KeyName) bool {
	v, ok := keyVelocity(k)
	if !ok || !c.Active() {
		return false
	}
	c.hold("key "+string(k), v, true)
	return true
}

// KeyUp is described with KeyDown.
func (c *PTZControls) KeyUp(k fyne.KeyName) bool {
	if _, ok := keyVelocity(k); !ok || !c.Active() {
		return false
	}
	c.hold("key "+string(k), onvif.Velocity{}, false)
	return true
}

// typed takes a typed key the controls own: the steering keys (handled on
// down and up) and 1–9, which go to presets.
func (c *PTZControls) typed(k fyne.KeyName) bool {
	if !c.Active() {
		return false
	}
	if _, ok := keyVelocity(k); ok {
		return true
	}
	if n, ok := viewKey(k); ok {
		if !c.steer.GotoPreset(n + 1) {
			c.parent.notify(fmt.Sprintf("PTZ: this camera has no preset %d", n+1))
		}
		return true
	}
	return false
}

// dragged steers by a drag on the focused tile: the further from where it
// began, the faster.
func (c *PTZControls) dragged(d fyne.Delta) bool {
	if !c.Active() {
		return false
	}
	c.drag = c.drag.Add(d)
	v := onvif.Velocity{Pan: clampUnit(float64(c.drag.X) / dragFullSpeed), Tilt: clampUnit(-float64(c.drag.Y) / dragFullSpeed)}
	c.hold("drag", v, true)
	return true
}

func (c *PTZControls) dragEnd() bool {
	if !c.Active() {
		return false
	}
	c.drag = fyne.Position{}
	c.hold("drag", onvif.Velocity{}, false)
	return true
}

// scrolled zooms by a wheel step: a short zoom the camera ends by itself.
func (c *PTZControls) scrolled(dy float32) {
	if !c.Active() || dy == 0 {
		return
	}
	c.steer.Pulse(onvif.Velocity{Zoom: math.Copysign(ptzSpeed, float64(dy))}, wheelZoom)
}

// wheelZoom is how long one wheel step zooms.
const wheelZoom = 300 * time.Millisecond

func clampUnit(v float64) float64 { return math.Max(-1, math.Min(1, v)) }

// close ends the steering and waits for its last Stop (bounded by
// onvif.MoveTimeout): the app is quitting.
func (c *PTZControls) close() {
	s := c.steer
	c.stop()
	if s != nil {
		s.Close()
	}
}

// Scrolled zooms a focused PTZ camera with the mouse wheel.
func (t *Tile) Scrolled(ev *fyne.ScrollEvent) {
	if t.ui.layout.focused == t.index {
		t.ui.ptz.scrolled(ev.Scrolled.DY)
	}
}
