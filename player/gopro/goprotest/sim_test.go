package goprotest

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
)

// client opens a connection per request, as camwall's GoPro client does, so
// that an unplugged camera shows as refused rather than as a dead pooled
// connection, and so no idle connection outlives a test.
var client = &http.Client{
	Timeout:   slow,
	Transport: &http.Transport{DisableKeepAlives: true, Proxy: nil},
}

const legacyKeepAlive = "_GPHD_:0:0:2:0.000000\n"

type answer struct {
	code        int
	body        string
	contentType string
}

func get(t *testing.T, s *Sim, target string) answer {
	t.Helper()
	resp, err := client.Get("http://" + s.Addr() + target)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: body: %v", target, err)
	}
	return answer{resp.StatusCode, string(b), resp.Header.Get("Content-Type")}
}

type webcamReply struct {
	Status int `json:"status"`
	Error  int `json:"error"`
}

// webcam GETs a /gopro/webcam/ endpoint, which always answers 200 with JSON.
func webcam(t *testing.T, s *Sim, target string) webcamReply {
	t.Helper()
	a := get(t, s, target)
	if a.code != http.StatusOK || a.contentType != "application/json" {
		t.Fatalf("GET %s: %d %q %s, want 200 application/json", target, a.code, a.contentType, a.body)
	}
	var r webcamReply
	if err := json.Unmarshal([]byte(a.body), &r); err != nil {
		t.Fatalf("GET %s: %v in %s", target, err, a.body)
	}
	return r
}

// listenUDP is the test's end of a stream: a free loopback port to read.
func listenUDP(t *testing.T) (*net.UDPConn, int) {
	t.Helper()
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, c.LocalAddr().(*net.UDPAddr).Port
}

// isTS reports whether d is whole MPEG-TS packets, as a camera sends them.
func isTS(d []byte) bool {
	if len(d) == 0 || len(d)%188 != 0 {
		return false
	}
	for i := 0; i < len(d); i += 188 {
		if d[i] != 0x47 {
			return false
		}
	}
	return true
}

// hasIDR reports whether an IDR NAL unit starts in one of d's video packets
// (ffmpeg's muxer puts the first stream on PID 0x100; the tables elsewhere
// could contain a start code by chance).
func hasIDR(d []byte) bool {
	for i := 0; i+188 <= len(d); i += 188 {
		p := d[i : i+188]
		if int(p[1]&0x1f)<<8|int(p[2]) != 0x100 || p[3]&0x10 == 0 {
			continue
		}
		off := 4
		if p[3]&0x20 != 0 {
			off += 1 + int(p[4])
		}
		for j := off; j+3 < len(p); j++ {
			if p[j] == 0 && p[j+1] == 0 && p[j+2] == 1 && p[j+3]&0x1f == 5 {
				return true
			}
		}
	}
	return false
}

// A stream normally starts within 100 ms (60 to 90 ms here) and 2 s is
// plenty on an idle machine, but on a loaded shared one the sender, an ffmpeg
// linked against some 200 shared libraries, once took over 2 s just to start.
// DESIGN.md: no test fails because the machine was slow. So failures wait
// for slow, and what exceeds expected is only logged.
const (
	expected = 2 * time.Second
	slow     = 10 * time.Second
)

type arrival struct{ first, idr time.Duration }

// waitTS reads c until MPEG-TS with an IDR frame has arrived, timing it from
// since.
func waitTS(t *testing.T, c *net.UDPConn, since time.Time) arrival {
	t.Helper()
	var a arrival
	buf := make([]byte, 65536)
	c.SetReadDeadline(since.Add(slow))
	defer func() {
		if a.idr > expected {
			t.Logf("the stream took %v to bring an IDR frame (expected under %v): a loaded machine?", a.idr, expected)
		}
	}()
	for {
		n, _, err := c.ReadFrom(buf)
		if err != nil {
			t.Fatalf("no MPEG-TS with an IDR frame within %v (first datagram after %v): %v", slow, a.first, err)
		}
		if !isTS(buf[:n]) {
			t.Fatalf("a %d-byte datagram that is not MPEG-TS: % x", n, buf[:min(n, 16)])
		}
		if a.first == 0 {
			a.first = time.Since(since)
		}
		if hasIDR(buf[:n]) {
			a.idr = time.Since(since)
			return a
		}
	}
}

