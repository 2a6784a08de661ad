package onviftest

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// deviceOperations are the device management service (ver10) operations.
var deviceOperations = map[string]operation{
	"GetSystemDateAndTime": getSystemDateAndTime,
	"GetDeviceInformation": getDeviceInformation,
	"GetCapabilities":      getCapabilities,
	"GetServices":          getServices,
	"GetScopes":            getScopes,
	"GetHostname":          getHostname,
	"GetNetworkInterfaces": getNetworkInterfaces,
	"GetServiceCapabilities": func(d *Device, _ *http.Request, _ *node) (string, *soapFault) {
		return `<tds:GetServiceCapabilitiesResponse><tds:Capabilities>` +
			`<tds:Network IPFilter="false" ZeroConfiguration="false" IPVersion6="false" DynDNS="false"/>` +
			`<tds:Security UsernameToken="true" HttpDigest="` + fmt.Sprint(d.cfg.HTTPDigest) + `"/>` +
			`<tds:System DiscoveryResolve="false" DiscoveryBye="false" RemoteDiscovery="false" SystemBackup="false" SystemLogging="false" FirmwareUpgrade="false"/>` +
			`</tds:Capabilities></tds:GetServiceCapabilitiesResponse>`, nil
	},
}

func getSystemDateAndTime(d *Device, _ *http.Request, _ *node) (string, *soapFault) {
	now := d.now().UTC()
	dt := func(tag string) string {
		return fmt.Sprintf(`<tt:%s><tt:Time><tt:Hour>%d</tt:Hour><tt:Minute>%d</tt:Minute><tt:Second>%d</tt:Second></tt:Time>`+
			`<tt:Date><tt:Year>%d</tt:Year><tt:Month>%d</tt:Month><tt:Day>%d</tt:Day></tt:Date></tt:%s>`,
			tag, now.Hour(), now.Minute(), now.Second(), now.Year(), int(now.Month()), now.Day(), tag)
	}
	return `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime>` +
		`<tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>` +
		`<tt:TimeZone><tt:TZ>UTC0</tt:TZ></tt:TimeZone>` +
		dt("UTCDateTime") + dt("LocalDateTime") +
		`</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`, nil
}

func getDeviceInformation(d *Device, _ *http.Request, _ *node) (string, *soapFault) {
	c := d.cfg
	return `<tds:GetDeviceInformationResponse>` +
		`<tds:Manufacturer>` + esc(c.Manufacturer) + `</tds:Manufacturer>` +
		`<tds:Model>` + esc(c.Model) + `</tds:Model>` +
		`<tds:FirmwareVersion>` + esc(c.Firmware) + `</tds:FirmwareVersion>` +
		`<tds:SerialNumber>` + esc(c.Serial) + `</tds:SerialNumber>` +
		`<tds:HardwareId>` + esc(c.HardwareID) + `</tds:HardwareId>` +
		`</tds:GetDeviceInformationResponse>`, nil
}

// getCapabilities answers the categories asked for (none or All: every
// one). A category the device lacks is ter:NoSuchService, as the Core
// specification has it.
func getCapabilities(d *Device, _ *http.Request, op *node) (string, *soapFault) {
	want := map[string]bool{}
	for _, c := range op.all("", "Category") {
		want[c.value()] = true
	}
	all := len(want) == 0 || want["All"]
	for c := range want {
		switch c {
		case "All", "Device", "Media", "PTZ":
		default:
			return "", senderFault("ter:ActionNotSupported/ter:NoSuchService", "the device has no "+c+" service")
		}
	}
	var b strings.Builder
	b.WriteString(`<tds:GetCapabilitiesResponse><tds:Capabilities>`)
	if all || want["Device"] {
		b.WriteString(`<tt:Device><tt:XAddr>` + esc(d.XAddr()) + `</tt:XAddr>` +
			`<tt:Network><tt:IPFilter>false</tt:IPFilter><tt:ZeroConfiguration>false</tt:ZeroConfiguration><tt:IPVersion6>false</tt:IPVersion6><tt:DynDNS>false</tt:DynDNS></tt:Network>` +
			`<tt:System><tt:DiscoveryResolve>false</tt:DiscoveryResolve><tt:DiscoveryBye>false</tt:DiscoveryBye><tt:RemoteDiscovery>false</tt:RemoteDiscovery><tt:SystemBackup>false</tt:SystemBackup><tt:SystemLogging>false</tt:SystemLogging><tt:FirmwareUpgrade>false</tt:FirmwareUpgrade>` +
			`<tt:SupportedVersions><tt:Major>2</tt:Major><tt:Minor>0</tt:Minor></tt:SupportedVersions></tt:System>` +
			`<tt:Security><tt:TLS1.1>false</tt:TLS1.1><tt:TLS1.2>false</tt:TLS1.2><tt:OnboardKeyGeneration>false</tt:OnboardKeyGeneration><tt:AccessPolicyConfig>false</tt:AccessPolicyConfig><tt:X.509Token>false</tt:X.509Token><tt:SAMLToken>false</tt:SAMLToken><tt:KerberosToken>false</tt:KerberosToken><tt:RELToken>false</tt:RELToken></tt:Security>` +
			`</tt:Device>`)
	}
	if all || want["Media"] {
		b.WriteString(`<tt:Media><tt:XAddr>` + esc(d.serviceURL("media")) + `</tt:XAddr>` +
			`<tt:StreamingCapabilities><tt:RTPMulticast>false</tt:RTPMulticast><tt:RTP_TCP>true</tt:RTP_TCP><tt:RTP_RTSP_TCP>true</tt:RTP_RTSP_TCP></tt:StreamingCapabilities>` +
			`</tt:Media>`)
	}
	if all || want["PTZ"] {
		b.WriteString(`<tt:PTZ><tt:XAddr>` + esc(d.serviceURL("ptz")) + `</tt:XAddr></tt:PTZ>`)
	}
	b.WriteString(`</tds:Capabilities></tds:GetCapabilitiesResponse>`)
	return b.String(), nil
}

