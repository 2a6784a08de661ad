package main

import (
	"fmt"
	"image"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/camwall/camwall/app/metrics/metricstest"
	"github.com/camwall/camwall/player/playtest"
)

// The kiosk wall as a fresh machine runs it: full screen, touring between
// two layouts, an unreachable camera kept in its place, and /metrics
// showing every camera. The tour is seen on the screen: the 2×2 layout has
// a gap down the middle of the screen that the one-camera layout fills
// with video.
func TestKioskWallToursItsLayoutsAndServesMetrics(t *testing.T) {
	srv := playtest.StartDemo(t, 3)
	metricsAddr := playtest.FreeTCPAddr(t)
	cfg := fmt.Sprintf(`kiosk: true
metrics: %s
cameras:
  - {name: front, url: "%s"}
  - {name: back, url: "%s"}
  - {name: yard, url: "%s"}
  - {name: gone, url: "rtsp://%s/never"}
layouts:
  - {name: front alone, preset: "1", cameras: [front]}
  - {name: all four, preset: 2x2, cameras: [front, back, yard, gone]}
tour:
  every: 5s
`, metricsAddr, srv.URL(1), srv.URL(2), srv.URL(3), playtest.FreeTCPAddr(t))
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	w := startWall(t, "--config", path)

	// Each layout in turn, as the screen shows it.
	seen := map[bool]bool{} // split down the middle?
	deadline := time.Now().Add(40 * time.Second)
	for !seen[false] || !seen[true] {
		if time.Now().After(deadline) {
			t.Fatalf("in 40 s the screen showed only %v (true: the 2×2 layout), want both layouts of the 5 s tour", seen)
		}
		shot := w.shot(t, "tour.png")
		// Only a screen with video on its left half counts (front, and
		// yard below it in the 2×2): a blank one has no gap either.
		b := shot.Bounds()
		if allTilesShowVideo(shot, image.Rect(b.Min.X, b.Min.Y, b.Min.X+b.Dx()/2, b.Max.Y)) {
			if video := middleColumnVideo(shot); video > 0.5 {
				seen[false] = true
			} else if video < 0.05 {
				seen[true] = true
			}
		}
		time.Sleep(500 * time.Millisecond)
	}

	// Every camera in /metrics, the unreachable one down.
	var f metricstest.Families
	playtest.WaitFor(t, 20*time.Second, "the metrics do not show every camera with the unreachable one down and front live", func() bool {
		f = metricstest.Scrape(t, metricsAddr)
		for _, name := range []string{"front", "back", "yard", "gone"} {
			if _, ok := f.Value("camwall_camera_up", "camera", name); !ok {
				return false
			}
		}
		up, _ := f.Value("camwall_camera_up", "camera", "gone")
		live, _ := f.Value("camwall_camera_up", "camera", "front")
		return up == 0 && live == 1
	})
	if code, body := metricstest.Get(t, metricsAddr, "/healthz"); code != 200 {
		t.Errorf("/healthz of a painting wall: %d %s", code, body)
	}
}

// middleColumnVideo is the fraction of the screen's middle column that is
// strongly coloured (the demo's colour bars).
func middleColumnVideo(img *image.RGBA) float64 {
	b := img.Bounds()
	x := b.Min.X + b.Dx()/2
	coloured, total := 0, 0
	for y := b.Min.Y + b.Dy()/10; y < b.Max.Y; y += 2 {
		c := img.RGBAAt(x, y)
		if max(c.R, c.G, c.B)-min(c.R, c.G, c.B) > 100 {
			coloured++
		}
		total++
	}
	return float64(coloured) / float64(total)
}
