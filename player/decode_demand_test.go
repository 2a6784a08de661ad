package player

import (
	"context"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
)

// A session that decodes on demand (recording a camera's main stream while
// its tile plays the substream) decodes nothing until a snapshot asks, then
// gives that snapshot a frame decoded after it asked, and stops again; it
// records all along.
func TestDecodeOnDemandDecodesOnlyForSnapshots(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	s := New(Config{Name: "main stream", URL: srv.URL(1), DecodeOnDemand: true, Logger: playtest.Logger(t, 0)})
	if err := s.StartRecording(RecordOptions{Dir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	s.Start()
	t.Cleanup(s.Close)
	playtest.WaitFor(t, 20*time.Second, "not live", func() bool { return s.Status().State == StateLive })
	playtest.WaitFor(t, 20*time.Second, "not recording", func() bool { return s.Status().RecordFile != "" })
	// A second of stream with nobody asking for a picture.
	received := s.stats.received.Load()
	playtest.WaitFor(t, 20*time.Second, "no units", func() bool { return s.stats.received.Load() > received+30 })
	if d := s.stats.decoded.Load(); d != 0 {
		t.Errorf("%d frames decoded with no snapshot asking", d)
	}

	for i := range 2 {
		asked := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		pic, at, err := s.Snapshot(ctx)
		cancel()
		if err != nil {
			t.Fatalf("snapshot %d: %v", i+1, err)
		}
		if at.Before(asked) {
			t.Errorf("snapshot %d: a frame from %v, before it asked at %v", i+1, at, asked)
		}
		if w, h := pic.Width(), pic.Height(); w != 640 || h != 360 {
			t.Errorf("snapshot %d: %dx%d, want the stream's 640x360", i+1, w, h)
		}
		pic.Free()
	}
	// Nobody asks any more: decoding stops at once.
	decoded := s.stats.decoded.Load()
	received = s.stats.received.Load()
	playtest.WaitFor(t, 20*time.Second, "no units", func() bool { return s.stats.received.Load() > received+30 })
	if d := s.stats.decoded.Load() - decoded; d > 1 {
		t.Errorf("%d frames decoded after the snapshots were served", d)
	}
	if files := s.StopRecording(); len(files) != 1 {
		t.Errorf("files %v, want the one recording", files)
	}
}
