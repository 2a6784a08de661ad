package player

import (
	"strings"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/redact"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source/rtsp"
)

func TestRedirectToAnotherHostIsNotFollowedAndTheTileSaysWhere(t *testing.T) {
	// The other port plays the same stream, without a password: a
	// camwall that followed would play it, and would have sent it the
	// camera's credentials first.
	other := playtest.StartServer(t, &rtspserver.Server{})
	if err := other.Loop("stolen", playtest.DemoClip(t)); err != nil {
		t.Fatal(err)
	}
	target := withUser(other.URL("stolen"), "collector", "hunter2")
	srv := playtest.StartServer(t, &rtspserver.Server{User: testUser, Pass: testPass,
		Redirects: map[string]string{"cam": target}})
	var logs playtest.Buffer
	s := play(t, Config{Name: "redirect", URL: withUser(srv.URL("cam"), testUser, testPass),
		MinBackoff: time.Minute, Logger: logs.Logger()})
	st := waitState(t, s, 10*time.Second, StateReconnecting)
	shown := redact.URL(target)
	for _, want := range []string{"redirected to " + shown, "another host", "did not follow"} {
		if !strings.Contains(st.Reason, want) {
			t.Errorf("reason = %q, want it to say %q", st.Reason, want)
		}
	}
	if strings.Contains(st.Reason, "hunter2") {
		t.Errorf("reason shows the Location's password: %q", st.Reason)
	}
	// The session waits a slow retry; a camwall that followed the redirect
	// would have connected by now.
	if n := other.Conns(); n != 0 {
		t.Errorf("the host redirected to got %d connections, want none", n)
	}
	if wait := time.Until(st.RetryAt); wait < 2*time.Second {
		t.Errorf("next attempt in %v: a redirect elsewhere is a slow retry", wait)
	}
	s.Close()
	checkNoPassword(t, logs.String(), st.Reason)
}

func TestRedirectOnTheSameHostPlays(t *testing.T) {
	tests := []struct {
		name     string
		location string // of path "old", on the server at host:port
	}{
		{"absolute", "rtsp://host:port/cam"},
		{"relative", "/cam"},
		{"two hops", "rtsp://host:port/moved"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			addr := playtest.FreeTCPAddr(t)
			at := func(loc string) string { return strings.Replace(loc, "host:port", addr, 1) }
			srv := playtest.StartServer(t, &rtspserver.Server{Addr: addr, User: testUser, Pass: testPass,
				Redirects: map[string]string{"old": at(tc.location), "moved": at("rtsp://host:port/cam")}})
			if err := srv.Loop("cam", playtest.DemoClip(t)); err != nil {
				t.Fatal(err)
			}
			s := play(t, Config{Name: "redirect", URL: withUser(srv.URL("old"), testUser, testPass)})
			playtest.WaitFor(t, 10*time.Second, "no frame published", func() bool { return s.Frames().Published() > 0 })
		})
	}
}

func TestRedirectLoopStopsAfterThreeHops(t *testing.T) {
	addr := playtest.FreeTCPAddr(t)
	srv := playtest.StartServer(t, &rtspserver.Server{Addr: addr,
		Redirects: map[string]string{"a": "rtsp://" + addr + "/b", "b": "rtsp://" + addr + "/a"}})
	s := play(t, Config{Name: "loop", URL: srv.URL("a"), MinBackoff: time.Minute})
	st := waitState(t, s, 10*time.Second, StateReconnecting)
	if want := "redirected more than 3 times (last to " + srv.URL("a") + ")"; !strings.Contains(st.Reason, want) {
		t.Errorf("reason = %q, want it to say %q", st.Reason, want)
	}
	// a→b, b→a, a→b are followed; the fourth is not. gortsplib opens a connection per DESCRIBE it follows: the first and
	// MaxRedirects more.
	if n, want := srv.Conns(), 1+rtsp.MaxRedirects; n != want {
		t.Errorf("%d connections, want %d", n, want)
	}
}
