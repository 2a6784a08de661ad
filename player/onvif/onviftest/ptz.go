package onviftest

import (
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ptzOperations are the PTZ service (ver20) operations.
var ptzOperations = map[string]operation{
	"ContinuousMove":    continuousMove,
	"Stop":              stop,
	"GetStatus":         getStatus,
	"GetPresets":        getPresets,
	"GotoPreset":        gotoPreset,
	"AbsoluteMove":      absoluteMove,
	"GetConfigurations": getPTZConfigurations,
	"GetNodes":          getNodes,
}

const (
	// ptzSpeed is how far the head turns per second at velocity 1.
	ptzSpeed = 0.5
	// defaultMoveTimeout ends a ContinuousMove that named no Timeout, so a
	// client that never sends Stop does not leave the head turning.
	defaultMoveTimeout = 10 * time.Second

	panTiltPositionSpace = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/PositionGenericSpace"
	zoomPositionSpace    = "http://www.onvif.org/ver10/tptz/ZoomSpaces/PositionGenericSpace"
	panTiltVelocitySpace = "http://www.onvif.org/ver10/tptz/PanTiltSpaces/VelocityGenericSpace"
	zoomVelocitySpace    = "http://www.onvif.org/ver10/tptz/ZoomSpaces/VelocityGenericSpace"
)

// ptzState is the head's motion: the position at since, moving at the
// velocities until until. Position is computed from it when asked, so no
// goroutine ticks.
type ptzState struct {
	pan, tilt, zoom    float64
	vPan, vTilt, vZoom float64
	since, until       time.Time
}

func clamp(v, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, v)) }

// at is the position at now.
func (s *ptzState) at(now time.Time) Position {
	end := now
	if end.After(s.until) {
		end = s.until
	}
	dt := end.Sub(s.since).Seconds()
	if dt < 0 {
		dt = 0
	}
	moving := now.Before(s.until) && (s.vPan != 0 || s.vTilt != 0 || s.vZoom != 0)
	return Position{
		Pan:    clamp(s.pan+s.vPan*ptzSpeed*dt, -1, 1),
		Tilt:   clamp(s.tilt+s.vTilt*ptzSpeed*dt, -1, 1),
		Zoom:   clamp(s.zoom+s.vZoom*ptzSpeed*dt, 0, 1),
		Moving: moving,
	}
}

// settle folds the motion so far into the position, at now.
func (s *ptzState) settle(now time.Time) {
	p := s.at(now)
	s.pan, s.tilt, s.zoom = p.Pan, p.Tilt, p.Zoom
	if !p.Moving {
		s.vPan, s.vTilt, s.vZoom = 0, 0, 0
	}
	s.since = now
}

// Position is where the head points now.
func (d *Device) Position() Position {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.ptz.at(time.Now())
}

// ptzProfile is the profile a PTZ request names, which must have a PTZ
// configuration.
func (d *Device) ptzProfile(op *node) *soapFault {
	p, f := d.profileArg(op)
	if f != nil {
		return f
	}
	if !p.PTZ {
		return senderFault("ter:InvalidArgVal/ter:NoPTZProfile", fmt.Sprintf("profile %q has no PTZ configuration", p.Token))
	}
	return nil
}

// vector reads the x (and y) attributes of a PanTilt or Zoom element.
func vector(n *node, names ...string) ([]float64, *soapFault) {
	out := make([]float64, len(names))
	for i, name := range names {
		s := n.attr(name)
		if s == "" {
			return nil, senderFault("ter:InvalidArgVal", fmt.Sprintf("%s has no %s", n.local, name))
		}
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsNaN(v) {
			return nil, senderFault("ter:InvalidArgVal", fmt.Sprintf("%s %s=%q is not a number", n.local, name, s))
		}
		out[i] = v
	}
	return out, nil
}

