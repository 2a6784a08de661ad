package player

import (
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
)

func TestUnsupportedCodecShowsOnTheTile(t *testing.T) {
	srv := playtest.StartServer(t, &rtspserver.Server{})
	if _, err := srv.Publish("vp8", &description.Session{Medias: []*description.Media{{Type: description.MediaTypeVideo, Formats: []format.Format{&format.VP8{PayloadTyp: 96}}}}}); err != nil {
		t.Fatal(err)
	}
	s := play(t, Config{Name: "vp8", URL: srv.URL("vp8"), MinBackoff: 10 * time.Millisecond, SlowRetry: []time.Duration{time.Minute}})
	st := waitState(t, s, 20*time.Second, StateReconnecting)
	const want = "unsupported codec: the camera sends VP8; camwall plays H.264, H.265 and MJPEG"
	if st.Reason != want {
		t.Errorf("reason = %q, want %q", st.Reason, want)
	}
	if time.Until(st.RetryAt) < 30*time.Second {
		t.Errorf("retry in %v: an unsupported codec must wait the slow retry ladder", time.Until(st.RetryAt))
	}
}
