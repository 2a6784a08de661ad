package onviftest

import (
	"fmt"
	"net"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// probe is a WS-Discovery Probe for types (QNames with their declarations
// in decls), written with prefixes unlike the simulator's.
func probe(messageID, decls, types string) string {
	typesXML := ""
	if types != "" {
		typesXML = `<w:Types ` + decls + `>` + types + `</w:Types>`
	}
	return `<e:Envelope xmlns:e="` + nsSOAP + `" xmlns:h="` + nsAddress + `" xmlns:w="` + nsDiscover + `"><e:Header>` +
		`<h:MessageID>` + messageID + `</h:MessageID><h:To>urn:schemas-xmlsoap-org:ws:2005:04:discovery</h:To>` +
		`<h:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</h:Action></e:Header>` +
		`<e:Body><w:Probe>` + typesXML + `</w:Probe></e:Body></e:Envelope>`
}

// exchange sends msg from a fresh socket on lo to addr and returns the
// answer, or "" when none comes within wait.
func exchange(t *testing.T, addr, msg string, wait time.Duration) string {
	t.Helper()
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	to, err := net.ResolveUDPAddr("udp4", addr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WriteTo([]byte(msg), to); err != nil {
		t.Fatalf("send to %s: %v", addr, err)
	}
	_ = c.SetReadDeadline(time.Now().Add(wait))
	buf := make([]byte, maxDatagram)
	n, _, err := c.ReadFrom(buf)
	if err != nil {
		return ""
	}
	return string(buf[:n])
}

func TestProbeIsAnsweredForTheDevicesTypes(t *testing.T) {
	d := Start(t, Config{Name: "Back yard"})
	addr := d.ListenDiscovery(t, "127.0.0.1:0")
	tests := []struct {
		name, decls, types string
		wantAnswer         bool
	}{
		{"any type", "", "", true},
		{"NetworkVideoTransmitter", `xmlns:n="` + nsNetwork + `"`, "n:NetworkVideoTransmitter", true},
		{"tds:Device, as libonvif asks", `xmlns:dp0="` + nsDevice + `"`, "dp0:Device", true},
		{"both", `xmlns:n="` + nsNetwork + `" xmlns:x="` + nsDevice + `"`, "n:NetworkVideoTransmitter x:Device", true},
		{"a printer", `xmlns:p="http://schemas.microsoft.com/windows/2006/08/wdp/print"`, "p:PrintDeviceType", false},
		{"the right name in another namespace", `xmlns:n="urn:other"`, "n:NetworkVideoTransmitter", false},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := "urn:uuid:0000000" + string(rune('0'+i)) + "-1111-2222-3333-444444444444"
			before := d.Probes()
			wait := 2 * time.Second
			if !tt.wantAnswer {
				wait = 300 * time.Millisecond
			}
			got := exchange(t, addr, probe(id, tt.decls, tt.types), wait)
			if d.Probes() != before+1 {
				t.Errorf("Probes() = %d, want %d", d.Probes(), before+1)
			}
			if !tt.wantAnswer {
				if got != "" {
					t.Errorf("answered a probe for other types:\n%s", got)
				}
				return
			}
			if got == "" {
				t.Fatal("no ProbeMatches")
			}
			if r := text(t, got, nsAddress, "RelatesTo"); r != id {
				t.Errorf("RelatesTo %q, want the probe's MessageID %q", r, id)
			}
			if a := text(t, got, nsAddress, "Action"); a != nsDiscover+"/ProbeMatches" {
				t.Errorf("Action %q, want ProbeMatches", a)
			}
			if x := text(t, got, nsDiscover, "XAddrs"); x != d.XAddr() {
				t.Errorf("XAddrs %q, want %q", x, d.XAddr())
			}
			if a := text(t, got, nsAddress, "Address"); a != d.EndpointAddress() || !strings.HasPrefix(a, "urn:uuid:") {
				t.Errorf("EndpointReference %q, want the device's %q", a, d.EndpointAddress())
			}
			scopes := strings.Fields(text(t, got, nsDiscover, "Scopes"))
			for _, want := range []string{"onvif://www.onvif.org/name/Back%20yard", "onvif://www.onvif.org/hardware/sim", "onvif://www.onvif.org/Profile/Streaming"} {
				if !slices.Contains(scopes, want) {
					t.Errorf("scopes %q lack %q", scopes, want)
				}
			}
			if ty := text(t, got, nsDiscover, "Types"); !strings.Contains(ty, "NetworkVideoTransmitter") {
				t.Errorf("Types %q, want dn:NetworkVideoTransmitter", ty)
			}
		})
	}
}

func TestDiscoveryIgnoresWhatIsNotAProbe(t *testing.T) {
	d := Start(t, Config{})
	addr := d.ListenDiscovery(t, "127.0.0.1:0")
	for _, msg := range []string{"garbage", `<e:Envelope xmlns:e="` + nsSOAP + `"><e:Body><Resolve/></e:Body></e:Envelope>`} {
		if got := exchange(t, addr, msg, 200*time.Millisecond); got != "" {
			t.Errorf("answered %q with:\n%s", msg, got)
		}
	}
	if n := d.Probes(); n != 0 {
		t.Errorf("Probes() = %d, want 0", n)
	}
	// The listener is still there for a real probe.
	if got := exchange(t, addr, probe("urn:uuid:x", "", ""), 2*time.Second); got == "" {
		t.Error("no answer to a probe after the garbage")
	}
}

