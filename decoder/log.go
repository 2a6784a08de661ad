package decoder

import (
	"context"
	"log/slog"
	"strings"
	"sync"

	"github.com/asticode/go-astiav"
)

var logOnce sync.Once

// initLogging routes FFmpeg's own messages into slog instead of stderr, so
// they carry the same format as the rest of camwall's logs. Warnings and up
// only: FFmpeg's info level is noisy and says nothing a user can act on.
func initLogging() {
	logOnce.Do(func() {
		astiav.SetLogLevel(astiav.LogLevelWarning)
		astiav.SetLogCallback(func(c astiav.Classer, l astiav.LogLevel, _, msg string) {
			level := slog.LevelWarn
			if l <= astiav.LogLevelError {
				level = slog.LevelError
			}
			attrs := []any{}
			if c != nil {
				if cl := c.Class(); cl != nil {
					attrs = append(attrs, "ffmpeg", cl.Name())
				}
			}
			slog.Log(context.Background(), level, strings.TrimSpace(msg), attrs...)
		})
	})
}
