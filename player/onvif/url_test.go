package onvif

import "testing"

func TestParseURLNamesTheDeviceServiceAndProfile(t *testing.T) {
	cases := []struct {
		name, raw                      string
		xaddr, user, password, profile string
		bad                            bool
	}{
		{"host alone uses port 80 and the standard path", "onvif://192.0.2.7", "http://192.0.2.7/onvif/device_service", "", "", "", false},
		{"port and profile", "onvif://192.0.2.7:8080/?profile=sub_1", "http://192.0.2.7:8080/onvif/device_service", "", "", "sub_1", false},
		{"own path kept", "onvif://192.0.2.7/cgi/onvif?profile=a", "http://192.0.2.7/cgi/onvif", "", "", "a", false},
		{"credentials taken out", "onvif://admin:s3cr%40t@192.0.2.7", "http://192.0.2.7/onvif/device_service", "admin", "s3cr@t", "", false},
		{"IPv6 host", "onvif://[2001:db8::1]:81", "http://[2001:db8::1]:81/onvif/device_service", "", "", "", false},
		{"unknown parameter refused", "onvif://192.0.2.7/?channel=2", "", "", "", "", true},
		{"no host refused", "onvif:///x", "", "", "", "", true},
		{"other scheme refused", "rtsp://192.0.2.7/", "", "", "", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseURL(c.raw)
			if c.bad {
				if err == nil {
					t.Fatalf("ParseURL(%q) = %+v, want an error", c.raw, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.XAddr != c.xaddr || got.User != c.user || got.Password != c.password || got.Profile != c.profile {
				t.Errorf("ParseURL(%q) = %+v", c.raw, got)
			}
		})
	}
}

func TestFormatURLIsReadBackByParseURL(t *testing.T) {
	cases := []struct{ name, xaddr, profile, want string }{
		{"standard path left out", "http://192.0.2.7/onvif/device_service", "main", "onvif://192.0.2.7?profile=main"},
		{"port kept", "http://192.0.2.7:8899/onvif/device_service", "", "onvif://192.0.2.7:8899"},
		{"own path kept", "http://192.0.2.7/onvif/dev", "Profile 1&2", "onvif://192.0.2.7/onvif/dev?profile=Profile+1%262"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := FormatURL(c.xaddr, c.profile)
			if err != nil || got != c.want {
				t.Fatalf("FormatURL = %q, %v; want %q", got, err, c.want)
			}
			back, err := ParseURL(got)
			if err != nil || back.XAddr != c.xaddr || back.Profile != c.profile {
				t.Errorf("ParseURL(%q) = %+v, %v", got, back, err)
			}
		})
	}
}

func TestDeviceURLFromWhatAUserTypes(t *testing.T) {
	cases := []struct {
		name, typed, want string
		bad               bool
	}{
		{"host", "192.0.2.7", "http://192.0.2.7/onvif/device_service", false},
		{"host and port", "cam.local:8000", "http://cam.local:8000/onvif/device_service", false},
		{"whole URL kept", "http://192.0.2.7:81/onvif/device_service", "http://192.0.2.7:81/onvif/device_service", false},
		{"URL without path gets the standard one", "http://192.0.2.7", "http://192.0.2.7/onvif/device_service", false},
		{"credentials in a URL dropped", "http://a:b@192.0.2.7/x", "http://192.0.2.7/x", false},
		{"bare IPv6", "2001:db8::1", "http://[2001:db8::1]/onvif/device_service", false},
		{"empty refused", " ", "", true},
		{"rtsp refused", "rtsp://192.0.2.7/", "", true},
		{"path without scheme refused", "192.0.2.7/onvif", "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := DeviceURL(c.typed)
			if c.bad != (err != nil) || got != c.want {
				t.Errorf("DeviceURL(%q) = %q, %v", c.typed, got, err)
			}
		})
	}
}
