package player

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/source/rtsp"
)

// The goal is a first picture within 2 s of starting (BenchmarkPathBack in
// player/perf measures how fast a session gets a picture); the bound here is
// ten times that, so that a loaded machine does not fail it, and the figure
// is logged.
func TestSessionDeliversAFirstFrameScaledToTheTile(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	tests := []struct {
		name      string
		transport rtsp.Transport
	}{
		{"auto transport", rtsp.TransportAuto},
		{"tcp transport", rtsp.TransportTCP},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Config{Name: "demo", URL: srv.URL(1), Transport: tc.transport})
			s.SetTileSize(320, 240)
			start := time.Now()
			s.Start()
			defer s.Close()
			playtest.WaitFor(t, 20*time.Second, "no frame published", func() bool { return s.Frames().Published() > 0 })
			t.Logf("first frame after %v (goal: 2 s)", time.Since(start))
			img, ok := takePublished(s.Frames())
			if !ok {
				t.Fatal("slot is empty after a publish")
			}
			// 640x360 letterboxed into 320x240 keeps 16:9.
			if got := img.Bounds().Size(); got.X != 320 || got.Y != 180 {
				t.Errorf("picture %v, want 320x180", got)
			}
			st := s.Status()
			if st.State != StateLive || st.Codec != "H.264" || st.Width != 640 || st.Height != 360 {
				t.Errorf("status = %+v, want live H.264 640x360", st)
			}
		})
	}
}

func TestSessionReportsBadInputClearly(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	refused := playtest.FreeTCPAddr(t)
	tests := []struct {
		name      string
		url       string
		state     State
		reasonHas string
	}{
		{"wrong path is a 404", "rtsp://" + srv.Address() + "/nope", StateReconnecting, "not found (RTSP 404)"},
		{"refused port", "rtsp://" + refused + "/x", StateReconnecting, "connection refused"},
		{"URL that does not parse", "rtsp://[::1", StateFailed, "invalid camera URL"},
		{"URL without a host", "not a url", StateFailed, "invalid camera URL"},
		{"unknown scheme", "ftp://127.0.0.1/x", StateFailed, `unsupported URL scheme "ftp"`},
		{"password never shown", "rtsp://user:s3cret@[::1", StateFailed, "rtsp://user:***@[::1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Config{Name: tc.name, URL: tc.url, MinBackoff: time.Minute})
			s.Start()
			defer s.Close()
			playtest.WaitFor(t, 10*time.Second, "state never left connecting", func() bool {
				st := s.Status().State
				return st != StateIdle && st != StateConnecting
			})
			st := s.Status()
			if st.State != tc.state {
				t.Errorf("state = %v, want %v", st.State, tc.state)
			}
			if !strings.Contains(st.Reason, tc.reasonHas) {
				t.Errorf("reason %q does not say %q", st.Reason, tc.reasonHas)
			}
			if strings.Contains(st.Reason, "s3cret") {
				t.Errorf("reason leaks the password: %q", st.Reason)
			}
			if tc.state == StateReconnecting && time.Until(st.RetryAt) <= 0 {
				t.Errorf("RetryAt %v is not in the future", st.RetryAt)
			}
		})
	}
}

func TestSessionCloseLeavesNoGoroutines(t *testing.T) {
	srv := playtest.StartDemo(t, 2)
	before := runtime.NumGoroutine()
	var sessions []*Session
	for i := 1; i <= 2; i++ {
		s := New(Config{Name: "g", URL: srv.URL(i)})
		s.SetTileSize(160, 90)
		s.Start()
		sessions = append(sessions, s)
	}
	for _, s := range sessions {
		playtest.WaitFor(t, 20*time.Second, "no frame", func() bool { return s.Frames().Published() > 0 })
	}
	for _, s := range sessions {
		s.Close()
		if st := s.Status().State; st != StateClosed {
			t.Errorf("state after Close = %v", st)
		}
	}
	playtest.WaitFor(t, 10*time.Second, "goroutines still running after Close", func() bool {
		return runtime.NumGoroutine() <= before
	})
}

func TestCloseWithoutStart(t *testing.T) {
	s := New(Config{Name: "x", URL: "rtsp://127.0.0.1:1/x"})
	done := make(chan struct{})
	go func() { s.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close of a session never started blocks")
	}
}
