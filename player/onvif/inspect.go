package onvif

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Camera is what a wall needs to add a device: who it is, and the
// onvif:// URLs of the profiles it plays focused (Main) and in the grid
// (Sub), each checked to have a stream.
type Camera struct {
	Info Info
	// Main is the largest profile with a stream; Sub the smallest other
	// one, zero when there is none.
	Main, Sub Profile
	// MainStream and SubStream are where their streams are now, as the
	// device said.
	MainStream, SubStream string
	// URL and Substream name the device and profiles, without
	// credentials: what a camera's configuration stores.
	URL, Substream string
	// PTZ is set when the main profile can steer the camera.
	PTZ bool
}

// Inspect connects to a device and picks its profiles for a wall. A
// profile the device gives no stream for is passed over; with none left,
// the error is the first profile's.
func Inspect(ctx context.Context, cfg Config) (Camera, error) {
	c, err := New(cfg)
	if err != nil {
		return Camera{}, err
	}
	defer c.Close()
	info, err := c.Connect(ctx)
	if err != nil {
		return Camera{}, err
	}
	profiles, err := c.Profiles(ctx)
	if err != nil {
		return Camera{}, err
	}
	var playable []Profile
	streams := map[string]string{}
	var first error
	for _, p := range profiles {
		uri, err := c.StreamURI(ctx, p.Token)
		if err != nil {
			if errors.Is(err, ErrNotAuthorized) || ctx.Err() != nil {
				return Camera{}, err
			}
			if first == nil {
				first = fmt.Errorf("profile %q: %w", p.Name, err)
			}
			continue
		}
		playable = append(playable, p)
		streams[p.Token] = uri
	}
	if len(playable) == 0 {
		return Camera{}, first
	}
	cam := Camera{Info: info, Main: Main(playable), Sub: Sub(playable)}
	cam.MainStream = streams[cam.Main.Token]
	if cam.URL, err = FormatURL(cfg.XAddr, cam.Main.Token); err != nil {
		return Camera{}, err
	}
	if cam.Sub.Token != "" {
		cam.SubStream = streams[cam.Sub.Token]
		if cam.Substream, err = FormatURL(cfg.XAddr, cam.Sub.Token); err != nil {
			return Camera{}, err
		}
	}
	cam.PTZ = info.PTZ && cam.Main.PTZ != ""
	return cam, nil
}

// CameraName is the name a camera read from a device gets: what discovery
// found it named, else its maker and model, else its address ("" when the
// device was typed in and says nothing of itself).
func CameraName(f Found, info Info) string {
	for _, n := range []string{f.Name, strings.TrimSpace(info.Manufacturer + " " + info.Model), f.Model, f.Address} {
		if n = strings.TrimSpace(n); n != "" {
			return n
		}
	}
	return ""
}