// continuousMove sets the velocities; an axis the request leaves out stops.
func continuousMove(d *Device, _ *http.Request, op *node) (string, *soapFault) {
	if f := d.ptzProfile(op); f != nil {
		return "", f
	}
	vel := op.child("", "Velocity")
	if vel == nil {
		return "", senderFault("ter:InvalidArgVal", "ContinuousMove has no Velocity")
	}
	var vPan, vTilt, vZoom float64
	if pt := vel.child("", "PanTilt"); pt != nil {
		v, f := vector(pt, "x", "y")
		if f != nil {
			return "", f
		}
		vPan, vTilt = v[0], v[1]
	}
	if z := vel.child("", "Zoom"); z != nil {
		v, f := vector(z, "x")
		if f != nil {
			return "", f
		}
		vZoom = v[0]
	}
	for _, v := range []float64{vPan, vTilt, vZoom} {
		if v < -1 || v > 1 {
			return "", senderFault("ter:InvalidArgVal/ter:InvalidVelocity", fmt.Sprintf("velocity %g outside [-1, 1]", v))
		}
	}
	timeout := defaultMoveTimeout
	if t := op.child("", "Timeout").value(); t != "" {
		var err error
		if timeout, err = parseDuration(t); err != nil || timeout <= 0 {
			return "", senderFault("ter:InvalidArgVal", fmt.Sprintf("Timeout %q is not a positive xs:duration", t))
		}
	}
	now := time.Now()
	d.mu.Lock()
	d.ptz.settle(now)
	d.ptz.vPan, d.ptz.vTilt, d.ptz.vZoom = vPan, vTilt, vZoom
	d.ptz.until = now.Add(timeout)
	d.mu.Unlock()
	return `<tptz:ContinuousMoveResponse/>`, nil
}

// stop halts pan/tilt, zoom or both (the default).
func stop(d *Device, _ *http.Request, op *node) (string, *soapFault) {
	if f := d.ptzProfile(op); f != nil {
		return "", f
	}
	flag := func(name string) bool {
		v := op.child("", name).value()
		return v == "" || v == "true" || v == "1"
	}
	panTilt, zoom := flag("PanTilt"), flag("Zoom")
	now := time.Now()
	d.mu.Lock()
	d.ptz.settle(now)
	if panTilt {
		d.ptz.vPan, d.ptz.vTilt = 0, 0
	}
	if zoom {
		d.ptz.vZoom = 0
	}
	d.mu.Unlock()
	return `<tptz:StopResponse/>`, nil
}

func positionXML(p Position) string {
	return fmt.Sprintf(`<tt:PanTilt x="%g" y="%g" space="%s"/><tt:Zoom x="%g" space="%s"/>`,
		p.Pan, p.Tilt, panTiltPositionSpace, p.Zoom, zoomPositionSpace)
}

func getStatus(d *Device, _ *http.Request, op *node) (string, *soapFault) {
	if f := d.ptzProfile(op); f != nil {
		return "", f
	}
	d.mu.Lock()
	now := time.Now()
	s := d.ptz
	p := s.at(now)
	d.mu.Unlock()
	status := func(moving bool) string {
		if moving {
			return "MOVING"
		}
		return "IDLE"
	}
	return `<tptz:GetStatusResponse><tptz:PTZStatus><tt:Position>` + positionXML(p) + `</tt:Position>` +
		`<tt:MoveStatus><tt:PanTilt>` + status(p.Moving && (s.vPan != 0 || s.vTilt != 0)) + `</tt:PanTilt>` +
		`<tt:Zoom>` + status(p.Moving && s.vZoom != 0) + `</tt:Zoom></tt:MoveStatus>` +
		`<tt:UtcTime>` + d.now().UTC().Format(time.RFC3339) + `</tt:UtcTime></tptz:PTZStatus></tptz:GetStatusResponse>`, nil
}

func getPresets(d *Device, _ *http.Request, op *node) (string, *soapFault) {
	if f := d.ptzProfile(op); f != nil {
		return "", f
	}
	var b strings.Builder
	b.WriteString(`<tptz:GetPresetsResponse>`)
	for _, p := range d.cfg.Presets {
		b.WriteString(`<tptz:Preset token="` + esc(p.Token) + `"><tt:Name>` + esc(p.Name) + `</tt:Name>` +
			`<tt:PTZPosition>` + positionXML(p.Pos) + `</tt:PTZPosition></tptz:Preset>`)
	}
	b.WriteString(`</tptz:GetPresetsResponse>`)
	return b.String(), nil
}

// moveTo puts the head at p at once and stops it.
func (d *Device) moveTo(p Position) {
	now := time.Now()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.ptz = ptzState{
		pan: clamp(p.Pan, -1, 1), tilt: clamp(p.Tilt, -1, 1), zoom: clamp(p.Zoom, 0, 1),
		since: now, until: now,
	}
}

func gotoPreset(d *Device, _ *http.Request, op *node) (string, *soapFault) {
	if f := d.ptzProfile(op); f != nil {
		return "", f
	}
	token := op.child("", "PresetToken").value()
	for _, p := range d.cfg.Presets {
		if p.Token == token {
			d.moveTo(p.Pos)
			return `<tptz:GotoPresetResponse/>`, nil
		}
	}
	return "", senderFault("ter:InvalidArgVal/ter:NoToken", fmt.Sprintf("no preset %q", token))
}

