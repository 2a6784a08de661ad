// Package gopro drives GoPro cameras over their HTTP APIs: the Open GoPro
// API of HERO9 and later (over USB or Wi-Fi), and the gpControl API of
// HERO4 to HERO7 (over Wi-Fi). A GoPro is not an IP camera: it streams
// MPEG-TS over UDP to the host that asked, only while that host keeps it
// alive. This package holds the protocol (requests, answers, keep-alives,
// discovery); player turns it into a camera session. Nothing here decodes.
package gopro

import (
	"fmt"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// Scheme is the URL scheme of a GoPro camera entry, e.g.
// gopro://172.25.190.51?port=8556.
const Scheme = "gopro"

// Mode is how a GoPro is asked for video.
type Mode string

// The modes, with the models that have them.
const (
	// ModeWebcam is Open GoPro's webcam mode (HERO9 Black and later, over USB
	// or Wi-Fi): the camera's full-quality live feed, up to 1080p.
	ModeWebcam Mode = "webcam"
	// ModePreview is Open GoPro's preview stream (HERO9 Black and later,
	// over Wi-Fi or USB): the camera's framing view, lower resolution, and
	// the camera stays usable for recording.
	ModePreview Mode = "preview"
	// ModeLegacy is the gpControl live preview of HERO4 to HERO7 over Wi-Fi.
	ModeLegacy Mode = "legacy"
)

// Defaults a real camera uses.
const (
	// DefaultUDPPort is where GoPros send MPEG-TS unless told otherwise; a
	// legacy camera always uses it.
	DefaultUDPPort = 8554
	// HTTPPort is the Open GoPro API's port; legacy cameras answer on 80.
	HTTPPort       = 8080
	legacyHTTPPort = 80
)

// Webcam resolutions and fields of view, as the Open GoPro API numbers
// them. The URL spells them in words: res=1080, fov=linear.
var (
	resolutions = map[string]int{"480": 4, "720": 7, "1080": 12}
	fovs        = map[string]int{"wide": 0, "narrow": 2, "superview": 3, "linear": 4}
)

// Target is one GoPro camera entry, parsed from its gopro:// URL:
//
//	gopro://HOST[:HTTPPORT][?mode=webcam|preview|legacy][&port=UDPPORT]
//	       [&res=480|720|1080][&fov=wide|narrow|superview|linear][&usb=0|1]
//	       [&protocol=ts|rtsp][&rtsp=PORT][&keepalive=PORT]
//
// Only HOST is needed: a USB camera (172.2X.1YZ.51) is driven in webcam mode
// with wired USB control, any other host in webcam mode over Wi-Fi.
type Target struct {
	Host     string
	HTTPPort int
	Mode     Mode
	// UDPPort is the local port the camera is asked to send to: each GoPro
	// on a wall needs its own.
	UDPPort int
	// Res and FOV are webcam-mode codes; -1 leaves the camera's choice.
	Res, FOV int
	// USB sends "wired USB control on" before anything else, which a camera
	// on USB requires.
	USB bool
	// KeepAlivePort is the legacy camera's UDP port for the keep-alive
	// datagram (a real camera: 8554; tests point it at a simulator).
	KeepAlivePort int
	// RTSP asks a webcam for RTSP instead of MPEG-TS over UDP: the camera
	// then serves rtsp://HOST:RTSPPort/live, played as any RTSP camera. It
	// needs no UDP port of the host, so it passes firewalls that drop the
	// camera's datagrams.
	RTSP     bool
	RTSPPort int
}

// RTSPURL is where a webcam started with RTSP serves its stream.
func (t Target) RTSPURL() string {
	return "rtsp://" + net.JoinHostPort(t.Host, strconv.Itoa(t.RTSPPort)) + "/live"
}

// ParseURL reads a gopro:// URL. Its errors say what to write instead.
func ParseURL(raw string) (Target, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Target{}, fmt.Errorf("invalid GoPro URL %q: %w", raw, err)
	}
	if !strings.EqualFold(u.Scheme, Scheme) || u.Hostname() == "" {
		return Target{}, fmt.Errorf("invalid GoPro URL %q: want gopro://CAMERA-ADDRESS, e.g. gopro://172.25.190.51", raw)
	}
	t := Target{Host: u.Hostname(), Mode: ModeWebcam, UDPPort: DefaultUDPPort, Res: -1, FOV: -1, KeepAlivePort: DefaultUDPPort,
		RTSPPort: 554}
	q := u.Query()
	for k := range q {
		switch k {
		case "mode", "port", "res", "fov", "usb", "keepalive", "protocol", "rtsp":
		default:
			return Target{}, fmt.Errorf("GoPro URL: unknown parameter %q (known: mode, port, res, fov, usb, protocol, rtsp, keepalive)", k)
		}
	}
	switch m := Mode(strings.ToLower(q.Get("mode"))); m {
	case "", ModeWebcam:
	case ModePreview, ModeLegacy:
		t.Mode = m
	default:
		return Target{}, fmt.Errorf("GoPro URL: mode %q is not webcam, preview or legacy", q.Get("mode"))
	}
	t.HTTPPort = HTTPPort
	if t.Mode == ModeLegacy {
		t.HTTPPort = legacyHTTPPort
	}
	if p := u.Port(); p != "" {
		if t.HTTPPort, err = port(p); err != nil {
			return Target{}, fmt.Errorf("GoPro URL: HTTP %w", err)
		}
	}
	if p := q.Get("port"); p != "" {
		if t.UDPPort, err = port(p); err != nil {
			return Target{}, fmt.Errorf("GoPro URL: %w", err)
		}
	}
	if p := q.Get("keepalive"); p != "" {
		if t.KeepAlivePort, err = port(p); err != nil {
			return Target{}, fmt.Errorf("GoPro URL: keepalive %w", err)
		}
	}
	if r := q.Get("res"); r != "" {
		code, ok := resolutions[strings.TrimSuffix(strings.ToLower(r), "p")]
		if !ok {
			return Target{}, fmt.Errorf("GoPro URL: res %q is not 480, 720 or 1080", r)
		}
		t.Res = code
	}
	if f := q.Get("fov"); f != "" {
		code, ok := fovs[strings.ToLower(f)]
		if !ok {
			return Target{}, fmt.Errorf("GoPro URL: fov %q is not wide, narrow, superview or linear", f)
		}
		t.FOV = code
	}
	switch q.Get("usb") {
	case "":
		t.USB = IsUSBAddress(net.ParseIP(t.Host))
	case "1", "true", "yes":
		t.USB = true
	case "0", "false", "no":
	default:
		return Target{}, fmt.Errorf("GoPro URL: usb %q is not 0 or 1", q.Get("usb"))
	}
	switch strings.ToLower(q.Get("protocol")) {
	case "", "ts":
	case "rtsp":
		if t.Mode != ModeWebcam {
			return Target{}, fmt.Errorf("GoPro URL: protocol=rtsp is a webcam-mode option")
		}
		t.RTSP = true
	default:
		return Target{}, fmt.Errorf("GoPro URL: protocol %q is not ts or rtsp", q.Get("protocol"))
	}
	if p := q.Get("rtsp"); p != "" {
		if t.RTSPPort, err = port(p); err != nil {
			return Target{}, fmt.Errorf("GoPro URL: rtsp %w", err)
		}
	}
	if t.Mode == ModeLegacy && t.USB {
		return Target{}, fmt.Errorf("GoPro URL: legacy cameras (HERO4–7) stream over Wi-Fi only; drop usb=1")
	}
	return t, nil
}

