package rtsp

import (
	"log/slog"
	"sync"
	"sync/atomic"

	"github.com/camwall/camwall/player/source"
)

// guard contains panics in the callbacks gortsplib runs on its own reader
// goroutines, where nothing else would recover them and one malformed stream
// would end the whole process. The first panic becomes the attempt's error
// (source.Recovered) and aborts the attempt; the callbacks after it do
// nothing.
type guard struct {
	log    *slog.Logger
	abort  func()
	failed atomic.Bool
	once   sync.Once
	err    *source.Error
}

// run calls fn, recovering a panic in it.
func (g *guard) run(fn func()) {
	if g.failed.Load() {
		return
	}
	defer func() {
		if r := recover(); r != nil {
			g.once.Do(func() {
				g.err = source.Recovered(g.log, r)
				g.failed.Store(true)
			})
			// On its own goroutine: closing the client waits for this one.
			go g.abort()
		}
	}()
	fn()
}

// panicked is the error of the panic that aborted the attempt, or nil; read
// once the client's goroutines have ended.
func (g *guard) panicked() error {
	if !g.failed.Load() {
		return nil
	}
	return g.err
}
