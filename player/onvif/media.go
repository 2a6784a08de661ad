package onvif

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// Profile is one of a device's media profiles: a stream it offers.
type Profile struct {
	Token, Name string
	// Encoding is the video codec as the device names it (H264, H265,
	// JPEG); Width and Height its resolution.
	Encoding      string
	Width, Height int
	// PTZ is the token of the profile's PTZ configuration; "" when the
	// profile cannot steer the camera.
	PTZ string
}

// Profiles lists the device's media profiles, largest first.
func (c *Client) Profiles(ctx context.Context) ([]Profile, error) {
	var r struct {
		Profiles []struct {
			Token   string `xml:"token,attr"`
			Name    string `xml:"Name"`
			Encoder struct {
				Encoding   string `xml:"Encoding"`
				Resolution struct {
					Width  int `xml:"Width"`
					Height int `xml:"Height"`
				} `xml:"Resolution"`
			} `xml:"VideoEncoderConfiguration"`
			PTZ *struct {
				Token string `xml:"token,attr"`
			} `xml:"PTZConfiguration"`
		} `xml:"Profiles"`
	}
	if err := call(ctx, c, c.media(), nsMedia+"/GetProfiles", `<GetProfiles xmlns="`+nsMedia+`"/>`, &r); err != nil {
		return nil, err
	}
	var out []Profile
	for _, p := range r.Profiles {
		token := strings.TrimSpace(p.Token)
		if token == "" {
			continue
		}
		pr := Profile{Token: token, Name: cleanText(p.Name), Encoding: cleanText(p.Encoder.Encoding),
			Width: max(p.Encoder.Resolution.Width, 0), Height: max(p.Encoder.Resolution.Height, 0)}
		if p.PTZ != nil {
			pr.PTZ = strings.TrimSpace(p.PTZ.Token)
			if pr.PTZ == "" {
				pr.PTZ = "ptz"
			}
		}
		out = append(out, pr)
	}
	if len(out) == 0 {
		return nil, errors.New("GetProfiles: the device has no media profile")
	}
	slices.SortStableFunc(out, func(a, b Profile) int { return b.Width*b.Height - a.Width*a.Height })
	return out, nil
}

// Main and Sub pick the profiles a wall uses: the largest plays when the
// tile is focused and is recorded, the smallest plays in the grid. Sub is
// "" when the device has one profile, or none smaller than Main.
func Main(profiles []Profile) Profile { return profiles[0] }

// Sub is described with Main.
func Sub(profiles []Profile) Profile {
	last := profiles[len(profiles)-1]
	if len(profiles) < 2 || last.Width*last.Height >= profiles[0].Width*profiles[0].Height {
		return Profile{}
	}
	return last
}

// StreamURI is where the profile's RTSP stream is (RTP over RTSP, unicast).
func (c *Client) StreamURI(ctx context.Context, profile string) (string, error) {
	var r struct {
		URI string `xml:"MediaUri>Uri"`
	}
	body := `<GetStreamUri xmlns="` + nsMedia + `"><StreamSetup>` +
		`<Stream xmlns="` + nsSchema + `">RTP-Unicast</Stream>` +
		`<Transport xmlns="` + nsSchema + `"><Protocol>RTSP</Protocol></Transport>` +
		`</StreamSetup><ProfileToken>` + esc(profile) + `</ProfileToken></GetStreamUri>`
	if err := call(ctx, c, c.media(), nsMedia+"/GetStreamUri", body, &r); err != nil {
		return "", err
	}
	return checkURI("GetStreamUri", r.URI, "rtsp", "rtsps")
}

// SnapshotURI is where the profile's JPEG snapshot is served over HTTP.
func (c *Client) SnapshotURI(ctx context.Context, profile string) (string, error) {
	var r struct {
		URI string `xml:"MediaUri>Uri"`
	}
	body := `<GetSnapshotUri xmlns="` + nsMedia + `"><ProfileToken>` + esc(profile) + `</ProfileToken></GetSnapshotUri>`
	if err := call(ctx, c, c.media(), nsMedia+"/GetSnapshotUri", body, &r); err != nil {
		return "", err
	}
	return checkURI("GetSnapshotUri", r.URI, "http", "https")
}

// checkURI refuses an answer that is no URL of the schemes wanted: what a
// device answers becomes a camera's address.
func checkURI(op, raw string, schemes ...string) (string, error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", fmt.Errorf("%s: the device gave no address for this profile", op)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || !slices.Contains(schemes, strings.ToLower(u.Scheme)) || strings.ContainsAny(raw, "\x00\r\n") {
		return "", fmt.Errorf("%s: the device gave an address that is not a %s URL", op, strings.Join(schemes, " or "))
	}
	return raw, nil
}
