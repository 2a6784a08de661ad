package onvif

import (
	"encoding/xml"
	"net/url"
	"strings"
	"testing"
)

// FuzzDiscoveryDatagram holds what anyone on the network can send to the
// discovery socket: whatever it is, a device reported has an http(s)
// address and a name fit for a label.
func FuzzDiscoveryDatagram(f *testing.F) {
	f.Add(`<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing"><s:Header><a:RelatesTo>urn:uuid:1</a:RelatesTo></s:Header><s:Body><d:ProbeMatches><d:ProbeMatch><a:EndpointReference><a:Address>urn:uuid:2</a:Address></a:EndpointReference><d:Types>dn:NetworkVideoTransmitter</d:Types><d:Scopes>onvif://www.onvif.org/name/Lobby%20Cam onvif://www.onvif.org/hardware/X1</d:Scopes><d:XAddrs>http://192.0.2.7/onvif/device_service</d:XAddrs></d:ProbeMatch></d:ProbeMatches></s:Body></s:Envelope>`)
	f.Add(`<Envelope><Body><Hello><XAddrs>http://[fe80::1]/x http://192.0.2.8:81/y</XAddrs><Scopes>onvif://www.onvif.org/name/%E2%80%AEevil</Scopes></Hello></Body></Envelope>`)
	f.Add(`<!DOCTYPE x [<!ENTITY a "aaaaaaaa">]><Envelope><Body><Hello><XAddrs>&a;</XAddrs></Hello></Body></Envelope>`)
	f.Fuzz(func(t *testing.T, datagram string) {
		var env discoveryEnvelope
		if xml.Unmarshal([]byte(datagram), &env) != nil {
			return
		}
		anns := env.Body.Matches
		if env.Body.Hello != nil {
			anns = append(anns, *env.Body.Hello)
		}
		for _, a := range anns {
			found, ok := parseAnnouncement(a)
			if !ok {
				continue
			}
			u, err := url.Parse(found.XAddr)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
				t.Fatalf("reported address %q", found.XAddr)
			}
			for _, s := range []string{found.Name, found.Model, found.Location, found.Endpoint} {
				if s != cleanText(s) || strings.ContainsAny(s, "\r\n\x00") {
					t.Fatalf("reported text %q is not clean", s)
				}
			}
		}
	})
}
