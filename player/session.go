package player

import (
	"context"
	"log/slog"
	"math"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/gopro"
	"github.com/camwall/camwall/player/onvif"
	"github.com/camwall/camwall/player/redact"
	"github.com/camwall/camwall/player/source"
	"github.com/camwall/camwall/player/source/demux"
	goprosrc "github.com/camwall/camwall/player/source/gopro"
	onvifsrc "github.com/camwall/camwall/player/source/onvif"
	"github.com/camwall/camwall/player/source/rtsp"
)

// Config describes one camera.
type Config struct {
	// Name identifies the camera in logs and on its tile.
	Name string
	// URL is where the stream is, e.g. rtsp://host:554/path. It may hold a
	// user and password (rtsp://user:pass@host/…); User and Password, when
	// set, take their place.
	URL string
	// User and Password log in to the camera (RTSP, HTTP). They travel as
	// fields to the source that uses them, and are hidden from every
	// reason and log line the session writes.
	User, Password string
	// Transport for RTSP; empty means rtsp.TransportAuto.
	Transport rtsp.Transport
	// Fingerprint pins an rtsps:// camera's certificate: the SHA-256 of its
	// leaf certificate in hex, colons and case as you like (the form
	// `openssl x509 -fingerprint -sha256` prints). When set, it replaces
	// verification by certificate chain, which a camera's self-signed
	// certificate cannot pass; when empty, the chain and host name are
	// verified as a browser would. The tile's reason shows the fingerprint
	// of a certificate that was not trusted.
	Fingerprint string
	// ReadTimeout ends a session that receives nothing for this long.
	// It defaults to 5 s.
	ReadTimeout time.Duration
	// Backoff between attempts: the first wait, doubled after every failure
	// up to MaxBackoff. They default to 500 ms and 5 s.
	MinBackoff, MaxBackoff time.Duration
	// SlowRetry is the ladder of waits after failures that will not go
	// away by themselves (see SlowRetryLadder, its default). It is for
	// tests, which cannot wait minutes; a camera has no reason to set it.
	SlowRetry []time.Duration
	// DecodeOnDemand makes a session that decodes nothing until a snapshot
	// asks for a frame; it then decodes from the next keyframe until it has
	// one for every snapshot waiting, and stops again. A session that only
	// records a camera's main stream (its tile plays the substream) uses
	// it: decoding the main stream as well would cost every recording
	// camera a second decoder. Such a session is live from its first unit.
	DecodeOnDemand bool
	// DecodeThreads is the number of slice threads per decoder; 0 means 1.
	// See decoder.Config.Threads.
	DecodeThreads int
	// HWAccel chooses hardware decoding for this camera (see
	// decoder.Config.HWAccel); "" decodes in software. Whatever cannot
	// decode on the GPU decodes in software, and Status.Decoder says why.
	HWAccel string
	// OnFrame, when set, is called on the session's decode goroutine for
	// every picture published to the tile (benchmarks and tests use it to
	// measure latency). It must return quickly.
	OnFrame func(FrameEvent)
	// Dial, when set, opens the connections a session makes besides RTSP's:
	// a GoPro's API requests and the reachability probes of a camera that
	// is down. Tests point camera addresses at simulators on loopback with
	// it; nil means a net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// ListenPacket, when set, opens an RTSP camera's UDP ports in place of
	// net.ListenPacket: tests make it fail, as every UDP socket does under
	// Wine, to see the automatic transport go on over TCP.
	ListenPacket func(network, address string) (net.PacketConn, error)
	// Logger for this camera's events; it defaults to slog.Default(), with a
	// "camera" attribute added and the camera's secrets scrubbed either way.
	Logger *slog.Logger
}

// FrameEvent describes one picture handed to the tile.
type FrameEvent struct {
	// Published is when the picture became available to the UI.
	Published time.Time
	// Due is when the picture is to be shown (the presentation clock): at
	// Published for an evenly paced camera, later by up to the camera's
	// jitter for one whose frames arrive bunched.
	Due time.Time
	// Captured is the capture time from RTCP sender reports; zero when the
	// source has sent none yet.
	Captured time.Time
	// Width and Height of the source frame.
	Width, Height int
}

// healthyAfter is how long a session must stay live before a later failure
// counts as new, and the backoff starts again from MinBackoff.
const healthyAfter = time.Minute

