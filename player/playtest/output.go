package playtest

import (
	"bytes"
	"log/slog"
	"sync"
	"testing"
)

// Buffer collects output, a child's or a logger's, while a test reads it:
// it is safe for concurrent use, and its zero value is ready.
type Buffer struct {
	// Limit, when positive, drops the writes that come once the buffer
	// holds more than Limit bytes: the beginning explains a failure best.
	Limit int

	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *Buffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.Limit > 0 && b.buf.Len() > b.Limit {
		return len(p), nil
	}
	return b.buf.Write(p)
}

// String is everything written so far.
func (b *Buffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Logger logs every level, debug up, into b as text, for a test to check
// what was said (and never said).
func (b *Buffer) Logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// Logger logs level and up to t.Log, so that the lines show with a failing
// test only.
func Logger(t testing.TB, level slog.Level) *slog.Logger {
	return slog.New(slog.NewTextHandler(testLog{t}, &slog.HandlerOptions{Level: level}))
}

// testLog sends each write to t.Log, without its final newline.
type testLog struct{ t testing.TB }

func (w testLog) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(bytes.TrimRight(p, "\n")))
	return len(p), nil
}
