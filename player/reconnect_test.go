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

// A camera that was switched off is live again soon after it is back,
// however long the backoff has grown: the session probes its port while it
// waits. The backoff here is a minute, so that only the probe can bring the
// tile back within the test's bound (ten times the 2 s goal, for a loaded
// machine); BenchmarkPathBack in player/perf measures the figure.
func TestTileIsLiveAgainSoonAfterTheCameraComesBack(t *testing.T) {
	settled := goroutinesSettle(t)
	srv := &rtspserver.Server{}
	playtest.StartServer(t, srv)
	if err := srv.Loop("cam", playtest.DemoClip(t)); err != nil {
		t.Fatal(err)
	}
	addr := srv.Address()
	s := playLive(t, "flaky", srv.URL("cam"), 0)

	srv.Close()
	// The closed connection is retried at once; the refused one that
	// follows waits the backoff.
	var st Status
	playtest.WaitFor(t, 20*time.Second, "never refused", func() bool {
		st = s.Status()
		return st.State == StateReconnecting && strings.Contains(st.Reason, "connection refused")
	})
	if wait := time.Until(st.RetryAt); wait < 30*time.Second {
		t.Errorf("next attempt in %v, want the backoff (1 min)", wait)
	}

	back := &rtspserver.Server{Addr: addr}
	playtest.StartServer(t, back)
	if err := back.Loop("cam", playtest.DemoClip(t)); err != nil {
		t.Fatal(err)
	}
	waitLiveAgain(t, s, "the camera came back")

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
			st := waitState(t, s, 20*time.Second, StateReconnecting)
			t.Logf("reported after %v", time.Since(start))
			if st.Reason != source.ReasonTimedOut {
				t.Errorf("reason = %q, want %q", st.Reason, source.ReasonTimedOut)
			}
		})
	}
}

func TestCorruptBitstreamKeepsTheTileLiveAndIsCounted(t *testing.T) {
	clip := playtest.DemoClip(t)
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
	playtest.WaitFor(t, 20*time.Second, "no corrupt access unit counted", func() bool { return s.Status().Corrupt > 0 })
	published := s.Frames().Published()
	playtest.WaitFor(t, 20*time.Second, "no picture after the corrupt access units", func() bool {
		return s.Frames().Published() > published+10
	})
	if st := s.Status(); st.State != StateLive {
		t.Errorf("state = %s, want live through the damage", describe(st))
	}
}

// A camera behind a relay (or a server that is up before its paths) answers
// 404 for a while after it comes back; once it was live, such a refusal is
// retried quickly (every probeEvery), whatever the backoff: a minute here,
// so that only the fast retry can bring the tile back within the test's
// bound (ten times the 2 s goal). BenchmarkPathBack measures the figure.
func TestTileIsLiveAgainSoonAfterAPathComesBack(t *testing.T) {
	srv := &rtspserver.Server{}
	playtest.StartServer(t, srv)
	if err := srv.Loop("cam", playtest.DemoClip(t)); err != nil {
		t.Fatal(err)
	}
	addr := srv.Address()
	s := playLive(t, "relayed", srv.URL("cam"), 0)

	// The relay restarts and serves no stream for a while.
	srv.Close()
	back := &rtspserver.Server{Addr: addr}
	playtest.StartServer(t, back)
	playtest.WaitFor(t, 20*time.Second, "no 404 while the path is gone", func() bool {
		st := s.Status()
		return st.State == StateReconnecting && strings.Contains(st.Reason, "404")
	})
	if err := back.Loop("cam", playtest.DemoClip(t)); err != nil {
		t.Fatal(err)
	}
	waitLiveAgain(t, s, "the path came back")
}

// A camera whose connection goes silent (a network that dropped for a
// moment, a camera that hung) times out; once it was live, the timeout is
// retried quickly, like a refusal, so the tile is back soon after the camera
// speaks again, whatever the backoff (a minute here, so that only the fast
// retry can bring it back within the test's bound).
func TestTileIsLiveAgainSoonAfterASilentCameraSpeaksAgain(t *testing.T) {
	faults := &rtspserver.Faults{}
	srv := playtest.StartServer(t, &rtspserver.Server{Faults: faults})
	if err := srv.Loop("cam", playtest.DemoClip(t)); err != nil {
		t.Fatal(err)
	}
	s := playLive(t, "hung", srv.URL("cam"), time.Second)

	faults.SetSilent(true)
	playtest.WaitFor(t, 20*time.Second, "the silence never timed out", func() bool {
		st := s.Status()
		return st.State == StateReconnecting && st.Reason == source.ReasonTimedOut
	})
	if wait := time.Until(s.Status().RetryAt); wait > 10*time.Second {
		t.Errorf("next try in %v: a timeout after the camera was live waits the backoff", wait.Round(time.Second))
	}
	faults.SetSilent(false)
	waitLiveAgain(t, s, "the camera spoke again")
}

// playLive plays url over TCP, with a minute's backoff so that only a
// probe or a fast retry can bring it back soon, until its first picture;
// readTimeout 0 is the default.
func playLive(t *testing.T, name, url string, readTimeout time.Duration) *Session {
	t.Helper()
	s := play(t, Config{Name: name, URL: url, Transport: rtsp.TransportTCP, ReadTimeout: readTimeout,
		MinBackoff: time.Minute, MaxBackoff: time.Minute})
	playtest.WaitFor(t, 20*time.Second, "never live", func() bool { return s.Frames().Published() > 0 })
	return s
}

// waitLiveAgain waits for s to be live with a new picture, from now, when
// the camera is back (after what), and logs how long that took.
func waitLiveAgain(t *testing.T, s *Session, after string) {
	t.Helper()
	back := time.Now()
	published := s.Frames().Published()
	playtest.WaitFor(t, 20*time.Second, "not live again before the backoff ended", func() bool {
		return s.Status().State == StateLive && s.Frames().Published() > published
	})
	t.Logf("live again %v after %s (goal: 2 s)", time.Since(back), after)
}
