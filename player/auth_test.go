package player

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/auth"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source/rtsp"
)

const (
	testUser = "viewer"
	testPass = "s3cr3t-pässwörd" // non-ASCII: it must be scrubbed escaped too
)

func withUser(rawURL, user, pass string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		panic(err)
	}
	u.User = url.UserPassword(user, pass)
	return u.String()
}

func TestAuthenticatedCameraPlaysWithTheRightPassword(t *testing.T) {
	tests := []struct {
		name   string
		method auth.VerifyMethod
	}{
		{"basic", auth.VerifyMethodBasic},
		{"digest", auth.VerifyMethodDigestMD5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := playtest.StartServer(t, &rtspserver.Server{User: testUser, Pass: testPass, AuthMethods: []auth.VerifyMethod{tc.method}})
			if err := srv.Loop("cam", demoClip(t)); err != nil {
				t.Fatal(err)
			}
			var logs playtest.Buffer
			s := play(t, Config{Name: "auth", URL: withUser(srv.URL("cam"), testUser, testPass), Logger: logs.Logger()})
			playtest.WaitFor(t, 2*time.Second, "no frame published", func() bool { return s.Frames().Published() > 0 })
			if st := s.Status(); st.State != StateLive || st.Codec != "H.264" {
				t.Errorf("status = %+v, want live H.264", st)
			}
			s.Close()
			checkNoPassword(t, logs.String(), s.Status().Reason)
		})
	}
}

func TestWrongPasswordIsReportedAndRetriedSlowly(t *testing.T) {
	tests := []struct {
		name   string
		method auth.VerifyMethod
	}{
		{"basic", auth.VerifyMethodBasic},
		{"digest", auth.VerifyMethodDigestMD5},
	}
	const minBackoff, maxBackoff = 20 * time.Millisecond, 1500 * time.Millisecond
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := playtest.StartServer(t, &rtspserver.Server{User: testUser, Pass: "the-right-one", AuthMethods: []auth.VerifyMethod{tc.method}})
			if err := srv.Loop("cam", demoClip(t)); err != nil {
				t.Fatal(err)
			}
			var logs playtest.Buffer
			s := play(t, Config{Name: "auth", URL: withUser(srv.URL("cam"), testUser, testPass),
				MinBackoff: minBackoff, MaxBackoff: maxBackoff, Logger: logs.Logger()})
			st := waitState(t, s, 2*time.Second, StateReconnecting)
			failedAt := time.Now()
			if st.Reason != rtsp.ReasonWrongPassword {
				t.Errorf("reason = %q, want %q", st.Reason, rtsp.ReasonWrongPassword)
			}
			// A 401 waits MaxBackoff, not MinBackoff: credentials do not fix
			// themselves, and a burst of failed logins may lock the account.
			if wait := time.Until(st.RetryAt); wait < maxBackoff-200*time.Millisecond {
				t.Errorf("next attempt in %v, want about MaxBackoff (%v)", wait, maxBackoff)
			}
			// With MinBackoff doubling, about six attempts would fit in the
			// next second; a slow retry makes none.
			conns := srv.Conns()
			for time.Since(failedAt) < maxBackoff-300*time.Millisecond {
				time.Sleep(20 * time.Millisecond)
			}
			if n := srv.Conns() - conns; n != 0 {
				t.Errorf("%d new connections within %v of a 401", n, maxBackoff-300*time.Millisecond)
			}
			s.Close()
			checkNoPassword(t, logs.String(), st.Reason)
			if !strings.Contains(logs.String(), "401") {
				t.Errorf("the log does not mention the 401:\n%s", logs.String())
			}
		})
	}
}

func TestCameraThatWantsAPasswordSaysSoWhenTheURLHasNone(t *testing.T) {
	srv := playtest.StartServer(t, &rtspserver.Server{User: testUser, Pass: testPass})
	if err := srv.Loop("cam", demoClip(t)); err != nil {
		t.Fatal(err)
	}
	s := play(t, Config{Name: "auth", URL: srv.URL("cam"), MinBackoff: time.Minute})
	st := waitState(t, s, 2*time.Second, StateReconnecting)
	if !strings.Contains(st.Reason, "asks for a user name and password (RTSP 401)") {
		t.Errorf("reason = %q", st.Reason)
	}
}

// checkNoPassword fails if the test password shows in a log or a reason, as
// typed or URL-escaped.
func checkNoPassword(t *testing.T, texts ...string) {
	t.Helper()
	for _, text := range texts {
		for _, p := range []string{testPass, url.QueryEscape(testPass), url.PathEscape(testPass)} {
			if strings.Contains(text, p) {
				t.Errorf("the password %q leaks in:\n%s", p, text)
			}
		}
	}
}