// Session plays one camera until closed.
type Session struct {
	cfg Config
	// secrets are the password and the URL's secrets, scrubbed from every
	// reason and log line.
	secrets []string
	log     *slog.Logger
	frames  FrameSlot

	tileSize atomic.Uint64 // w<<32 | h, in pixels
	hidden   atomic.Bool   // SetHidden
	status   atomic.Pointer[Status]
	stats    counters
	// newest is the newest full-resolution frame, kept for snapshots
	// (snapshot.go) by the decode goroutine.
	newest newestFrame
	// present times the pictures handed to the tile; the decode goroutine
	// owns it.
	present presentClock

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
	// retry carries Retry's request to the session goroutine.
	retry chan struct{}

	// decodeHook, when set (by tests, before Start), sees every access unit
	// just before it is decoded, on the decode goroutine; deliverHook as the
	// source delivers it, on the source's goroutine (gortsplib's reader for
	// RTSP); recordHook as the recorder writes it, on its goroutine. Tests
	// raise panics from them.
	decodeHook, deliverHook, recordHook func(source.Unit)
	// maxPixels is the decoders' decoder.Config.MaxPixels; tests lower it.
	maxPixels int64
	// simulateHW is the decoders' decoder.Config.SimulateHW: tests without
	// a GPU set it, before Start, to drive the switch to software.
	simulateHW *decoder.SimulatedHW
	// hwFailed is why hardware decoding failed mid-stream in this session,
	// "" while it has not: the session's decoders stay in software from
	// then on, reconnections included, rather than lose a keyframe
	// interval of pictures to each new failure. Owned by the session's
	// goroutine, which runs every attempt's decode loop.
	hwFailed string

	// rec is the running recording, nil when not recording (record.go).
	rec atomic.Pointer[recorder]
	// streams counts the streams sources began (one per attempt that got
	// as far as a stream): a recording starts a new file with each, since
	// the stream's timestamps start over.
	streams atomic.Uint64
}

// New prepares a session; Start begins it.
func New(cfg Config) *Session {
	if cfg.Transport == "" {
		cfg.Transport = rtsp.TransportAuto
	}
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = 5 * time.Second
	}
	if cfg.MinBackoff == 0 {
		cfg.MinBackoff = 500 * time.Millisecond
	}
	if cfg.MaxBackoff == 0 {
		cfg.MaxBackoff = 5 * time.Second
	}
	if len(cfg.SlowRetry) == 0 {
		cfg.SlowRetry = SlowRetryLadder
	}
	l := cfg.Logger
	if l == nil {
		l = slog.Default()
	}
	secrets := append(redact.Secrets(cfg.URL), cfg.Password)
	// Every line this camera logs, its sources' included, is scrubbed.
	l = slog.New(redact.Handler(l.Handler(), secrets...)).With("camera", cfg.Name)
	s := &Session{cfg: cfg, secrets: secrets, log: l, done: make(chan struct{}), retry: make(chan struct{}, 1)}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.status.Store(&Status{State: StateIdle})
	return s
}

// Name of the camera.
func (s *Session) Name() string { return s.cfg.Name }

// URL of the camera with any password redacted.
func (s *Session) URL() string { return redact.URL(s.cfg.URL) }

// Frames is where the session publishes pictures at the tile's size.
func (s *Session) Frames() *FrameSlot { return &s.frames }

// Status returns the latest snapshot; cheap enough for every UI tick.
func (s *Session) Status() Status {
	st := *s.status.Load()
	s.recordStatus(&st)
	return st
}

// SetTileSize tells the session the pixel size of the box its pictures are
// shown in; pictures are scaled to fit it, keeping the aspect ratio. Zero
// means "not shown": frames are still decoded, but not scaled.
func (s *Session) SetTileSize(w, h int) {
	s.tileSize.Store(uint64(max(w, 0))<<32 | uint64(max(h, 0)))
}

// SetHidden tells the session whether its pictures are out of sight (a
// tile behind a focused one). A hidden session decodes only keyframes,
// from its next keyframe on, and leaves the CPU to what is shown; its
// picture and snapshots are then up to one keyframe interval old, and when
// it is shown again it is back to every frame from the next keyframe.
func (s *Session) SetHidden(hidden bool) { s.hidden.Store(hidden) }

func (s *Session) tile() (int, int) {
	v := s.tileSize.Load()
	return int(v >> 32), int(v & 0xffffffff)
}

// Start runs the session on its own goroutine. Calling it twice is a no-op.
func (s *Session) Start() {
	s.once.Do(func() { go s.run() })
}

// Close stops the session and waits until its goroutines have returned.
func (s *Session) Close() {
	s.cancel()
	defer s.StopRecording()
	s.once.Do(func() { close(s.done) }) // never started
	<-s.done
}

// Wait blocks until the session has ended.
func (s *Session) Wait() { <-s.done }

