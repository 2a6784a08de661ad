package player

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
)

// A panic inside one camera's session (here raised from the frame hook, on
// the decode goroutine, in the middle of a real stream) must not take the
// wall down: the tile reports it and the session tries again.
func TestPanicInASessionIsReportedAndRetried(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	var frames atomic.Int64
	s := New(Config{Name: "buggy", URL: srv.URL(1), MinBackoff: 50 * time.Millisecond,
		OnFrame: func(FrameEvent) {
			if frames.Add(1) == 1 {
				panic("boom")
			}
		}})
	s.SetTileSize(160, 90)
	s.Start()
	defer s.Close()
	playtest.WaitFor(t, 3*time.Second, "no reconnecting state after the panic", func() bool {
		st := s.Status()
		return st.State == StateReconnecting && strings.Contains(st.Reason, "internal error: boom")
	})
	playtest.WaitFor(t, 5*time.Second, "session did not recover after the panic", func() bool {
		return frames.Load() > 1 && s.Status().State == StateLive
	})
}
