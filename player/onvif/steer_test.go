package onvif_test

import (
	"sync"
	"testing"
	"time"

	"github.com/camwall/camwall/player/onvif"
	"github.com/camwall/camwall/player/onvif/onviftest"
	"github.com/camwall/camwall/player/playtest"
)

func startSteering(t *testing.T, d *onviftest.Device) (*onvif.Steering, func() []onvif.Preset, *errorLog) {
	t.Helper()
	var mu sync.Mutex
	var presets []onvif.Preset
	ready := make(chan struct{})
	errs := &errorLog{}
	s, err := onvif.StartSteering(onvif.SteeringConfig{
		Device: onvif.Config{XAddr: d.XAddr(), User: "admin", Password: "pw"},
		OnReady: func(p []onvif.Preset) {
			mu.Lock()
			presets = p
			mu.Unlock()
			close(ready)
		},
		OnError: errs.add,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	select {
	case <-ready:
	case <-time.After(10 * time.Second):
		t.Fatalf("never ready; errors %v", errs.all())
	}
	return s, func() []onvif.Preset { mu.Lock(); defer mu.Unlock(); return presets }, errs
}

type errorLog struct {
	mu   sync.Mutex
	errs []error
}

func (l *errorLog) add(err error) { l.mu.Lock(); l.errs = append(l.errs, err); l.mu.Unlock() }
func (l *errorLog) all() []error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]error(nil), l.errs...)
}

func ptzDevice(t *testing.T) *onviftest.Device {
	return onviftest.Start(t, onviftest.Config{Username: "admin", Password: "pw", Profiles: twoProfiles()})
}

func TestHeldMoveRunsUntilStop(t *testing.T) {
	d := ptzDevice(t)
	s, presets, _ := startSteering(t, d)
	if p := presets(); len(p) != 3 || p[1].Name != "Gate" {
		t.Fatalf("presets %+v", p)
	}
	s.Move(onvif.Velocity{Pan: 0.5})
	playtest.WaitFor(t, 10*time.Second, "never moving right", func() bool { p := d.Position(); return p.Moving && p.Pan > 0 })
	// Held longer than the device's timeout: renewals keep it moving.
	time.Sleep(2 * onvif.MoveTimeout)
	if !d.Position().Moving {
		t.Fatal("a held move stopped by itself")
	}
	s.Stop()
	playtest.WaitFor(t, 10*time.Second, "never stopped", func() bool { return !d.Position().Moving })
	at := d.Position()
	time.Sleep(onvif.MoveTimeout)
	if p := d.Position(); p.Pan != at.Pan || p.Moving {
		t.Errorf("moved on after Stop: %+v then %+v", at, p)
	}
}

func TestPresetsAndZoomPulse(t *testing.T) {
	d := ptzDevice(t)
	s, _, _ := startSteering(t, d)
	if !s.GotoPreset(2) {
		t.Fatal("preset 2 refused")
	}
	playtest.WaitFor(t, 10*time.Second, "never at preset 2", func() bool { return contains(d.Actions(), "GotoPreset") && !d.Position().Moving })
	if s.GotoPreset(4) {
		t.Error("a preset the camera does not have was accepted")
	}
	before := d.Position().Zoom
	s.Pulse(onvif.Velocity{Zoom: 0.5}, 300*time.Millisecond)
	playtest.WaitFor(t, 10*time.Second, "the zoom never stopped", func() bool {
		p := d.Position()
		return p.Zoom > before && !p.Moving
	})
}

func TestAMoveStopsWhenTheConnectionIsLost(t *testing.T) {
	d := ptzDevice(t)
	s, _, errs := startSteering(t, d)
	s.Move(onvif.Velocity{Tilt: 0.5})
	playtest.WaitFor(t, 10*time.Second, "never moving up", func() bool { p := d.Position(); return p.Moving && p.Tilt > 0 })
	// The device vanishes from the network mid-move: no renewal and no
	// Stop reach it, and it stops at its own timeout.
	d.Close()
	playtest.WaitFor(t, 10*time.Second, "moved on alone", func() bool { return !d.Position().Moving })
	playtest.WaitFor(t, 10*time.Second, "the failed renewal was not reported", func() bool { return len(errs.all()) > 0 })
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