// expectQuiet drains what was already queued on c for grace, then fails if
// anything arrives during window.
func expectQuiet(t *testing.T, c *net.UDPConn, grace, window time.Duration) {
	t.Helper()
	buf := make([]byte, 65536)
	c.SetReadDeadline(time.Now().Add(grace))
	for {
		if _, _, err := c.ReadFrom(buf); err != nil {
			if !isTimeout(err) {
				t.Fatal(err)
			}
			break
		}
	}
	c.SetReadDeadline(time.Now().Add(window))
	n, _, err := c.ReadFrom(buf)
	if err == nil {
		t.Fatalf("a %d-byte datagram arrived more than %v after the stream should have stopped", n, grace)
	}
	if !isTimeout(err) {
		t.Fatal(err)
	}
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// expectGone checks that pid was killed and reaped.
func expectGone(t *testing.T, pid int) {
	t.Helper()
	if pid == 0 {
		t.Fatal("no sender PID to check")
	}
	gone, known := pidGone(pid)
	if !known {
		t.Log("cannot check PIDs on " + runtime.GOOS)
		return
	}
	if !gone {
		t.Errorf("sender pid %d still exists", pid)
	}
}

func TestWebcamStartStreamsMPEGTSUntilStopAndExit(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{})
	c, port := listenUDP(t)

	sent := time.Now()
	if r := webcam(t, s, "/gopro/webcam/start?res=12&fov=0&port="+strconv.Itoa(port)+"&protocol=TS"); r != (webcamReply{StatusHighPowerPreview, 0}) {
		t.Fatalf("start: %+v", r)
	}
	a := waitTS(t, c, sent)
	t.Logf("after webcam/start: first datagram %v, first IDR %v", a.first, a.idr)
	if got, want := s.StreamTarget(), "127.0.0.1:"+strconv.Itoa(port); got != want {
		t.Errorf("StreamTarget %q, want %q", got, want)
	}
	if !s.Streaming() || s.SenderPID() == 0 || s.Senders() != 1 {
		t.Errorf("Streaming %v, SenderPID %d, Senders %d; want true, a PID, 1", s.Streaming(), s.SenderPID(), s.Senders())
	}
	if r := webcam(t, s, "/gopro/webcam/status"); r != (webcamReply{StatusHighPowerPreview, 0}) {
		t.Errorf("status while streaming: %+v", r)
	}

	pid := s.SenderPID()
	if r := webcam(t, s, "/gopro/webcam/start?res=5&port="+strconv.Itoa(port)); r != (webcamReply{StatusHighPowerPreview, WebcamErrorInvalidParam}) {
		t.Errorf("an invalid start while streaming: %+v, want the current status and error 6", r)
	}
	if s.SenderPID() != pid {
		t.Errorf("an invalid start replaced the sender")
	}

	if r := webcam(t, s, "/gopro/webcam/stop"); r != (webcamReply{StatusIdle, 0}) {
		t.Fatalf("stop: %+v", r)
	}
	expectQuiet(t, c, 100*time.Millisecond, 500*time.Millisecond)
	expectGone(t, pid)
	if s.Streaming() || s.StreamTarget() != "" || s.SenderPID() != 0 {
		t.Errorf("after stop: Streaming %v, StreamTarget %q, SenderPID %d", s.Streaming(), s.StreamTarget(), s.SenderPID())
	}
	if r := webcam(t, s, "/gopro/webcam/status"); r.Status != StatusIdle {
		t.Errorf("status after stop: %+v", r)
	}

	if r := webcam(t, s, "/gopro/webcam/exit"); r != (webcamReply{StatusOff, 0}) {
		t.Fatalf("exit: %+v", r)
	}
	if got := s.WebcamStatus(); got != StatusOff {
		t.Errorf("WebcamStatus after exit %d", got)
	}
}

func TestWebcamStartAgainRetargetsTheStream(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{})
	first, p1 := listenUDP(t)
	second, p2 := listenUDP(t)

	sent := time.Now()
	webcam(t, s, "/gopro/webcam/start?port="+strconv.Itoa(p1))
	waitTS(t, first, sent)
	old := s.SenderPID()

	sent = time.Now()
	if r := webcam(t, s, "/gopro/webcam/start?port="+strconv.Itoa(p2)); r != (webcamReply{StatusHighPowerPreview, 0}) {
		t.Fatalf("second start: %+v", r)
	}
	waitTS(t, second, sent)
	expectQuiet(t, first, 100*time.Millisecond, 500*time.Millisecond)
	expectGone(t, old)
	if s.Senders() != 2 || s.StreamTarget() != "127.0.0.1:"+strconv.Itoa(p2) {
		t.Errorf("Senders %d, StreamTarget %q", s.Senders(), s.StreamTarget())
	}
}

