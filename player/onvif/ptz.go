package onvif

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
)

// ErrNoPTZ is a PTZ request to a device or profile that cannot steer.
var ErrNoPTZ = errors.New("the camera has no pan/tilt/zoom")

// Velocity is a continuous move: pan, tilt and zoom speeds in ONVIF's
// generic space, each in [-1, 1] (positive pans right, tilts up, zooms in).
type Velocity struct{ Pan, Tilt, Zoom float64 }

// Preset is a position the camera has stored.
type Preset struct{ Token, Name string }

// Move starts a continuous move of the profile's camera. The device stops
// by itself after timeout, so that a camera never runs on alone when this
// program, or the network, goes away mid-move; callers renew the move
// while the user holds the key.
func (c *Client) Move(ctx context.Context, profile string, v Velocity, timeout time.Duration) error {
	ptz := c.ptz()
	if ptz == "" {
		return ErrNoPTZ
	}
	body := `<ContinuousMove xmlns="` + nsPTZ + `"><ProfileToken>` + esc(profile) + `</ProfileToken><Velocity>`
	if v.Pan != 0 || v.Tilt != 0 {
		body += `<PanTilt xmlns="` + nsSchema + `" x="` + speed(v.Pan) + `" y="` + speed(v.Tilt) + `"/>`
	}
	if v.Zoom != 0 {
		body += `<Zoom xmlns="` + nsSchema + `" x="` + speed(v.Zoom) + `"/>`
	}
	body += `</Velocity><Timeout>` + duration(timeout) + `</Timeout></ContinuousMove>`
	return call[struct{}](ctx, c, ptz, nsPTZ+"/ContinuousMove", body, nil)
}

// Stop ends any move of the profile's camera.
func (c *Client) Stop(ctx context.Context, profile string) error {
	ptz := c.ptz()
	if ptz == "" {
		return ErrNoPTZ
	}
	body := `<Stop xmlns="` + nsPTZ + `"><ProfileToken>` + esc(profile) + `</ProfileToken>` +
		`<PanTilt>true</PanTilt><Zoom>true</Zoom></Stop>`
	return call[struct{}](ctx, c, ptz, nsPTZ+"/Stop", body, nil)
}

// Presets lists the positions stored for the profile's camera.
func (c *Client) Presets(ctx context.Context, profile string) ([]Preset, error) {
	ptz := c.ptz()
	if ptz == "" {
		return nil, ErrNoPTZ
	}
	var r struct {
		Preset []struct {
			Token string `xml:"token,attr"`
			Name  string `xml:"Name"`
		} `xml:"Preset"`
	}
	body := `<GetPresets xmlns="` + nsPTZ + `"><ProfileToken>` + esc(profile) + `</ProfileToken></GetPresets>`
	if err := call(ctx, c, ptz, nsPTZ+"/GetPresets", body, &r); err != nil {
		return nil, err
	}
	var out []Preset
	for _, p := range r.Preset {
		if p.Token != "" {
			out = append(out, Preset{Token: p.Token, Name: cleanText(p.Name)})
		}
	}
	return out, nil
}

// GotoPreset moves the profile's camera to a stored position.
func (c *Client) GotoPreset(ctx context.Context, profile, preset string) error {
	ptz := c.ptz()
	if ptz == "" {
		return ErrNoPTZ
	}
	body := `<GotoPreset xmlns="` + nsPTZ + `"><ProfileToken>` + esc(profile) + `</ProfileToken>` +
		`<PresetToken>` + esc(preset) + `</PresetToken></GotoPreset>`
	return call[struct{}](ctx, c, ptz, nsPTZ+"/GotoPreset", body, nil)
}

// speed is a velocity component clamped to [-1, 1], as the generic space
// wants.
func speed(v float64) string {
	if math.IsNaN(v) {
		v = 0
	}
	return strconv.FormatFloat(math.Max(-1, math.Min(1, v)), 'f', 3, 64)
}

// duration is d as an xs:duration in seconds (PT1.5S).
func duration(d time.Duration) string {
	if d <= 0 {
		d = time.Second
	}
	return fmt.Sprintf("PT%sS", strconv.FormatFloat(d.Seconds(), 'f', -1, 64))
}
