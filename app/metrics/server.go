package metrics

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// DefaultStale is how long /healthz waits for the UI's next refresh before
// it says the window hangs: the UI refreshes at least four times a second
// (app's statusPeriod), so two seconds without one is not a busy moment.
const DefaultStale = 2 * time.Second

// Server serves /metrics and /healthz on one address.
type Server struct {
	// Listen is the address to listen on, host:port, e.g. 127.0.0.1:9464
	// (port 0 picks a free one; Addr says which). Required. Anything but
	// a loopback address is reachable by whoever reaches the machine, and
	// a warning says so at Start.
	Listen string
	// Source is the wall. Required.
	Source Source
	// Stale is how long after the UI's last refresh /healthz turns 503.
	// It defaults to DefaultStale.
	Stale time.Duration
	// Logger defaults to slog.Default().
	Logger *slog.Logger

	ln   net.Listener
	srv  *http.Server
	done chan struct{}
	err  error
}

// Start listens, and serves on its own goroutine until Close.
func (s *Server) Start() error {
	if s.Source == nil {
		return errors.New("serve metrics: no source")
	}
	if s.Stale <= 0 {
		s.Stale = DefaultStale
	}
	if s.Logger == nil {
		s.Logger = slog.Default()
	}
	ln, err := net.Listen("tcp", s.Listen)
	if err != nil {
		return fmt.Errorf("serve metrics on %s: %w", s.Listen, err)
	}
	s.ln = ln
	if !loopback(ln.Addr()) {
		s.Logger.Warn("metrics and health are served beyond this machine: anyone who reaches it sees the camera names and states",
			"addr", ln.Addr().String())
	}

	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		collector{src: s.Source, now: time.Now},
	)
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		ErrorLog: errorLog{s.Logger},
		// One bad series (two cameras of the same name) must not blank
		// the whole page.
		ErrorHandling: promhttp.ContinueOnError,
	}))
	mux.HandleFunc("GET /healthz", s.healthz)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	s.done = make(chan struct{})
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			s.err = fmt.Errorf("serve metrics on %s: %w", ln.Addr(), err)
			s.Logger.Error("metrics server stopped", "err", s.err)
		}
	}()
	s.Logger.Info("serving metrics and health", "metrics", "http://"+ln.Addr().String()+"/metrics",
		"healthz", "http://"+ln.Addr().String()+"/healthz")
	return nil
}

// Addr is the address the server listens on, with the port it got.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Close stops serving and waits for the requests in progress, for at most
// a few seconds: a scraper that does not read its answer does not hold up
// the wall's exit.
func (s *Server) Close() {
	if s.srv == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		s.srv.Close()
	}
	<-s.done
}

// Wait blocks until the server has stopped, and returns why when it was
// not Close.
func (s *Server) Wait() error {
	<-s.done
	return s.err
}

// healthz answers 200 "ok" while the UI refreshes, and 503 with the reason
// once it has not for Stale: the window is hung, or not running yet.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if reason := unhealthy(s.Source.Snapshot(), time.Now(), s.Stale); reason != "" {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, reason)
		return
	}
	fmt.Fprintln(w, "ok")
}

// unhealthy is why the wall is not healthy at now, "" when it is.
func unhealthy(w Wall, now time.Time, stale time.Duration) string {
	if w.LastPaint.IsZero() {
		return "the window has not refreshed yet"
	}
	if age := now.Sub(w.LastPaint); age > stale {
		return fmt.Sprintf("the window has not refreshed for %.1f s (more than %v): its UI thread hangs", age.Seconds(), stale)
	}
	return ""
}

// loopback reports whether addr is reachable from this machine only.
func loopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// errorLog writes promhttp's errors (a series that could not be gathered)
// to the log.
type errorLog struct{ l *slog.Logger }

func (e errorLog) Println(v ...any) { e.l.Warn("metrics: " + fmt.Sprint(v...)) }
