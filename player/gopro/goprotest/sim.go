// Package goprotest is a simulated GoPro on loopback for camwall's tests. It
// answers the Open GoPro HTTP API 2.0 (HERO9 and later) and the legacy
// gpControl restart (HERO4–7), and, like a camera, sends the demo clip as
// MPEG-TS over UDP to the host that asked. The sender is the system's ffmpeg
// program, a producer independent of the FFmpeg libraries camwall decodes
// with, so a test cannot pass because both ends share the same bug.
//
// Everything listens on and sends to 127.0.0.1 only.
//
//	s := goprotest.Start(t, goprotest.Config{})
//	// point the client at http://s.Addr(); it asks for /gopro/webcam/start?port=P
//	// and reads MPEG-TS on 127.0.0.1:P; s.Paths() shows what it asked, in order.
package goprotest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camwall/camwall/assets"
	"github.com/camwall/camwall/player/childproc"
)

// Webcam statuses, as GET /gopro/webcam/status reports them.
const (
	StatusOff              = 0
	StatusIdle             = 1
	StatusHighPowerPreview = 2
	StatusLowPowerPreview  = 3
)

// WebcamErrorInvalidParam is the Open GoPro webcam error (the "error" field
// of a webcam answer) for a bad query parameter.
const WebcamErrorInvalidParam = 6

// DefaultStreamPort is where a camera streams when the request names no port,
// and where a legacy camera always streams.
const DefaultStreamPort = 8554

// LegacyKeepAlivePrefix starts every datagram that counts as a legacy
// keep-alive; anything else sent to the keep-alive port is recorded but does
// not keep a stream going, so a client that sends garbage is caught.
const LegacyKeepAlivePrefix = "_GPHD_"

// Config of a simulated camera.
type Config struct {
	// FFmpeg is the sender program; default exec.LookPath("ffmpeg"); Start
	// skips the test (t.Skip) with a clear message if none.
	FFmpeg string
	// LegacyStreamPort is the UDP port on the requesting host that the legacy
	// gpControl restart streams to (a real camera: always 8554; tests pick a
	// free one).
	LegacyStreamPort int
	// LegacyKeepAliveTimeout: when > 0, a legacy stream stops if no keep-alive
	// datagram arrived for this long (a real HERO4–7 stops after a few seconds
	// without one). 0 disables.
	LegacyKeepAliveTimeout time.Duration
	// RTSPPublish, when set, lets webcam/start take protocol=RTSP: the
	// stream is then published to this rtsp:// URL (an RTSP server the test
	// runs on loopback, standing in for the camera's own
	// rtsp://<camera>:554/live) instead of sent as MPEG-TS over UDP.
	RTSPPublish string
}

// Request is one HTTP request the camera received.
type Request struct {
	Time   time.Time
	Path   string
	Query  url.Values
	Remote string // ip:port of the client
}

// Datagram is one UDP datagram received on the keep-alive port.
type Datagram struct {
	Time time.Time
	Data []byte
	From string
}

// Sim is a simulated camera. Its methods are safe for concurrent use.
type Sim struct {
	t        testing.TB
	cfg      Config
	ffmpeg   string
	clip     string // the demo clip as MPEG-TS, in the test's temp dir
	httpAddr string // fixed for the Sim's life: Plug listens on it again
	udpAddr  string

	// ctl serialises everything that starts or stops a sender or a listener,
	// so that a stop followed by a start is one step. It is never taken while
	// holding mu, and the goroutine that reaps a sender never takes it, so a
	// stop can wait for the reaper while holding ctl.
	ctl     sync.Mutex
	srv     *http.Server   // under ctl
	udp     net.PacketConn // under ctl
	plugged bool           // under ctl

	mu            sync.Mutex
	closed        bool
	unplugged     bool
	requests      []Request
	datagrams     []Datagram
	status        int
	sender        *sender
	senders       int
	lastKeepAlive time.Time
	overrides     map[string]override

	wg        sync.WaitGroup // HTTP server, UDP reader, reapers
	stopWatch chan struct{}
	watchDone chan struct{}
	closeOnce sync.Once
}

