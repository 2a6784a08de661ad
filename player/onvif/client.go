package onvif

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Config is how to reach one device.
type Config struct {
	// XAddr is the device service's URL, e.g.
	// http://192.168.1.30/onvif/device_service (DeviceURL makes one from
	// a host).
	XAddr string
	// User and Password log in; an empty User sends no credentials.
	User, Password string
	// Timeout bounds each request; it defaults to 5 s.
	Timeout time.Duration
	// Dial opens the connections; nil means a net.Dialer. Tests route
	// addresses to simulators with it.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Client talks to one device. It is safe for concurrent use.
type Client struct {
	cfg    Config
	http   *http.Client
	digest httpDigest
	offset atomic.Int64 // device clock minus ours, in nanoseconds

	mu       sync.Mutex
	services services
}

// services are the addresses of the device's services, from its
// capabilities.
type services struct {
	media, ptz string
}

// defaultTimeout bounds a request: cameras answer in milliseconds, and a
// dialog must not hang on one that does not.
const defaultTimeout = 5 * time.Second

// New checks the address; it contacts nothing.
func New(cfg Config) (*Client, error) {
	u, err := url.Parse(cfg.XAddr)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("invalid ONVIF device address %q: want http://host[:port]/onvif/device_service", cfg.XAddr)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = defaultTimeout
	}
	tr := &http.Transport{
		Proxy:                 nil, // a camera on the LAN is never reached through the user's web proxy
		MaxIdleConnsPerHost:   2,
		IdleConnTimeout:       30 * time.Second,
		ResponseHeaderTimeout: cfg.Timeout,
	}
	if cfg.Dial != nil {
		tr.DialContext = cfg.Dial
	} else {
		d := &net.Dialer{Timeout: cfg.Timeout}
		tr.DialContext = d.DialContext
	}
	c := &Client{cfg: cfg, http: &http.Client{
		Transport: tr,
		Timeout:   cfg.Timeout,
		// A SOAP service that redirects is misconfigured or not the
		// device asked for: its answer is shown rather than followed.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
	return c, nil
}

// Close releases idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// XAddr is the device service's URL.
func (c *Client) XAddr() string { return c.cfg.XAddr }

// ClockOffset is how far the device's clock is ahead of this machine's, as
// read by Connect.
func (c *Client) ClockOffset() time.Duration { return time.Duration(c.offset.Load()) }

// Info is what a device says about itself.
type Info struct {
	Manufacturer, Model, Firmware, Serial, HardwareID string
	// ClockOffset is the device's clock minus this machine's.
	ClockOffset time.Duration
	// PTZ reports whether the device has a PTZ service.
	PTZ bool
}

// Connect reads the device's clock (without credentials, as ONVIF allows,
// so that every later token is created on the device's time), its services
// and its identity. A wrong password fails here with ErrNotAuthorized.
func (c *Client) Connect(ctx context.Context) (Info, error) {
	if err := c.syncClock(ctx); err != nil {
		return Info{}, err
	}
	if err := c.readServices(ctx); err != nil {
		return Info{}, err
	}
	var r struct {
		Manufacturer    string `xml:"Manufacturer"`
		Model           string `xml:"Model"`
		FirmwareVersion string `xml:"FirmwareVersion"`
		SerialNumber    string `xml:"SerialNumber"`
		HardwareID      string `xml:"HardwareId"`
	}
	if err := call(ctx, c, c.cfg.XAddr, nsDevice+"/GetDeviceInformation",
		`<GetDeviceInformation xmlns="`+nsDevice+`"/>`, &r); err != nil {
		return Info{}, err
	}
	c.mu.Lock()
	ptz := c.services.ptz != ""
	c.mu.Unlock()
	return Info{Manufacturer: cleanText(r.Manufacturer), Model: cleanText(r.Model), Firmware: cleanText(r.FirmwareVersion),
		Serial: cleanText(r.SerialNumber), HardwareID: cleanText(r.HardwareID), ClockOffset: c.ClockOffset(), PTZ: ptz}, nil
}

// syncClock reads the device's UTC time. A device that does not say keeps
// the offset at zero: its tokens may then be refused, which the fault says.
func (c *Client) syncClock(ctx context.Context) error {
	var r struct {
		UTC struct {
			Date struct {
				Year  int `xml:"Year"`
				Month int `xml:"Month"`
				Day   int `xml:"Day"`
			} `xml:"Date"`
			Time struct {
				Hour   int `xml:"Hour"`
				Minute int `xml:"Minute"`
				Second int `xml:"Second"`
			} `xml:"Time"`
		} `xml:"SystemDateAndTime>UTCDateTime"`
	}
	sent := time.Now()
	// Sent without credentials: the clock is what a token needs first.
	err := exchange(ctx, c, c.cfg.XAddr, nsDevice+"/GetSystemDateAndTime",
		`<GetSystemDateAndTime xmlns="`+nsDevice+`"/>`, &r, false)
	if errors.Is(err, ErrNotAuthorized) {
		return nil // some devices guard even their clock; go on with ours
	}
	if err != nil {
		return err
	}
	d, t := r.UTC.Date, r.UTC.Time
	if d.Year < 1970 {
		return nil
	}
	device := time.Date(d.Year, time.Month(d.Month), d.Day, t.Hour, t.Minute, t.Second, 0, time.UTC)
	// The reply left the device about halfway through the round trip.
	here := sent.Add(time.Since(sent) / 2)
	off := device.Sub(here)
	// Whole seconds are all the device reports: offsets under one are noise.
	if off > -time.Second && off < time.Second {
		off = 0
	}
	c.offset.Store(int64(off))
	return nil
}
