package onvif_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/camwall/camwall/player/onvif"
	"github.com/camwall/camwall/player/onvif/onviftest"
)

// twoProfiles is a device's main and sub profile, streamed from made-up
// paths (nothing plays them here).
func twoProfiles() []onviftest.Profile {
	return []onviftest.Profile{
		{Token: "sub", Name: "Sub stream", Width: 640, Height: 360, StreamURI: "rtsp://127.0.0.1:8554/sub"},
		{Token: "main", Name: "Main stream", Width: 1280, Height: 720, StreamURI: "rtsp://127.0.0.1:8554/main", PTZ: true},
	}
}

func inspect(t *testing.T, d *onviftest.Device, user, password string) (onvif.Camera, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return onvif.Inspect(ctx, onvif.Config{XAddr: d.XAddr(), User: user, Password: password})
}

func TestInspectPicksTheLargestProfileToFocusAndTheSmallestForTheGrid(t *testing.T) {
	d := onviftest.Start(t, onviftest.Config{Username: "admin", Password: "pw-Secret1", Profiles: twoProfiles(),
		Manufacturer: "Acme", Model: "PTZ-9"})
	cam, err := inspect(t, d, "admin", "pw-Secret1")
	if err != nil {
		t.Fatal(err)
	}
	if cam.Main.Token != "main" || cam.Main.Width != 1280 || cam.Sub.Token != "sub" || cam.Sub.Height != 360 {
		t.Errorf("main %+v, sub %+v", cam.Main, cam.Sub)
	}
	if cam.MainStream != "rtsp://127.0.0.1:8554/main" || cam.SubStream != "rtsp://127.0.0.1:8554/sub" {
		t.Errorf("streams %q %q", cam.MainStream, cam.SubStream)
	}
	host := strings.TrimPrefix(strings.TrimSuffix(d.XAddr(), "/onvif/device_service"), "http://")
	if cam.URL != "onvif://"+host+"?profile=main" || cam.Substream != "onvif://"+host+"?profile=sub" {
		t.Errorf("urls %q %q", cam.URL, cam.Substream)
	}
	if !cam.PTZ || cam.Info.Manufacturer != "Acme" || cam.Info.Model != "PTZ-9" {
		t.Errorf("info %+v, ptz %v", cam.Info, cam.PTZ)
	}
	if n := d.FailedLogins(); n != 0 {
		t.Errorf("%d failed logins", n)
	}
}