type override struct {
	status      int
	contentType string
	body        string
}

// sender is one ffmpeg process streaming the clip.
type sender struct {
	cmd     *exec.Cmd
	target  string
	legacy  bool
	started time.Time
	stderr  tailBuffer
	killed  atomic.Bool   // set before a deliberate kill, so its exit is not reported
	done    chan struct{} // closed once the process is reaped
}

// Start listens on 127.0.0.1:0 for HTTP and on 127.0.0.1:0 UDP for legacy
// keep-alive datagrams, and registers t.Cleanup(s.Close).
func Start(t testing.TB, cfg Config) *Sim {
	t.Helper()
	ffmpeg := cfg.FFmpeg
	if ffmpeg == "" {
		p, err := exec.LookPath("ffmpeg")
		if err != nil {
			t.Skipf("goprotest: no ffmpeg program on PATH to play the camera's sender (%v); install ffmpeg or set Config.FFmpeg", err)
		}
		ffmpeg = p
	} else if _, err := exec.LookPath(ffmpeg); err != nil {
		t.Fatalf("goprotest: Config.FFmpeg: %v", err)
	}
	if cfg.LegacyStreamPort == 0 {
		cfg.LegacyStreamPort = DefaultStreamPort
	}
	// TempDir before Cleanup(Close): cleanups run last-in first-out, so the
	// sender is dead before its input is removed.
	clip, err := prepareClip(ffmpeg, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	s := &Sim{t: t, cfg: cfg, ffmpeg: ffmpeg, clip: clip, overrides: map[string]override{}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("goprotest: HTTP listener: %v", err)
	}
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		l.Close()
		t.Fatalf("goprotest: keep-alive listener: %v", err)
	}
	s.httpAddr, s.udpAddr = l.Addr().String(), pc.LocalAddr().String()
	s.ctl.Lock()
	s.serve(l, pc)
	s.ctl.Unlock()
	if cfg.LegacyKeepAliveTimeout > 0 {
		s.stopWatch, s.watchDone = make(chan struct{}), make(chan struct{})
		go s.watchKeepAlive()
	}
	t.Cleanup(s.Close)
	return s
}

// prepareClip writes the demo clip to dir and remuxes it to MPEG-TS there.
// The sender cannot loop the raw H.264 itself: ffmpeg 5.1 (Debian 12) fails
// "Seek to start" on a raw elementary stream with -stream_loop, while an
// MPEG-TS input loops with continuous timestamps. +genpts because a raw
// stream carries no timestamps and the muxer warns about the first packet.
func prepareClip(ffmpeg, dir string) (string, error) {
	raw := filepath.Join(dir, "demo.h264")
	ts := filepath.Join(dir, "demo.ts")
	if err := os.WriteFile(raw, assets.DemoH264, 0o600); err != nil {
		return "", fmt.Errorf("goprotest: write clip: %w", err)
	}
	out, err := exec.Command(ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin",
		"-fflags", "+genpts", "-f", "h264", "-framerate", strconv.Itoa(assets.DemoClip.FPS), "-i", raw,
		"-c", "copy", "-f", "mpegts", ts).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("goprotest: remux clip with %s: %v\n%s", ffmpeg, err, out)
	}
	return ts, nil
}

// serve starts answering on l and recording datagrams from pc. ctl is held.
func (s *Sim) serve(l net.Listener, pc net.PacketConn) {
	s.srv = &http.Server{
		Handler:           http.HandlerFunc(s.handle),
		ReadHeaderTimeout: 5 * time.Second,
		// Clients that hang up mid-request are part of what is tested; the
		// server's complaints about them would only clutter the test output.
		ErrorLog: log.New(io.Discard, "", 0),
	}
	s.udp = pc
	s.plugged = true
	srv := s.srv
	s.wg.Add(2)
	go func() {
		defer s.wg.Done()
		_ = srv.Serve(l) // ends with ErrServerClosed on Unplug or Close
	}()
	go func() {
		defer s.wg.Done()
		s.readKeepAlives(pc)
	}()
}

