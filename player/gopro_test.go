package player

import (
	"fmt"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/camwall/camwall/player/gopro"
	"github.com/camwall/camwall/player/gopro/goprotest"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
)

// goproURL is the entry for the simulator, streaming to a fresh port.
func goproURL(t *testing.T, sim *goprotest.Sim, query string) string {
	t.Helper()
	u := fmt.Sprintf("gopro://%s?port=%d", sim.Addr(), playtest.FreeUDPPort(t))
	if query != "" {
		u += "&" + query
	}
	return u
}

func TestGoProWebcamOverUSB(t *testing.T) {
	t.Parallel()
	sim := goprotest.Start(t, goprotest.Config{})
	start := time.Now()
	s := play(t, Config{Name: "gopro", URL: goproURL(t, sim, "usb=1&res=720&fov=linear")})

	// The goal is a first frame within 2 s of asking, sender start-up
	// included; the bound is ten times that, for a loaded machine.
	st := waitState(t, s, 20*time.Second, StateLive)
	t.Logf("first frame after %v (goal: 2 s)", time.Since(start))
	if st.Codec != "H.264" || st.Width != 640 || st.Height != 360 {
		t.Errorf("live as %s %dx%d, want H.264 640x360", st.Codec, st.Width, st.Height)
	}
	// Two keep-alives at the Open GoPro cadence, then close.
	playtest.WaitFor(t, 30*time.Second, "two keep-alives never came", func() bool {
		return count(sim.Paths(), "/gopro/camera/keep_alive") >= 2
	})
	if st := s.Status(); st.State != StateLive || st.Latency != 0 {
		t.Errorf("after 6 s: %s, latency %v; want live with no latency claimed (MPEG-TS has no capture clock)", describe(st), st.Latency)
	}
	s.Close()

	want := []string{"/gopro/camera/control/wired_usb", "/gopro/webcam/start",
		"/gopro/camera/keep_alive", "/gopro/camera/keep_alive", "/gopro/webcam/stop", "/gopro/webcam/exit"}
	if got := sim.Paths(); !slices.Equal(got, want) {
		t.Errorf("requests\n got %v\nwant %v", got, want)
	}
	reqs := sim.Requests()
	if q := reqs[0].Query; q.Get("p") != "1" {
		t.Errorf("wired_usb query %v, want p=1", q)
	}
	if q := reqs[1].Query; q.Get("res") != "7" || q.Get("fov") != "4" || q.Get("protocol") != "TS" || q.Get("port") == "" {
		t.Errorf("webcam/start query %v, want res=7 fov=4 protocol=TS and a port", q)
	}
	var alive []time.Time
	for _, r := range reqs {
		if r.Path == "/gopro/camera/keep_alive" {
			alive = append(alive, r.Time)
		}
	}
	// Periodic, and never more often than the cadence: the n-th keep-alive
	// goes at least n cadences after the session started (a loaded machine
	// only makes them later; that they come often enough for the camera is
	// the legacy test's, whose simulator stops streaming without them).
	t.Logf("keep-alives %v apart (cadence %v)", alive[1].Sub(alive[0]), gopro.KeepAliveEvery)
	for i, at := range alive {
		if since, least := at.Sub(start), time.Duration(i+1)*gopro.KeepAliveEvery; since < least {
			t.Errorf("keep-alive %d sent %v after the start, want at least %v", i+1, since, least)
		}
	}
	if sim.Streaming() || sim.WebcamStatus() != gopro.WebcamOff {
		t.Errorf("after close: streaming %v, webcam status %d; want stopped and off", sim.Streaming(), sim.WebcamStatus())
	}
}

func TestGoProPreviewMode(t *testing.T) {
	t.Parallel()
	sim := goprotest.Start(t, goprotest.Config{})
	s := play(t, Config{Name: "preview", URL: goproURL(t, sim, "mode=preview")})
	waitState(t, s, 20*time.Second, StateLive)
	s.Close()
	want := []string{"/gopro/camera/stream/start", "/gopro/camera/stream/stop"}
	if got := sim.Paths(); !slices.Equal(got, want) {
		t.Errorf("requests %v, want %v (no wired USB control for a camera not on USB)", got, want)
	}
}

