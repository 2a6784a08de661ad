package onviftest

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestSetFaultAnswersAFaultUntilCleared(t *testing.T) {
	d := Start(t, Config{})
	d.SetFault("GetProfiles", "ter:ActionNotSupported", "profiles are off")
	r := call(t, d, "", "", `<med:GetProfiles/>`)
	wantFault(t, r, http.StatusBadRequest, "ter:ActionNotSupported")
	if !strings.Contains(r.body, "profiles are off") {
		t.Errorf("fault lacks the reason:\n%s", r.body)
	}
	if got := texts(t, r.body, nsSOAP, "Value")[0]; !strings.HasSuffix(got, ":Sender") {
		t.Errorf("fault code %q, want env:Sender", got)
	}
	wantOK(t, call(t, d, "", "", `<dev:GetDeviceInformation/>`)) // other actions unaffected

	d.SetFault("GetProfiles", "", "")
	wantOK(t, call(t, d, "", "", `<med:GetProfiles/>`))
}

func TestSetFaultNestsSubcodes(t *testing.T) {
	d := Start(t, Config{})
	d.SetFault("GetStreamUri", "ter:InvalidArgVal/ter:NoProfile", "gone")
	r := call(t, d, "", "", `<med:GetStreamUri><med:ProfileToken>main</med:ProfileToken></med:GetStreamUri>`)
	got := faultSubcodes(t, r.body)
	if len(got) != 2 || got[0] != "ter:InvalidArgVal" || got[1] != "ter:NoProfile" {
		t.Errorf("subcodes %q, want ter:InvalidArgVal then ter:NoProfile", got)
	}
}

func TestSetRawReplyAnswersExactlyTheBody(t *testing.T) {
	d := Start(t, Config{})
	tests := []struct{ name, body string }{
		{"malformed", "<SOAP-ENV:Envelope><unclosed>"},
		{"empty", ""},
		{"hostile entity", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;&a;</x>`},
		{"oversized", strings.Repeat("x", 3<<20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d.SetRawReply("GetDeviceInformation", []byte(tt.body))
			r := call(t, d, "", "", `<dev:GetDeviceInformation/>`)
			if r.status != http.StatusOK || r.body != tt.body || !strings.HasPrefix(r.header.Get("Content-Type"), "application/soap+xml") {
				t.Errorf("status %d, %d bytes, Content-Type %q; want 200 and the %d bytes set as application/soap+xml",
					r.status, len(r.body), r.header.Get("Content-Type"), len(tt.body))
			}
		})
	}
	d.SetRawReply("GetDeviceInformation", nil)
	wantOK(t, call(t, d, "", "", `<dev:GetDeviceInformation/>`))
}

func TestSetDelayHoldsTheAnswer(t *testing.T) {
	d := Start(t, Config{})
	const delay = 300 * time.Millisecond
	d.SetDelay("GetProfiles", delay)

	start := time.Now()
	wantOK(t, call(t, d, "", "", `<med:GetProfiles/>`))
	if took := time.Since(start); took < delay {
		t.Errorf("answered after %s, want at least %s", took, delay)
	}

	start = time.Now()
	wantOK(t, call(t, d, "", "", `<dev:GetDeviceInformation/>`))
	if took := time.Since(start); took >= delay {
		t.Errorf("an undelayed action took %s", took)
	}

	// A client that gives up sees its own timeout, as with a slow camera.
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, d.XAddr(), strings.NewReader(soapRequest("", `<med:GetProfiles/>`)))
	if _, err := client.Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("delayed request with a 50 ms deadline: %v, want deadline exceeded", err)
	}

	d.SetDelay("GetProfiles", 0)
	start = time.Now()
	wantOK(t, call(t, d, "", "", `<med:GetProfiles/>`))
	if took := time.Since(start); took >= delay {
		t.Errorf("after clearing the delay the answer took %s", took)
	}
}

func TestCloseEndsADelayedAnswer(t *testing.T) {
	d := Start(t, Config{})
	d.SetDelay("GetProfiles", time.Hour)
	done := make(chan error, 1)
	go func() {
		_, err := client.Post(d.XAddr(), "application/soap+xml", strings.NewReader(soapRequest("", `<med:GetProfiles/>`)))
		done <- err
	}()
	for len(d.Actions()) == 0 {
		time.Sleep(5 * time.Millisecond)
	}
	closed := make(chan struct{})
	go func() { d.Close(); close(closed) }()
	select {
	case <-closed:
	case <-time.After(5 * time.Second):
		t.Fatal("Close waited for a delayed answer")
	}
	if err := <-done; err == nil {
		t.Error("the delayed request got an answer after Close, want a broken connection")
	}
}
