package player

import (
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/source"
	"github.com/camwall/camwall/player/source/rtsp"
)

// panicOnce returns a hook that panics with "boom" the first time it is
// called, and counts the calls.
func panicOnce(calls *atomic.Int64) func(source.Unit) {
	return func(source.Unit) {
		if calls.Add(1) == 1 {
			panic("boom")
		}
	}
}

// A panic on any goroutine that handles one camera's input (the decode
// goroutine, gortsplib's reader, the demuxer's reader), raised in the middle
// of a real stream, must not take the wall down: the tile reports it and the
// session tries again, and the camera is live again.
func TestPanicInCameraInputIsReportedAndRetried(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	file := "file://" + playtest.DemoFile(t)
	tests := []struct {
		name string
		url  string
		hook func(*Session, func(source.Unit))
	}{
		{"on the decode goroutine", srv.URL(1), func(s *Session, h func(source.Unit)) { s.decodeHook = h }},
		{"on gortsplib's reader goroutine", srv.URL(1), func(s *Session, h func(source.Unit)) { s.deliverHook = h }},
		{"on the demuxer's reader goroutine", file, func(s *Session, h func(source.Unit)) { s.deliverHook = h }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var calls atomic.Int64
			s := New(Config{Name: "buggy", URL: tc.url, Transport: rtsp.TransportTCP, MinBackoff: 50 * time.Millisecond,
				Logger: playtest.Logger(t, slog.LevelWarn)})
			tc.hook(s, panicOnce(&calls))
			s.SetTileSize(160, 90)
			s.Start()
			defer s.Close()
			playtest.WaitFor(t, 10*time.Second, "no reconnecting state after the panic", func() bool {
				st := s.Status()
				return st.State == StateReconnecting && strings.Contains(st.Reason, "internal error: boom")
			})
			published := s.Frames().Published()
			playtest.WaitFor(t, 10*time.Second, "session did not recover after the panic", func() bool {
				return s.Status().State == StateLive && s.Frames().Published() > published
			})
		})
	}
}

// A panic while a frame is published (here from the frame hook) is the
// same: reported and retried.
func TestPanicInASessionIsReportedAndRetried(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	var frames atomic.Int64
	s := New(Config{Name: "buggy", URL: srv.URL(1), MinBackoff: 50 * time.Millisecond,
		OnFrame: func(FrameEvent) {
			if frames.Add(1) == 1 {
				panic("boom")
			}
		}})
	s.SetTileSize(160, 90)
	s.Start()
	defer s.Close()
	playtest.WaitFor(t, 20*time.Second, "no reconnecting state after the panic", func() bool {
		st := s.Status()
		return st.State == StateReconnecting && strings.Contains(st.Reason, "internal error: boom")
	})
	playtest.WaitFor(t, 20*time.Second, "session did not recover after the panic", func() bool {
		return frames.Load() > 1 && s.Status().State == StateLive
	})
}

// A panic in the recorder's goroutine ends the file being written, shows as
// the recording's error, and the recording starts again at a keyframe; the
// tile stays live all along.
func TestPanicInTheRecorderIsReportedAndRecordingResumes(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	var calls atomic.Int64
	s := New(Config{Name: "buggy", URL: srv.URL(1), Transport: rtsp.TransportTCP, Logger: playtest.Logger(t, slog.LevelWarn)})
	s.recordHook = panicOnce(&calls)
	s.SetTileSize(160, 90)
	s.Start()
	defer s.Close()
	if err := s.StartRecording(RecordOptions{Dir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	playtest.WaitFor(t, 10*time.Second, "the recorder's panic was never reported", func() bool {
		return strings.Contains(s.Status().RecordError, "internal error: boom")
	})
	playtest.WaitFor(t, 10*time.Second, "the recording did not resume", func() bool {
		st := s.Status()
		return st.RecordFile != "" && st.RecordError == ""
	})
	if st := s.Status(); st.State != StateLive {
		t.Errorf("tile %s, want live through the recorder's panic", describe(st))
	}
	if files := s.StopRecording(); len(files) == 0 {
		t.Error("no file recorded after the panic")
	}
}
