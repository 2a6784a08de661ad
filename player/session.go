// Package player runs one session per camera: it connects, receives access
// units, decodes them on the camera's own goroutine, scales the newest frame
// to the tile's size and hands it over through a FrameSlot. It reconnects by
// itself after any failure. Nothing here imports Fyne: sessions run headless
// in the CLI, tests and benchmarks.
package player

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Transport selects how RTP travels for RTSP cameras.
type Transport string

// Transports. Auto tries UDP and falls back to TCP when no packet arrives.
const (
	TransportAuto Transport = "auto"
	TransportTCP  Transport = "tcp"
	TransportUDP  Transport = "udp"
)

// Config describes one camera.
type Config struct {
	// Name identifies the camera in logs and on its tile.
	Name string
	// URL is where the stream is, e.g. rtsp://user:pass@host:554/path.
	URL string
	// Transport for RTSP; empty means TransportAuto.
	Transport Transport
	// ReadTimeout ends a session that receives nothing for this long.
	// It defaults to 5 s.
	ReadTimeout time.Duration
	// Backoff between attempts: the first wait, doubled after every failure
	// up to MaxBackoff. They default to 500 ms and 5 s.
	MinBackoff, MaxBackoff time.Duration
	// DecodeThreads is the number of slice threads per decoder; 0 means 1.
	// See decoder.Config.Threads.
	DecodeThreads int
	// OnFrame, when set, is called on the session's decode goroutine for
	// every picture published to the tile (benchmarks and tests use it to
	// measure latency). It must return quickly.
	OnFrame func(FrameEvent)
	// Logger for this camera's events; it defaults to slog.Default(), with a
	// "camera" attribute added either way.
	Logger *slog.Logger
}

// FrameEvent describes one picture handed to the tile.
type FrameEvent struct {
	// Published is when the picture became available to the UI.
	Published time.Time
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
	cfg    Config
	log    *slog.Logger
	frames FrameSlot

	tileSize atomic.Uint64 // w<<32 | h, in pixels
	status   atomic.Pointer[Status]
	stats    counters

	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{}
	once   sync.Once
}

// New prepares a session; Start begins it.
func New(cfg Config) *Session {
	if cfg.Transport == "" {
		cfg.Transport = TransportAuto
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
	l := cfg.Logger
	if l == nil {
		l = slog.Default()
	}
	s := &Session{cfg: cfg, log: l.With("camera", cfg.Name), done: make(chan struct{})}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.status.Store(&Status{State: StateIdle})
	return s
}

// Name of the camera.
func (s *Session) Name() string { return s.cfg.Name }

// URL of the camera with any password redacted.
func (s *Session) URL() string { return Redact(s.cfg.URL) }

// Frames is where the session publishes pictures at the tile's size.
func (s *Session) Frames() *FrameSlot { return &s.frames }

// Status returns the latest snapshot; cheap enough for every UI tick.
func (s *Session) Status() Status { return *s.status.Load() }

// SetTileSize tells the session the pixel size of the box its pictures are
// shown in; pictures are scaled to fit it, keeping the aspect ratio. Zero
// means "not shown": frames are still decoded, but not scaled.
func (s *Session) SetTileSize(w, h int) {
	s.tileSize.Store(uint64(max(w, 0))<<32 | uint64(max(h, 0)))
}

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
		e := explain(err)
		s.log.Error("camera cannot be played", "url", s.URL(), "reason", e.Reason)
		s.setState(func(st *Status) { st.State = StateFailed; st.Reason = e.Reason })
		<-s.ctx.Done()
		return
	}

	backoff := s.cfg.MinBackoff
	lastReason := ""
	for {
		s.setState(func(st *Status) { st.State = StateConnecting; st.Reason = "" })
		started := time.Now()
		err := src.play(s.ctx, s)
		if s.ctx.Err() != nil {
			return
		}
		e := explain(err)
		if e.Permanent {
			s.log.Error("camera cannot be played", "url", s.URL(), "reason", e.Reason, "err", err)
			s.setState(func(st *Status) { st.State = StateFailed; st.Reason = e.Reason })
			<-s.ctx.Done()
			return
		}
		if time.Since(started) > healthyAfter {
			backoff = s.cfg.MinBackoff
			lastReason = ""
		}
		retry := time.Now().Add(backoff)
		// A camera that stays down for a week must not fill the log: warn
		// when the reason changes, and keep the repeats at debug level.
		level := slog.LevelWarn
		if e.Reason == lastReason {
			level = slog.LevelDebug
		}
		lastReason = e.Reason
		s.log.Log(s.ctx, level, "camera session ended", "url", s.URL(), "reason", e.Reason, "retry_in", backoff, "err", err)
		s.setState(func(st *Status) {
			st.State = StateReconnecting
			st.Reason = e.Reason
			st.RetryAt = retry
			st.ReceivedFPS, st.DecodedFPS, st.Bitrate = 0, 0, 0
		})
		select {
		case <-s.ctx.Done():
			return
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, s.cfg.MaxBackoff)
	}
}

// source picks the receiver for the camera's URL scheme.
func (s *Session) source() (source, error) {
	u, err := url.Parse(s.cfg.URL)
	if err != nil || u.Host == "" {
		return nil, &Error{Reason: "invalid camera URL: " + Redact(s.cfg.URL), Permanent: true, Err: ErrBadURL}
	}
	switch strings.ToLower(u.Scheme) {
	case "rtsp", "rtsps":
		return &rtspSource{}, nil
	default:
		return nil, &Error{Reason: "unsupported URL scheme " + `"` + u.Scheme + `"` + " (want rtsp:// or rtsps://)",
			Permanent: true, Err: ErrUnsupportedScheme}
	}
}

// setState applies fn to a copy of the status and publishes it.
func (s *Session) setState(fn func(*Status)) {
	st := *s.status.Load()
	fn(&st)
	s.status.Store(&st)
}

// source is one way of receiving a camera (RTSP today). play connects and
// decodes until the connection ends or ctx is cancelled.
type source interface {
	play(ctx context.Context, s *Session) error
}

var errClosed = errors.New("session closed")