func TestHelloReachesAUnicastListener(t *testing.T) {
	d := Start(t, Config{})
	c, err := net.ListenPacket("udp4", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	d.Hello(t, c.LocalAddr().String())
	_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
	buf := make([]byte, maxDatagram)
	n, _, err := c.ReadFrom(buf)
	if err != nil {
		t.Fatalf("no Hello: %v", err)
	}
	got := string(buf[:n])
	if a := text(t, got, nsAddress, "Action"); a != nsDiscover+"/Hello" {
		t.Errorf("Action %q, want Hello", a)
	}
	if len(texts(t, got, nsDiscover, "Hello")) != 1 {
		t.Errorf("body has no d:Hello:\n%s", got)
	}
	if x := text(t, got, nsDiscover, "XAddrs"); x != d.XAddr() {
		t.Errorf("XAddrs %q, want %q", x, d.XAddr())
	}
	if a := text(t, got, nsAddress, "Address"); a != d.EndpointAddress() {
		t.Errorf("EndpointReference %q, want %q", a, d.EndpointAddress())
	}
}

func TestCloseStopsTheDiscoveryListener(t *testing.T) {
	d := Start(t, Config{})
	addr := d.ListenDiscovery(t, "127.0.0.1:0")
	d.Close()
	if got := exchange(t, addr, probe("urn:uuid:x", "", ""), 300*time.Millisecond); got != "" {
		t.Errorf("answered after Close:\n%s", got)
	}
}

// TestMulticastProbeIsAnsweredInANamespace sends a Probe to the discovery
// group as a client does, inside the test's own network namespace.
func TestMulticastProbeIsAnsweredInANamespace(t *testing.T) {
	if !InNamespace(t) {
		return
	}
	d := Start(t, Config{})
	d.JoinMulticast(t, "lo")
	got := exchange(t, DiscoveryGroup+":3702", probe("urn:uuid:multicast", "", ""), 2*time.Second)
	if got == "" {
		t.Fatal("no ProbeMatches to a multicast probe")
	}
	if r := text(t, got, nsAddress, "RelatesTo"); r != "urn:uuid:multicast" {
		t.Errorf("RelatesTo %q, want urn:uuid:multicast", r)
	}

	t.Run("Hello to the group", func(t *testing.T) {
		group := &net.UDPAddr{IP: net.ParseIP(DiscoveryGroup), Port: DiscoveryPort}
		ifi, err := net.InterfaceByName("lo")
		if err != nil {
			t.Fatal(err)
		}
		c, err := net.ListenMulticastUDP("udp4", ifi, group)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		d.Hello(t, group.String())
		_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
		buf := make([]byte, maxDatagram)
		for {
			n, _, err := c.ReadFrom(buf)
			if err != nil {
				t.Fatalf("no Hello on the group: %v", err)
			}
			if strings.Contains(string(buf[:n]), "Hello>") {
				return
			}
		}
	})
}

func TestNamespaceHasOnlyLoopback(t *testing.T) {
	if !InNamespace(t) {
		return
	}
	ifs, err := net.Interfaces()
	if err != nil {
		t.Fatal(err)
	}
	for _, ifi := range ifs {
		if ifi.Flags&net.FlagLoopback == 0 {
			t.Errorf("interface %s in the namespace, want loopback only", ifi.Name)
		}
		if ifi.Flags&net.FlagUp == 0 || ifi.Flags&net.FlagMulticast == 0 {
			t.Errorf("lo flags %s, want up and multicast", ifi.Flags)
		}
	}
	t.Run("a nested call runs in place", func(t *testing.T) {
		if !InNamespace(t) {
			t.Fatal("InNamespace inside a child started another child")
		}
	})
}

func TestRunPatternSelectsExactlyTheTest(t *testing.T) {
	tests := []struct{ name, want string }{
		{"TestA", "^TestA$"},
		{"TestA/sub_case", "^TestA$/^sub_case$"},
		{"TestA/a.b(c)", `^TestA$/^a\.b\(c\)$`},
	}
	for _, tt := range tests {
		if got := runPattern(tt.name); got != tt.want {
			t.Errorf("runPattern(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestInNamespaceRunsASubtestAlone(t *testing.T) {
	t.Run("outside", func(t *testing.T) {
		if inChildNamespace() {
			t.Error("a sibling subtest ran in the namespace child")
		}
	})
	t.Run("inside", func(t *testing.T) {
		if !InNamespace(t) {
			return
		}
		if !inChildNamespace() {
			t.Error("the body ran outside the namespace child")
		}
	})
}

// fatalRecorder is a testing.TB whose Fatalf ends only the goroutine, so a
// test can see what a helper refuses.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Helper() {}
func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

func TestMulticastIsRefusedOutsideANamespace(t *testing.T) {
	if inChildNamespace() {
		t.Skip("runs in the parent only")
	}
	d := Start(t, Config{})
	tests := []struct {
		name string
		do   func(tb testing.TB)
	}{
		{"JoinMulticast", func(tb testing.TB) { d.JoinMulticast(tb, "lo") }},
		{"Hello to the group", func(tb testing.TB) { d.Hello(tb, DiscoveryGroup+":3702") }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &fatalRecorder{TB: t}
			done := make(chan struct{})
			go func() { defer close(done); tt.do(rec) }()
			<-done
			if !strings.Contains(rec.msg, "outside InNamespace") {
				t.Errorf("%s outside a namespace: failure %q, want a refusal naming InNamespace", tt.name, rec.msg)
			}
		})
	}
}
