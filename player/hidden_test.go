package player

import (
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/source"
	"github.com/camwall/camwall/player/source/rtsp"
	"sync/atomic"
	"testing"
	"time"
)

// A session hidden behind a focused tile decodes keyframes only, switching
// at a keyframe, and decodes every frame again once shown. Counted in
// keyframes, not seconds: the demo clip has one every 30 frames.
func TestHiddenSessionDecodesOnlyKeyframesUntilShown(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	var keys, units atomic.Int64
	s := New(Config{Name: "hidden", URL: srv.URL(1), Transport: rtsp.TransportTCP})
	s.decodeHook = func(au source.Unit) {
		units.Add(1)
		if au.Key {
			keys.Add(1)
		}
	}
	s.SetTileSize(320, 240)
	s.Start()
	t.Cleanup(s.Close)
	playtest.WaitFor(t, 20*time.Second, "no frame published", func() bool { return s.Frames().Published() > 0 })

	// over decodes frames until `more` further keyframes have gone by, and
	// returns how many frames were decoded and how many access units and
	// keyframes arrived meanwhile.
	over := func(more int64) (decoded, arrived, keyframes int64) {
		k0, u0, d0 := keys.Load(), units.Load(), int64(s.stats.decoded.Load())
		playtest.WaitFor(t, 20*time.Second, "keyframes stopped", func() bool { return keys.Load() >= k0+more })
		return int64(s.stats.decoded.Load()) - d0, units.Load() - u0, keys.Load() - k0
	}

	s.SetHidden(true)
	over(1) // the switch happens at the next keyframe
	decoded, arrived, keyframes := over(2)
	t.Logf("hidden: %d decoded of %d arrived, %d keyframes", decoded, arrived, keyframes)
	if decoded > keyframes+1 || arrived < 2*keyframes {
		t.Errorf("hidden: %d frames decoded of %d arrived (%d keyframes), want only the keyframes", decoded, arrived, keyframes)
	}

	s.SetHidden(false)
	over(1)
	decoded, arrived, _ = over(1)
	t.Logf("shown: %d decoded of %d arrived", decoded, arrived)
	if decoded < arrived-1 {
		t.Errorf("shown again: %d frames decoded of %d arrived, want every frame", decoded, arrived)
	}
}
