package player

import (
	"strings"
	"testing"
	"time"

	"github.com/camwall/camwall/player/onvif/onviftest"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source/rtsp"
)

// An onvif:// camera plays the stream its device names, asks again at
// every connection, and so follows a device that moves its stream.
func TestONVIFCameraFollowsTheStreamItsDeviceNames(t *testing.T) {
	srv := &rtspserver.Server{}
	playtest.StartServer(t, srv)
	for _, p := range []string{"first", "second"} {
		if err := srv.Loop(p, playtest.DemoClip(t)); err != nil {
			t.Fatal(err)
		}
	}
	d := onviftest.Start(t, onviftest.Config{Username: "admin", Password: "pw-Secret1", Profiles: []onviftest.Profile{
		{Token: "main", Name: "Main", Width: 640, Height: 360, StreamURI: srv.URL("first")},
	}})
	host := strings.TrimSuffix(strings.TrimPrefix(d.XAddr(), "http://"), "/onvif/device_service")
	settled := goroutinesSettle(t)
	s := play(t, Config{Name: "lobby", URL: "onvif://" + host + "?profile=main", User: "admin", Password: "pw-Secret1",
		Transport: rtsp.TransportTCP, MinBackoff: 50 * time.Millisecond, MaxBackoff: 200 * time.Millisecond})
	playtest.WaitFor(t, 20*time.Second, "never live", func() bool { return s.Frames().Published() > 0 })

	d.SetProfiles([]onviftest.Profile{{Token: "main", Name: "Main", Width: 640, Height: 360, StreamURI: srv.URL("second")}})
	srv.Unpublish("first")
	published := s.Frames().Published()
	playtest.WaitFor(t, 20*time.Second, "never live on the device's new stream", func() bool {
		return s.Status().State == StateLive && s.Frames().Published() > published+5
	})
	if n := strings.Count(strings.Join(d.Actions(), " "), "GetStreamUri"); n < 2 {
		t.Errorf("the stream address was asked for %d times, want once per connection", n)
	}
	s.Close()
	settled()
}

// A wrong password on the device waits the same slow ladder as a wrong
// RTSP password: one refused login, not one every backoff.
func TestONVIFWrongPasswordWaitsTheSlowLadder(t *testing.T) {
	d := onviftest.Start(t, onviftest.Config{Username: "admin", Password: "right", Profiles: []onviftest.Profile{
		{Token: "main", Name: "Main", Width: 640, Height: 360, StreamURI: "rtsp://127.0.0.1:1/none"},
	}})
	host := strings.TrimSuffix(strings.TrimPrefix(d.XAddr(), "http://"), "/onvif/device_service")
	s := play(t, Config{Name: "lobby", URL: "onvif://" + host, User: "admin", Password: "wrong-Secret2",
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, SlowRetry: []time.Duration{time.Minute}})
	var st Status
	playtest.WaitFor(t, 20*time.Second, "the refusal never shown", func() bool {
		st = s.Status()
		return strings.Contains(st.Reason, "ONVIF: the device refused the user name or password")
	})
	time.Sleep(time.Second) // many backoffs
	if n := d.FailedLogins(); n != 1 {
		t.Errorf("%d failed logins in a second, want 1", n)
	}
	if strings.Contains(st.Reason, "wrong-Secret2") || st.RetryAt.Before(time.Now().Add(30*time.Second)) {
		t.Errorf("status %+v", st)
	}
}