func TestPreviewStreamStartsAndStopsWithoutWebcamMode(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{})
	c, port := listenUDP(t)

	sent := time.Now()
	if a := get(t, s, "/gopro/camera/stream/start?port="+strconv.Itoa(port)); a.code != http.StatusOK || a.body != "{}" {
		t.Fatalf("stream/start: %+v", a)
	}
	waitTS(t, c, sent)
	if s.WebcamStatus() != StatusOff {
		t.Errorf("preview changed the webcam status to %d", s.WebcamStatus())
	}
	if a := get(t, s, "/gopro/camera/stream/stop"); a.code != http.StatusOK || a.body != "{}" {
		t.Fatalf("stream/stop: %+v", a)
	}
	expectQuiet(t, c, 100*time.Millisecond, 500*time.Millisecond)
}

// TestAPIAnswersAndRecordsEveryRequest runs requests that start nothing, in
// order, so the recorded paths can be compared with the table.
func TestAPIAnswersAndRecordsEveryRequest(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{})
	const invalid = `{"status":0,"error":6}`
	tests := []struct {
		name     string
		target   string
		wantCode int
		wantBody string
	}{
		{"wired USB control off", "/gopro/camera/control/wired_usb?p=0", 200, `{}`},
		{"wired USB control on", "/gopro/camera/control/wired_usb?p=1", 200, `{}`},
		{"wired USB control without p", "/gopro/camera/control/wired_usb", 400, `{"error":"invalid p"}`},
		{"wired USB control with p=2", "/gopro/camera/control/wired_usb?p=2", 400, `{"error":"invalid p"}`},
		{"webcam status when off", "/gopro/webcam/status", 200, `{"status":0,"error":0}`},
		{"keep alive", "/gopro/camera/keep_alive", 200, `{}`},
		{"webcam start with res 5", "/gopro/webcam/start?res=5&port=9", 200, invalid},
		{"webcam start with res not a number", "/gopro/webcam/start?res=1080&port=9", 200, invalid},
		{"webcam start with fov 1", "/gopro/webcam/start?fov=1&port=9", 200, invalid},
		{"webcam start with port 0", "/gopro/webcam/start?port=0", 200, invalid},
		{"webcam start with port 65536", "/gopro/webcam/start?port=65536", 200, invalid},
		{"webcam start with empty port", "/gopro/webcam/start?port=", 200, invalid},
		{"webcam start with RTSP", "/gopro/webcam/start?protocol=RTSP&port=9", 200, invalid},
		{"webcam start with lower-case ts", "/gopro/webcam/start?protocol=ts&port=9", 200, invalid},
		{"preview start with a bad port", "/gopro/camera/stream/start?port=x", 400, `{"error":"invalid port"}`},
		{"gpControl other than a stream restart", "/gp/gpControl/execute?p1=gpStream&a1=proto_v2&c1=stop", 400, `{"error":"unsupported gpControl command"}`},
		{"gpControl status", "/gp/gpControl/status", 404, `{"error":"not found"}`},
		{"unknown path", "/gopro/media/list", 404, `{"error":"not found"}`},
		{"root", "/", 404, `{"error":"not found"}`},
	}
	var want []string
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := get(t, s, tt.target)
			if a.code != tt.wantCode || a.body != tt.wantBody || a.contentType != "application/json" {
				t.Errorf("got %d %q %s, want %d application/json %s", a.code, a.contentType, a.body, tt.wantCode, tt.wantBody)
			}
		})
		u, err := url.Parse(tt.target)
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, u.Path)
	}
	if got := s.Paths(); !slices.Equal(got, want) {
		t.Errorf("Paths:\n got %q\nwant %q", got, want)
	}
	if s.Senders() != 0 || s.Streaming() || s.WebcamStatus() != StatusOff {
		t.Errorf("rejected requests started something: Senders %d, Streaming %v, status %d", s.Senders(), s.Streaming(), s.WebcamStatus())
	}

	reqs := s.Requests()
	if got := reqs[6].Query; got.Get("res") != "5" || got.Get("port") != "9" {
		t.Errorf("recorded query %v", got)
	}
	for i, r := range reqs {
		if host, _, _ := net.SplitHostPort(r.Remote); host != "127.0.0.1" {
			t.Errorf("request %d from %q", i, r.Remote)
		}
		if i > 0 && r.Time.Before(reqs[i-1].Time) {
			t.Errorf("request %d recorded before request %d", i, i-1)
		}
	}
	reqs[6].Query.Set("res", "changed")
	if s.Requests()[6].Query.Get("res") != "5" {
		t.Error("Requests shares its queries with the caller")
	}
}

