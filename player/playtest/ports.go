package playtest

import (
	"net"
	"testing"
)

// FreeTCPAddr returns a loopback address, host:port, that nothing listened
// on a moment ago: where a connection is refused, or a server comes back.
func FreeTCPAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// FreeUDPPort returns a loopback UDP port that nothing listened on a moment
// ago: where a test asks a sender (a simulated GoPro, ffmpeg) to stream.
func FreeUDPPort(t testing.TB) int {
	t.Helper()
	c, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := c.LocalAddr().(*net.UDPAddr).Port
	c.Close()
	return port
}
