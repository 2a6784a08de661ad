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
	s := play(t, Config{Name: "gopro", URL: goproURL(t, sim, "usb=1&res=720&fov=linear")})

	// The first frame within 2 s of asking, sender start-up included.
	start := time.Now()
	st := waitState(t, s, 5*time.Second, StateLive)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("first frame after %v, want under 2 s", took)
	}
	t.Logf("first frame after %v", time.Since(start))
	if st.Codec != "H.264" || st.Width != 640 || st.Height != 360 {
		t.Errorf("live as %s %dx%d, want H.264 640x360", st.Codec, st.Width, st.Height)
	}
	// Two keep-alives at the Open GoPro cadence, then close.
	playtest.WaitFor(t, 8*time.Second, "two keep-alives never came", func() bool {
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
	if gap := alive[1].Sub(alive[0]); gap < 2500*time.Millisecond || gap > 3500*time.Millisecond {
		t.Errorf("keep-alives %v apart, want 3 s", gap)
	}
	if sim.Streaming() || sim.WebcamStatus() != gopro.WebcamOff {
		t.Errorf("after close: streaming %v, webcam status %d; want stopped and off", sim.Streaming(), sim.WebcamStatus())
	}
}

func TestGoProPreviewMode(t *testing.T) {
	t.Parallel()
	sim := goprotest.Start(t, goprotest.Config{})
	s := play(t, Config{Name: "preview", URL: goproURL(t, sim, "mode=preview")})
	waitState(t, s, 5*time.Second, StateLive)
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
	st := waitState(t, s, 15*time.Second, StateLive)
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
	waitState(t, s, 5*time.Second, StateLive)

	sim.StopSender() // overheated: the API still answers, the video stopped
	st := waitState(t, s, 3*time.Second, StateReconnecting)
	if !strings.Contains(st.Reason, "the GoPro stopped sending (asleep, overheated or unplugged?)") {
		t.Errorf("reason %q, want the stream's stop explained", st.Reason)
	}
	waitState(t, s, 5*time.Second, StateLive)
	if n := sim.Senders(); n != 2 {
		t.Errorf("%d senders started, want the stream restarted once through the API", n)
	}
	paths := sim.Paths()
	starts := count(paths, "/gopro/webcam/start")
	if starts != 2 || !slices.Contains(paths, "/gopro/webcam/stop") {
		t.Errorf("requests %v: want the stalled stream stopped, then started again", paths)
	}
}

func TestGoProComesBackAfterBeingUnplugged(t *testing.T) {
	t.Parallel()
	sim := goprotest.Start(t, goprotest.Config{})
	s := play(t, Config{Name: "gopro", URL: goproURL(t, sim, "usb=1"), ReadTimeout: time.Second, MinBackoff: 200 * time.Millisecond})
	waitState(t, s, 5*time.Second, StateLive)

	sim.Unplug()
	playtest.WaitFor(t, 6*time.Second, "the tile never said the camera is gone", func() bool {
		st := s.Status()
		return st.State == StateReconnecting && strings.Contains(st.Reason, "not reachable at "+sim.Addr())
	})
	if err := sim.Plug(); err != nil {
		t.Fatal(err)
	}
	back := time.Now()
	waitState(t, s, 5*time.Second, StateLive)
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
			st := waitState(t, s, 5*time.Second, StateReconnecting)
			if !strings.Contains(st.Reason, tc.reason) {
				t.Errorf("reason %q, want it to contain %q", st.Reason, tc.reason)
			}
			// The camera recovers by itself once it answers properly.
			sim.Respond("/gopro/webcam/start", 0, "", "")
			waitState(t, s, 8*time.Second, StateLive)
		})
	}
}

func TestLegacyGoProIsKeptAliveByDatagrams(t *testing.T) {
	t.Parallel()
	port := playtest.FreeUDPPort(t)
	// A real HERO4–7 stops streaming a few seconds after the last keep-alive.
	sim := goprotest.Start(t, goprotest.Config{LegacyStreamPort: port, LegacyKeepAliveTimeout: 3 * time.Second})
	_, kaPort, _ := net.SplitHostPort(sim.KeepAliveAddr())
	url := fmt.Sprintf("gopro://%s?mode=legacy&port=%d&keepalive=%s", sim.Addr(), port, kaPort)
	s := play(t, Config{Name: "hero5", URL: url})
	waitState(t, s, 5*time.Second, StateLive)
	time.Sleep(6 * time.Second) // twice the camera's patience
	if st := s.Status(); st.State != StateLive {
		t.Fatalf("after 6 s: %s; the keep-alives did not keep the stream up", describe(st))
	}
	s.Close()

	if got := sim.Paths(); !slices.Equal(got, []string{"/gp/gpControl/execute"}) {
		t.Errorf("requests %v, want the one gpControl restart", got)
	}
	if q := sim.Requests()[0].Query; q.Get("p1") != "gpStream" || q.Get("a1") != "proto_v2" || q.Get("c1") != "restart" {
		t.Errorf("gpControl query %v", q)
	}
	dg := sim.Datagrams()
	if len(dg) < 3 {
		t.Fatalf("%d keep-alive datagrams in ~7 s, want one every 2.5 s", len(dg))
	}
	for i, d := range dg {
		if string(d.Data) != gopro.LegacyKeepAlive {
			t.Errorf("datagram %d is %q, want %q", i, d.Data, gopro.LegacyKeepAlive)
		}
		if i > 0 {
			if gap := d.Time.Sub(dg[i-1].Time); gap < 2*time.Second || gap > 3*time.Second {
				t.Errorf("datagrams %d and %d are %v apart, want 2.5 s", i-1, i, gap)
			}
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
	waitState(t, s, 5*time.Second, StateLive)
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
	waitState(t, s, 5*time.Second, StateLive)
	sim.StopSender()
	waitState(t, s, 3*time.Second, StateReconnecting)
	waitState(t, s, 5*time.Second, StateLive)
	s.Close()
	settled()
}
