package onviftest

import (
	"net/http"
	"slices"
	"testing"
)

func TestProfilesCarryEncoderAndPTZConfigurations(t *testing.T) {
	d := Start(t, Config{})
	r := call(t, d, "", "", `<med:GetProfiles/>`)
	wantOK(t, r)
	if got := attrs(t, r.body, nsMedia, "Profiles", "token"); !slices.Equal(got, []string{"main", "sub"}) {
		t.Errorf("profile tokens %q, want main, sub", got)
	}
	if got := texts(t, r.body, nsSchema, "Width"); !slices.Equal(got, []string{"1280", "640"}) {
		t.Errorf("encoder widths %q, want 1280, 640", got)
	}
	if got := texts(t, r.body, nsSchema, "Encoding"); !slices.Equal(got, []string{"H264", "H264"}) {
		t.Errorf("encodings %q, want H264 twice", got)
	}
	if got := attrs(t, r.body, nsSchema, "PTZConfiguration", "token"); !slices.Equal(got, []string{"ptz0"}) {
		t.Errorf("PTZ configurations %q, want ptz0 on main only", got)
	}
}

func TestStreamURIAnswersTheProfilesURIOrAFault(t *testing.T) {
	d := Start(t, Config{Profiles: []Profile{
		{Token: "hd", Name: "hd", Width: 1920, Height: 1080, StreamURI: "rtsp://cam/hd", SnapshotURI: "http://cam/hd.jpg"},
		{Token: "dark", Name: "dark", Width: 640, Height: 360},
	}})
	streamReq := func(token string) string {
		return `<med:GetStreamUri><med:StreamSetup><sch:Stream>RTP-Unicast</sch:Stream><sch:Transport><sch:Protocol>RTSP</sch:Protocol></sch:Transport></med:StreamSetup>` +
			`<med:ProfileToken>` + token + `</med:ProfileToken></med:GetStreamUri>`
	}
	tests := []struct {
		name, op, wantURI, wantFault string
	}{
		{"stream of a profile with a URI", streamReq("hd"), "rtsp://cam/hd", ""},
		{"stream of a profile without one", streamReq("dark"), "", "ter:InvalidArgVal"},
		{"stream of no such profile", streamReq("nope"), "", "ter:InvalidArgVal"},
		{"snapshot", `<med:GetSnapshotUri><med:ProfileToken>hd</med:ProfileToken></med:GetSnapshotUri>`, "http://cam/hd.jpg", ""},
		{"no snapshot", `<med:GetSnapshotUri><med:ProfileToken>dark</med:ProfileToken></med:GetSnapshotUri>`, "", "ter:InvalidArgVal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, d, "", "", tt.op)
			if tt.wantFault != "" {
				wantFault(t, r, http.StatusBadRequest, tt.wantFault)
				return
			}
			wantOK(t, r)
			if got := text(t, r.body, nsSchema, "Uri"); got != tt.wantURI {
				t.Errorf("Uri %q, want %q", got, tt.wantURI)
			}
		})
	}
}

func TestSetProfilesChangesWhatTheDeviceAnswers(t *testing.T) {
	d := Start(t, Config{})
	d.SetProfiles([]Profile{{Token: "only", Name: "only", Width: 320, Height: 240, StreamURI: "rtsp://cam/only"}})
	r := call(t, d, "", "", `<med:GetProfiles/>`)
	wantOK(t, r)
	if got := attrs(t, r.body, nsMedia, "Profiles", "token"); !slices.Equal(got, []string{"only"}) {
		t.Errorf("profile tokens %q, want only", got)
	}
	r = call(t, d, "", "", `<med:GetStreamUri><med:ProfileToken>only</med:ProfileToken></med:GetStreamUri>`)
	wantOK(t, r)
	if got := text(t, r.body, nsSchema, "Uri"); got != "rtsp://cam/only" {
		t.Errorf("Uri %q, want rtsp://cam/only", got)
	}
}