func port(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("port %q is not a number from 1 to 65535", s)
	}
	return n, nil
}

// BaseURL is where the camera's HTTP API answers.
func (t Target) BaseURL() string {
	return "http://" + net.JoinHostPort(t.Host, strconv.Itoa(t.HTTPPort))
}

// Address is the API's host:port, what a session dials to see whether an
// unplugged camera is back.
func (t Target) Address() string { return net.JoinHostPort(t.Host, strconv.Itoa(t.HTTPPort)) }

// IsUSBAddress reports whether ip is in the 172.2X.1YZ.0/24 networks a GoPro
// on USB makes (X, Y, Z: the last three digits of its serial number).
func IsUSBAddress(ip net.IP) bool {
	v4 := ip.To4()
	return v4 != nil && v4[0] == 172 && v4[1] >= 20 && v4[1] <= 29 && v4[2] >= 100 && v4[2] <= 199
}

// FreeUDPPort is the first receive port from DefaultUDPPort up that none of
// the GoPro URLs among urls uses, so that every GoPro on a wall streams to a
// port of its own. Other URLs are ignored.
func FreeUDPPort(urls []string) int {
	used := map[int]bool{}
	for _, raw := range urls {
		if t, err := ParseURL(raw); err == nil {
			used[t.UDPPort] = true
		}
	}
	p := DefaultUDPPort
	for used[p] {
		p++
	}
	return p
}

// Configured reports whether one of the GoPro URLs among urls is the camera
// at addr. Other URLs are ignored.
func Configured(urls []string, addr string) bool {
	ip := net.ParseIP(addr)
	for _, raw := range urls {
		if t, err := ParseURL(raw); err == nil && (t.Host == addr || ip != nil && ip.Equal(net.ParseIP(t.Host))) {
			return true
		}
	}
	return false
}
