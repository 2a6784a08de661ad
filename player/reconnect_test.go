package player

import (
	"math/rand"
	"strings"
	"testing"
	"time"

	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source"
	"github.com/camwall/camwall/player/source/rtsp"
)

func TestTileIsLiveAgainWithin2sOfTheCameraComingBack(t *testing.T) {
	settled := goroutinesSettle(t)
	srv := &rtspserver.Server{}
	playtest.StartServer(t, srv)
	if err := srv.Loop("cam", demoClip(t)); err != nil {
		t.Fatal(err)
	}
	addr := srv.Address()
	// Default backoff: 0.5 s doubling up to 5 s.
	s := play(t, Config{Name: "flaky", URL: srv.URL("cam"), Transport: rtsp.TransportTCP})
	playtest.WaitFor(t, 2*time.Second, "never live", func() bool { return s.Frames().Published() > 0 })

	srv.Close()
	st := waitState(t, s, 3*time.Second, StateReconnecting)
	if time.Until(st.RetryAt) <= 0 {
		t.Errorf("RetryAt %v is not in the future", st.RetryAt)
	}
	// Down long enough for the backoff to grow past 2 s (0.5+1+2 s of waits):
	// the backoff alone could no longer bring the tile back within 2 s.
	time.Sleep(4 * time.Second)
	st = s.Status()
	if st.State != StateReconnecting || !strings.Contains(st.Reason, "connection refused") {
		t.Errorf("while the camera is down: %s, want reconnecting, connection refused", describe(st))
	}

	back := &rtspserver.Server{Addr: addr}
	playtest.StartServer(t, back)
	if err := back.Loop("cam", demoClip(t)); err != nil {
		t.Fatal(err)
	}
	reachable := time.Now()
	published := s.Frames().Published()
	playtest.WaitFor(t, 2*time.Second, "not live again within 2 s of the camera being reachable", func() bool {
		return s.Status().State == StateLive && s.Frames().Published() > published
	})
	t.Logf("live again %v after the camera came back", time.Since(reachable))

	s.Close()
	back.Close()
	settled()
}

func TestCameraThatStopsAnsweringTimesOut(t *testing.T) {
	const readTimeout = 300 * time.Millisecond
	silent := silentServer(t)
	// Answers RTSP, but the stream never carries a packet.
	mute := playtest.StartServer(t, &rtspserver.Server{})
	if _, err := mute.Publish("cam", &description.Session{Medias: []*description.Media{{
		Type: description.MediaTypeVideo, Formats: []format.Format{&format.H264{PayloadTyp: 96, PacketizationMode: 1}},
	}}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		url  string
	}{
		{"accepts the connection and sends nothing", "rtsp://" + silent + "/cam"},
		{"answers RTSP and sends no video", mute.URL("cam")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			s := play(t, Config{Name: "silent", URL: tc.url, Transport: rtsp.TransportTCP, ReadTimeout: readTimeout, MinBackoff: time.Minute})
			// Generous polling: the bound that matters is "about ReadTimeout,
			// not for ever".
			st := waitState(t, s, 2*time.Second+readTimeout, StateReconnecting)
			t.Logf("reported after %v", time.Since(start))
			if st.Reason != source.ReasonTimedOut {
				t.Errorf("reason = %q, want %q", st.Reason, source.ReasonTimedOut)
			}
		})
	}
}

func TestCorruptBitstreamKeepsTheTileLiveAndIsCounted(t *testing.T) {
	clip := demoClip(t)
	// Copies: the clip's access units share the embedded demo clip's memory.
	r := rand.New(rand.NewSource(1))
	damaged := make([][][]byte, len(clip.AccessUnits))
	for i, au := range clip.AccessUnits {
		damaged[i] = au
		if i%7 != 3 { // never a keyframe (every 30th)
			continue
		}
		last := append([]byte(nil), au[len(au)-1]...)
		for j := len(last) / 3; j < len(last); j++ {
			last[j] = byte(r.Intn(256))
		}
		damaged[i] = append(append([][]byte(nil), au[:len(au)-1]...), last)
	}
	clip.AccessUnits = damaged
	srv := playtest.StartServer(t, &rtspserver.Server{})
	if err := srv.Loop("cam", clip); err != nil {
		t.Fatal(err)
	}
	s := play(t, Config{Name: "corrupt", URL: srv.URL("cam"), Transport: rtsp.TransportTCP})
	playtest.WaitFor(t, 5*time.Second, "no corrupt access unit counted", func() bool { return s.Status().Corrupt > 0 })
	published := s.Frames().Published()
	playtest.WaitFor(t, 2*time.Second, "no picture after the corrupt access units", func() bool {
		return s.Frames().Published() > published+10
	})
	if st := s.Status(); st.State != StateLive {
		t.Errorf("state = %s, want live through the damage", describe(st))
	}
}

// A camera behind a relay (or a server that is up before its paths) answers
// 404 for a while after it comes back; once it was live, such a refusal is
// retried quickly, so that the tile is live again within 2 s of the stream
// being there, whatever the backoff had grown to.
func TestTileIsLiveAgainWithin2sOfAPathComingBack(t *testing.T) {
	srv := &rtspserver.Server{}
	playtest.StartServer(t, srv)
	if err := srv.Loop("cam", demoClip(t)); err != nil {
		t.Fatal(err)
	}
	addr := srv.Address()
	s := play(t, Config{Name: "relayed", URL: srv.URL("cam"), Transport: rtsp.TransportTCP})
	playtest.WaitFor(t, 2*time.Second, "never live", func() bool { return s.Frames().Published() > 0 })

	// The relay restarts and serves no stream for 4 s: the backoff grows
	// past 2 s meanwhile.
	srv.Close()
	back := &rtspserver.Server{Addr: addr}
	playtest.StartServer(t, back)
	time.Sleep(4 * time.Second)
	if st := s.Status(); st.State != StateReconnecting || !strings.Contains(st.Reason, "404") {
		t.Errorf("while the path is gone: %s, want reconnecting, 404", describe(st))
	}
	if err := back.Loop("cam", demoClip(t)); err != nil {
		t.Fatal(err)
	}
	published := s.Frames().Published()
	playtest.WaitFor(t, 2*time.Second, "not live again within 2 s of the path coming back", func() bool {
		return s.Status().State == StateLive && s.Frames().Published() > published
	})
}
