package onvif

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/net/ipv4"
)

// WS-Discovery as ONVIF uses it (WS-Discovery 2005/04 over SOAP 1.2).
const (
	// Group is where probes go and devices announce themselves.
	Group         = "239.255.255.250:3702"
	nsAddressing  = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
	nsDiscovery   = "http://schemas.xmlsoap.org/ws/2005/04/discovery"
	nsNetwork     = "http://www.onvif.org/ver10/network/wsdl"
	discoveryTo   = "urn:schemas-xmlsoap-org:ws:2005:04:discovery"
	probeAction   = nsDiscovery + "/Probe"
	maxDatagram   = 64 << 10
	probeRepeat   = time.Second // a second probe, for a datagram lost on Wi-Fi
	defaultListen = 3 * time.Second
)

// Found is a device that answered a probe or announced itself.
type Found struct {
	// Endpoint is the device's stable identity (urn:uuid:…).
	Endpoint string
	// XAddr is its device service's URL, and Address that URL's host:port.
	XAddr, Address string
	// Name, Model and Location are what its scopes say, cleaned for
	// display.
	Name, Model, Location string
	// NeedsPassword is set when the device refused an anonymous request
	// (only when the discovery was asked to knock).
	NeedsPassword bool
	// Knocked says whether NeedsPassword was found out; KnockError is why
	// not, when the device did not answer.
	Knocked    bool
	KnockError string
}

// DiscoverConfig says where to look.
type DiscoverConfig struct {
	// Multicast sends the probe to Group on every multicast-capable
	// interface that is up, and listens there for devices announcing
	// themselves (Hello) while the discovery lasts.
	Multicast bool
	// GroupAddr replaces Group; tests use their own group and port.
	GroupAddr string
	// To are host:port addresses probed directly (the unicast form, for a
	// device on another subnet); port 3702 when none is given.
	To []string
	// Knock asks each device found, without credentials, for its
	// identity, to tell whether it needs a password.
	Knock bool
	// Dial, for the knock; nil means a net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// Discover probes for devices until ctx ends (bounded to 3 s without a
// deadline) and returns each that answered once, ordered by address.
func Discover(ctx context.Context, cfg DiscoverConfig) ([]Found, error) {
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultListen)
		defer cancel()
	}
	var mu sync.Mutex
	var out []Found
	err := Watch(ctx, cfg, func(f Found) {
		mu.Lock()
		out = append(out, f)
		mu.Unlock()
	})
	slices.SortFunc(out, func(a, b Found) int { return strings.Compare(a.Address, b.Address) })
	return out, err
}

// Watch probes for devices and reports each, once, as it answers or
// announces itself, until ctx ends. It sends nothing after the probes.
func Watch(ctx context.Context, cfg DiscoverConfig, found func(Found)) error {
	group := cfg.GroupAddr
	if group == "" {
		group = Group
	}
	gaddr, err := net.ResolveUDPAddr("udp4", group)
	if err != nil {
		return fmt.Errorf("discovery group %s: %w", group, err)
	}
	var targets []*net.UDPAddr
	for _, to := range cfg.To {
		if _, _, err := net.SplitHostPort(to); err != nil {
			to = net.JoinHostPort(to, "3702")
		}
		a, err := net.ResolveUDPAddr("udp4", to)
		if err != nil {
			return fmt.Errorf("probe %s: %w", to, err)
		}
		targets = append(targets, a)
	}
	conn, err := net.ListenUDP("udp4", &net.UDPAddr{})
	if err != nil {
		return fmt.Errorf("open a socket for discovery: %w", err)
	}
	defer conn.Close()
	var ifaces []net.Interface
	if cfg.Multicast {
		ifaces = multicastInterfaces()
		if len(ifaces) == 0 && len(targets) == 0 {
			return errors.New("no network interface that can send multicast is up")
		}
	}

	r := &reporter{found: found, seen: map[string]bool{}, knock: cfg.Knock, dial: cfg.Dial}
	defer r.wait()
	var readers sync.WaitGroup
	defer readers.Wait()
	// Deferred after Wait, so it runs first: it ends the reader.
	defer conn.SetReadDeadline(time.Now())
	stop := context.AfterFunc(ctx, func() { conn.SetReadDeadline(time.Now()) })
	defer stop()
	readers.Go(func() { r.read(ctx, conn) })
	if cfg.Multicast {
		// Announcements arrive at the group's port; a port another program
		// holds only costs the announcements, not the probe's answers.
		if hello, err := listenGroup(gaddr, ifaces); err == nil {
			defer hello.Close()
			readers.Go(func() { r.read(ctx, hello) })
		}
	}

	probe, id := probeMessage()
	r.probeID = id
	send := func() error {
		var errs []error
		pc := ipv4.NewPacketConn(conn)
		_ = pc.SetMulticastLoopback(true)
		for i := range ifaces {
			if err := pc.SetMulticastInterface(&ifaces[i]); err != nil {
				continue
			}
			if _, err := conn.WriteToUDP(probe, gaddr); err != nil {
				errs = append(errs, fmt.Errorf("probe on %s: %w", ifaces[i].Name, err))
			}
		}
		for _, a := range targets {
			if _, err := conn.WriteToUDP(probe, a); err != nil {
				errs = append(errs, fmt.Errorf("probe %s: %w", a, err))
			}
		}
		if len(errs) > 0 && len(errs) == len(ifaces)+len(targets) {
			return errors.Join(errs...)
		}
		return nil
	}
	if err := send(); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
	case <-time.After(probeRepeat):
		_ = send()
		<-ctx.Done()
	}
	return nil
}