func TestRespondOverridesAPathUntilRestored(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{})

	s.Respond("/gopro/webcam/status", http.StatusInternalServerError, "text/plain", "overheated")
	if a := get(t, s, "/gopro/webcam/status"); a != (answer{500, "overheated", "text/plain"}) {
		t.Errorf("overridden status: %+v", a)
	}
	s.Respond("/gopro/webcam/start", http.StatusOK, "application/json", `{"status":`)
	if a := get(t, s, "/gopro/webcam/start?port=9"); a != (answer{200, `{"status":`, "application/json"}) {
		t.Errorf("overridden start: %+v", a)
	}
	if s.Senders() != 0 || s.WebcamStatus() != StatusOff {
		t.Errorf("an overridden start started a sender (%d) or changed the status (%d)", s.Senders(), s.WebcamStatus())
	}
	s.Respond("/gopro/no/such/thing", http.StatusOK, "application/json", `{}`)
	if a := get(t, s, "/gopro/no/such/thing"); a.code != 200 {
		t.Errorf("an overridden unknown path: %+v", a)
	}

	s.Respond("/gopro/webcam/status", 0, "", "")
	s.Respond("/gopro/no/such/thing", 0, "", "")
	if r := webcam(t, s, "/gopro/webcam/status"); r != (webcamReply{StatusOff, 0}) {
		t.Errorf("restored status: %+v", r)
	}
	if a := get(t, s, "/gopro/no/such/thing"); a.code != http.StatusNotFound {
		t.Errorf("restored unknown path: %+v", a)
	}
	want := []string{"/gopro/webcam/status", "/gopro/webcam/start", "/gopro/no/such/thing", "/gopro/webcam/status", "/gopro/no/such/thing"}
	if got := s.Paths(); !slices.Equal(got, want) {
		t.Errorf("Paths %q, want %q", got, want)
	}
}

func TestStopSenderKillsTheProcessButTheCameraStillAnswers(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{})
	c, port := listenUDP(t)
	sent := time.Now()
	webcam(t, s, "/gopro/webcam/start?port="+strconv.Itoa(port))
	waitTS(t, c, sent)
	pid := s.SenderPID()

	s.StopSender()
	expectGone(t, pid)
	if s.Streaming() || s.SenderPID() != 0 || s.StreamTarget() != "" {
		t.Errorf("after StopSender: Streaming %v, SenderPID %d, StreamTarget %q", s.Streaming(), s.SenderPID(), s.StreamTarget())
	}
	expectQuiet(t, c, 100*time.Millisecond, 500*time.Millisecond)
	// A stalled camera does not know it stalled.
	if r := webcam(t, s, "/gopro/webcam/status"); r != (webcamReply{StatusHighPowerPreview, 0}) {
		t.Errorf("status after the sender stalled: %+v", r)
	}
	s.StopSender() // nothing to stop: no-op
}

func TestUnplugRefusesConnectionsAndPlugRestoresTheSamePorts(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{})
	c, port := listenUDP(t)
	addr, kaAddr := s.Addr(), s.KeepAliveAddr()
	sent := time.Now()
	webcam(t, s, "/gopro/webcam/start?port="+strconv.Itoa(port))
	waitTS(t, c, sent)
	pid := s.SenderPID()

	s.Unplug()
	expectGone(t, pid)
	if s.Streaming() {
		t.Error("still streaming after Unplug")
	}
	expectQuiet(t, c, 100*time.Millisecond, 500*time.Millisecond)
	_, err := client.Get("http://" + addr + "/gopro/webcam/status")
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("GET after Unplug: %v, want connection refused", err)
	}
	if runtime.GOOS == "linux" {
		// A client's connected keep-alive socket learns from ICMP that
		// nobody is there any more.
		ka, err := net.Dial("udp", kaAddr)
		if err != nil {
			t.Fatal(err)
		}
		defer ka.Close()
		refused := playtest.Eventually(slow, func() bool {
			_, err := ka.Write([]byte(legacyKeepAlive))
			return errors.Is(err, syscall.ECONNREFUSED)
		})
		if !refused {
			t.Error("keep-alives to an unplugged camera were never refused")
		}
	}
	s.Unplug() // already unplugged: no-op

	if err := s.Plug(); err != nil {
		t.Fatal(err)
	}
	if s.Addr() != addr || s.KeepAliveAddr() != kaAddr {
		t.Errorf("plugged back in on %s and %s, want %s and %s", s.Addr(), s.KeepAliveAddr(), addr, kaAddr)
	}
	if r := webcam(t, s, "/gopro/webcam/status"); r != (webcamReply{StatusOff, 0}) {
		t.Errorf("status after Plug: %+v", r)
	}
	if s.Streaming() {
		t.Error("streaming after Plug")
	}
	sent = time.Now()
	webcam(t, s, "/gopro/webcam/start?port="+strconv.Itoa(port))
	waitTS(t, c, sent)
	if err := s.Plug(); err != nil { // already plugged: no-op
		t.Error(err)
	}
}

