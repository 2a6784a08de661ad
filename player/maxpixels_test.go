package player

import (
	"log/slog"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/source/rtsp"
)

// A real stream whose pictures are larger than the decoders allow (here the
// limit is lowered below the demo clip's 640x360) is not decoded: the tile
// says why, and the camera is retried slowly.
func TestStreamOverTheMaximumPictureSizeFailsWithItsSize(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	s := New(Config{Name: "huge", URL: srv.URL(1), Transport: rtsp.TransportTCP, Logger: playtest.Logger(t, slog.LevelInfo)})
	s.maxPixels = 100_000
	s.SetTileSize(160, 90)
	s.Start()
	defer s.Close()
	st := waitState(t, s, 10*time.Second, StateReconnecting)
	if want := "the camera's picture (640x360) is larger than the 0.1 million pixels camwall decodes"; st.Reason != want {
		t.Errorf("reason %q, want %q", st.Reason, want)
	}
	if wait := time.Until(st.RetryAt); wait < s.cfg.MaxBackoff/2 {
		t.Errorf("next try in %v, want the slow retry (%v)", wait, s.cfg.MaxBackoff)
	}
	if s.Frames().Published() != 0 {
		t.Error("a picture was published")
	}
}
