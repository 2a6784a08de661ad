package gopro

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/gopro/goprotest"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/source"
)

// countingSink counts what a source delivers.
type countingSink struct {
	log   *slog.Logger
	units atomic.Int64
}

func (c *countingSink) Begin(decoder.Codec)      {}
func (c *countingSink) Deliver(source.Unit)      { c.units.Add(1) }
func (c *countingSink) BeginAudio(source.Audio)  {}
func (c *countingSink) Transport(string, string) {}
func (c *countingSink) DeliverAudio(source.Unit) {}
func (c *countingSink) Log() *slog.Logger        { return c.log }

// A panic in the keep-alive goroutine, which runs beside the stream, ends
// the attempt as that panic, worded for the tile, instead of the process;
// the next attempt plays.
func TestPanicInTheKeepAliveEndsTheAttempt(t *testing.T) {
	sim := goprotest.Start(t, goprotest.Config{})
	src, err := New(Config{URL: fmt.Sprintf("gopro://%s?port=%d", sim.Addr(), playtest.FreeUDPPort(t)), ReadTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	var armed atomic.Bool
	armed.Store(true)
	keepAliveHook = func() {
		if armed.CompareAndSwap(true, false) {
			panic("boom")
		}
	}
	t.Cleanup(func() { keepAliveHook = nil })

	sink := &countingSink{log: playtest.Logger(t, slog.LevelWarn)}
	err = src.Play(context.Background(), sink)
	var e *source.Error
	if !errors.As(err, &e) || !errors.Is(err, source.ErrPanic) || !strings.Contains(e.Reason, "internal error: boom") {
		t.Fatalf("attempt ended with %v, want the keep-alive's panic", err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- src.Play(ctx, sink) }()
	playtest.WaitFor(t, 10*time.Second, "the next attempt delivered nothing", func() bool { return sink.units.Load() > 0 })
	cancel()
	if err := <-done; !errors.Is(err, source.ErrClosed) {
		t.Errorf("cancelled attempt ended with %v, want ErrClosed", err)
	}
}