func (s *Sim) readKeepAlives(pc net.PacketConn) {
	buf := make([]byte, 2048)
	for {
		n, from, err := pc.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		d := Datagram{Time: time.Now(), Data: append([]byte(nil), buf[:n]...), From: from.String()}
		s.mu.Lock()
		s.datagrams = append(s.datagrams, d)
		if len(d.Data) >= len(LegacyKeepAlivePrefix) && string(d.Data[:len(LegacyKeepAlivePrefix)]) == LegacyKeepAlivePrefix {
			s.lastKeepAlive = d.Time
		}
		s.mu.Unlock()
	}
}

// watchKeepAlive stops a legacy stream whose client stopped sending
// keep-alives, as a HERO4–7 does.
func (s *Sim) watchKeepAlive() {
	defer close(s.watchDone)
	timeout := s.cfg.LegacyKeepAliveTimeout
	period := min(max(timeout/10, 10*time.Millisecond), 250*time.Millisecond)
	tick := time.NewTicker(period)
	defer tick.Stop()
	for {
		select {
		case <-s.stopWatch:
			return
		case <-tick.C:
		}
		s.mu.Lock()
		snd := s.sender
		expired := snd != nil && snd.legacy && time.Since(later(s.lastKeepAlive, snd.started)) > timeout
		s.mu.Unlock()
		if !expired {
			continue
		}
		s.ctl.Lock()
		s.mu.Lock()
		same := s.sender == snd // not restarted meanwhile, which resets the clock
		s.mu.Unlock()
		if same {
			s.stopSenderCtl()
		}
		s.ctl.Unlock()
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// startSenderCtl (re)starts the sender towards target. ctl is held.
func (s *Sim) startSenderCtl(target string, legacy bool) error {
	output := []string{"-f", "mpegts", "udp://" + target + "?pkt_size=1316"}
	hostPort := target
	if u, err := url.Parse(target); err == nil && u.Scheme == "rtsp" {
		output = []string{"-f", "rtsp", "-rtsp_transport", "tcp", target}
		hostPort = u.Host
	}
	host, _, err := net.SplitHostPort(hostPort)
	if err != nil {
		return err
	}
	// Only loopback: the simulator must never spray UDP at a real network.
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("goprotest: refusing to stream to non-loopback %s", target)
	}
	s.mu.Lock()
	down := s.closed || s.unplugged
	s.mu.Unlock()
	if down {
		return errors.New("goprotest: camera unplugged")
	}
	s.stopSenderCtl()
	snd := &sender{target: target, legacy: legacy, done: make(chan struct{})}
	args := []string{"-hide_banner", "-loglevel", "error", "-nostdin",
		"-re", "-stream_loop", "-1", "-f", "mpegts", "-i", s.clip, "-c", "copy"}
	snd.cmd = exec.Command(s.ffmpeg, append(args, output...)...)
	snd.cmd.Stderr = &snd.stderr
	configureSender(snd.cmd)
	if err := childproc.Start(snd.cmd); err != nil {
		return fmt.Errorf("goprotest: start sender: %w", err)
	}
	snd.started = time.Now()
	s.mu.Lock()
	s.sender = snd
	s.senders++
	s.mu.Unlock()
	s.wg.Add(1)
	go s.reap(snd)
	return nil
}

// reap is the only Wait on a sender; a kill after it returns is harmless
// (os.Process reports ErrProcessDone and never signals a reused PID).
func (s *Sim) reap(snd *sender) {
	defer s.wg.Done()
	err := snd.cmd.Wait()
	if !snd.killed.Load() {
		// Close waits for this goroutine, so the test is still running.
		s.t.Logf("goprotest: sender to %s (pid %d) exited by itself: %v\n%s", snd.target, snd.cmd.Process.Pid, err, snd.stderr.String())
	}
	s.mu.Lock()
	if s.sender == snd {
		s.sender = nil
	}
	s.mu.Unlock()
	close(snd.done)
}

// stopSenderCtl kills the sender, if any, and returns once it is reaped.
// The reaper clears s.sender, so Streaming stays true until the process is
// really gone; ctl, held, keeps anyone from starting another meanwhile.
func (s *Sim) stopSenderCtl() {
	s.mu.Lock()
	snd := s.sender
	s.mu.Unlock()
	if snd == nil {
		return
	}
	snd.killed.Store(true)
	_ = snd.cmd.Process.Kill()
	<-snd.done
}

// Addr is the HTTP API's host:port.
func (s *Sim) Addr() string { return s.httpAddr }

// KeepAliveAddr is the UDP host:port that receives legacy _GPHD_ datagrams.
func (s *Sim) KeepAliveAddr() string { return s.udpAddr }

// Requests in arrival order, including those answered with errors.
func (s *Sim) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Request, len(s.requests))
	for i, r := range s.requests {
		r.Query = cloneValues(r.Query)
		out[i] = r
	}
	return out
}

