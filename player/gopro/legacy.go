package gopro

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"
)

// LegacyKeepAlive is the datagram a HERO4–7 must receive on its port 8554
// every LegacyKeepAliveEvery, or it stops streaming.
const LegacyKeepAlive = "_GPHD_:0:0:2:0.000000\n"

// LegacyKeepAliveEvery is the legacy keep-alive cadence.
const LegacyKeepAliveEvery = 2500 * time.Millisecond

// KeepLegacyAlive sends the keep-alive datagram to host:port now and every
// LegacyKeepAliveEvery until ctx ends. A send that fails (no route while the
// camera's Wi-Fi is down) is reported through onErr and tried again at the
// next tick: the stream watchdog, not this, decides that the camera is gone.
func KeepLegacyAlive(ctx context.Context, host string, port int, onErr func(error)) error {
	addr := net.JoinHostPort(host, strconv.Itoa(port))
	conn, err := net.Dial("udp", addr)
	if err != nil {
		return fmt.Errorf("keep-alive socket to %s: %w", addr, err)
	}
	defer conn.Close()
	msg := []byte(LegacyKeepAlive)
	t := time.NewTicker(LegacyKeepAliveEvery)
	defer t.Stop()
	for {
		if _, err := conn.Write(msg); err != nil && onErr != nil {
			onErr(fmt.Errorf("keep-alive to %s: %w", addr, err))
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
