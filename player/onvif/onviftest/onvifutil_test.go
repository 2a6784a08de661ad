package onviftest

import (
	"bytes"
	"context"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

const onvifUtil = "/usr/bin/onvif-util"

// runOnvifUtil runs Debian's onvif-util with args and stdin, bounded in
// time and killed by its PID if it overruns.
func runOnvifUtil(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, onvifUtil, args...)
	cmd.Cancel = func() error { return cmd.Process.Signal(syscall.SIGKILL) }
	cmd.WaitDelay = time.Second
	cmd.Stdin = strings.NewReader(stdin)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	t.Logf("onvif-util %s:\n%s", strings.Join(args, " "), out.String())
	if ctx.Err() != nil {
		t.Fatalf("onvif-util %s did not finish in time: %v", strings.Join(args, " "), ctx.Err())
	}
	if err != nil {
		t.Fatalf("onvif-util %s: %v", strings.Join(args, " "), err)
	}
	return out.String()
}

// TestOnvifUtilAcceptsTheSimulator holds the simulator to an independent
// client, Debian's onvif-util (libonvif 1.4.4). It has no way to be given an
// address: it sends a WS-Discovery Probe to 239.255.255.250:3702 (with
// IP_MULTICAST_LOOP off, which a datagram sent out of lo still comes back
// through), takes the camera whose XAddrs host equals its argument, asks it
// GetSystemDateAndTime and, still without credentials, GetHostname, then
// logs in with a UsernameToken digest and reads profiles and stream URIs.
// Version 1.4.4 has no fallback to http://HOST:80, so the simulator answers
// the multicast Probe on lo inside the test's own namespace.
func TestOnvifUtilAcceptsTheSimulator(t *testing.T) {
	if _, err := exec.LookPath(onvifUtil); err != nil {
		t.Skipf("Debian's onvif-util (package onvif-tools) is not installed: %v", err)
	}
	if !InNamespace(t) {
		return
	}
	d := Start(t, Config{
		Username: "admin", Password: "s3cret",
		Profiles: []Profile{
			{Token: "main", Name: "main", Width: 1280, Height: 720, StreamURI: "rtsp://127.0.0.1:8554/main", PTZ: true},
			{Token: "sub", Name: "sub", Width: 640, Height: 360, StreamURI: "rtsp://127.0.0.1:8554/sub"},
		},
	})
	d.JoinMulticast(t, "lo")

	out := runOnvifUtil(t, "get profiles\nget rtsp 0\nget rtsp 1\nquit\n", "-u", "admin", "-p", "s3cret", "127.0.0.1")
	for _, want := range []string{
		"successfully connected to host",
		"name:   camwall-sim",
		"serial: SIM0001",
		"Token 0: main",
		"Token 1: sub",
		"rtsp://127.0.0.1:8554/main",
		"rtsp://127.0.0.1:8554/sub",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("onvif-util printed no %q", want)
		}
	}
	// onvif-util asks each camera it discovers for GetHostname before it
	// takes up the credentials; that one refusal is the only one expected.
	if n := d.FailedLogins(); n > 1 {
		t.Errorf("FailedLogins = %d, want at most the one pre-login GetHostname: onvif-util's tokens were refused", n)
	}
	t.Logf("actions: %v", d.Actions())

	all := runOnvifUtil(t, "", "-a")
	if !strings.Contains(all, "127.0.0.1 (camwall-sim)") {
		t.Errorf("onvif-util -a did not list the simulator as \"127.0.0.1 (camwall-sim)\"")
	}
}
