//go:build linux

package playtest

import (
	"sync/atomic"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"
	"github.com/bluenviron/mediacommon/v2/pkg/codecs/h264"
	"github.com/pion/rtp"

	"github.com/camwall/camwall/player/rtspserver"
)

// mediamtx relays the project's RTSP server: a reader of the relay gets
// the looped demo clip's H.264, whole frames and keyframes among them, over
// TCP and over UDP. Skipped where mediamtx is not built (make mediamtx).
func TestMediaMTXRelaysTheDemoClip(t *testing.T) {
	srv := StartServer(t, &rtspserver.Server{})
	if err := srv.Loop("cam", DemoClip(t)); err != nil {
		t.Fatal(err)
	}
	mtx := StartMediaMTX(t, map[string]string{"relay/cam": srv.URL("cam")})

	for _, transport := range []gortsplib.Transport{gortsplib.TransportTCP, gortsplib.TransportUDP} {
		t.Run(transport.String(), func(t *testing.T) {
			u, err := base.ParseURL(mtx.URL("relay/cam"))
			if err != nil {
				t.Fatal(err)
			}
			// mediamtx answers 404 until it has read the source's
			// description, and then closes the connection: every later
			// request on that client reads EOF, so each try is a new client.
			var c *gortsplib.Client
			var desc *description.Session
			var lastErr error
			played := Eventually(30*time.Second, func() bool {
				c = &gortsplib.Client{Scheme: u.Scheme, Host: u.Host, Transport: &transport}
				if lastErr = c.Start2(); lastErr != nil {
					return false
				}
				if desc, _, lastErr = c.Describe(u); lastErr != nil {
					c.Close()
					return false
				}
				return true
			})
			if !played {
				t.Fatalf("after 30s the relay's path never played: %v", lastErr)
			}
			t.Cleanup(c.Close)
			var h *format.H264
			medi := desc.FindFormat(&h)
			if medi == nil {
				t.Fatalf("the relay describes %d medias, no H.264", len(desc.Medias))
			}
			dec, err := h.CreateDecoder()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Setup(desc.BaseURL, medi, 0, 0); err != nil {
				t.Fatal(err)
			}
			var packets, frames, keyframes atomic.Int64
			c.OnPacketRTP(medi, h, func(pkt *rtp.Packet) {
				packets.Add(1)
				au, err := dec.Decode(pkt)
				if err != nil {
					return // more packets needed, or a frame begun before PLAY
				}
				frames.Add(1)
				if h264.IsRandomAccess(au) {
					keyframes.Add(1)
				}
			})
			if _, err := c.Play(nil); err != nil {
				t.Fatal(err)
			}
			WaitFor(t, 30*time.Second, "fewer than 30 frames and 1 keyframe from the relay", func() bool {
				return frames.Load() >= 30 && keyframes.Load() >= 1
			})
			t.Logf("over %v: %d RTP packets, %d frames, %d keyframes", transport, packets.Load(), frames.Load(), keyframes.Load())
		})
	}
}