func TestGoProWebcamOverRTSP(t *testing.T) {
	t.Parallel()
	// The camera's own RTSP server, played by an RTSP server on loopback
	// that the simulator publishes into when asked for RTSP.
	srv := playtest.StartServer(t, &rtspserver.Server{})
	sim := goprotest.Start(t, goprotest.Config{RTSPPublish: srv.URL("live")})
	_, port, _ := net.SplitHostPort(srv.Address())
	s := play(t, Config{Name: "gopro", URL: fmt.Sprintf("gopro://%s?protocol=rtsp&rtsp=%s", sim.Addr(), port)})
	st := waitState(t, s, 20*time.Second, StateLive)
	if st.Codec != "H.264" || st.Width != 640 {
		t.Errorf("live as %s %dx%d", st.Codec, st.Width, st.Height)
	}
	s.Close()
	paths := sim.Paths()
	if len(paths) < 3 || paths[0] != "/gopro/webcam/start" || !slices.Equal(paths[len(paths)-2:], []string{"/gopro/webcam/stop", "/gopro/webcam/exit"}) {
		t.Errorf("requests %v: want start, then stop and exit on close", paths)
	}
	if q := sim.Requests()[0].Query; q.Get("protocol") != "RTSP" {
		t.Errorf("webcam/start query %v, want protocol=RTSP", q)
	}
	if n := count(paths, "/gopro/webcam/start"); n != 1 {
		t.Errorf("%d starts: waiting for the camera's RTSP server must not restart the webcam", n)
	}
}

func TestGoProRecoversWhenTheStreamStops(t *testing.T) {
	t.Parallel()
	sim := goprotest.Start(t, goprotest.Config{})
	s := play(t, Config{Name: "gopro", URL: goproURL(t, sim, ""), ReadTimeout: time.Second, MinBackoff: 200 * time.Millisecond})
	waitState(t, s, 20*time.Second, StateLive)

	sim.StopSender() // overheated: the API still answers, the video stopped
	st := waitState(t, s, 20*time.Second, StateReconnecting)
	if !strings.Contains(st.Reason, "the GoPro stopped sending (asleep, overheated or unplugged?)") {
		t.Errorf("reason %q, want the stream's stop explained", st.Reason)
	}
	waitState(t, s, 20*time.Second, StateLive)
	// Restarted through the API: stopped, then started again. (A loaded
	// machine may time out the restarted stream too, before its first
	// picture, and restart it once more the same way.)
	n := sim.Senders()
	paths := sim.Paths()
	if starts, stops := count(paths, "/gopro/webcam/start"), count(paths, "/gopro/webcam/stop"); n < 2 || starts != n || stops < n-1 {
		t.Errorf("%d senders, requests %v: want the stalled stream stopped, then started again through the API", n, paths)
	}
}

func TestGoProComesBackAfterBeingUnplugged(t *testing.T) {
	t.Parallel()
	sim := goprotest.Start(t, goprotest.Config{})
	s := play(t, Config{Name: "gopro", URL: goproURL(t, sim, "usb=1"), ReadTimeout: time.Second, MinBackoff: 200 * time.Millisecond})
	waitState(t, s, 20*time.Second, StateLive)

	sim.Unplug()
	playtest.WaitFor(t, 20*time.Second, "the tile never said the camera is gone", func() bool {
		st := s.Status()
		return st.State == StateReconnecting && strings.Contains(st.Reason, "not reachable at "+sim.Addr())
	})
	if err := sim.Plug(); err != nil {
		t.Fatal(err)
	}
	back := time.Now()
	waitState(t, s, 20*time.Second, StateLive)
	t.Logf("live again %v after the camera came back", time.Since(back))
}

func TestGoProAnswersThatAreNotSuccessAreExplained(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, contentType, body string
		status                  int
		reason                  string
	}{
		{"webcam error code", "application/json", `{"status":1,"error":7}`, 200,
			"GoPro answered /gopro/webcam/start with webcam error 7: webcam mode is unavailable"},
		{"HTTP error", "application/json", `{"error":"busy"}`, 500,
			`GoPro answered /gopro/webcam/start with HTTP 500 Internal Server Error: "{\"error\":\"busy\"}"`},
		{"garbage", "text/html", "<html>router login</html>", 200,
			"GoPro answered /gopro/webcam/start with something that is not Open GoPro JSON (text/html"},
		{"JSON of another API", "application/json", `{"ok":true}`, 200,
			"a webcam answer without status and error, not Open GoPro JSON"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			sim := goprotest.Start(t, goprotest.Config{})
			sim.Respond("/gopro/webcam/start", tc.status, tc.contentType, tc.body)
			s := play(t, Config{Name: "gopro", URL: goproURL(t, sim, "")})
			st := waitState(t, s, 20*time.Second, StateReconnecting)
			if !strings.Contains(st.Reason, tc.reason) {
				t.Errorf("reason %q, want it to contain %q", st.Reason, tc.reason)
			}
			// The camera recovers by itself once it answers properly.
			sim.Respond("/gopro/webcam/start", 0, "", "")
			waitState(t, s, 20*time.Second, StateLive)
		})
	}
}