func TestLegacyRestartStreamsToTheLegacyPortAndRecordsKeepAlives(t *testing.T) {
	t.Parallel()
	c, port := listenUDP(t)
	s := Start(t, Config{LegacyStreamPort: port})

	sent := time.Now()
	if a := get(t, s, "/gp/gpControl/execute?p1=gpStream&a1=proto_v2&c1=restart"); a.code != http.StatusOK || a.body != "{}" {
		t.Fatalf("gpControl restart: %+v", a)
	}
	a := waitTS(t, c, sent)
	t.Logf("after gpControl restart: first datagram %v, first IDR %v", a.first, a.idr)
	if got, want := s.StreamTarget(), "127.0.0.1:"+strconv.Itoa(port); got != want {
		t.Errorf("StreamTarget %q, want %q", got, want)
	}

	ka, err := net.Dial("udp", s.KeepAliveAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer ka.Close()
	msgs := []string{legacyKeepAlive, "not a keep-alive", legacyKeepAlive}
	for _, m := range msgs {
		if _, err := ka.Write([]byte(m)); err != nil {
			t.Fatal(err)
		}
	}
	if !playtest.Eventually(slow, func() bool { return len(s.Datagrams()) == len(msgs) }) {
		t.Fatalf("recorded %d datagrams, want %d", len(s.Datagrams()), len(msgs))
	}
	for i, d := range s.Datagrams() {
		if string(d.Data) != msgs[i] || d.From != ka.LocalAddr().String() || d.Time.IsZero() {
			t.Errorf("datagram %d: %q from %s at %v, want %q from %s", i, d.Data, d.From, d.Time, msgs[i], ka.LocalAddr())
		}
	}
	// Without a timeout configured, the stream does not depend on them.
	if !s.Streaming() || s.WebcamStatus() != StatusOff {
		t.Errorf("Streaming %v, WebcamStatus %d; a legacy stream is not webcam mode", s.Streaming(), s.WebcamStatus())
	}
}

func TestLegacyStreamStopsWithoutKeepAlives(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		timeout time.Duration
		// keepAlive is how long the client sends keep-alives, every 250 ms,
		// before it stops; the stream must outlive that and then stop. The
		// timeout leaves a test goroutine that the machine stalls for a
		// while more than a second of slack.
		keepAlive time.Duration
	}{
		{"no keep-alive at all", time.Second, 0},
		{"keep-alives for 3s, then none", 1500 * time.Millisecond, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, port := listenUDP(t)
			s := Start(t, Config{LegacyStreamPort: port, LegacyKeepAliveTimeout: tt.timeout})
			sent := time.Now()
			get(t, s, "/gp/gpControl/execute?p1=gpStream&a1=proto_v2&c1=restart")
			waitTS(t, c, sent)
			pid := s.SenderPID()

			last := sent // the restart opens the first window
			if tt.keepAlive > 0 {
				ka, err := net.Dial("udp", s.KeepAliveAddr())
				if err != nil {
					t.Fatal(err)
				}
				defer ka.Close()
				for end := time.Now().Add(tt.keepAlive); time.Now().Before(end); time.Sleep(250 * time.Millisecond) {
					if _, err := ka.Write([]byte(legacyKeepAlive)); err != nil {
						t.Fatal(err)
					}
					last = time.Now()
				}
				if s.SenderPID() != pid {
					t.Fatalf("the stream stopped (pid %d → %d) while keep-alives arrived", pid, s.SenderPID())
				}
			}
			if !playtest.Eventually(tt.timeout+slow, func() bool { return !s.Streaming() }) {
				t.Fatalf("still streaming %v after the last keep-alive", time.Since(last))
			}
			after := time.Since(last)
			t.Logf("stopped %v after the last keep-alive (or the restart)", after)
			if after < tt.timeout {
				t.Errorf("stopped %v after the last keep-alive (or the restart), before the %v timeout", after, tt.timeout)
			}
			expectGone(t, pid)
			expectQuiet(t, c, 100*time.Millisecond, 500*time.Millisecond)
		})
	}
}