// multicastInterfaces are the interfaces a probe goes out on.
func multicastInterfaces() []net.Interface {
	all, _ := net.Interfaces()
	var out []net.Interface
	for _, ifi := range all {
		if ifi.Flags&net.FlagUp != 0 && ifi.Flags&net.FlagMulticast != 0 {
			out = append(out, ifi)
		}
	}
	return out
}

// listenGroup joins the discovery group on each interface, to hear Hello.
func listenGroup(g *net.UDPAddr, ifaces []net.Interface) (*net.UDPConn, error) {
	c, err := net.ListenMulticastUDP("udp4", nil, g)
	if err != nil {
		return nil, err
	}
	pc := ipv4.NewPacketConn(c)
	for i := range ifaces {
		_ = pc.JoinGroup(&ifaces[i], g)
	}
	return c, nil
}

// probeMessage is a Probe for ONVIF video devices and its MessageID.
func probeMessage() ([]byte, string) {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b)
	id := "urn:uuid:" + h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	msg := `<?xml version="1.0" encoding="UTF-8"?>` +
		`<s:Envelope xmlns:s="` + nsSOAP + `" xmlns:a="` + nsAddressing + `" xmlns:d="` + nsDiscovery + `" xmlns:dn="` + nsNetwork + `">` +
		`<s:Header><a:Action s:mustUnderstand="1">` + probeAction + `</a:Action>` +
		`<a:MessageID>` + id + `</a:MessageID>` +
		`<a:ReplyTo><a:Address>` + nsAddressing + `/role/anonymous</a:Address></a:ReplyTo>` +
		`<a:To s:mustUnderstand="1">` + discoveryTo + `</a:To></s:Header>` +
		`<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>`
	return []byte(msg), id
}

// announcement is the part of a ProbeMatch or Hello camwall reads.
type announcement struct {
	Endpoint string `xml:"EndpointReference>Address"`
	Types    string `xml:"Types"`
	Scopes   string `xml:"Scopes"`
	XAddrs   string `xml:"XAddrs"`
}

type discoveryEnvelope struct {
	Header struct {
		RelatesTo string `xml:"RelatesTo"`
	} `xml:"Header"`
	Body struct {
		Matches []announcement `xml:"ProbeMatches>ProbeMatch"`
		Hello   *announcement  `xml:"Hello"`
	} `xml:"Body"`
}

// reporter turns datagrams into Found, once per device.
type reporter struct {
	found   func(Found)
	probeID string
	knock   bool
	dial    func(ctx context.Context, network, addr string) (net.Conn, error)

	mu      sync.Mutex
	seen    map[string]bool
	knocked sync.WaitGroup
}

