package player

import (
	"sync"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source"
	"github.com/camwall/camwall/player/source/rtsp"
)

func TestEnqueuerDropsToTheNextKeyframeWhenFull(t *testing.T) {
	var c counters
	e := newEnqueuer(&c)
	key, p := source.Unit{Key: true}, source.Unit{}
	steps := []struct {
		name string
		// before pushing au: fill the queue with P-frames, or empty it (the
		// decoder catching up)
		fill, drain bool
		au          source.Unit
		wantQueued  int
		wantDropped uint64
	}{
		{name: "P-frames before the first keyframe are skipped, not counted", au: p, wantQueued: 0, wantDropped: 0},
		{name: "the first keyframe starts the stream", au: key, wantQueued: 1, wantDropped: 0},
		{name: "P-frames follow it", au: p, wantQueued: 2, wantDropped: 0},
		{name: "a full queue drops", fill: true, au: p, wantQueued: queueLen, wantDropped: 1},
		{name: "a keyframe that does not fit is dropped too", au: key, wantQueued: queueLen, wantDropped: 2},
		{name: "once there is room, P-frames still wait for a keyframe", drain: true, au: p, wantQueued: 0, wantDropped: 3},
		{name: "the next keyframe resumes", au: key, wantQueued: 1, wantDropped: 3},
		{name: "and the P-frames after it", au: p, wantQueued: 2, wantDropped: 3},
	}
	for _, st := range steps {
		for st.fill && len(e.q) < queueLen {
			e.push(p)
		}
		for st.drain && len(e.q) > 0 {
			<-e.q
		}
		e.push(st.au)
		if len(e.q) != st.wantQueued || c.dropped.Load() != st.wantDropped {
			t.Fatalf("%s: queued %d dropped %d, want %d and %d", st.name, len(e.q), c.dropped.Load(), st.wantQueued, st.wantDropped)
		}
	}
	// Everything counts as received, kept or not: the rate shows what the
	// camera sends.
	if got, want := c.received.Load(), uint64(len(steps)+queueLen-2); got != want {
		t.Errorf("received = %d, want %d", got, want)
	}
}

func TestSlowDecoderDropsAreCountedAndDecodingResumesAtAKeyframe(t *testing.T) {
	clip := playtest.DemoClip(t) // 30 fps, a keyframe every 30
	srv := playtest.StartServer(t, &rtspserver.Server{})
	if err := srv.Loop("cam", clip); err != nil {
		t.Fatal(err)
	}
	type decoded struct {
		pts int64
		key bool
	}
	var (
		mu  sync.Mutex
		aus []decoded
	)
	s := New(Config{Name: "slow", URL: srv.URL("cam"), Transport: rtsp.TransportTCP})
	// Decoding at about half the frame rate: the queue fills within a
	// second or two and the session must shed frames, not fall behind.
	s.decodeHook = func(au source.Unit) {
		mu.Lock()
		aus = append(aus, decoded{au.PTS, au.Key})
		mu.Unlock()
		time.Sleep(60 * time.Millisecond)
	}
	s.SetTileSize(160, 90)
	s.Start()
	t.Cleanup(s.Close)

	const step = 90000 / 30 // RTP clock ticks per frame
	gaps := func() (n int, bad []int64) {
		mu.Lock()
		defer mu.Unlock()
		for i := 1; i < len(aus); i++ {
			if aus[i].pts-aus[i-1].pts > step {
				n++
				if !aus[i].key {
					bad = append(bad, aus[i].pts)
				}
			}
		}
		return n, bad
	}
	playtest.WaitFor(t, 10*time.Second, "no drops, or not counted", func() bool {
		n, _ := gaps()
		return n >= 2 && s.Status().Dropped > 0
	})
	n, bad := gaps()
	if len(bad) > 0 {
		t.Errorf("after a drop, decoding resumed on a non-keyframe at pts %v", bad)
	}
	st := s.Status()
	if st.State != StateLive || st.Corrupt != 0 {
		t.Errorf("status = %s, corrupt %d: want live and nothing corrupt", describe(st), st.Corrupt)
	}
	t.Logf("%d gaps in what was decoded, %d access units dropped", n, st.Dropped)
}
