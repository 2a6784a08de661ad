package player

import (
	"net"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/auth"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/conn"

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
			if err := srv.Loop("cam", playtest.DemoClip(t)); err != nil {
				t.Fatal(err)
			}
			var logs playtest.Buffer
			s := play(t, Config{Name: "auth", URL: withUser(srv.URL("cam"), testUser, testPass), Logger: logs.Logger()})
			playtest.WaitFor(t, 20*time.Second, "no frame published", func() bool { return s.Frames().Published() > 0 })
			if st := s.Status(); st.State != StateLive || st.Codec != "H.264" {
				t.Errorf("status = %+v, want live H.264", st)
			}
			s.Close()
			checkNoPassword(t, logs.String(), s.Status().Reason)
		})
	}
}

func TestWrongPasswordIsReportedAndRetriedOnTheSlowLadder(t *testing.T) {
	tests := []struct {
		name   string
		method auth.VerifyMethod
	}{
		{"basic", auth.VerifyMethodBasic},
		{"digest", auth.VerifyMethodDigestMD5},
	}
	// A short ladder, and a backoff that would retry every 20 ms if a 401
	// climbed it instead.
	ladder := []time.Duration{1500 * time.Millisecond, time.Minute}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := playtest.StartServer(t, &rtspserver.Server{User: testUser, Pass: "the-right-one", AuthMethods: []auth.VerifyMethod{tc.method}})
			if err := srv.Loop("cam", playtest.DemoClip(t)); err != nil {
				t.Fatal(err)
			}
			var logs playtest.Buffer
			s := play(t, Config{Name: "auth", URL: withUser(srv.URL("cam"), testUser, testPass),
				MinBackoff: 20 * time.Millisecond, MaxBackoff: 20 * time.Millisecond, SlowRetry: ladder, Logger: logs.Logger()})
			st := waitState(t, s, 10*time.Second, StateReconnecting)
			failedAt := time.Now()
			if st.Reason != rtsp.ReasonWrongPassword {
				t.Errorf("reason = %q, want %q", st.Reason, rtsp.ReasonWrongPassword)
			}
			if wait := time.Until(st.RetryAt); wait < ladder[0]-500*time.Millisecond {
				t.Errorf("next attempt in %v, want the ladder's first wait (%v)", wait, ladder[0])
			}
			conns := srv.Conns()
			for time.Since(failedAt) < ladder[0]-500*time.Millisecond {
				time.Sleep(20 * time.Millisecond)
			}
			if n := srv.Conns() - conns; n != 0 {
				t.Errorf("%d new connections within %v of a 401", n, ladder[0]-500*time.Millisecond)
			}
			// The second failure waits the second rung.
			st = waitNextFailure(t, s, st, 10*time.Second)
			if wait := time.Until(st.RetryAt); wait < ladder[1]/2 {
				t.Errorf("after the second 401: next attempt in %v, want about %v", wait, ladder[1])
			}
			s.Close()
			checkNoPassword(t, logs.String(), st.Reason)
			if !strings.Contains(logs.String(), "401") {
				t.Errorf("the log does not mention the 401:\n%s", logs.String())
			}
		})
	}
}

// waitNextFailure waits until the session failed again after the failure
// that st describes, and returns the new status.
func waitNextFailure(t *testing.T, s *Session, st Status, d time.Duration) Status {
	t.Helper()
	var next Status
	if !playtest.Eventually(d, func() bool {
		next = s.Status()
		return next.State == StateReconnecting && next.RetryAt.After(st.RetryAt)
	}) {
		t.Fatalf("after %v: no new failure (last %s)", d, describe(next))
	}
	return next
}

