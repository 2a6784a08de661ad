package decoder

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"
)

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// The same message (numbers aside) goes through once a minute per logger;
// the next one that does says how many were held back, and a burst that
// ended is summed up when the limiter next sweeps.
func TestLimiterLetsAMessageThroughOnceAMinuteWithItsRepeats(t *testing.T) {
	var out syncBuffer
	camA := slog.New(slog.NewTextHandler(&out, nil))
	camB := slog.New(slog.NewTextHandler(&out, nil))
	l := &limiter{seen: map[limitKey]*limitEntry{}}
	t0 := time.Unix(1_000_000, 0)
	l.sweptAt = t0

	if n, ok := l.allow(camA, "Packet corrupt (dts = 1)", t0); !ok || n != 0 {
		t.Fatalf("first message: allowed %v, repeats %d", ok, n)
	}
	for i := range 57 {
		if _, ok := l.allow(camA, "Packet corrupt (dts = 2)", t0.Add(time.Duration(i+1)*time.Second)); ok {
			t.Fatalf("repeat %d within the minute let through", i+1)
		}
	}
	if _, ok := l.allow(camB, "Packet corrupt (dts = 3)", t0.Add(2*time.Second)); !ok {
		t.Error("another camera's first message held back")
	}
	if _, ok := l.allow(camA, "Another message", t0.Add(3*time.Second)); !ok {
		t.Error("another message held back")
	}
	if n, ok := l.allow(camA, "Packet corrupt (dts = 4)", t0.Add(repeatWindow)); !ok || n != 57 {
		t.Errorf("after a minute: allowed %v with %d repeats, want allowed with 57", ok, n)
	}

	// camB's burst ends; a minute later, any message sweeps its summary
	// out.
	for i := range 5 {
		l.allow(camB, "Packet corrupt (dts = 5)", t0.Add(time.Duration(10+i)*time.Second))
	}
	l.allow(camA, "Something new", t0.Add(3*repeatWindow))
	if got := out.String(); !strings.Contains(got, `"Packet corrupt (dts = 5) (repeated 5 times)"`) {
		t.Errorf("no summary of the ended burst in:\n%s", got)
	}
	if len(l.seen) != 1 {
		t.Errorf("%d messages remembered after the sweep, want only the new one", len(l.seen))
	}
}
