// Package demo serves camwall's built-in demo cameras: an in-process RTSP
// server that loops the embedded clip on several paths, so that a first start
// shows live video with nothing configured. Tests use it as a real RTSP
// camera too.
package demo

import (
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/description"
	"github.com/bluenviron/gortsplib/v4/pkg/format"

	"github.com/camwall/camwall/assets"
)

// Server is an RTSP server with Streams looping demo streams at
// rtsp://ADDR/demo/1 … /demo/N. Each stream starts at a different point of
// the clip so that tiles do not look identical.
type Server struct {
	// Addr to listen on. It defaults to "127.0.0.1:0" (a free loopback port).
	Addr string
	// Streams is the number of paths served. It defaults to 4.
	Streams int
	// Clip is the H.264 video looped on every path, as access units of NAL
	// units in decoding order, starting with a keyframe. It defaults to the
	// embedded demo clip (assets.DemoAccessUnits).
	Clip [][][]byte
	// FPS the clip is sent at. It defaults to the demo clip's 30.
	FPS int
	// Logger defaults to slog.Default().
	Logger *slog.Logger

	srv  *gortsplib.Server
	addr net.Addr
	// mu guards streams: connections are served as soon as the server
	// listens, while Start is still adding streams.
	mu      sync.RWMutex
	streams map[string]*gortsplib.ServerStream
	wg      sync.WaitGroup
	stop    chan struct{}
	closing sync.Once
}

// Start listens and begins streaming.
func (s *Server) Start() error {
	if s.Addr == "" {
		s.Addr = "127.0.0.1:0"
	}
	if s.Streams <= 0 {
		s.Streams = 4
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	if s.FPS <= 0 {
		s.FPS = assets.DemoClip.FPS
	}
	aus := s.Clip
	if len(aus) == 0 {
		var err error
		if aus, err = assets.DemoAccessUnits(); err != nil {
			return fmt.Errorf("demo server: %w", err)
		}
	}
	s.srv = &gortsplib.Server{
		Handler:     (*handler)(s),
		RTSPAddress: s.Addr,
		// Capture the listener's real address: Addr may name port 0.
		Listen: func(network, address string) (net.Listener, error) {
			l, err := net.Listen(network, address)
			if err == nil {
				s.addr = l.Addr()
			}
			return l, err
		},
	}
	if err := s.srv.Start(); err != nil {
		return fmt.Errorf("demo server: listen on %s: %w", s.Addr, err)
	}
	s.stop = make(chan struct{})
	s.mu.Lock()
	s.streams = make(map[string]*gortsplib.ServerStream, s.Streams)
	s.mu.Unlock()
	for i := 1; i <= s.Streams; i++ {
		st := &gortsplib.ServerStream{Server: s.srv, Desc: &description.Session{
			Medias: []*description.Media{{
				Type:    description.MediaTypeVideo,
				Formats: []format.Format{&format.H264{PayloadTyp: 96, PacketizationMode: 1}},
			}},
		}}
		if err := st.Initialize(); err != nil {
			s.Close()
			return fmt.Errorf("demo server: stream %d: %w", i, err)
		}
		s.mu.Lock()
		s.streams[fmt.Sprintf("demo/%d", i)] = st
		s.mu.Unlock()
		s.wg.Add(1)
		go s.loop(st, aus, (i-1)*len(aus)/s.Streams, s.stop)
	}
	return nil
}

// URL of stream i (1-based).
func (s *Server) URL(i int) string {
	return fmt.Sprintf("rtsp://%s/demo/%d", s.addr, i)
}

// Address the server listens on.
func (s *Server) Address() string { return s.addr.String() }

// Close stops streaming and the server, and waits for both.
func (s *Server) Close() {
	s.closing.Do(func() {
		if s.stop != nil {
			close(s.stop)
		}
	})
	s.wg.Wait()
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, st := range s.streams {
		st.Close()
	}
	if s.srv != nil {
		s.srv.Close()
	}
}

// loop sends the clip forever at its frame rate, with continuous RTP
// timestamps across the loop point and the wall clock as capture time, so
// that receivers can measure latency from RTCP sender reports.
func (s *Server) loop(st *gortsplib.ServerStream, aus [][][]byte, start int, stop <-chan struct{}) {
	defer s.wg.Done()
	medi := st.Desc.Medias[0]
	enc, err := medi.Formats[0].(*format.H264).CreateEncoder()
	if err != nil {
		s.Logger.Error("demo server: RTP encoder", "err", err)
		return
	}
	const clock = 90000
	step := uint32(clock / s.FPS)
	period := time.Second / time.Duration(s.FPS)
	tick := time.NewTicker(period)
	defer tick.Stop()
	var ts uint32
	for i := start; ; i++ {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		pkts, err := enc.Encode(aus[i%len(aus)])
		if err != nil {
			s.Logger.Error("demo server: packetize", "err", err)
			return
		}
		now := time.Now()
		for _, p := range pkts {
			p.Timestamp = ts
			if err := st.WritePacketRTPWithNTP(medi, p, now); err != nil {
				s.Logger.Debug("demo server: write", "err", err)
			}
		}
		ts += step
	}
}

type handler Server

func (h *handler) stream(path string) (*gortsplib.ServerStream, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	st, ok := h.streams[strings.Trim(path, "/")]
	return st, ok
}

// OnDescribe implements gortsplib.ServerHandlerOnDescribe.
func (h *handler) OnDescribe(ctx *gortsplib.ServerHandlerOnDescribeCtx) (*base.Response, *gortsplib.ServerStream, error) {
	st, ok := h.stream(ctx.Path)
	if !ok {
		return &base.Response{StatusCode: base.StatusNotFound}, nil, nil
	}
	return &base.Response{StatusCode: base.StatusOK}, st, nil
}

// OnSetup implements gortsplib.ServerHandlerOnSetup.
func (h *handler) OnSetup(ctx *gortsplib.ServerHandlerOnSetupCtx) (*base.Response, *gortsplib.ServerStream, error) {
	st, ok := h.stream(ctx.Path)
	if !ok {
		return &base.Response{StatusCode: base.StatusNotFound}, nil, nil
	}
	return &base.Response{StatusCode: base.StatusOK}, st, nil
}

// OnPlay implements gortsplib.ServerHandlerOnPlay.
func (h *handler) OnPlay(*gortsplib.ServerHandlerOnPlayCtx) (*base.Response, error) {
	return &base.Response{StatusCode: base.StatusOK}, nil
}
