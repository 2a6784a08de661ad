package onviftest

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestDateAndTimeAnswersWithoutCredentials(t *testing.T) {
	d := Start(t, Config{Username: "admin", Password: "pw", ClockOffset: 3 * time.Hour})
	r := call(t, d, "", "", `<dev:GetSystemDateAndTime/>`)
	wantOK(t, r)
	utc := text(t, r.body, nsSchema, "UTCDateTime")
	want := time.Now().Add(3 * time.Hour).UTC()
	hour, _ := strconv.Atoi(text(t, r.body, nsSchema, "Hour"))
	// The first Hour is the UTC one; allow the hour to roll over mid-test.
	if hour != want.Hour() && hour != want.Add(-time.Minute).Hour() {
		t.Errorf("UTC hour %d, want the device clock's %d (host + 3 h); UTCDateTime %q", hour, want.Hour(), utc)
	}
	if n := d.FailedLogins(); n != 0 {
		t.Errorf("FailedLogins = %d after GetSystemDateAndTime, want 0", n)
	}
}

func TestDeviceInformationReportsTheConfig(t *testing.T) {
	d := Start(t, Config{Model: "M-1", Serial: "X42"})
	r := call(t, d, "", "", `<dev:GetDeviceInformation/>`)
	wantOK(t, r)
	for local, want := range map[string]string{
		"Manufacturer": "camwall", "Model": "M-1", "FirmwareVersion": "1.0", "SerialNumber": "X42", "HardwareId": "sim",
	} {
		if got := text(t, r.body, nsDevice, local); got != want {
			t.Errorf("%s = %q, want %q", local, got, want)
		}
	}
}

func TestCapabilitiesAndServicesNameTheServiceAddresses(t *testing.T) {
	d := Start(t, Config{})
	media := "http://" + d.Host() + "/onvif/media_service"
	ptz := "http://" + d.Host() + "/onvif/ptz_service"
	tests := []struct {
		name, op    string
		wantXAddrs  []string
		wantRTSPTCP bool
	}{
		{"no category is all", `<dev:GetCapabilities/>`, []string{d.XAddr(), media, ptz}, true},
		{"All", `<dev:GetCapabilities><dev:Category>All</dev:Category></dev:GetCapabilities>`, []string{d.XAddr(), media, ptz}, true},
		{"Media only", `<dev:GetCapabilities><dev:Category>Media</dev:Category></dev:GetCapabilities>`, []string{media}, true},
		{"PTZ only", `<dev:GetCapabilities><dev:Category>PTZ</dev:Category></dev:GetCapabilities>`, []string{ptz}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := call(t, d, "", "", tt.op)
			wantOK(t, r)
			if got := texts(t, r.body, nsSchema, "XAddr"); !slices.Equal(got, tt.wantXAddrs) {
				t.Errorf("XAddrs %q, want %q", got, tt.wantXAddrs)
			}
			rtsp := texts(t, r.body, nsSchema, "RTP_RTSP_TCP")
			if tt.wantRTSPTCP != (len(rtsp) == 1 && rtsp[0] == "true") {
				t.Errorf("RTP_RTSP_TCP %q, want present and true: %v", rtsp, tt.wantRTSPTCP)
			}
		})
	}

	t.Run("a category the device lacks is a fault", func(t *testing.T) {
		r := call(t, d, "", "", `<dev:GetCapabilities><dev:Category>Analytics</dev:Category></dev:GetCapabilities>`)
		wantFault(t, r, http.StatusBadRequest, "ActionNotSupported")
	})

	t.Run("GetServices", func(t *testing.T) {
		r := call(t, d, "", "", `<dev:GetServices><dev:IncludeCapability>false</dev:IncludeCapability></dev:GetServices>`)
		wantOK(t, r)
		if got, want := texts(t, r.body, nsDevice, "Namespace"), []string{nsDevice, nsMedia, nsPTZ}; !slices.Equal(got, want) {
			t.Errorf("namespaces %q, want %q", got, want)
		}
		if got, want := texts(t, r.body, nsDevice, "XAddr"), []string{d.XAddr(), media, ptz}; !slices.Equal(got, want) {
			t.Errorf("XAddrs %q, want %q", got, want)
		}
	})
}

