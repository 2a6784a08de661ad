package onviftest

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"testing"
)

// Discovery addresses of WS-Discovery (SOAP-over-UDP).
const (
	DiscoveryGroup = "239.255.255.250"
	DiscoveryPort  = 3702

	actionProbe        = nsDiscover + "/Probe"
	actionProbeMatches = nsDiscover + "/ProbeMatches"
	actionHello        = nsDiscover + "/Hello"
	discoveryTo        = "urn:schemas-xmlsoap-org:ws:2005:04:discovery"
	anonymousTo        = nsAddress + "/role/anonymous"
)

// deviceTypes are the types the device matches a Probe with.
var deviceTypes = []xml.Name{{Space: nsNetwork, Local: "NetworkVideoTransmitter"}, {Space: nsDevice, Local: "Device"}}

// maxDatagram is the largest datagram read; a Probe is well under 1 KiB.
const maxDatagram = 64 << 10

// ListenDiscovery answers WS-Discovery Probes arriving at the UDP address
// addr (e.g. "127.0.0.1:0") and returns the bound address. The listener
// stops with the device.
func (d *Device) ListenDiscovery(t testing.TB, addr string) string {
	t.Helper()
	pc, err := net.ListenPacket("udp4", addr)
	if err != nil {
		t.Fatalf("onviftest: discovery listener on %s: %v", addr, err)
	}
	d.serveDiscovery(t, pc)
	return pc.LocalAddr().String()
}

// JoinMulticast also answers Probes sent to 239.255.255.250:3702, joined on
// the interface ifname. It fails the test outside InNamespace's namespace,
// so that no test puts the device on a real network.
func (d *Device) JoinMulticast(t testing.TB, ifname string) {
	t.Helper()
	if !inChildNamespace() {
		t.Fatalf("onviftest: JoinMulticast outside InNamespace: multicast would reach the machine's real networks")
	}
	ifi, err := net.InterfaceByName(ifname)
	if err != nil {
		t.Fatalf("onviftest: multicast interface: %v", err)
	}
	group := &net.UDPAddr{IP: net.ParseIP(DiscoveryGroup), Port: DiscoveryPort}
	c, err := net.ListenMulticastUDP("udp4", ifi, group)
	if err != nil {
		t.Fatalf("onviftest: join %s on %s: %v", group, ifname, err)
	}
	d.serveDiscovery(t, c)
}

func (d *Device) serveDiscovery(t testing.TB, pc net.PacketConn) {
	d.mu.Lock()
	select {
	case <-d.done:
		d.mu.Unlock()
		_ = pc.Close()
		t.Fatalf("onviftest: discovery listener on a closed device")
	default:
	}
	d.udp = append(d.udp, pc)
	d.wg.Add(1)
	d.mu.Unlock()
	go func() {
		defer d.wg.Done()
		buf := make([]byte, maxDatagram)
		for {
			n, from, err := pc.ReadFrom(buf)
			if errors.Is(err, net.ErrClosed) {
				return
			}
			if err != nil {
				continue
			}
			reply := d.answerProbe(buf[:n])
			if reply != nil {
				// A failed send is a lost datagram, as on a network.
				_, _ = pc.WriteTo(reply, from)
			}
		}
	}()
}

// answerProbe is the ProbeMatches for a Probe whose Types and Scopes (if
// any) the device has, or nil for anything else.
func (d *Device) answerProbe(data []byte) []byte {
	env, err := parseXML(data)
	if err != nil || env.space != nsSOAP || env.local != "Envelope" {
		return nil
	}
	probe := env.child(nsSOAP, "Body").child(nsDiscover, "Probe")
	if probe == nil {
		return nil
	}
	d.mu.Lock()
	d.probes++
	d.mu.Unlock()
	for _, want := range probe.child(nsDiscover, "Types").qnames() {
		found := false
		for _, have := range deviceTypes {
			if want == have {
				found = true
			}
		}
		if !found {
			return nil
		}
	}
	if sc := probe.child(nsDiscover, "Scopes"); sc != nil && !scopesMatch(strings.Fields(sc.value()), sc.attr("MatchBy"), d.scopes()) {
		return nil
	}
	relates := env.child(nsSOAP, "Header").child(nsAddress, "MessageID").value()
	header := d.discoveryHeader(actionProbeMatches, anonymousTo) +
		`<wsa:RelatesTo>` + esc(relates) + `</wsa:RelatesTo>`
	return envelope(header, `<d:ProbeMatches><d:ProbeMatch>`+d.discoveryBody()+`</d:ProbeMatch></d:ProbeMatches>`)
}

// Probes counts the WS-Discovery Probes received, matching or not.
func (d *Device) Probes() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.probes
}

func (d *Device) discoveryHeader(action, to string) string {
	d.mu.Lock()
	d.messageNum++
	num := d.messageNum
	d.mu.Unlock()
	return `<wsa:MessageID>urn:uuid:` + newUUID() + `</wsa:MessageID>` +
		`<wsa:To>` + to + `</wsa:To><wsa:Action>` + action + `</wsa:Action>` +
		fmt.Sprintf(`<d:AppSequence InstanceId="1" MessageNumber="%d"/>`, num)
}

// discoveryBody is what a ProbeMatch and a Hello both carry.
func (d *Device) discoveryBody() string {
	return `<wsa:EndpointReference><wsa:Address>` + d.uuid + `</wsa:Address></wsa:EndpointReference>` +
		`<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>` +
		`<d:Scopes>` + esc(strings.Join(d.scopes(), " ")) + `</d:Scopes>` +
		`<d:XAddrs>` + esc(d.XAddr()) + `</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion>`
}

// Hello announces the device to the UDP address to (a unicast host:port,
// or the discovery group inside InNamespace's namespace).
func (d *Device) Hello(t testing.TB, to string) {
	t.Helper()
	addr, err := net.ResolveUDPAddr("udp4", to)
	if err != nil {
		t.Fatalf("onviftest: Hello to %s: %v", to, err)
	}
	if addr.IP.IsMulticast() && !inChildNamespace() {
		t.Fatalf("onviftest: multicast Hello outside InNamespace: it would reach the machine's real networks")
	}
	c, err := net.DialUDP("udp4", nil, addr)
	if err != nil {
		t.Fatalf("onviftest: Hello to %s: %v", to, err)
	}
	defer c.Close()
	msg := envelope(d.discoveryHeader(actionHello, discoveryTo), `<d:Hello>`+d.discoveryBody()+`</d:Hello>`)
	if _, err := c.Write(msg); err != nil {
		t.Fatalf("onviftest: Hello to %s: %v", to, err)
	}
}

// inChildNamespace reports whether this process is an InNamespace child.
func inChildNamespace() bool { return os.Getenv(childEnv) != "" }
