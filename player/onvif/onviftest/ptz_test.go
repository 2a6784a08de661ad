package onviftest

import (
	"fmt"
	"math"
	"net/http"
	"testing"
	"time"
)

func move(x, y, z float64, timeout string) string {
	t := ""
	if timeout != "" {
		t = `<ptzs:Timeout>` + timeout + `</ptzs:Timeout>`
	}
	return fmt.Sprintf(`<ptzs:ContinuousMove><ptzs:ProfileToken>main</ptzs:ProfileToken><ptzs:Velocity>`+
		`<sch:PanTilt x="%g" y="%g"/><sch:Zoom x="%g"/></ptzs:Velocity>%s</ptzs:ContinuousMove>`, x, y, z, t)
}

const stopAll = `<ptzs:Stop><ptzs:ProfileToken>main</ptzs:ProfileToken></ptzs:Stop>`

func near(a, b float64) bool { return math.Abs(a-b) < 0.05 }

func TestContinuousMoveTurnsTheHeadUntilStop(t *testing.T) {
	d := Start(t, Config{})
	wantOK(t, call(t, d, "", "", move(1, -0.5, 0.5, "")))
	time.Sleep(200 * time.Millisecond)
	p := d.Position()
	if !p.Moving || p.Pan <= 0 || p.Tilt >= 0 || p.Zoom <= 0 {
		t.Fatalf("Position() = %+v during a move right, down and in; want moving that way", p)
	}
	wantOK(t, call(t, d, "", "", stopAll))
	stopped := d.Position()
	if stopped.Moving {
		t.Errorf("Position() = %+v after Stop, want not moving", stopped)
	}
	time.Sleep(100 * time.Millisecond)
	if later := d.Position(); later != stopped {
		t.Errorf("Position() went from %+v to %+v after Stop", stopped, later)
	}
	// 0.5 units/s per unit of velocity: pan at 1 for ≥ 0.2 s is ≥ 0.1.
	if stopped.Pan < 0.1 || !near(stopped.Tilt, -stopped.Pan/2) || !near(stopped.Zoom, stopped.Pan/2) {
		t.Errorf("Position() = %+v, want pan ≥ 0.1 with tilt −pan/2 and zoom pan/2", stopped)
	}
}

func TestStopHaltsOnlyTheAxesNamed(t *testing.T) {
	d := Start(t, Config{})
	wantOK(t, call(t, d, "", "", move(1, 0, 1, "")))
	wantOK(t, call(t, d, "", "", `<ptzs:Stop><ptzs:ProfileToken>main</ptzs:ProfileToken>`+
		`<ptzs:PanTilt>true</ptzs:PanTilt><ptzs:Zoom>false</ptzs:Zoom></ptzs:Stop>`))
	a := d.Position()
	time.Sleep(100 * time.Millisecond)
	b := d.Position()
	if !b.Moving || b.Pan != a.Pan || b.Zoom <= a.Zoom {
		t.Errorf("after stopping pan/tilt only: %+v then %+v, want pan fixed and zoom still rising", a, b)
	}
}

func TestContinuousMoveTimeoutStopsByItself(t *testing.T) {
	tests := []struct {
		name, timeout string
		dur           time.Duration
	}{
		{"fraction of a second", "PT0.2S", 200 * time.Millisecond},
		{"default when none is named", "", defaultMoveTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Start(t, Config{})
			wantOK(t, call(t, d, "", "", move(0.5, 0, 0, tt.timeout)))
			if tt.dur > time.Second {
				d.mu.Lock()
				left := time.Until(d.ptz.until)
				d.mu.Unlock()
				if left > tt.dur || left < tt.dur-time.Second {
					t.Errorf("move ends in %s, want about %s", left, tt.dur)
				}
				return
			}
			time.Sleep(tt.dur + 100*time.Millisecond)
			p := d.Position()
			want := 0.5 * ptzSpeed * tt.dur.Seconds()
			if p.Moving || !near(p.Pan, want) {
				t.Errorf("Position() = %+v after the timeout, want stopped at pan %g", p, want)
			}
		})
	}
}

func TestPositionClampsAtTheLimits(t *testing.T) {
	d := Start(t, Config{})
	wantOK(t, call(t, d, "", "", `<ptzs:AbsoluteMove><ptzs:ProfileToken>main</ptzs:ProfileToken><ptzs:Position>`+
		`<sch:PanTilt x="0.9" y="0.9"/><sch:Zoom x="0.9"/></ptzs:Position></ptzs:AbsoluteMove>`))
	wantOK(t, call(t, d, "", "", move(1, 1, 1, "PT0.5S")))
	time.Sleep(600 * time.Millisecond)
	if p := d.Position(); p.Pan != 1 || p.Tilt != 1 || p.Zoom != 1 {
		t.Errorf("Position() = %+v after moving past the limits, want 1, 1, 1", p)
	}
}