func TestScopesNameTheDevice(t *testing.T) {
	d := Start(t, Config{Name: "Front door"})
	r := call(t, d, "", "", `<dev:GetScopes/>`)
	wantOK(t, r)
	items := texts(t, r.body, nsSchema, "ScopeItem")
	for _, want := range []string{
		"onvif://www.onvif.org/name/Front%20door",
		"onvif://www.onvif.org/hardware/sim",
		"onvif://www.onvif.org/Profile/Streaming",
	} {
		if !slices.Contains(items, want) {
			t.Errorf("scopes %q lack %q", items, want)
		}
	}
}

func TestUnknownOperationIsActionNotSupported(t *testing.T) {
	d := Start(t, Config{})
	for _, op := range []string{
		`<dev:SystemReboot/>`,
		`<x:GetProfiles xmlns:x="urn:not-onvif"/>`, // a known name in a foreign namespace
	} {
		wantFault(t, call(t, d, "", "", op), http.StatusInternalServerError, "ter:ActionNotSupported")
	}
}

func TestMalformedAndOversizedRequestsAreFaults(t *testing.T) {
	d := Start(t, Config{})
	tests := []struct{ name, body string }{
		{"not XML", "<<<"},
		{"not SOAP 1.2", `<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body><GetProfiles/></Body></Envelope>`},
		{"no operation", `<env:Envelope ` + pfxEnv + `><env:Body/></env:Envelope>`},
		{"over 1 MiB", soapRequest(strings.Repeat("<dev:X/>", maxRequest/8+1), `<dev:GetSystemDateAndTime/>`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, d.XAddr(), tt.body, nil)
			if r.status != http.StatusBadRequest || faultSubcodes(t, r.body) == nil {
				t.Errorf("status %d, want 400 with a fault:\n%.300s", r.status, r.body)
			}
		})
	}
}

func TestActionsRecordOperationsInOrder(t *testing.T) {
	d := Start(t, Config{Username: "u", Password: "p"})
	call(t, d, "", "", `<dev:GetSystemDateAndTime/>`)
	call(t, d, "u", "p", `<med:GetProfiles/>`)
	call(t, d, "u", "wrong", `<ptzs:Stop><ptzs:ProfileToken>main</ptzs:ProfileToken></ptzs:Stop>`)
	want := []string{"GetSystemDateAndTime", "GetProfiles", "Stop"}
	if got := d.Actions(); !slices.Equal(got, want) {
		t.Errorf("Actions() = %q, want %q", got, want)
	}
}

func TestOperationsRouteByElementNotPath(t *testing.T) {
	d := Start(t, Config{})
	// Some clients send every request to the device service.
	for _, path := range []string{"/onvif/device_service", "/onvif/media_service", "/onvif/ptz_service", "/anything"} {
		r := post(t, "http://"+d.Host()+path, soapRequest("", `<med:GetProfiles/>`), nil)
		wantOK(t, r)
		if got := attrs(t, r.body, nsMedia, "Profiles", "token"); !slices.Equal(got, []string{"main", "sub"}) {
			t.Errorf("%s: profile tokens %q, want main, sub", path, got)
		}
	}
}

func TestCloseRefusesConnectionsAndIsIdempotent(t *testing.T) {
	d := Start(t, Config{})
	d.Close()
	d.Close()
	_, err := client.Post(d.XAddr(), "application/soap+xml", strings.NewReader(soapRequest("", `<dev:GetSystemDateAndTime/>`)))
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("POST after Close: %v, want connection refused", err)
	}
}
