package player

import (
	"crypto/tls"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source/rtsp"
)

// fingerprintWithColons turns hex "ab12…" into "AB:12:…", the other form
// users paste.
func fingerprintWithColons(hexFP string) string {
	var parts []string
	for i := 0; i+2 <= len(hexFP); i += 2 {
		parts = append(parts, strings.ToUpper(hexFP[i:i+2]))
	}
	return strings.Join(parts, ":")
}

func TestRTSPSCertificateChecks(t *testing.T) {
	cert, fp, err := rtspserver.SelfSignedCert()
	if err != nil {
		t.Fatal(err)
	}
	srv := playtest.StartServer(t, &rtspserver.Server{TLSConfig: &tls.Config{Certificates: []tls.Certificate{cert}}})
	if err := srv.Loop("cam", playtest.DemoClip(t)); err != nil {
		t.Fatal(err)
	}
	_, otherFP, err := rtspserver.SelfSignedCert()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name        string
		fingerprint string
		wantLive    bool
		reasonHas   []string
	}{
		{"self-signed without a fingerprint is not trusted", "", false,
			[]string{"TLS certificate not trusted (self-signed?)", fingerprintWithColons(fp)}},
		{"pinned fingerprint in lower-case hex plays", fp, true, nil},
		{"pinned fingerprint with colons in upper case plays", fingerprintWithColons(fp), true, nil},
		{"another certificate's fingerprint is a mismatch", otherFP, false,
			[]string{"TLS certificate fingerprint mismatch", fingerprintWithColons(fp)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := play(t, Config{Name: "tls", URL: srv.URL("cam"), Fingerprint: tc.fingerprint, Transport: rtsp.TransportTCP,
				MinBackoff: 20 * time.Millisecond, SlowRetry: []time.Duration{time.Minute}})
			if tc.wantLive {
				playtest.WaitFor(t, 20*time.Second, "no frame published ("+describe(s.Status())+")", func() bool { return s.Frames().Published() > 0 })
				return
			}
			st := waitState(t, s, 20*time.Second, StateReconnecting)
			for _, want := range tc.reasonHas {
				if !strings.Contains(st.Reason, want) {
					t.Errorf("reason %q does not say %q", st.Reason, want)
				}
			}
			// Certificates do not fix themselves either.
			if time.Until(st.RetryAt) < 30*time.Second {
				t.Errorf("retry at %v: a TLS failure must wait the slow retry ladder", time.Until(st.RetryAt))
			}
		})
	}
}

func TestRTSPSConfigurationMistakes(t *testing.T) {
	plain := playtest.StartServer(t, &rtspserver.Server{})
	if err := plain.Loop("cam", playtest.DemoClip(t)); err != nil {
		t.Fatal(err)
	}
	silent := silentServer(t)
	// A server that answers anything with an RTSP error, as many cameras
	// answer a TLS hello on their plain port.
	answers := rawServer(t, func(c net.Conn) {
		buf := make([]byte, 512)
		if _, err := c.Read(buf); err == nil {
			c.Write([]byte("RTSP/1.0 400 Bad Request\r\nCSeq: 0\r\n\r\n"))
		}
	})
	tests := []struct {
		name        string
		url         string
		fingerprint string
		state       State
		reasonHas   string
	}{
		{"fingerprint that is not hex", "rtsps://127.0.0.1:1/x", "not-a-fingerprint", StateFailed, "invalid certificate fingerprint"},
		{"fingerprint too short", "rtsps://127.0.0.1:1/x", "AB:CD", StateFailed, "64 hex digits"},
		{"fingerprint on a plain rtsp:// URL", "rtsp://" + plain.Address() + "/cam", strings.Repeat("ab", 32), StateFailed,
			"a certificate fingerprint needs an rtsps:// URL"},
		// gortsplib's server waits for more of what it takes for a request,
		// or hangs up on it, depending on how the hello arrives.
		{"rtsps to a plain RTSP server", "rtsps://" + plain.Address() + "/cam", "", StateReconnecting,
			"during the TLS handshake: check that this port speaks RTSPS"},
		{"rtsps to a server that never answers", "rtsps://" + silent + "/cam", "", StateReconnecting,
			"camera stopped answering (timed out) during the TLS handshake: check that this port speaks RTSPS"},
		{"rtsps to a plain RTSP server that answers", "rtsps://" + answers + "/cam", "", StateReconnecting,
			"the camera does not speak TLS on this port"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := play(t, Config{Name: "tls", URL: tc.url, Fingerprint: tc.fingerprint, Transport: rtsp.TransportTCP,
				MinBackoff: time.Minute, ReadTimeout: 300 * time.Millisecond})
			st := waitState(t, s, 20*time.Second, tc.state)
			if !strings.Contains(st.Reason, tc.reasonHas) {
				t.Errorf("reason %q does not say %q", st.Reason, tc.reasonHas)
			}
		})
	}
}
