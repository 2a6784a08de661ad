package player

import (
	"image"
	"log/slog"
	"net"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
)

// play starts a session for cfg, closed when the test ends.
func play(t *testing.T, cfg Config) *Session {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = playtest.Logger(t, slog.LevelInfo)
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
	var st Status
	if !playtest.Eventually(d, func() bool { st = s.Status(); return st.State == state }) {
		t.Fatalf("after %v: state never became %v (last %s)", d, state, describe(st))
	}
	return st
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
		if !playtest.Eventually(10*time.Second, func() bool { return runtime.NumGoroutine() <= before }) {
			buf := make([]byte, 1<<20)
			n := runtime.Stack(buf, true)
			t.Fatalf("%d goroutines, %d before the sessions started:\n%s", runtime.NumGoroutine(), before, buf[:n])
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

// takePublished takes the newest picture published so far, whether or not
// its due time has come: every picture is due within maxJitter of its
// publication (presentClock), so none published by now is still held.
func takePublished(s *FrameSlot) (*image.RGBA, bool) {
	return s.TakeDue(time.Now().Add(maxJitter))
}
