package rtsp

import (
	"strings"
	"testing"

	"github.com/bluenviron/gortsplib/v4/pkg/base"
)

func TestRedirectsAreFollowedOnlyToTheCamerasOwnOrigin(t *testing.T) {
	tests := []struct {
		name, camera, location string
		follow                 bool
		reasonHas              string // when not followed
	}{
		{"another path", "rtsp://cam.local/a", "rtsp://cam.local/b", true, ""},
		{"a relative path", "rtsp://cam.local:8554/a", "/b", true, ""},
		{"the default port spelt out", "rtsp://cam.local/a", "rtsp://cam.local:554/b", true, ""},
		{"the host in capitals", "rtsp://cam.local/a", "rtsp://CAM.LOCAL/b", true, ""},
		{"IPv6, same address", "rtsp://[::1]:8554/a", "rtsp://[::1]:8554/b", true, ""},
		{"rtsps keeps its default port", "rtsps://cam.local/a", "rtsps://cam.local:322/b", true, ""},
		{"another host", "rtsp://cam.local/a", "rtsp://evil.example/a", false, "redirected to rtsp://evil.example/a, another host"},
		{"another port", "rtsp://cam.local/a", "rtsp://cam.local:8554/a", false, "another host, port or scheme"},
		{"rtsps down to rtsp", "rtsps://cam.local/a", "rtsp://cam.local:322/a", false, "another host, port or scheme"},
		{"a password in the Location is not shown", "rtsp://cam.local/a", "rtsp://u:hunter2@evil.example/a", false, "rtsp://u:***@evil.example/a"},
		{"an address that does not parse", "rtsp://cam.local/a", "rtsp://[::1/a", false, "an address that does not parse"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			u, err := base.ParseURL(tc.camera)
			if err != nil {
				t.Fatal(err)
			}
			r := newRedirects(u)
			res := &base.Response{StatusCode: base.StatusFound, Header: base.Header{"Location": base.HeaderValue{tc.location}}}
			r.check(res)
			loc, kept := res.Header["Location"]
			if kept != tc.follow || r.reason != "" == tc.follow {
				t.Fatalf("Location kept %v (%v), reason %q; want followed %v", kept, loc, r.reason, tc.follow)
			}
			if tc.follow {
				if _, err := base.ParseURL(loc[0]); err != nil {
					t.Errorf("Location %q left for gortsplib does not parse: %v", loc[0], err)
				}
				return
			}
			if !strings.Contains(r.reason, tc.reasonHas) || strings.Contains(r.reason, "hunter2") {
				t.Errorf("reason %q, want it to say %q (and no password)", r.reason, tc.reasonHas)
			}
		})
	}
}

func TestRedirectsStopAfterMaxRedirects(t *testing.T) {
	u, _ := base.ParseURL("rtsp://cam.local/a")
	r := newRedirects(u)
	for hop := 1; hop <= MaxRedirects+1; hop++ {
		res := &base.Response{StatusCode: base.StatusMovedPermanently, Header: base.Header{"Location": base.HeaderValue{"/next"}}}
		r.check(res)
		_, kept := res.Header["Location"]
		if want := hop <= MaxRedirects; kept != want {
			t.Fatalf("redirect %d followed = %v, want %v", hop, kept, want)
		}
	}
	if !strings.Contains(r.reason, "redirected more than 3 times (last to rtsp://cam.local/next)") {
		t.Errorf("reason %q", r.reason)
	}
}

func TestResponsesThatAreNotRedirectsAreLeftAlone(t *testing.T) {
	u, _ := base.ParseURL("rtsp://cam.local/a")
	r := newRedirects(u)
	for _, code := range []base.StatusCode{base.StatusOK, base.StatusUnauthorized, base.StatusNotFound} {
		res := &base.Response{StatusCode: code, Header: base.Header{"Location": base.HeaderValue{"rtsp://evil.example/"}}}
		r.check(res)
		if _, kept := res.Header["Location"]; !kept || r.reason != "" {
			t.Errorf("%d: Location removed or reason %q", code, r.reason)
		}
	}
}
