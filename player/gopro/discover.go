package gopro

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"time"
)

// DiscoverTimeout bounds one discovery probe: a GoPro on USB answers within
// milliseconds, so a short wait keeps "Add GoPro" quick when none is there.
const DiscoverTimeout = 1500 * time.Millisecond

// Discoverer finds Open GoPro cameras connected over USB. It never probes
// anything but the camera address of a USB network this host is on, and it
// runs only when a user asks (the "Add GoPro" dialog, `camwall gopro
// discover`), never at start-up.
type Discoverer struct {
	// Addrs lists this host's interface addresses; nil means
	// net.InterfaceAddrs. Tests give a made-up list.
	Addrs func() ([]net.Addr, error)
	// Dial opens the probe connections; nil means net.Dialer. Tests route
	// the camera addresses to a simulator on loopback.
	Dial Dialer
	// Timeout bounds each probe; zero means DiscoverTimeout.
	Timeout time.Duration
}

// Found is a camera that answered.
type Found struct {
	// Address is the camera's IP, 172.2X.1YZ.51.
	Address string
	// Serial is the last three digits of its serial number, XYZ.
	Serial string
	// Status is its webcam status when probed.
	Status int
}

// Name is how a found camera is named on the wall until the user renames it.
func (f Found) Name() string { return "GoPro " + f.Serial }

// URL is the camera entry for a found camera, streaming to udpPort.
func (f Found) URL(udpPort int) string {
	u := url.URL{Scheme: Scheme, Host: f.Address}
	if udpPort != DefaultUDPPort {
		u.RawQuery = "port=" + strconv.Itoa(udpPort)
	}
	return u.String()
}

// Candidates returns the camera address of every GoPro USB network among
// addrs: for a host address 172.2X.1YZ.n, the camera is 172.2X.1YZ.51.
func Candidates(addrs []net.Addr) []string {
	var out []string
	for _, a := range addrs {
		var ip net.IP
		switch a := a.(type) {
		case *net.IPNet:
			ip = a.IP
		case *net.IPAddr:
			ip = a.IP
		}
		v4 := ip.To4()
		if !IsUSBAddress(v4) || v4[3] == 51 {
			continue // not a GoPro network, or this host is the camera's address
		}
		cam := net.IPv4(v4[0], v4[1], v4[2], 51).String()
		if !slices.Contains(out, cam) {
			out = append(out, cam)
		}
	}
	return out
}

// Discover probes every candidate's webcam status at once and returns those
// that answered like an Open GoPro camera, in the order of the candidates.
func (d Discoverer) Discover(ctx context.Context) ([]Found, error) {
	list := d.Addrs
	if list == nil {
		list = net.InterfaceAddrs
	}
	addrs, err := list()
	if err != nil {
		return nil, fmt.Errorf("list network interfaces: %w", err)
	}
	cands := Candidates(addrs)
	timeout := d.Timeout
	if timeout == 0 {
		timeout = DiscoverTimeout
	}
	found := make([]*Found, len(cands))
	var wg sync.WaitGroup
	for i, host := range cands {
		wg.Go(func() {
			pctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			c := NewClient("http://"+net.JoinHostPort(host, strconv.Itoa(HTTPPort)), d.Dial)
			st, err := c.WebcamStatus(pctx)
			if err != nil {
				return
			}
			v4 := net.ParseIP(host).To4()
			serial := fmt.Sprintf("%d%d%d", v4[1]-20, v4[2]/10%10, v4[2]%10)
			found[i] = &Found{Address: host, Serial: serial, Status: st.Status}
		})
	}
	wg.Wait()
	var out []Found
	for _, f := range found {
		if f != nil {
			out = append(out, *f)
		}
	}
	return out, ctx.Err()
}