func TestGotoPresetJumpsToThePreset(t *testing.T) {
	d := Start(t, Config{})
	r := call(t, d, "", "", `<ptzs:GetPresets><ptzs:ProfileToken>main</ptzs:ProfileToken></ptzs:GetPresets>`)
	wantOK(t, r)
	if got := texts(t, r.body, nsSchema, "Name"); len(got) != 3 || got[0] != "Door" || got[1] != "Gate" || got[2] != "Yard" {
		t.Errorf("preset names %q, want Door, Gate, Yard", got)
	}
	for _, p := range d.cfg.Presets {
		t.Run(p.Name, func(t *testing.T) {
			wantOK(t, call(t, d, "", "", `<ptzs:GotoPreset><ptzs:ProfileToken>main</ptzs:ProfileToken><ptzs:PresetToken>`+
				p.Token+`</ptzs:PresetToken></ptzs:GotoPreset>`))
			if got := d.Position(); got != p.Pos {
				t.Errorf("Position() = %+v, want %+v", got, p.Pos)
			}
		})
	}
	wantFault(t, call(t, d, "", "", `<ptzs:GotoPreset><ptzs:ProfileToken>main</ptzs:ProfileToken><ptzs:PresetToken>9</ptzs:PresetToken></ptzs:GotoPreset>`),
		http.StatusBadRequest, "ter:InvalidArgVal")
}

func TestGetStatusReportsPositionAndMoveStatus(t *testing.T) {
	d := Start(t, Config{})
	status := `<ptzs:GetStatus><ptzs:ProfileToken>main</ptzs:ProfileToken></ptzs:GetStatus>`
	wantOK(t, call(t, d, "", "", `<ptzs:AbsoluteMove><ptzs:ProfileToken>main</ptzs:ProfileToken><ptzs:Position>`+
		`<sch:PanTilt x="0.25" y="-0.75"/><sch:Zoom x="0.5"/></ptzs:Position></ptzs:AbsoluteMove>`))
	r := call(t, d, "", "", status)
	wantOK(t, r)
	if x, y := attrs(t, r.body, nsSchema, "PanTilt", "x"), attrs(t, r.body, nsSchema, "PanTilt", "y"); len(x) != 1 || x[0] != "0.25" || y[0] != "-0.75" {
		t.Errorf("PanTilt x %q y %q, want 0.25, -0.75", x, y)
	}
	if got := texts(t, r.body, nsSchema, "PanTilt"); len(got) != 2 || got[1] != "IDLE" {
		t.Errorf("MoveStatus PanTilt %q, want IDLE", got)
	}
	wantOK(t, call(t, d, "", "", move(0, 0, 0.5, "")))
	r = call(t, d, "", "", status)
	if got := texts(t, r.body, nsSchema, "Zoom"); len(got) != 2 || got[1] != "MOVING" {
		t.Errorf("MoveStatus Zoom %q during a zoom, want MOVING", got)
	}
}

func TestPTZRequestsCheckTheProfile(t *testing.T) {
	d := Start(t, Config{})
	tests := []struct{ name, op string }{
		{"no such profile", `<ptzs:Stop><ptzs:ProfileToken>nope</ptzs:ProfileToken></ptzs:Stop>`},
		{"profile without PTZ", `<ptzs:Stop><ptzs:ProfileToken>sub</ptzs:ProfileToken></ptzs:Stop>`},
		{"velocity out of range", `<ptzs:ContinuousMove><ptzs:ProfileToken>main</ptzs:ProfileToken><ptzs:Velocity><sch:PanTilt x="2" y="0"/></ptzs:Velocity></ptzs:ContinuousMove>`},
		{"velocity not a number", `<ptzs:ContinuousMove><ptzs:ProfileToken>main</ptzs:ProfileToken><ptzs:Velocity><sch:PanTilt x="NaN" y="0"/></ptzs:Velocity></ptzs:ContinuousMove>`},
		{"bad timeout", `<ptzs:ContinuousMove><ptzs:ProfileToken>main</ptzs:ProfileToken><ptzs:Velocity><sch:Zoom x="1"/></ptzs:Velocity><ptzs:Timeout>5s</ptzs:Timeout></ptzs:ContinuousMove>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantFault(t, call(t, d, "", "", tt.op), http.StatusBadRequest, "ter:InvalidArgVal")
		})
	}
	if p := d.Position(); p != (Position{}) {
		t.Errorf("Position() = %+v after refused requests, want untouched", p)
	}
}