func TestLegacyGoProIsKeptAliveByDatagrams(t *testing.T) {
	t.Parallel()
	port := playtest.FreeUDPPort(t)
	// A real HERO4–7 stops streaming a few seconds after the last
	// keep-alive; this one waits two cadences, so that a keep-alive late by
	// a loaded machine's hiccup does not stop it.
	const patience = 2 * gopro.LegacyKeepAliveEvery
	sim := goprotest.Start(t, goprotest.Config{LegacyStreamPort: port, LegacyKeepAliveTimeout: patience})
	_, kaPort, _ := net.SplitHostPort(sim.KeepAliveAddr())
	url := fmt.Sprintf("gopro://%s?mode=legacy&port=%d&keepalive=%s", sim.Addr(), port, kaPort)
	start := time.Now()
	s := play(t, Config{Name: "hero5", URL: url})
	waitState(t, s, 20*time.Second, StateLive)
	time.Sleep(2 * patience)
	if st := s.Status(); st.State != StateLive {
		t.Fatalf("after %v: %s; the keep-alives did not keep the stream up", 2*patience, describe(st))
	}
	s.Close()

	if got := sim.Paths(); !slices.Equal(got, []string{"/gp/gpControl/execute"}) {
		t.Errorf("requests %v, want the one gpControl restart", got)
	}
	if q := sim.Requests()[0].Query; q.Get("p1") != "gpStream" || q.Get("a1") != "proto_v2" || q.Get("c1") != "restart" {
		t.Errorf("gpControl query %v", q)
	}
	dg := sim.Datagrams()
	if len(dg) < 2 {
		t.Fatalf("%d keep-alive datagrams, want one at once and one every %v", len(dg), gopro.LegacyKeepAliveEvery)
	}
	for i, d := range dg {
		if string(d.Data) != gopro.LegacyKeepAlive {
			t.Errorf("datagram %d is %q, want %q", i, d.Data, gopro.LegacyKeepAlive)
		}
		// One at once, then never more often than the cadence.
		if since, least := d.Time.Sub(start), time.Duration(i)*gopro.LegacyKeepAliveEvery; since < least {
			t.Errorf("datagram %d sent %v after the start, want at least %v", i+1, since, least)
		}
		if i > 0 {
			t.Logf("datagrams %d and %d are %v apart", i, i+1, d.Time.Sub(dg[i-1].Time))
		}
	}
	n := len(sim.Datagrams())
	time.Sleep(3 * time.Second)
	if len(sim.Datagrams()) != n {
		t.Error("keep-alive datagrams went on after the session closed")
	}
}

func count(list []string, s string) int {
	n := 0
	for _, v := range list {
		if v == s {
			n++
		}
	}
	return n
}

func TestAGoProIsRecordedLikeAnyCamera(t *testing.T) {
	t.Parallel()
	playtest.NeedFFprobe(t)
	sim := goprotest.Start(t, goprotest.Config{})
	s := play(t, Config{Name: "GoPro 590", URL: goproURL(t, sim, "")})
	waitState(t, s, 20*time.Second, StateLive)
	if err := s.StartRecording(RecordOptions{Dir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	files, recorded := recordFor(t, s, 3*time.Second)
	if len(files) != 1 {
		t.Fatalf("files = %v, want one", files)
	}
	codec, w, h, dur := playtest.Probe(t, files[0])
	if codec != "h264" || w != 640 || h != 360 || dur < recorded-1 || dur > recorded+1 {
		t.Errorf("ffprobe: %s %dx%d %.2fs, want h264 640x360 of %.2fs", codec, w, h, dur, recorded)
	}
	playtest.DecodesCleanly(t, files[0])
}

// A GoPro session that stalls, restarts and closes leaves nothing running:
// no keep-alive, no demuxer reader, no watchdog (a kiosk restarts streams
// for months). Not parallel, so that the goroutine count is this test's.
func TestGoProSessionLeavesNoGoroutineBehind(t *testing.T) {
	sim := goprotest.Start(t, goprotest.Config{})
	settled := goroutinesSettle(t)
	s := New(Config{Name: "gopro", URL: goproURL(t, sim, ""), ReadTimeout: time.Second, MinBackoff: 100 * time.Millisecond,
		Logger: quietLogger(t)})
	s.Start()
	waitState(t, s, 20*time.Second, StateLive)
	sim.StopSender()
	waitState(t, s, 20*time.Second, StateReconnecting)
	waitState(t, s, 20*time.Second, StateLive)
	s.Close()
	settled()
}
