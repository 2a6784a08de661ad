package systemd

import (
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/camwall/camwall/app/systemd/systemdtest"
)

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
			received := systemdtest.NotifySocket(t)
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
			received := systemdtest.NotifySocket(t)
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
	received := systemdtest.NotifySocket(t)
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