func (s *Session) run() {
	defer close(s.done)
	defer s.setState(func(st *Status) { st.State = StateClosed })

	src, err := s.source()
	if err != nil {
		e := source.Explain(err)
		s.log.Error("camera cannot be played", "url", s.URL(), "reason", s.scrub(e.Reason))
		s.setState(func(st *Status) { st.State = StateFailed; st.Reason = s.scrub(e.Reason) })
		<-s.ctx.Done()
		return
	}

	backoff := s.cfg.MinBackoff
	slow := 0 // slow failures since the camera last played (SlowRetryLadder)
	lastReason := ""
	var lastLive time.Time // when an attempt that had gone live ended
	for attempt := uint64(0); ; attempt++ {
		s.setState(func(st *Status) { st.State = StateConnecting; st.Reason = ""; st.Reconnects = attempt })
		started := time.Now()
		err := s.attempt(src)
		if s.ctx.Err() != nil {
			return
		}
		if s.status.Load().State == StateLive {
			lastLive = time.Now()
			slow = 0
		}
		sinceLive := time.Duration(math.MaxInt64)
		if !lastLive.IsZero() {
			sinceLive = time.Since(lastLive)
		}
		e := source.Explain(err)
		reason := s.scrub(e.Reason)
		if e.Permanent {
			s.log.Error("camera cannot be played", "url", s.URL(), "reason", reason, "err", s.scrubErr(source.Cause(err)))
			s.setState(func(st *Status) { st.State = StateFailed; st.Reason = reason })
			<-s.ctx.Done()
			return
		}
		if time.Since(started) > healthyAfter {
			backoff = s.cfg.MinBackoff
			lastReason = ""
		}
		w := s.retryWait(backoff, e, err, src.Address(), sinceLive, slow)
		if e.SlowRetry {
			slow++
		}
		retry := time.Now().Add(w.wait)
		// A camera that stays down for a week must not fill the log: warn
		// when the reason changes, and keep the repeats at debug level.
		level := slog.LevelWarn
		if reason == lastReason {
			level = slog.LevelDebug
		}
		lastReason = reason
		s.log.Log(s.ctx, level, "camera session ended", "url", s.URL(), "reason", reason,
			"retry_in", w.wait, "probing", w.probe != "", "err", s.scrubErr(source.Cause(err)))
		s.setState(func(st *Status) {
			st.State = StateReconnecting
			st.Reason = reason
			st.RetryAt = retry
			st.ReceivedFPS, st.DecodedFPS, st.Bitrate = 0, 0, 0
		})
		retried, closed := s.sleep(w)
		if closed {
			return
		}
		backoff = min(2*backoff, s.cfg.MaxBackoff)
		if retried {
			backoff, slow = s.cfg.MinBackoff, 0
		}
	}
}

// source picks the source for the camera's URL scheme.
func (s *Session) source() (source.Source, error) {
	if err := redact.Check(s.cfg.URL); err != nil { // its host would be part of the password
		return nil, &source.Error{Reason: "invalid camera URL: " + s.URL() + " " + err.Error(), Permanent: true, Err: source.ErrBadURL}
	}
	u, err := url.Parse(s.cfg.URL)
	scheme := ""
	if err == nil {
		scheme = strings.ToLower(u.Scheme)
	}
	// A file URL has no host; every other kind needs one.
	if err != nil || u.Host == "" && scheme != "file" {
		return nil, &source.Error{Reason: "invalid camera URL: " + s.URL(), Permanent: true, Err: source.ErrBadURL}
	}
	switch scheme {
	case "rtsp", "rtsps":
		return rtsp.New(rtsp.Config{URL: s.cfg.URL, User: s.cfg.User, Password: s.cfg.Password,
			Transport: s.cfg.Transport, Fingerprint: s.cfg.Fingerprint, ReadTimeout: s.cfg.ReadTimeout,
			ListenPacket: s.cfg.ListenPacket})
	case gopro.Scheme:
		return goprosrc.New(goprosrc.Config{URL: s.cfg.URL, Dial: s.cfg.Dial, ReadTimeout: s.cfg.ReadTimeout,
			Transport: s.cfg.Transport})
	case onvif.Scheme:
		return onvifsrc.New(onvifsrc.Config{URL: s.cfg.URL, User: s.cfg.User, Password: s.cfg.Password,
			Transport: s.cfg.Transport, ReadTimeout: s.cfg.ReadTimeout, ListenPacket: s.cfg.ListenPacket, Dial: s.cfg.Dial})
	case "udp", "tcp", "http", "file":
		return demux.New(demux.Config{URL: s.cfg.URL, User: s.cfg.User, Password: s.cfg.Password,
			ReadTimeout: s.cfg.ReadTimeout})
	}
	return nil, &source.Error{Reason: "unsupported URL scheme " + `"` + u.Scheme + `"` + " (camwall plays " + playedSchemes + ")",
		Permanent: true, Err: source.ErrUnsupportedScheme}
}

// playedSchemes is what the user is told camwall opens, in words.
const playedSchemes = "rtsp://, rtsps://, onvif://, gopro://, udp://, tcp://, http:// and file:// URLs"

// setState applies fn to a copy of the status and publishes it.
func (s *Session) setState(fn func(*Status)) {
	st := *s.status.Load()
	fn(&st)
	s.status.Store(&st)
}

// scrub removes the camera's secrets from a text meant for users or logs.
func (s *Session) scrub(text string) string { return redact.Text(text, s.secrets...) }

// scrubErr is err's text without the camera's secrets, for log lines.
func (s *Session) scrubErr(err error) string {
	if err == nil {
		return ""
	}
	return s.scrub(err.Error())
}
