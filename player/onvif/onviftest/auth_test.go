package onviftest

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestUsernameToken(t *testing.T) {
	const op = `<dev:GetDeviceInformation/>`
	tests := []struct {
		name       string
		offset     time.Duration // the device's ClockOffset
		header     func(deviceNow time.Time) string
		wantOK     bool
		wantFailed int
	}{
		{"digest accepted", 0, func(now time.Time) string { return token("admin", "pw", now) }, true, 0},
		{"clear text accepted", 0, func(time.Time) string { return textToken("admin", "pw") }, true, 0},
		{"no token refused", 0, func(time.Time) string { return "" }, false, 1},
		{"wrong password refused", 0, func(now time.Time) string { return token("admin", "nope", now) }, false, 1},
		{"wrong clear password refused", 0, func(time.Time) string { return textToken("admin", "nope") }, false, 1},
		{"unknown user refused", 0, func(now time.Time) string { return token("root", "pw", now) }, false, 1},
		{"created 10 s ago refused", 0, func(now time.Time) string { return token("admin", "pw", now.Add(-10*time.Second)) }, false, 1},
		{"host clock refused by a device 3 h off", 3 * time.Hour,
			func(now time.Time) string { return token("admin", "pw", now.Add(-3*time.Hour)) }, false, 1},
		{"device clock accepted by a device 3 h off", 3 * time.Hour,
			func(now time.Time) string { return token("admin", "pw", now) }, true, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Start(t, Config{Username: "admin", Password: "pw", ClockOffset: tt.offset})
			r := post(t, d.XAddr(), soapRequest(tt.header(time.Now().Add(tt.offset)), op), nil)
			if tt.wantOK {
				wantOK(t, r)
			} else {
				wantFault(t, r, http.StatusBadRequest, "ter:NotAuthorized")
			}
			if got := d.FailedLogins(); got != tt.wantFailed {
				t.Errorf("FailedLogins = %d, want %d", got, tt.wantFailed)
			}
		})
	}
}

func TestNoUsernameNeedsNoCredentials(t *testing.T) {
	d := Start(t, Config{})
	wantOK(t, call(t, d, "", "", `<med:GetProfiles/>`))
}

func TestHTTPDigest(t *testing.T) {
	d := Start(t, Config{Username: "admin", Password: "pw", HTTPDigest: true})
	body := soapRequest("", `<dev:GetDeviceInformation/>`)
	const uri = "/onvif/device_service"

	r := post(t, d.XAddr(), body, nil)
	challenge := r.header.Get("WWW-Authenticate")
	if r.status != http.StatusUnauthorized || !strings.HasPrefix(challenge, "Digest ") || !strings.Contains(challenge, `qop="auth"`) {
		t.Fatalf("without credentials: status %d, WWW-Authenticate %q; want 401 and a Digest qop=auth challenge", r.status, challenge)
	}
	if n := d.FailedLogins(); n != 0 {
		t.Errorf("FailedLogins = %d after the challenge, want 0: it is the handshake", n)
	}

	tests := []struct {
		name, password string
		wantStatus     int
		wantFailed     int
	}{
		{"right password accepted", "pw", http.StatusOK, 0},
		{"wrong password refused", "nope", http.StatusUnauthorized, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := d.FailedLogins()
			auth := digestAuthorization(challenge, "admin", tt.password, http.MethodPost, uri)
			r := post(t, d.XAddr(), body, http.Header{"Authorization": {auth}})
			if r.status != tt.wantStatus {
				t.Errorf("status %d, want %d:\n%s", r.status, tt.wantStatus, r.body)
			}
			if got := d.FailedLogins() - before; got != tt.wantFailed {
				t.Errorf("failed logins +%d, want +%d", got, tt.wantFailed)
			}
		})
	}

	t.Run("a WS-Security token does not replace it", func(t *testing.T) {
		r := post(t, d.XAddr(), soapRequest(token("admin", "pw", time.Now()), `<dev:GetDeviceInformation/>`), nil)
		if r.status != http.StatusUnauthorized {
			t.Errorf("status %d, want 401", r.status)
		}
	})
	t.Run("date and time needs none", func(t *testing.T) {
		wantOK(t, post(t, d.XAddr(), soapRequest("", `<dev:GetSystemDateAndTime/>`), nil))
	})
}
