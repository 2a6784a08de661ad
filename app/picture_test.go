package app

import (
	"image"
	"testing"
	"time"

	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/storage"
)

// The painted counter counts what the painter drew: pictures handed to the
// tile but replaced before a paint are not counted, and painting the same
// picture again (a repaint for another tile) is not a new picture.
func TestPaintedCounterCountsPicturesThePainterDrew(t *testing.T) {
	p := newPicture()
	var slot player.FrameSlot
	frame := func() *image.RGBA { return image.NewRGBA(image.Rect(0, 0, 32, 18)) }
	paint := func() { p.generate(32, 18) }

	steps := []struct {
		name string
		do   func()
		want int
	}{
		{"a paint before any picture counts nothing", paint, 0},
		{"a picture swapped in is not painted yet", func() { p.swap(&slot, frame()) }, 0},
		{"its first paint counts it", paint, 1},
		{"repainting the same picture does not", paint, 1},
		{"two pictures swapped in before one paint count once", func() { p.swap(&slot, frame()); p.swap(&slot, frame()); paint() }, 2},
		{"a recycled buffer is a new picture", func() {
			img := p.image()
			p.swap(&slot, frame())
			p.swap(&slot, img) // the same *image.RGBA, new content
			paint()
		}, 3},
	}
	total := 0
	for _, s := range steps {
		s.do()
		total += p.takePainted()
		if total != s.want {
			t.Fatalf("%s: painted %d, want %d", s.name, total, s.want)
		}
	}
}

// Through the real widget tree: pictures the UI swaps in are counted when
// the window is drawn (here by the test driver's painter, at Capture), not
// when they arrive.
func TestTilePaintedRateComesFromTheWindowsPaints(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	ui := newUI(t, Options{Config: storage.Config{Cameras: []storage.Camera{{Name: "gate", URL: srv.URL(1)}}}})
	ui.Window.Show()
	startSessions(ui)
	tile := ui.Tiles[0]
	until(t, ui, 20*time.Second, "no picture", func() bool { return tile.Picture() != nil })
	tile.pic.takePainted()
	for range 5 {
		ui.refresh(time.Now())
	}
	if n := tile.pic.takePainted(); n != 0 {
		t.Fatalf("%d pictures counted painted while the window was never drawn", n)
	}
	until(t, ui, 20*time.Second, "no new picture", func() bool { return tile.pic.seq != tile.pic.paintedSeq })
	ui.Window.Canvas().Capture()
	if n := tile.pic.takePainted(); n != 1 {
		t.Errorf("one drawing of the window counted %d pictures, want 1", n)
	}
}
