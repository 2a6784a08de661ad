package player

import (
	"bytes"
	"log/slog"
	"net"
	"os"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/camwall/camwall/assets"
	"github.com/camwall/camwall/player/rtspserver"
)

// startServer starts srv (an rtspserver.Server configured by the caller) and
// stops it when the test ends.
func startServer(t *testing.T, srv *rtspserver.Server) *rtspserver.Server {
	t.Helper()
	if srv.Logger == nil {
		srv.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// demoClip is the embedded demo clip as an rtspserver clip.
func demoClip(t *testing.T) rtspserver.Clip {
	t.Helper()
	clip, err := rtspserver.DemoClip()
	if err != nil {
		t.Fatal(err)
	}
	return clip
}

// smallClip is player/testdata/small-320x240.h264 (scripts/make-test-clips.sh).
func smallClip(t *testing.T) [][][]byte {
	t.Helper()
	b, err := os.ReadFile("testdata/small-320x240.h264")
	if err != nil {
		t.Fatalf("%v (run scripts/make-test-clips.sh)", err)
	}
	aus, err := assets.AccessUnits(b)
	if err != nil {
		t.Fatal(err)
	}
	return aus
}

// play starts a session for cfg, closed when the test ends.
func play(t *testing.T, cfg Config) *Session {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
	}
	s := New(cfg)
	s.SetTileSize(320, 240)
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// waitState polls until the session is in state, or fails the test.
func waitState(t *testing.T, s *Session, d time.Duration, state State) Status {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		st := s.Status()
		if st.State == state {
			return st
		}
		if time.Now().After(deadline) {
			t.Fatalf("after %v: state never became %v (last %s)", d, state, describe(st))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func describe(st Status) string {
	return st.State.String() + ": " + st.Reason
}

// goroutinesSettle records the goroutine count now and returns a check that
// it has come back down to it, polling while gortsplib's goroutines end.
func goroutinesSettle(t *testing.T) func() {
	t.Helper()
	before := runtime.NumGoroutine()
	return func() {
		t.Helper()
		deadline := time.Now().Add(3 * time.Second)
		for runtime.NumGoroutine() > before {
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<20)
				n := runtime.Stack(buf, true)
				t.Fatalf("%d goroutines, %d before the sessions started:\n%s", runtime.NumGoroutine(), before, buf[:n])
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}

// rawServer accepts TCP connections on a loopback port and hands each to
// serve on its own goroutine; everything is closed when the test ends.
func rawServer(t *testing.T, serve func(net.Conn)) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c)
			mu.Unlock()
			wg.Add(1)
			go func() { defer wg.Done(); serve(c) }()
		}
	}()
	t.Cleanup(func() {
		l.Close()
		mu.Lock()
		for _, c := range conns {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return l.Addr().String()
}

// silentServer accepts TCP connections, reads what comes and never answers.
func silentServer(t *testing.T) string {
	t.Helper()
	return rawServer(t, func(c net.Conn) {
		buf := make([]byte, 1024)
		for {
			if _, err := c.Read(buf); err != nil {
				return
			}
		}
	})
}

// testWriter sends log output to t.Log, so that it shows with the failing
// test only.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}

// logBuffer collects a session's log lines at every level, to check what
// they say (and never say).
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}
