package onvif_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/camwall/camwall/player/onvif"
	"github.com/camwall/camwall/player/onvif/onviftest"
)

func TestUnicastProbeFindsTheDeviceAndWhetherItNeedsAPassword(t *testing.T) {
	open := onviftest.Start(t, onviftest.Config{Name: "Open Cam", Profiles: twoProfiles()})
	locked := onviftest.Start(t, onviftest.Config{Name: "Locked Cam", Username: "admin", Password: "pw", Profiles: twoProfiles()})
	to := []string{open.ListenDiscovery(t, "127.0.0.1:0"), locked.ListenDiscovery(t, "127.0.0.1:0")}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	found, err := onvif.Discover(ctx, onvif.DiscoverConfig{To: to, Knock: true})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]onvif.Found{}
	for _, f := range found {
		byName[f.Name] = f
	}
	if len(found) != 2 {
		t.Fatalf("found %+v, want both devices once each (probes are sent twice)", found)
	}
	if f := byName["Open Cam"]; f.XAddr != open.XAddr() || !f.Knocked || f.NeedsPassword {
		t.Errorf("open device reported as %+v", f)
	}
	if f := byName["Locked Cam"]; f.XAddr != locked.XAddr() || !f.Knocked || !f.NeedsPassword {
		t.Errorf("locked device reported as %+v", f)
	}
	if n := locked.FailedLogins(); n != 1 {
		t.Errorf("the knock cost %d failed logins, want 1", n)
	}
}

func TestDiscoveryListsNothingWhenNothingAnswers(t *testing.T) {
	// A port nothing listens on: the probe goes nowhere.
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := c.LocalAddr().String()
	c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	found, err := onvif.Discover(ctx, onvif.DiscoverConfig{To: []string{addr}})
	if err != nil || len(found) != 0 {
		t.Fatalf("found %v, %v; want nothing and no error", found, err)
	}
	if ctx.Err() == nil {
		t.Error("Discover returned before its time was up")
	}
}

func TestMulticastProbeAndHelloStayInsideTheTestsNetwork(t *testing.T) {
	if !onviftest.InNamespace(t) {
		return
	}
	d := onviftest.Start(t, onviftest.Config{Name: "Multicast Cam", Profiles: twoProfiles()})
	d.JoinMulticast(t, "lo")
	late := onviftest.Start(t, onviftest.Config{Name: "Late Cam", Profiles: twoProfiles()})
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	seen := make(chan onvif.Found, 4)
	go func() {
		time.Sleep(500 * time.Millisecond)
		late.Hello(t, onvif.Group) // it joined the network after the probe
	}()
	err := onvif.Watch(ctx, onvif.DiscoverConfig{Multicast: true}, func(f onvif.Found) { seen <- f })
	if err != nil {
		t.Fatal(err)
	}
	close(seen)
	got := map[string]string{}
	for f := range seen {
		got[f.Name] = f.XAddr
	}
	if got["Multicast Cam"] != d.XAddr() || got["Late Cam"] != late.XAddr() || len(got) != 2 {
		t.Errorf("saw %v", got)
	}
}
