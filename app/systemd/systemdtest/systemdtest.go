// Package systemdtest listens as systemd does for a service's
// notifications, for the tests of whatever sends them.
package systemdtest

import (
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// NotifySocket listens on a unix datagram socket, points NOTIFY_SOCKET at
// it for the rest of the test, and returns a function that says what was
// sent to it so far, in order.
func NotifySocket(t *testing.T) (received func() []string) {
	t.Helper()
	// A socket path is limited to about 100 bytes: t.TempDir's can be longer.
	dir, err := os.MkdirTemp("", "sd")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "notify")
	addr := &net.UnixAddr{Name: path, Net: "unixgram"}
	conn, err := net.ListenUnixgram("unixgram", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	t.Setenv("NOTIFY_SOCKET", path)
	var got []string
	return func() []string {
		t.Helper()
		end, err := net.DialUnix("unixgram", nil, addr)
		if err != nil {
			t.Fatal(err)
		}
		defer end.Close()
		// Datagrams arrive in the order they were sent: everything before
		// this marker is what was sent before the call.
		const marker = "systemdtest: end"
		if _, err := end.Write([]byte(marker)); err != nil {
			t.Fatal(err)
		}
		// Generous: the marker is already queued, this only bounds a bug.
		conn.SetReadDeadline(time.Now().Add(20 * time.Second))
		buf := make([]byte, 4096)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				t.Fatalf("reading the notify socket: %v (got %q)", err, got)
			}
			if msg := string(buf[:n]); msg != marker {
				got = append(got, msg)
				continue
			}
			return append([]string(nil), got...)
		}
	}
}
