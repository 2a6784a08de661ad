package onviftest

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"slices"
	"sync"
	"testing"
	"time"
)

// Profile is one media profile of the device.
type Profile struct {
	Token, Name   string
	Width, Height int
	// StreamURI is what GetStreamUri answers; "" makes GetStreamUri answer a
	// fault (env:Sender ter:InvalidArgVal ter:NoProfile), as a camera does for
	// a profile it cannot stream.
	StreamURI string
	// SnapshotURI is what GetSnapshotUri answers; "" makes it a fault.
	SnapshotURI string
	// PTZ gives the profile a PTZConfiguration (token "ptz0").
	PTZ bool
}

// Position is where the PTZ head points.
type Position struct {
	Pan, Tilt, Zoom float64
	Moving          bool
}

// Preset is a stored PTZ position.
type Preset struct {
	Token, Name string
	Pos         Position
}

// Config of a simulated camera. The zero Config is a camera without
// authentication with two profiles.
type Config struct {
	// Defaults: "camwall", "Simulated Camera", "1.0", "SIM0001", "sim".
	Manufacturer, Model, Firmware, Serial, HardwareID string
	// Name is the device name in the WS-Discovery scopes
	// (onvif://www.onvif.org/name/<Name>, URL-escaped) and GetHostname;
	// default "camwall-sim".
	Name string
	// Username and Password: with Username "" no request needs credentials.
	Username, Password string
	// HTTPDigest requires HTTP Digest (RFC 7616, MD5, qop=auth) instead of a
	// WS-Security UsernameToken; a request without it gets 401 and a
	// challenge.
	HTTPDigest bool
	// ClockOffset: the device's clock is time.Now().Add(ClockOffset).
	// GetSystemDateAndTime reports it and a UsernameToken's Created is
	// checked against it (±5 s).
	ClockOffset time.Duration
	// Profiles default to "main" 1280x720 with PTZ and "sub" 640x360, both
	// without a stream URI.
	Profiles []Profile
	// Presets default to "1" Door, "2" Gate, "3" Yard at distinct positions.
	Presets []Preset
}

func (c *Config) setDefaults() {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&c.Manufacturer, "camwall")
	def(&c.Model, "Simulated Camera")
	def(&c.Firmware, "1.0")
	def(&c.Serial, "SIM0001")
	def(&c.HardwareID, "sim")
	def(&c.Name, "camwall-sim")
	if c.Profiles == nil {
		c.Profiles = []Profile{
			{Token: "main", Name: "main", Width: 1280, Height: 720, PTZ: true},
			{Token: "sub", Name: "sub", Width: 640, Height: 360},
		}
	}
	if c.Presets == nil {
		c.Presets = []Preset{
			{Token: "1", Name: "Door", Pos: Position{Pan: -0.5, Tilt: 0.2, Zoom: 0}},
			{Token: "2", Name: "Gate", Pos: Position{Pan: 0.25, Tilt: -0.1, Zoom: 0.5}},
			{Token: "3", Name: "Yard", Pos: Position{Pan: 0.8, Tilt: 0.4, Zoom: 1}},
		}
	}
}

// Device is a simulated camera. Its methods are safe for concurrent use.
type Device struct {
	cfg  Config // fixed after Start but for profiles, under mu
	host string // 127.0.0.1:PORT
	uuid string // the WS-Discovery endpoint, urn:uuid:...
	srv  *http.Server
	done chan struct{} // closed by Close; ends delays

	mu           sync.Mutex
	profiles     []Profile
	actions      []string
	failedLogins int
	faults       map[string]*soapFault
	raw          map[string][]byte
	delays       map[string]time.Duration
	ptz          ptzState
	nonces       map[string]bool // HTTP Digest nonces handed out
	probes       int
	messageNum   int
	udp          []net.PacketConn

	wg        sync.WaitGroup // HTTP server, discovery readers
	closeOnce sync.Once
}

// Start serves the camera on 127.0.0.1:0 and registers t.Cleanup(d.Close).
func Start(t testing.TB, cfg Config) *Device {
	t.Helper()
	return StartOn(t, "127.0.0.1:0", cfg)
}