// Paths of the requests in arrival order, for readable assertions.
func (s *Sim) Paths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, len(s.requests))
	for i, r := range s.requests {
		out[i] = r.Path
	}
	return out
}

// Datagrams received on the keep-alive port, in arrival order.
func (s *Sim) Datagrams() []Datagram {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Datagram, len(s.datagrams))
	for i, d := range s.datagrams {
		d.Data = append([]byte(nil), d.Data...)
		out[i] = d
	}
	return out
}

// WebcamStatus is what GET /gopro/webcam/status would report.
func (s *Sim) WebcamStatus() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

// Streaming reports whether a sender process is running.
func (s *Sim) Streaming() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sender != nil
}

// SenderPID is the running sender's process ID, 0 when none.
func (s *Sim) SenderPID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sender == nil {
		return 0
	}
	return s.sender.cmd.Process.Pid
}

// StreamTarget is the "ip:port" the running sender sends to, "" when none.
func (s *Sim) StreamTarget() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sender == nil {
		return ""
	}
	return s.sender.target
}

// Senders counts the sender processes started so far.
func (s *Sim) Senders() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.senders
}

// StopSender kills the sender as if the camera stalled (overheated): the HTTP
// API keeps answering and the webcam status stays as it was.
func (s *Sim) StopSender() {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	s.stopSenderCtl()
}

// Unplug kills the sender and closes both listeners, the camera went away:
// HTTP connections are refused (open ones are cut) and keep-alive datagrams
// go nowhere, which a client's connected UDP socket sees as refused.
func (s *Sim) Unplug() {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	s.mu.Lock()
	if s.closed || s.unplugged {
		s.mu.Unlock()
		return
	}
	// Before anything else, so that a request in flight cannot start a
	// sender once this one is gone.
	s.unplugged = true
	s.mu.Unlock()
	s.closeListenersCtl()
	s.stopSenderCtl()
}

// Plug listens again on the same HTTP and keep-alive ports, as a camera that
// was plugged back in: webcam status OFF, nothing streaming.
func (s *Sim) Plug() error {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	s.mu.Lock()
	closed, unplugged := s.closed, s.unplugged
	s.mu.Unlock()
	if closed {
		return errors.New("goprotest: Plug after Close")
	}
	if !unplugged {
		return nil
	}
	// The old ports were closed a moment ago; the kernel can hold them
	// briefly, and another test can grab one in between (then retrying fails).
	var l net.Listener
	var pc net.PacketConn
	var err error
	for deadline := time.Now().Add(2 * time.Second); ; {
		if l == nil {
			l, err = net.Listen("tcp", s.httpAddr)
		}
		if err == nil && pc == nil {
			pc, err = net.ListenPacket("udp", s.udpAddr)
		}
		if err == nil || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		if l != nil {
			l.Close()
		}
		return fmt.Errorf("goprotest: plug back in: %w", err)
	}
	s.mu.Lock()
	s.unplugged = false
	s.status = StatusOff
	s.lastKeepAlive = time.Time{}
	s.mu.Unlock()
	s.serve(l, pc)
	return nil
}