func (r *reporter) read(ctx context.Context, c *net.UDPConn) {
	buf := make([]byte, maxDatagram)
	for {
		n, _, err := c.ReadFromUDP(buf)
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return
			}
			continue
		}
		var env discoveryEnvelope
		if xml.Unmarshal(buf[:n], &env) != nil {
			continue // not for us, or not well-formed: a datagram from anyone
		}
		var anns []announcement
		if len(env.Body.Matches) > 0 && strings.TrimSpace(env.Header.RelatesTo) == r.probeID {
			anns = env.Body.Matches
		}
		if env.Body.Hello != nil && isVideoDevice(env.Body.Hello.Types) {
			anns = append(anns, *env.Body.Hello)
		}
		for _, a := range anns {
			if f, ok := parseAnnouncement(a); ok {
				r.report(ctx, f)
			}
		}
	}
}

func (r *reporter) report(ctx context.Context, f Found) {
	key := f.Endpoint
	if key == "" {
		key = f.XAddr
	}
	r.mu.Lock()
	dup := r.seen[key]
	r.seen[key] = true
	r.mu.Unlock()
	if dup {
		return
	}
	if !r.knock {
		r.found(f)
		return
	}
	r.knocked.Go(func() {
		kctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		f.NeedsPassword, f.KnockError = Knock(kctx, f.XAddr, r.dial)
		f.Knocked = f.KnockError == ""
		r.found(f)
	})
}

func (r *reporter) wait() { r.knocked.Wait() }

// isVideoDevice reports whether a Types list names an ONVIF video device
// (any prefix), or is empty, as some devices leave it.
func isVideoDevice(types string) bool {
	types = strings.TrimSpace(types)
	if types == "" {
		return true
	}
	for _, t := range strings.Fields(types) {
		if local(t) == "NetworkVideoTransmitter" || local(t) == "Device" {
			return true
		}
	}
	return false
}

// parseAnnouncement reads a match; false when it has no usable address.
func parseAnnouncement(a announcement) (Found, bool) {
	f := Found{Endpoint: cleanText(a.Endpoint)}
	for _, x := range strings.Fields(a.XAddrs) {
		u, err := url.Parse(x)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			continue
		}
		// Prefer an IPv4 address: link-local IPv6 ones need a zone.
		if f.XAddr == "" || strings.HasPrefix(f.Address, "[") && !strings.HasPrefix(u.Host, "[") {
			u.User = nil
			f.XAddr, f.Address = u.String(), u.Host
		}
	}
	if f.XAddr == "" {
		return Found{}, false
	}
	for _, s := range strings.Fields(a.Scopes) {
		rest, ok := strings.CutPrefix(s, "onvif://www.onvif.org/")
		if !ok {
			continue
		}
		kind, val, _ := strings.Cut(rest, "/")
		if v, err := url.PathUnescape(val); err == nil {
			val = v
		}
		val = cleanText(strings.ReplaceAll(val, "_", " "))
		switch strings.ToLower(kind) {
		case "name":
			f.Name = val
		case "hardware":
			f.Model = val
		case "location":
			if f.Location == "" {
				f.Location = val
			}
		}
	}
	return f, true
}

// Knock asks a device for its identity without credentials: whether it
// needs a password, or why it could not tell ("" when it could).
func Knock(ctx context.Context, xaddr string, dial func(ctx context.Context, network, addr string) (net.Conn, error)) (needsPassword bool, why string) {
	c, err := New(Config{XAddr: xaddr, Dial: dial, Timeout: 2 * time.Second})
	if err != nil {
		return false, err.Error()
	}
	defer c.Close()
	err = call[struct{}](ctx, c, xaddr, nsDevice+"/GetDeviceInformation", `<GetDeviceInformation xmlns="`+nsDevice+`"/>`, nil)
	switch {
	case err == nil:
		return false, ""
	case errors.Is(err, ErrNotAuthorized):
		return true, ""
	default:
		var f *Fault
		if errors.As(err, &f) { // a device that faults anonymous requests otherwise still wants a login
			return true, ""
		}
		return false, err.Error()
	}
}
