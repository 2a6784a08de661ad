package player

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
)

// A camera input whose data would make FFmpeg read another kind of input
// (an SDP file opens RTP on a port of its choosing) is refused, the tile
// says what the input may be, and it is retried slowly.
func TestInputOfAnotherFormatIsRefusedOnTheTile(t *testing.T) {
	p := filepath.Join(t.TempDir(), "camera.sdp")
	sdp := fmt.Sprintf("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=camera\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"+
		"m=video %d RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n", playtest.FreeUDPPort(t))
	if err := os.WriteFile(p, []byte(sdp), 0o600); err != nil {
		t.Fatal(err)
	}
	s := play(t, Config{Name: "sdp", URL: "file://" + p})
	st := waitState(t, s, 10*time.Second, StateReconnecting)
	if want := "camwall reads MPEG-TS, MP4, Matroska, raw H.264/H.265 or MJPEG from a file:// input, and this is something else"; st.Reason != want {
		t.Errorf("reason %q, want %q", st.Reason, want)
	}
	if wait := time.Until(st.RetryAt); wait < s.cfg.MaxBackoff/2 {
		t.Errorf("next try in %v, want the slow retry (%v)", wait, s.cfg.MaxBackoff)
	}
}
