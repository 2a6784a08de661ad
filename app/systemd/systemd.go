// Package systemd tells a service manager how the wall is doing, through
// the sd_notify protocol: that it is up (READY=1), that its window is still
// painting (WATCHDOG=1), and that it is shutting down (STOPPING=1). Outside
// systemd (no NOTIFY_SOCKET), which is every run but a service's, each call
// does nothing.
package systemd

import (
	"fmt"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"
)

// Ready tells systemd that the wall is up: a Type=notify unit counts as
// started from here on, and its watchdog begins.
func Ready() error { return notify(daemon.SdNotifyReady) }

// Stopping tells systemd that the wall is shutting down on purpose, so that
// the time it takes to close is not taken for a hang.
func Stopping() error { return notify(daemon.SdNotifyStopping) }

func notify(state string) error {
	// The environment stays: the watchdog reads it after Ready.
	if _, err := daemon.SdNotify(false, state); err != nil {
		return fmt.Errorf("tell systemd %s: %w", state, err)
	}
	return nil
}

// Watchdog keeps systemd's watchdog (WatchdogSec= in the unit) fed while
// whoever calls Ping is alive. The wall pings from its UI goroutine, so a
// window that stops painting stops the pings, and systemd restarts it.
// Its methods are for one goroutine.
type Watchdog struct {
	// every is half the watchdog timeout, as sd_watchdog_enabled(3)
	// advises; 0 when systemd watches nothing.
	every time.Duration
	last  time.Time
}

// NewWatchdog reads the watchdog's timeout from the environment systemd
// gives a service (WATCHDOG_USEC, WATCHDOG_PID). Without one the watchdog
// pings nothing.
func NewWatchdog() (*Watchdog, error) {
	timeout, err := daemon.SdWatchdogEnabled(false)
	if err != nil {
		return &Watchdog{}, fmt.Errorf("read the systemd watchdog's timeout: %w", err)
	}
	return &Watchdog{every: timeout / 2}, nil
}

// Interval is the time between two pings; 0 when systemd watches nothing.
func (w *Watchdog) Interval() time.Duration { return w.every }

// Ping sends WATCHDOG=1 when the interval has passed since the last one
// (the first call always sends), and does nothing otherwise, so that it can
// be called at every repaint.
func (w *Watchdog) Ping(now time.Time) error {
	if w.every <= 0 || !w.last.IsZero() && now.Sub(w.last) < w.every {
		return nil
	}
	w.last = now
	return notify(daemon.SdNotifyWatchdog)
}
