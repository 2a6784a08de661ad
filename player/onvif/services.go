package onvif

import (
	"context"
	"errors"
	"net/url"
	"strings"
)

// readServices finds the media and PTZ services: from GetCapabilities,
// which every Profile S device answers, or from GetServices where a newer
// device no longer does.
func (c *Client) readServices(ctx context.Context) error {
	var caps struct {
		Media string `xml:"Capabilities>Media>XAddr"`
		PTZ   string `xml:"Capabilities>PTZ>XAddr"`
	}
	err := call(ctx, c, c.cfg.XAddr, nsDevice+"/GetCapabilities",
		`<GetCapabilities xmlns="`+nsDevice+`"><Category>All</Category></GetCapabilities>`, &caps)
	var f *Fault
	if errors.As(err, &f) && !errors.Is(err, ErrNotAuthorized) {
		var list struct {
			Service []struct {
				Namespace string `xml:"Namespace"`
				XAddr     string `xml:"XAddr"`
			} `xml:"Service"`
		}
		if err := call(ctx, c, c.cfg.XAddr, nsDevice+"/GetServices",
			`<GetServices xmlns="`+nsDevice+`"><IncludeCapability>false</IncludeCapability></GetServices>`, &list); err != nil {
			return err
		}
		for _, s := range list.Service {
			switch strings.TrimSpace(s.Namespace) {
			case nsMedia:
				caps.Media = s.XAddr
			case nsPTZ:
				caps.PTZ = s.XAddr
			}
		}
	} else if err != nil {
		return err
	}
	s := services{media: c.reachable(caps.Media), ptz: c.reachable(caps.PTZ)}
	if s.media == "" {
		// Many devices serve every operation at the device service.
		s.media = c.cfg.XAddr
	}
	c.mu.Lock()
	c.services = s
	c.mu.Unlock()
	return nil
}

// reachable is a service address as this client can reach it: the path
// the device gave, on the host and port the device was reached at. Devices
// report the address they think they have, which behind NAT, a port
// forward or a second interface is not the one that answers.
func (c *Client) reachable(xaddr string) string {
	xaddr = strings.TrimSpace(xaddr)
	if xaddr == "" {
		return ""
	}
	u, err := url.Parse(xaddr)
	if err != nil || u.Path == "" {
		return ""
	}
	base, _ := url.Parse(c.cfg.XAddr)
	u.Scheme, u.Host, u.User = base.Scheme, base.Host, nil
	return u.String()
}

// media is the media service's address (the device service before
// Connect).
func (c *Client) media() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.services.media == "" {
		return c.cfg.XAddr
	}
	return c.services.media
}

// ptz is the PTZ service's address; "" when the device has none.
func (c *Client) ptz() string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.services.ptz
}