func TestWrongPasswordIsTriedAtMostFiveTimesInTheFirst90s(t *testing.T) {
	// The default ladder, by arithmetic: attempts that fail at once start
	// at the sums of its waits.
	var at time.Duration
	tries := 0
	for n := 0; at < 90*time.Second; n++ {
		tries++
		at += slowWait(SlowRetryLadder, n)
	}
	t.Logf("default ladder: %d tries in the first 90 s", tries)
	if tries > 5 {
		t.Errorf("the default ladder makes %d tries in the first 90 s, want at most 5", tries)
	}
	for n, want := range []time.Duration{5 * time.Second, 30 * time.Second, 2 * time.Minute, 5 * time.Minute, 5 * time.Minute, 5 * time.Minute} {
		if got := slowWait(SlowRetryLadder, n); got != want {
			t.Errorf("wait after slow failure %d = %v, want %v", n+1, got, want)
		}
	}

	// Against a server, at a hundredth of the scale: a camera answering
	// 401 to everything gets at most five requests with credentials in
	// "90 s".
	const scale = 100
	ladder := make([]time.Duration, len(SlowRetryLadder))
	for i, d := range SlowRetryLadder {
		ladder[i] = d / scale
	}
	var withCredentials atomic.Int64
	addr := unauthorizedServer(t, &withCredentials)
	s := play(t, Config{Name: "locked", URL: withUser("rtsp://"+addr+"/cam", testUser, testPass),
		MinBackoff: time.Millisecond, MaxBackoff: time.Millisecond, SlowRetry: ladder})
	waitState(t, s, 10*time.Second, StateReconnecting)
	time.Sleep(90 * time.Second / scale)
	s.Close()
	n := withCredentials.Load()
	t.Logf("%d requests with credentials in %v", n, 90*time.Second/scale)
	if n == 0 || n > 5 {
		t.Errorf("%d requests with credentials in the first 90 s (scaled), want 1 to 5", n)
	}
}

func TestRetryEndsTheWaitAndStartsTheLadderAgain(t *testing.T) {
	var withCredentials atomic.Int64
	addr := unauthorizedServer(t, &withCredentials)
	ladder := []time.Duration{time.Hour}
	s := play(t, Config{Name: "locked", URL: withUser("rtsp://"+addr+"/cam", testUser, testPass), SlowRetry: ladder})
	st := waitState(t, s, 10*time.Second, StateReconnecting)
	if wait := time.Until(st.RetryAt); wait < ladder[0]/2 {
		t.Fatalf("next attempt in %v, want about %v", wait, ladder[0])
	}
	before := withCredentials.Load()
	s.Retry()
	st = waitNextFailure(t, s, st, 10*time.Second)
	if n := withCredentials.Load() - before; n != 1 {
		t.Errorf("%d requests with credentials after Retry, want 1", n)
	}
	// Back at the ladder's first rung (it has one here), not beyond.
	if wait := time.Until(st.RetryAt); wait < ladder[0]/2 {
		t.Errorf("after the retry: next attempt in %v, want about %v", wait, ladder[0])
	}
}

// unauthorizedServer is a camera that answers every RTSP request with 401
// (Basic), counting the requests that carry credentials; it returns its
// address.
func unauthorizedServer(t *testing.T, withCredentials *atomic.Int64) string {
	t.Helper()
	return rawServer(t, func(nc net.Conn) {
		c := conn.NewConn(nc)
		for {
			req, err := c.ReadRequest()
			if err != nil {
				return
			}
			if _, ok := req.Header["Authorization"]; ok {
				withCredentials.Add(1)
			}
			res := &base.Response{StatusCode: base.StatusUnauthorized, Header: base.Header{
				"CSeq":             req.Header["CSeq"],
				"WWW-Authenticate": base.HeaderValue{`Basic realm="camera"`},
			}}
			if err := c.WriteResponse(res); err != nil {
				return
			}
		}
	})
}

func TestCameraThatWantsAPasswordSaysSoWhenTheURLHasNone(t *testing.T) {
	srv := playtest.StartServer(t, &rtspserver.Server{User: testUser, Pass: testPass})
	if err := srv.Loop("cam", playtest.DemoClip(t)); err != nil {
		t.Fatal(err)
	}
	s := play(t, Config{Name: "auth", URL: srv.URL("cam"), MinBackoff: time.Minute})
	st := waitState(t, s, 20*time.Second, StateReconnecting)
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
