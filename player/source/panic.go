package source

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
)

// ErrPanic is the cause of an attempt that a recovered panic ended.
var ErrPanic = errors.New("camera input panicked")

// Recovered logs a panic recovered on a goroutine that handles one camera's
// input (the session's own, a network library's reader, a recorder, a
// keep-alive) to log, the camera's logger, and words it for the tile: a bug
// in camwall or a library, triggered by one camera's stream, fails that
// camera's attempt; its tile shows it and retries, and the rest of the wall
// plays on. Every goroutine that touches camera input recovers through it.
func Recovered(log *slog.Logger, r any) *Error {
	log.Error("camera session panicked", "panic", r, "stack", string(debug.Stack()))
	return &Error{Reason: fmt.Sprintf("internal error: %v (see the log)", r), Err: ErrPanic}
}
