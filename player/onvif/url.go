package onvif

import (
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Scheme is the URL scheme that names an ONVIF device as a camera:
// onvif://[user[:password]@]host[:port][/path][?profile=TOKEN]. The path
// defaults to ONVIF's /onvif/device_service and the port to 80; without a
// profile the largest one plays. At every connection the device is asked
// for the profile's stream address, so a device that changes it is
// followed.
const Scheme = "onvif"

// DefaultPath is where ONVIF devices serve their device service.
const DefaultPath = "/onvif/device_service"

// Target is a parsed onvif:// URL.
type Target struct {
	// XAddr is the device service's URL, without credentials.
	XAddr string
	// User and Password are the URL's credentials, if it has any.
	User, Password string
	// Profile is the profile token; "" means the largest profile.
	Profile string
}

// ParseURL reads an onvif:// URL.
func ParseURL(raw string) (Target, error) {
	u, err := url.Parse(raw)
	if err != nil || !strings.EqualFold(u.Scheme, Scheme) || u.Host == "" || u.Opaque != "" {
		return Target{}, fmt.Errorf("invalid ONVIF URL: want onvif://host[:port][/path][?profile=TOKEN]")
	}
	for k := range u.Query() {
		if k != "profile" {
			return Target{}, fmt.Errorf("invalid ONVIF URL: unknown parameter %q (camwall knows profile)", k)
		}
	}
	t := Target{Profile: u.Query().Get("profile")}
	if u.User != nil {
		t.User = u.User.Username()
		t.Password, _ = u.User.Password()
	}
	path := u.Path
	if path == "" || path == "/" {
		path = DefaultPath
	}
	t.XAddr = (&url.URL{Scheme: "http", Host: u.Host, Path: path}).String()
	return t, nil
}

// FormatURL is the onvif:// URL, without credentials, of a device service
// and profile: how a camera added from a device is stored.
func FormatURL(xaddr, profile string) (string, error) {
	u, err := url.Parse(xaddr)
	if err != nil || u.Host == "" || u.Scheme != "http" {
		return "", fmt.Errorf("invalid ONVIF device address %q", xaddr)
	}
	out := url.URL{Scheme: Scheme, Host: u.Host}
	if u.Path != DefaultPath && u.Path != "" && u.Path != "/" {
		out.Path = u.Path
	}
	if profile != "" {
		out.RawQuery = url.Values{"profile": {profile}}.Encode()
	}
	return out.String(), nil
}

// DeviceURL is the device service's URL for what a user typed: a host, a
// host:port, or a whole http:// address.
func DeviceURL(addr string) (string, error) {
	addr = strings.TrimSpace(addr)
	if strings.Contains(addr, "://") {
		u, err := url.Parse(addr)
		if err != nil || u.Host == "" || u.Scheme != "http" && u.Scheme != "https" {
			return "", fmt.Errorf("invalid ONVIF device address %q: want a host, host:port or http:// URL", addr)
		}
		if u.Path == "" || u.Path == "/" {
			u.Path = DefaultPath
		}
		u.User = nil
		return u.String(), nil
	}
	host := addr
	if h, _, err := net.SplitHostPort(addr); err == nil {
		host = h
	}
	if host == "" || strings.ContainsAny(addr, "/?#@ ") {
		return "", fmt.Errorf("invalid ONVIF device address %q: want a host, host:port or http:// URL", addr)
	}
	if strings.Contains(host, ":") && !strings.HasPrefix(addr, "[") { // a bare IPv6 address
		addr = "[" + addr + "]"
	}
	return (&url.URL{Scheme: "http", Host: addr, Path: DefaultPath}).String(), nil
}
