package decoder

import (
	"context"
	"log/slog"
	"strings"
	"sync"

	"github.com/asticode/go-astiav"
)

var logOnce sync.Once

// decoding maps the codec contexts of open decoders to their error trackers,
// so that FFmpeg's messages about a camera's bitstream are counted against
// that camera instead of being printed.
var decoding sync.Map // astiav.Classer (*astiav.CodecContext) -> *errorTracker

// initLogging routes FFmpeg's own messages into slog instead of stderr, so
// they carry the same format as the rest of camwall's logs. Warnings and up
// only: FFmpeg's info level is noisy and says nothing a user can act on.
//
// Errors a decoder reports about the bitstream it is given ("error while
// decoding MB …") are not logged here: FFmpeg conceals them and goes on, and
// a flaky camera would fill the log at error level. They are recorded on the
// decoder instead, and Decode reports them as ErrCorrupt.
func initLogging() {
	logOnce.Do(func() {
		astiav.SetLogLevel(astiav.LogLevelWarning)
		astiav.SetLogCallback(func(c astiav.Classer, l astiav.LogLevel, _, msg string) {
			msg = strings.TrimSpace(msg)
			if c != nil && l <= astiav.LogLevelError {
				if t, ok := decoding.Load(c); ok {
					t.(*errorTracker).add(msg)
					return
				}
			}
			level := slog.LevelWarn
			switch {
			case l <= astiav.LogLevelError:
				level = slog.LevelError
			case strings.HasPrefix(msg, "deprecated pixel format used"):
				// swscale says this for every MJPEG camera (full-range
				// yuvj formats); it converts them correctly, as the MJPEG
				// decoder test checks, so there is nothing to act on.
				level = slog.LevelDebug
			}
			attrs := []any{}
			if c != nil {
				if cl := c.Class(); cl != nil {
					attrs = append(attrs, "ffmpeg", cl.Name())
				}
			}
			slog.Log(context.Background(), level, msg, attrs...)
		})
	})
}

// errorTracker collects the errors FFmpeg reports while one access unit is
// decoded. FFmpeg may call the log callback from its slice threads, hence the
// lock.
type errorTracker struct {
	mu    sync.Mutex
	count int
	first string
}

func (t *errorTracker) add(msg string) {
	t.mu.Lock()
	if t.count == 0 {
		t.first = msg
	}
	t.count++
	t.mu.Unlock()
}

// take returns what was collected since the last call and resets it.
func (t *errorTracker) take() (int, string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	n, first := t.count, t.first
	t.count, t.first = 0, ""
	return n, first
}
