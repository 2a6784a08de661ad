package systemd

import (
	"net"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
)

// notifySocket listens where NOTIFY_SOCKET points, as systemd does, and
// returns what was sent to it up to the end marker the test sends last.
func notifySocket(t *testing.T) (received func() []string) {
	t.Helper()
	// A socket path is limited to about 100 bytes: t.TempDir's can be longer.
	dir, err := os.MkdirTemp("", "sd")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "notify")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	t.Setenv("NOTIFY_SOCKET", path)
	return func() []string {
		t.Helper()
		end, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: path, Net: "unixgram"})
		if err != nil {
			t.Fatal(err)
		}
		defer end.Close()
		if _, err := end.Write([]byte("END")); err != nil {
			t.Fatal(err)
		}
		// Datagrams arrive in the order they were sent: everything before
		// the marker is what the code under test sent.
		conn.SetReadDeadline(time.Now().Add(20 * time.Second))
		var got []string
		buf := make([]byte, 4096)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				t.Fatalf("reading the notify socket: %v (got %q)", err, got)
			}
			if msg := string(buf[:n]); msg != "END" {
				got = append(got, msg)
				continue
			}
			return got
		}
	}
}

func TestNotificationsReachSystemdOnlyUnderIt(t *testing.T) {
	tests := []struct {
		name   string
		socket bool
		call   func() error
		want   []string
	}{
		{"ready under systemd", true, Ready, []string{"READY=1"}},
		{"stopping under systemd", true, Stopping, []string{"STOPPING=1"}},
		{"ready without systemd does nothing", false, Ready, nil},
		{"stopping without systemd does nothing", false, Stopping, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			received := notifySocket(t)
			if !tc.socket {
				t.Setenv("NOTIFY_SOCKET", "")
			}
			if err := tc.call(); err != nil {
				t.Fatal(err)
			}
			if got := received(); !slices.Equal(got, tc.want) {
				t.Errorf("sent %q, want %q", got, tc.want)
			}
		})
	}
}

func TestWatchdogPingsAtHalfItsTimeout(t *testing.T) {
	start := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name         string
		usec, pid    string
		pings        []time.Duration // after start
		wantInterval time.Duration
		want         int // WATCHDOG=1 datagrams
	}{
		{"first ping is sent at once", "30000000", "", []time.Duration{0}, 15 * time.Second, 1},
		{"pings within half the timeout are not sent", "30000000", "",
			[]time.Duration{0, time.Second, 14 * time.Second}, 15 * time.Second, 1},
		{"a ping half the timeout later is sent", "30000000", "",
			[]time.Duration{0, 5 * time.Second, 15 * time.Second, 20 * time.Second, 30 * time.Second}, 15 * time.Second, 3},
		{"a watchdog for this process", "2000000", "self", []time.Duration{0, time.Second}, time.Second, 2},
		{"a watchdog for another process pings nothing", "2000000", "1", []time.Duration{0, time.Second}, 0, 0},
		{"no watchdog pings nothing", "", "", []time.Duration{0, time.Minute}, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			received := notifySocket(t)
			t.Setenv("WATCHDOG_USEC", tc.usec)
			pid := tc.pid
			if pid == "self" {
				pid = strconv.Itoa(os.Getpid())
			}
			t.Setenv("WATCHDOG_PID", pid)
			w, err := NewWatchdog()
			if err != nil {
				t.Fatal(err)
			}
			if w.Interval() != tc.wantInterval {
				t.Errorf("interval %v, want %v", w.Interval(), tc.wantInterval)
			}
			for _, d := range tc.pings {
				if err := w.Ping(start.Add(d)); err != nil {
					t.Fatal(err)
				}
			}
			got := received()
			if len(got) != tc.want || slices.ContainsFunc(got, func(m string) bool { return m != "WATCHDOG=1" }) {
				t.Errorf("sent %q, want %d × WATCHDOG=1", got, tc.want)
			}
		})
	}
}

func TestWatchdogWithAnUnreadableTimeoutFailsAndPingsNothing(t *testing.T) {
	received := notifySocket(t)
	t.Setenv("WATCHDOG_USEC", "soon")
	w, err := NewWatchdog()
	if err == nil {
		t.Fatal("no error for WATCHDOG_USEC=soon")
	}
	if err := w.Ping(time.Now()); err != nil {
		t.Fatal(err)
	}
	if got := received(); len(got) != 0 {
		t.Errorf("sent %q, want nothing", got)
	}
}