func TestLoginWorksWhateverTheDevicesClockSays(t *testing.T) {
	for _, off := range []time.Duration{3 * time.Hour, -26 * time.Hour, 40 * time.Second} {
		t.Run(off.String(), func(t *testing.T) {
			d := onviftest.Start(t, onviftest.Config{Username: "admin", Password: "pw", Profiles: twoProfiles(), ClockOffset: off})
			c, err := onvif.New(onvif.Config{XAddr: d.XAddr(), User: "admin", Password: "pw"})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			info, err := c.Connect(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if diff := info.ClockOffset - off; diff < -2*time.Second || diff > 2*time.Second {
				t.Errorf("clock offset %v, device is %v off", info.ClockOffset, off)
			}
			if _, err := c.Profiles(context.Background()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestAWrongPasswordIsOneRefusedLogin(t *testing.T) {
	for _, digest := range []bool{false, true} {
		name := "WS-UsernameToken"
		if digest {
			name = "HTTP digest"
		}
		t.Run(name, func(t *testing.T) {
			d := onviftest.Start(t, onviftest.Config{Username: "admin", Password: "right", Profiles: twoProfiles(), HTTPDigest: digest})
			if _, err := inspect(t, d, "admin", "right"); err != nil {
				t.Fatalf("the right password: %v", err)
			}
			_, err := inspect(t, d, "admin", "wrong-Secret7")
			if !errors.Is(err, onvif.ErrNotAuthorized) {
				t.Fatalf("err = %v, want ErrNotAuthorized", err)
			}
			if strings.Contains(err.Error(), "wrong-Secret7") {
				t.Errorf("the password is in the error: %v", err)
			}
			// The HTTP digest challenge itself is no failed login.
			if n := d.FailedLogins(); n != 1 {
				t.Errorf("%d failed logins for one attempt, want 1 (a device locks accounts after a few)", n)
			}
		})
	}
}

func TestBadRepliesAreWordedAndNothingElseBreaks(t *testing.T) {
	cases := []struct {
		name  string
		setup func(d *onviftest.Device)
		// check is the Inspect error's expected text, "" for success.
		want string
	}{
		{"fault", func(d *onviftest.Device) { d.SetFault("GetProfiles", "ter:ActionNotSupported", "media is off") },
			"the device answered with a fault: media is off (ActionNotSupported)"},
		{"oversized reply", func(d *onviftest.Device) {
			d.SetRawReply("GetProfiles", []byte("<a>"+strings.Repeat("x", 2<<20)+"</a>"))
		}, "reply larger than 1024 KiB"},
		{"malformed XML", func(d *onviftest.Device) { d.SetRawReply("GetProfiles", []byte("<Envelope><Body><oops")) },
			"the device's reply is not valid SOAP"},
		{"entity expansion refused", func(d *onviftest.Device) {
			d.SetRawReply("GetDeviceInformation", []byte(`<?xml version="1.0"?><!DOCTYPE e [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>`+
				`<Envelope><Body><GetDeviceInformationResponse><Model>&b;</Model></GetDeviceInformationResponse></Body></Envelope>`))
		}, "the device's reply is not valid SOAP"},
		{"no stream on any profile", func(d *onviftest.Device) {
			d.SetProfiles([]onviftest.Profile{{Token: "only", Name: "Only", Width: 640, Height: 360}})
		}, `profile "Only": GetStreamUri`},
		{"a stream address that is no RTSP URL", func(d *onviftest.Device) {
			d.SetProfiles([]onviftest.Profile{{Token: "p", Name: "P", Width: 640, Height: 360, StreamURI: "file:///etc/passwd"}})
		}, "the device gave an address that is not a rtsp or rtsps URL"},
		{"a profile without stream is passed over", func(d *onviftest.Device) {
			p := twoProfiles()
			p[0].StreamURI = ""
			d.SetProfiles(p)
		}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := onviftest.Start(t, onviftest.Config{Profiles: twoProfiles()})
			c.setup(d)
			cam, err := inspect(t, d, "", "")
			switch {
			case c.want == "" && err != nil:
				t.Fatal(err)
			case c.want == "":
				if cam.Sub.Token != "" || cam.Main.Token != "main" {
					t.Errorf("main %+v, sub %+v: the profile without a stream was kept", cam.Main, cam.Sub)
				}
			case err == nil || !strings.Contains(err.Error(), c.want):
				t.Fatalf("err = %v, want %q", err, c.want)
			}
		})
	}
}

func TestAHostileDeviceNameIsCleanedForDisplay(t *testing.T) {
	d := onviftest.Start(t, onviftest.Config{Profiles: twoProfiles(), Manufacturer: "Ev\u202eil\r\nCorp\x1b[2J", Model: strings.Repeat("M", 5000)})
	cam, err := inspect(t, d, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if cam.Info.Manufacturer != "Ev il Corp [2J" || len(cam.Info.Model) != 128 {
		t.Errorf("manufacturer %q, model of %d bytes", cam.Info.Manufacturer, len(cam.Info.Model))
	}
}

func TestASlowDeviceTimesOut(t *testing.T) {
	d := onviftest.Start(t, onviftest.Config{Profiles: twoProfiles()})
	d.SetDelay("GetProfiles", 5*time.Second)
	c, err := onvif.New(onvif.Config{XAddr: d.XAddr(), Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Connect(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Profiles(context.Background()); err == nil || !strings.Contains(err.Error(), "GetProfiles") {
		t.Fatalf("err = %v, want a timeout of GetProfiles", err)
	}
}