// closeListenersCtl closes the HTTP server, cutting open connections, and
// the keep-alive socket. ctl is held.
func (s *Sim) closeListenersCtl() {
	if !s.plugged {
		return
	}
	s.plugged = false
	_ = s.srv.Close()
	_ = s.udp.Close()
}

// Respond makes the camera answer path with this from now on, instead of its
// normal behaviour and without its side effects (a start starts nothing), to
// simulate errors or garbage. Respond(path, 0, "", "") restores the normal
// behaviour. The request is still recorded.
func (s *Sim) Respond(path string, status int, contentType, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if status == 0 {
		delete(s.overrides, path)
		return
	}
	s.overrides[path] = override{status: status, contentType: contentType, body: body}
}

// Close kills the sender and waits for it, and closes the listeners. It may
// be called more than once.
func (s *Sim) Close() {
	s.closeOnce.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		// The watcher takes ctl, so it must be gone before ctl is held here.
		if s.stopWatch != nil {
			close(s.stopWatch)
			<-s.watchDone
		}
		s.ctl.Lock()
		s.closeListenersCtl()
		s.stopSenderCtl()
		s.ctl.Unlock()
		s.wg.Wait()
	})
}

func (s *Sim) handle(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	s.requests = append(s.requests, Request{Time: time.Now(), Path: r.URL.Path, Query: cloneValues(q), Remote: r.RemoteAddr})
	o, overridden := s.overrides[r.URL.Path]
	s.mu.Unlock()
	if overridden {
		if o.contentType != "" {
			w.Header().Set("Content-Type", o.contentType)
		}
		w.WriteHeader(o.status)
		_, _ = io.WriteString(w, o.body)
		return
	}
	switch r.URL.Path {
	case "/gopro/camera/control/wired_usb":
		if p := q.Get("p"); p != "0" && p != "1" {
			reply(w, http.StatusBadRequest, `{"error":"invalid p"}`)
			return
		}
		reply(w, http.StatusOK, `{}`)
	case "/gopro/webcam/status":
		reply(w, http.StatusOK, webcamJSON(s.WebcamStatus(), 0))
	case "/gopro/webcam/start":
		s.webcamStart(w, r, q)
	case "/gopro/webcam/stop":
		s.webcamStop(w, StatusIdle)
	case "/gopro/webcam/exit":
		s.webcamStop(w, StatusOff)
	case "/gopro/camera/stream/start":
		port, ok := parsePort(q)
		if !ok {
			reply(w, http.StatusBadRequest, `{"error":"invalid port"}`)
			return
		}
		s.stream(w, r, port, false)
	case "/gopro/camera/stream/stop":
		s.StopSender()
		reply(w, http.StatusOK, `{}`)
	case "/gopro/camera/keep_alive":
		reply(w, http.StatusOK, `{}`)
	case "/gp/gpControl/execute":
		if q.Get("p1") != "gpStream" || q.Get("a1") != "proto_v2" || q.Get("c1") != "restart" {
			reply(w, http.StatusBadRequest, `{"error":"unsupported gpControl command"}`)
			return
		}
		s.stream(w, r, s.cfg.LegacyStreamPort, true)
	default:
		reply(w, http.StatusNotFound, `{"error":"not found"}`)
	}
}

