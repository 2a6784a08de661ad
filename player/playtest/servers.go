package playtest

import (
	"log/slog"
	"testing"

	"github.com/camwall/camwall/player/rtspserver"
)

// StartDemo starts camwall's demo cameras with streams paths, as the wall
// plays them when nothing is configured; they stop when the test ends.
func StartDemo(t testing.TB, streams int) *rtspserver.Demo {
	t.Helper()
	srv := &rtspserver.Demo{Streams: streams}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// StartServer starts srv, an RTSP server configured by the caller, which
// logs its warnings to the test unless it has a Logger; it stops when the
// test ends.
func StartServer(t testing.TB, srv *rtspserver.Server) *rtspserver.Server {
	t.Helper()
	if srv.Logger == nil {
		srv.Logger = Logger(t, slog.LevelWarn)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv
}

// DemoClip is the embedded demo clip, as an RTSP server loops it.
func DemoClip(t testing.TB) rtspserver.Clip {
	t.Helper()
	clip, err := rtspserver.DemoClip()
	if err != nil {
		t.Fatal(err)
	}
	return clip
}
