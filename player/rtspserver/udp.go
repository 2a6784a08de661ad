package rtspserver

import (
	"errors"
	"net"
	"strconv"
)

// FreeUDPPair returns two loopback UDP addresses, an even port and the next
// one, that nothing listened on a moment ago: a Server's UDPRTPAddress and
// UDPRTCPAddress.
func FreeUDPPair() (rtpAddr, rtcpAddr string, err error) {
	for range 100 {
		a, err := net.ListenPacket("udp", "127.0.0.1:0")
		if err != nil {
			return "", "", err
		}
		port := a.LocalAddr().(*net.UDPAddr).Port
		if port%2 != 0 || port == 65534 {
			a.Close()
			continue
		}
		b, err := net.ListenPacket("udp", "127.0.0.1:"+strconv.Itoa(port+1))
		a.Close()
		if err != nil {
			continue
		}
		b.Close()
		return "127.0.0.1:" + strconv.Itoa(port), "127.0.0.1:" + strconv.Itoa(port+1), nil
	}
	return "", "", errors.New("rtspserver: no free pair of UDP ports on loopback")
}