func (s *Sim) webcamStart(w http.ResponseWriter, r *http.Request, q url.Values) {
	port, ok := parsePort(q)
	ok = ok && oneOf(q, "res", "4", "7", "12") && oneOf(q, "fov", "0", "2", "3", "4")
	// RTSP is simulated only when the test gave a server to publish to; a
	// test that asks for it otherwise should fail loudly rather than get TS.
	rtsp := q.Get("protocol") == "RTSP" && s.cfg.RTSPPublish != ""
	ok = ok && (rtsp || oneOf(q, "protocol", "TS"))
	if !ok {
		reply(w, http.StatusOK, webcamJSON(s.WebcamStatus(), WebcamErrorInvalidParam))
		return
	}
	target, err := streamTarget(r, port)
	if rtsp {
		target = s.cfg.RTSPPublish
	}
	if err != nil {
		reply(w, http.StatusInternalServerError, errorJSON(err))
		return
	}
	s.ctl.Lock()
	err = s.startSenderCtl(target, false)
	if err == nil {
		s.setStatus(StatusHighPowerPreview)
	}
	s.ctl.Unlock()
	if err != nil {
		reply(w, http.StatusInternalServerError, errorJSON(err))
		return
	}
	reply(w, http.StatusOK, webcamJSON(StatusHighPowerPreview, 0))
}

func (s *Sim) webcamStop(w http.ResponseWriter, status int) {
	s.ctl.Lock()
	s.stopSenderCtl()
	s.setStatus(status)
	s.ctl.Unlock()
	reply(w, http.StatusOK, webcamJSON(status, 0))
}

// stream (re)starts a preview or legacy stream; neither changes the webcam
// status.
func (s *Sim) stream(w http.ResponseWriter, r *http.Request, port int, legacy bool) {
	target, err := streamTarget(r, port)
	if err == nil {
		s.ctl.Lock()
		err = s.startSenderCtl(target, legacy)
		s.ctl.Unlock()
	}
	if err != nil {
		reply(w, http.StatusInternalServerError, errorJSON(err))
		return
	}
	reply(w, http.StatusOK, `{}`)
}

func (s *Sim) setStatus(status int) {
	s.mu.Lock()
	s.status = status
	s.mu.Unlock()
}

// streamTarget is where a camera streams: the port asked for on the host
// that asked.
func streamTarget(r *http.Request, port int) (string, error) {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return "", fmt.Errorf("goprotest: client address %q: %w", r.RemoteAddr, err)
	}
	return net.JoinHostPort(host, strconv.Itoa(port)), nil
}

// parsePort reads the optional port parameter.
func parsePort(q url.Values) (int, bool) {
	if !q.Has("port") {
		return DefaultStreamPort, true
	}
	p, err := strconv.Atoi(q.Get("port"))
	if err != nil || p < 1 || p > 65535 {
		return 0, false
	}
	return p, true
}

// oneOf reports whether the optional parameter key is absent or one of allowed.
func oneOf(q url.Values, key string, allowed ...string) bool {
	if !q.Has(key) {
		return true
	}
	v := q.Get(key)
	for _, a := range allowed {
		if v == a {
			return true
		}
	}
	return false
}

func reply(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

func webcamJSON(status, errCode int) string {
	return fmt.Sprintf(`{"status":%d,"error":%d}`, status, errCode)
}

func errorJSON(err error) string {
	b, _ := json.Marshal(struct {
		Error string `json:"error"`
	}{err.Error()})
	return string(b)
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}

// tailBuffer keeps the last few KiB of a sender's stderr: enough for the
// reason it failed, bounded even if it complains forever.
type tailBuffer struct{ b []byte }

const tailMax = 4 << 10

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > tailMax {
		t.b = append(t.b[:0], t.b[len(t.b)-tailMax:]...)
	}
	return len(p), nil
}

// String is safe once the process is reaped: exec's copying goroutine, the
// only writer, has finished by then.
func (t *tailBuffer) String() string { return string(t.b) }
