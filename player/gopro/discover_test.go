package gopro_test

import (
	"context"
	"errors"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/camwall/camwall/player/gopro"
	"github.com/camwall/camwall/player/gopro/goprotest"
)

func ipNet(t *testing.T, s string) net.Addr {
	t.Helper()
	ip, n, err := net.ParseCIDR(s)
	if err != nil {
		t.Fatal(err)
	}
	n.IP = ip
	return n
}

func TestDiscoverProbesOnlyGoProUSBNetworks(t *testing.T) {
	sim := goprotest.Start(t, goprotest.Config{})
	r := goprotest.NewRoute(map[string]string{"172.20.123.51:8080": sim.Addr()})
	d := gopro.Discoverer{
		// This host: loopback, a LAN, docker's bridge, and two GoPro USB
		// networks, of which only the first has a camera that answers.
		Addrs: func() ([]net.Addr, error) {
			return []net.Addr{ipNet(t, "127.0.0.1/8"), ipNet(t, "192.168.1.20/24"), ipNet(t, "172.17.0.1/16"),
				ipNet(t, "172.20.123.50/24"), ipNet(t, "172.29.199.50/24"), ipNet(t, "fe80::1/64")}, nil
		},
		Dial: r.Dial,
	}
	found, err := d.Discover(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []gopro.Found{{Address: "172.20.123.51", Serial: "023", Status: gopro.WebcamOff}}
	if !slices.Equal(found, want) {
		t.Errorf("found %+v, want %+v", found, want)
	}
	if got := r.Dialed(); !slices.Equal(got, []string{"172.20.123.51:8080", "172.29.199.51:8080"}) {
		t.Errorf("dialled %v: discovery must probe the camera address of each GoPro network and nothing else", got)
	}
	if got := sim.Paths(); !slices.Equal(got, []string{"/gopro/webcam/status"}) {
		t.Errorf("the camera saw %v, want only the status probe", got)
	}
	if found[0].Name() != "GoPro 023" || found[0].URL(8555) != "gopro://172.20.123.51?port=8555" {
		t.Errorf("offered as %q %q", found[0].Name(), found[0].URL(8555))
	}
}

func TestDiscoverSkipsWhatIsNotAGoPro(t *testing.T) {
	tests := []struct {
		name, contentType, body string
		status                  int
	}{
		{"a web server", "text/html", "<html>hello</html>", 200},
		{"an API that is not Open GoPro", "application/json", `{"ok":true}`, 200},
		{"an error", "application/json", `{"error":"no"}`, 500},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sim := goprotest.Start(t, goprotest.Config{})
			sim.Respond("/gopro/webcam/status", tc.status, tc.contentType, tc.body)
			r := goprotest.NewRoute(map[string]string{"172.25.190.51:8080": sim.Addr()})
			d := gopro.Discoverer{Addrs: func() ([]net.Addr, error) { return []net.Addr{ipNet(t, "172.25.190.50/24")}, nil }, Dial: r.Dial}
			found, err := d.Discover(context.Background())
			if err != nil || len(found) != 0 {
				t.Errorf("found %v (err %v), want nothing", found, err)
			}
		})
	}
}

func TestDiscoverIsQuickWhenACameraDoesNotAnswer(t *testing.T) {
	// A listener that accepts and never answers: a camera asleep.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r := goprotest.NewRoute(map[string]string{"172.25.190.51:8080": l.Addr().String()})
	d := gopro.Discoverer{Addrs: func() ([]net.Addr, error) { return []net.Addr{ipNet(t, "172.25.190.50/24")}, nil },
		Dial: r.Dial, Timeout: 300 * time.Millisecond}
	start := time.Now()
	found, err := d.Discover(context.Background())
	if err != nil || len(found) != 0 {
		t.Errorf("found %v (err %v), want nothing", found, err)
	}
	if took := time.Since(start); took > 20*time.Second {
		t.Errorf("discovery took %v with a silent camera, want about its timeout", took)
	}
}

func TestDiscoverReportsAnInterfaceListFailure(t *testing.T) {
	d := gopro.Discoverer{Addrs: func() ([]net.Addr, error) { return nil, errors.New("netlink: permission denied") }}
	if _, err := d.Discover(context.Background()); err == nil || err.Error() != "list network interfaces: netlink: permission denied" {
		t.Errorf("err %v", err)
	}
}