func getServices(d *Device, _ *http.Request, _ *node) (string, *soapFault) {
	var b strings.Builder
	b.WriteString(`<tds:GetServicesResponse>`)
	for _, s := range []struct{ ns, xaddr, major, minor string }{
		{nsDevice, d.XAddr(), "2", "40"},
		{nsMedia, d.serviceURL("media"), "2", "40"},
		{nsPTZ, d.serviceURL("ptz"), "2", "40"},
	} {
		b.WriteString(`<tds:Service><tds:Namespace>` + s.ns + `</tds:Namespace><tds:XAddr>` + esc(s.xaddr) + `</tds:XAddr>` +
			`<tds:Version><tt:Major>` + s.major + `</tt:Major><tt:Minor>` + s.minor + `</tt:Minor></tds:Version></tds:Service>`)
	}
	b.WriteString(`</tds:GetServicesResponse>`)
	return b.String(), nil
}

// scopes are the device's scope URIs, in GetScopes and WS-Discovery.
func (d *Device) scopes() []string {
	return []string{
		"onvif://www.onvif.org/type/video_encoder",
		"onvif://www.onvif.org/type/ptz",
		"onvif://www.onvif.org/type/Network_Video_Transmitter",
		"onvif://www.onvif.org/Profile/Streaming",
		"onvif://www.onvif.org/name/" + url.PathEscape(d.cfg.Name),
		"onvif://www.onvif.org/hardware/" + url.PathEscape(d.cfg.HardwareID),
		"onvif://www.onvif.org/location/camwall",
	}
}

func getScopes(d *Device, _ *http.Request, _ *node) (string, *soapFault) {
	var b strings.Builder
	b.WriteString(`<tds:GetScopesResponse>`)
	for _, s := range d.scopes() {
		b.WriteString(`<tds:Scopes><tt:ScopeDef>Fixed</tt:ScopeDef><tt:ScopeItem>` + esc(s) + `</tt:ScopeItem></tds:Scopes>`)
	}
	b.WriteString(`</tds:GetScopesResponse>`)
	return b.String(), nil
}

func getHostname(d *Device, _ *http.Request, _ *node) (string, *soapFault) {
	return `<tds:GetHostnameResponse><tds:HostnameInformation><tt:FromDHCP>false</tt:FromDHCP>` +
		`<tt:Name>` + esc(d.cfg.Name) + `</tt:Name></tds:HostnameInformation></tds:GetHostnameResponse>`, nil
}

// getNetworkInterfaces reports one interface with the address the device
// serves on, which is what a client compares with the XAddr's host.
func getNetworkInterfaces(d *Device, _ *http.Request, _ *node) (string, *soapFault) {
	host := d.host[:strings.LastIndex(d.host, ":")]
	return `<tds:GetNetworkInterfacesResponse><tds:NetworkInterfaces token="eth0"><tt:Enabled>true</tt:Enabled>` +
		`<tt:Info><tt:Name>eth0</tt:Name><tt:HwAddress>02:00:00:00:00:01</tt:HwAddress><tt:MTU>1500</tt:MTU></tt:Info>` +
		`<tt:IPv4><tt:Enabled>true</tt:Enabled><tt:Config><tt:Manual><tt:Address>` + esc(host) + `</tt:Address>` +
		`<tt:PrefixLength>8</tt:PrefixLength></tt:Manual><tt:DHCP>false</tt:DHCP></tt:Config></tt:IPv4>` +
		`</tds:NetworkInterfaces></tds:GetNetworkInterfacesResponse>`, nil
}