// TestSenderSurvivesAClientNotListeningYet: a client may ask for the stream
// before it opens its port; a camera sends regardless, and so must the
// sender, which would otherwise die on ICMP port-unreachable.
func TestSenderSurvivesAClientNotListeningYet(t *testing.T) {
	t.Parallel()
	c, port := listenUDP(t)
	c.Close()
	s := Start(t, Config{})
	webcam(t, s, "/gopro/webcam/start?port="+strconv.Itoa(port))
	time.Sleep(300 * time.Millisecond)
	c, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1), Port: port})
	if err != nil {
		t.Skipf("port %d was taken meanwhile: %v", port, err)
	}
	defer c.Close()
	waitTS(t, c, time.Now())
	if s.Senders() != 1 {
		t.Errorf("Senders %d: the first sender died", s.Senders())
	}
}

// TestConcurrentControlIsRaceFree is for -race: starts, stops and reads from
// several clients at once must leave one consistent state.
func TestConcurrentControlIsRaceFree(t *testing.T) {
	t.Parallel()
	s := Start(t, Config{})
	_, port := listenUDP(t)
	targets := []string{
		"/gopro/webcam/start?port=" + strconv.Itoa(port),
		"/gopro/webcam/status",
		"/gopro/webcam/stop",
		"/gopro/camera/stream/start?port=" + strconv.Itoa(port),
		"/gopro/webcam/exit",
	}
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Go(func() {
			for i := range 4 {
				get(t, s, targets[(g+i)%len(targets)])
				_, _, _, _ = s.Requests(), s.Streaming(), s.SenderPID(), s.StreamTarget()
			}
		})
	}
	wg.Go(func() {
		for range 4 {
			s.StopSender()
			time.Sleep(20 * time.Millisecond)
		}
	})
	wg.Wait()
	if got := len(s.Requests()); got != 12 {
		t.Errorf("recorded %d requests, want 12", got)
	}
	pid := s.SenderPID()
	webcam(t, s, "/gopro/webcam/exit")
	if s.Streaming() {
		t.Error("streaming after exit")
	}
	if pid != 0 {
		expectGone(t, pid)
	}
}

// TestStartSkipsWithoutFFmpeg: a machine without ffmpeg skips, not fails.
// Not parallel: it empties PATH.
func TestStartSkipsWithoutFFmpeg(t *testing.T) {
	t.Setenv("PATH", "")
	var skipped bool
	t.Run("no ffmpeg on PATH", func(t *testing.T) {
		defer func() { skipped = t.Skipped() }()
		Start(t, Config{})
		t.Error("Start returned")
	})
	if !skipped {
		t.Error("Start did not skip")
	}
}

// TestCloseLeavesNoSenderNorGoroutine is not parallel, so that the
// goroutine count is this test's alone.
func TestCloseLeavesNoSenderNorGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	c, port := listenUDP(t)
	s := Start(t, Config{LegacyStreamPort: port, LegacyKeepAliveTimeout: time.Minute})
	sent := time.Now()
	get(t, s, "/gp/gpControl/execute?p1=gpStream&a1=proto_v2&c1=restart")
	waitTS(t, c, sent)
	pid := s.SenderPID()

	s.Close()
	s.Close()
	expectGone(t, pid)
	if s.Streaming() {
		t.Error("streaming after Close")
	}
	expectQuiet(t, c, 100*time.Millisecond, 300*time.Millisecond)
	if _, err := client.Get("http://" + s.Addr() + "/gopro/webcam/status"); err == nil {
		t.Error("the API answers after Close")
	}
	if err := s.Plug(); err == nil {
		t.Error("Plug after Close succeeded")
	}
	var after int
	if !playtest.Eventually(slow, func() bool { after = runtime.NumGoroutine(); return after <= before }) {
		buf := make([]byte, 1<<16)
		t.Errorf("%d goroutines after Close, %d before:\n%s", after, before, buf[:runtime.Stack(buf, true)])
	}
}
