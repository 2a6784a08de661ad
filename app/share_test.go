package app

import (
	"testing"

	"github.com/camwall/camwall/player"
)

func TestReductionNamesWhereAnOverloadedTileLosesFrames(t *testing.T) {
	live := func(rx, dec float64) player.Status {
		return player.Status{State: player.StateLive, ReceivedFPS: rx, DecodedFPS: dec}
	}
	cases := []struct {
		name    string
		st      player.Status
		painted float64
		visible bool
		want    string
	}{
		{"a tile showing every frame says nothing", live(30, 30), 30, true, ""},
		{"a frame or two of jitter is not a reduction", live(30, 29), 27, true, ""},
		{"a decoder behind its camera blames the CPU", live(30, 14), 14, true, "decoding 14 of 30 fps: CPU"},
		{"a decoder behind is named before painting", live(30, 10), 5, true, "decoding 10 of 30 fps: CPU"},
		{"every frame decoded but few painted blames the window", live(30, 30), 11, true, "painting 11 of 30 fps: window busy"},
		{"painting is judged against what was decoded", live(25, 25), 24, true, ""},
		{"a hidden tile paints nothing and says nothing of it", live(30, 30), 0, false, ""},
		{"a hidden tile still reports its decoder", live(30, 12), 0, false, "decoding 12 of 30 fps: CPU"},
		{"a tile that is not live has no rate to miss", player.Status{State: player.StateReconnecting}, 0, true, ""},
		{"a camera not measured yet has no rate to miss", live(0, 0), 0, true, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := reduction(c.st, c.painted, c.visible); got != c.want {
				t.Errorf("reduction = %q, want %q", got, c.want)
			}
		})
	}
}

func TestPaintGapFollowsTheFastestCameraWithinFyneLimits(t *testing.T) {
	cases := []struct {
		name string
		fps  float64
		want float64 // repaints a second at most
	}{
		{"30 fps cameras: about 30 repaints", 30, 30 / paceSlack},
		{"25 fps cameras: about 25", 25, 25 / paceSlack},
		{"no camera measured yet: 30", 0, assumedFPS / paceSlack},
		{"never more than Fyne draws", 120, maxPaintRate / paceSlack},
		{"a 1 fps camera is not held back a second", 1, minPaintRate / paceSlack},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := 1 / paintGap(c.fps).Seconds()
			if d := got - c.want; d > 0.01 || d < -0.01 {
				t.Errorf("paintGap(%v) allows %.2f repaints a second, want %.2f", c.fps, got, c.want)
			}
		})
	}
}