// absoluteMove jumps to the position; an axis left out stays.
func absoluteMove(d *Device, _ *http.Request, op *node) (string, *soapFault) {
	if f := d.ptzProfile(op); f != nil {
		return "", f
	}
	pos := op.child("", "Position")
	if pos == nil {
		return "", senderFault("ter:InvalidArgVal", "AbsoluteMove has no Position")
	}
	target := d.Position()
	if pt := pos.child("", "PanTilt"); pt != nil {
		v, f := vector(pt, "x", "y")
		if f != nil {
			return "", f
		}
		target.Pan, target.Tilt = v[0], v[1]
	}
	if z := pos.child("", "Zoom"); z != nil {
		v, f := vector(z, "x")
		if f != nil {
			return "", f
		}
		target.Zoom = v[0]
	}
	d.moveTo(target)
	return `<tptz:AbsoluteMoveResponse/>`, nil
}

// ptzConfigurationXML is the one PTZ configuration, "ptz0", on node
// "ptzn0". "PantTilt" is the schema's own spelling.
func ptzConfigurationXML(tag string) string {
	return `<` + tag + ` token="ptz0"><tt:Name>ptz</tt:Name><tt:UseCount>1</tt:UseCount><tt:NodeToken>ptzn0</tt:NodeToken>` +
		`<tt:DefaultAbsolutePantTiltPositionSpace>` + panTiltPositionSpace + `</tt:DefaultAbsolutePantTiltPositionSpace>` +
		`<tt:DefaultAbsoluteZoomPositionSpace>` + zoomPositionSpace + `</tt:DefaultAbsoluteZoomPositionSpace>` +
		`<tt:DefaultContinuousPanTiltVelocitySpace>` + panTiltVelocitySpace + `</tt:DefaultContinuousPanTiltVelocitySpace>` +
		`<tt:DefaultContinuousZoomVelocitySpace>` + zoomVelocitySpace + `</tt:DefaultContinuousZoomVelocitySpace>` +
		`<tt:DefaultPTZTimeout>PT10S</tt:DefaultPTZTimeout>` +
		`<tt:PanTiltLimits><tt:Range><tt:URI>` + panTiltPositionSpace + `</tt:URI><tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange><tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange></tt:Range></tt:PanTiltLimits>` +
		`<tt:ZoomLimits><tt:Range><tt:URI>` + zoomPositionSpace + `</tt:URI><tt:XRange><tt:Min>0</tt:Min><tt:Max>1</tt:Max></tt:XRange></tt:Range></tt:ZoomLimits>` +
		`</` + tag + `>`
}

func getPTZConfigurations(_ *Device, _ *http.Request, _ *node) (string, *soapFault) {
	return `<tptz:GetConfigurationsResponse>` + ptzConfigurationXML("tptz:PTZConfiguration") + `</tptz:GetConfigurationsResponse>`, nil
}

func getNodes(d *Device, _ *http.Request, _ *node) (string, *soapFault) {
	presets := len(d.cfg.Presets)
	return fmt.Sprintf(`<tptz:GetNodesResponse><tptz:PTZNode token="ptzn0" FixedHomePosition="false"><tt:Name>ptz</tt:Name>`+
		`<tt:SupportedPTZSpaces>`+
		`<tt:AbsolutePanTiltPositionSpace><tt:URI>%s</tt:URI><tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange><tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange></tt:AbsolutePanTiltPositionSpace>`+
		`<tt:AbsoluteZoomPositionSpace><tt:URI>%s</tt:URI><tt:XRange><tt:Min>0</tt:Min><tt:Max>1</tt:Max></tt:XRange></tt:AbsoluteZoomPositionSpace>`+
		`<tt:ContinuousPanTiltVelocitySpace><tt:URI>%s</tt:URI><tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange><tt:YRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:YRange></tt:ContinuousPanTiltVelocitySpace>`+
		`<tt:ContinuousZoomVelocitySpace><tt:URI>%s</tt:URI><tt:XRange><tt:Min>-1</tt:Min><tt:Max>1</tt:Max></tt:XRange></tt:ContinuousZoomVelocitySpace>`+
		`</tt:SupportedPTZSpaces><tt:MaximumNumberOfPresets>%d</tt:MaximumNumberOfPresets><tt:HomeSupported>false</tt:HomeSupported>`+
		`</tptz:PTZNode></tptz:GetNodesResponse>`,
		panTiltPositionSpace, zoomPositionSpace, panTiltVelocitySpace, zoomVelocitySpace, presets), nil
}
