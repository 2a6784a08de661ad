// Package onviftest is a simulated ONVIF Profile S camera on loopback for
// camwall's tests. It answers the device (ver10), media (ver10) and PTZ
// (ver20) services over SOAP 1.2, checks WS-Security UsernameTokens or HTTP
// Digest like a camera does, and answers WS-Discovery probes. Requests are
// read by element namespace and local name, never by prefix, so any client
// that follows the specifications is understood; Debian's onvif-util
// (libonvif) is the independent client the package's own tests hold it to.
//
//	d := onviftest.Start(t, onviftest.Config{Username: "admin", Password: "pw"})
//	// point the client at d.XAddr(); d.Actions() shows what it asked, in order.
//
// Everything listens on 127.0.0.1 unless a test asks otherwise. Multicast
// (JoinMulticast, a Hello to a group) is refused outside the network
// namespace InNamespace creates, so no datagram reaches a real network.
package onviftest

// Namespaces of the specifications the simulator speaks.
const (
	nsSOAP     = "http://www.w3.org/2003/05/soap-envelope"
	nsDevice   = "http://www.onvif.org/ver10/device/wsdl"
	nsMedia    = "http://www.onvif.org/ver10/media/wsdl"
	nsPTZ      = "http://www.onvif.org/ver20/ptz/wsdl"
	nsSchema   = "http://www.onvif.org/ver10/schema"
	nsError    = "http://www.onvif.org/ver10/error"
	nsWSSE     = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
	nsWSU      = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
	nsDiscover = "http://schemas.xmlsoap.org/ws/2005/04/discovery"
	nsAddress  = "http://schemas.xmlsoap.org/ws/2004/08/addressing"
	nsNetwork  = "http://www.onvif.org/ver10/network/wsdl"
)
