package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source/rtsp"
	"github.com/camwall/camwall/storage"
)

func TestTileSaysWhenTheNextTryIs(t *testing.T) {
	now := time.Date(2026, 12, 2, 14, 2, 30, 0, time.Local)
	tests := []struct {
		name string
		wait time.Duration
		want string
	}{
		{"due", 0, "retrying now"},
		{"overdue", -time.Second, "retrying now"},
		{"a backoff, in seconds rounded up", 4200 * time.Millisecond, "retry in 5s"},
		{"a minute is still seconds", time.Minute, "retry in 60s"},
		{"the slow ladder's 2 minutes", 2 * time.Minute, "retry in 2 min (F5: now)"},
		{"5 minutes", 5 * time.Minute, "retry in 5 min (F5: now)"},
		{"a long wait is a time of day", 15 * time.Minute, "next try 14:17 (F5: now)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := nextTry(now.Add(tc.wait), now); got != tc.want {
				t.Errorf("nextTry(+%v) = %q, want %q", tc.wait, got, tc.want)
			}
		})
	}
}

func TestF5RetriesTheSelectedCameraAndStartsItsLadderAgain(t *testing.T) {
	srv := playtest.StartServer(t, &rtspserver.Server{User: "viewer", Pass: "the-right-one"})
	if err := srv.Loop("cam", playtest.DemoClip(t)); err != nil {
		t.Fatal(err)
	}
	ui := newUI(t, Options{Config: storage.Config{Cameras: []storage.Camera{
		{Name: "locked", URL: srv.URL("cam"), User: "viewer", Password: "not-the-one"},
	}}})
	startSessions(ui)
	ui.Select(0)
	s := ui.cameras[0].active()
	var st player.Status
	until(t, ui, 10*time.Second, "no 401", func() bool { st = s.Status(); return st.State == player.StateReconnecting })
	if st.Reason != rtsp.ReasonWrongPassword {
		t.Fatalf("reason %q, want %q", st.Reason, rtsp.ReasonWrongPassword)
	}
	if !strings.Contains(ui.Tiles[0].Reason.Text, "retry in") {
		t.Errorf("tile reason %q does not say when the next try is", ui.Tiles[0].Reason.Text)
	}
	conns := srv.Conns()
	pressKey(ui.Window.Canvas(), fyne.KeyF5)
	first := st.RetryAt
	until(t, ui, 10*time.Second, "no new attempt after F5", func() bool {
		st = s.Status()
		return st.State == player.StateReconnecting && st.RetryAt.After(first)
	})
	if srv.Conns() == conns {
		t.Error("no new connection after F5")
	}
	// Without the retry, the second failure would wait the ladder's second
	// rung, 30 s; the retry starts the ladder again at 5 s.
	if wait := time.Until(st.RetryAt); wait > 15*time.Second {
		t.Errorf("after F5 and another 401: next try in %v, want the ladder's first rung (%v)", wait, player.SlowRetryLadder[0])
	}
}