// StartOn is Start on a chosen address, such as ":80" inside a network
// namespace for a client that only tries a camera's default port. XAddr
// names 127.0.0.1 when addr has no host.
func StartOn(t testing.TB, addr string, cfg Config) *Device {
	t.Helper()
	cfg.setDefaults()
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("onviftest: listen on %s: %v", addr, err)
	}
	tcp := l.Addr().(*net.TCPAddr)
	ip := tcp.IP
	if ip.IsUnspecified() {
		ip = net.IPv4(127, 0, 0, 1)
	}
	d := &Device{
		cfg:      cfg,
		host:     net.JoinHostPort(ip.String(), fmt.Sprint(tcp.Port)),
		uuid:     "urn:uuid:" + newUUID(),
		done:     make(chan struct{}),
		profiles: slices.Clone(cfg.Profiles),
		faults:   map[string]*soapFault{},
		raw:      map[string][]byte{},
		delays:   map[string]time.Duration{},
		nonces:   map[string]bool{},
	}
	d.srv = &http.Server{Handler: d, ReadHeaderTimeout: 10 * time.Second}
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		if err := d.srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("onviftest: serve: %v", err)
		}
	}()
	t.Cleanup(d.Close)
	return d
}

// newUUID is a random (version 4) UUID, so that two simulators in one test
// are two devices to a client that tells devices apart by endpoint.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// XAddr is the device service address.
func (d *Device) XAddr() string { return d.serviceURL("device") }

// Host is the device's host:port.
func (d *Device) Host() string { return d.host }

// EndpointAddress is the device's WS-Discovery endpoint reference,
// urn:uuid:..., the same in every ProbeMatch and Hello.
func (d *Device) EndpointAddress() string { return d.uuid }

func (d *Device) serviceURL(service string) string {
	return "http://" + d.host + "/onvif/" + service + "_service"
}

// Close stops the HTTP server and any discovery listener; connections are
// refused afterwards. It may be called more than once.
func (d *Device) Close() {
	d.closeOnce.Do(func() {
		// The server first, so that a delayed answer ended by done finds its
		// connection already closed.
		_ = d.srv.Close()
		close(d.done)
		d.mu.Lock()
		conns := d.udp
		d.udp = nil
		d.mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
		d.wg.Wait()
	})
}

// now is the device's clock.
func (d *Device) now() time.Time { return time.Now().Add(d.cfg.ClockOffset) }

// Actions is every SOAP operation received, by local name, in order,
// including those refused for credentials.
func (d *Device) Actions() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.actions)
}

// FailedLogins counts requests refused for wrong or missing credentials
// (an HTTP Digest challenge to a request that sent none is the handshake,
// not a failure, and is not counted).
func (d *Device) FailedLogins() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.failedLogins
}

// SetFault makes action answer a SOAP 1.2 fault env:Sender with subcode code
// (e.g. "ter:ActionNotSupported"; several nested subcodes separated by "/")
// and reason, until cleared with code "".
func (d *Device) SetFault(action string, code, reason string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if code == "" {
		delete(d.faults, action)
		return
	}
	d.faults[action] = senderFault(code, reason)
}

// SetRawReply makes action answer exactly body (200,
// application/soap+xml); nil clears.
func (d *Device) SetRawReply(action string, body []byte) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if body == nil {
		delete(d.raw, action)
		return
	}
	d.raw[action] = slices.Clone(body)
}

// SetDelay makes action answer after dur; 0 clears.
func (d *Device) SetDelay(action string, dur time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if dur <= 0 {
		delete(d.delays, action)
		return
	}
	d.delays[action] = dur
}

// SetProfiles replaces the device's profiles, as a camera reconfigured at
// run time.
func (d *Device) SetProfiles(p []Profile) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.profiles = slices.Clone(p)
}

func (d *Device) profile(token string) (Profile, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, p := range d.profiles {
		if p.Token == token {
			return p, true
		}
	}
	return Profile{}, false
}

func (d *Device) profilesNow() []Profile {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.profiles)
}
