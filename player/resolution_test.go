package player

import (
	"image/color"
	"sync"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source/rtsp"
)

func TestPicturesAndStatusFollowAResolutionChangeMidStream(t *testing.T) {
	clip := playtest.DemoClip(t)
	// One RTP stream, one SDP: a second of the 640x360 demo clip, then the
	// 320x240 clip with its own SPS/PPS in band, in a loop.
	clip.AccessUnits = append(clip.AccessUnits[:30:30], playtest.SmallClip(t)...)
	srv := playtest.StartServer(t, &rtspserver.Server{})
	if err := srv.Loop("cam", clip); err != nil {
		t.Fatal(err)
	}

	type seen struct {
		srcW, srcH       int // the frame's
		statusW, statusH int // the status's when the picture was published
		picW, picH       int // the published picture's
		pixel            color.RGBA
	}
	var (
		mu     sync.Mutex
		events []seen
		s      *Session
	)
	// The picture at the centre of the small clip's blue square, or the demo
	// clip's red square, scaled to the 320-pixel-wide tile.
	probe := map[int][2]int{240: {160, 120}, 180: {24, 24}}
	s = play(t, Config{Name: "switch", URL: srv.URL("cam"), Transport: rtsp.TransportTCP, OnFrame: func(ev FrameEvent) {
		st := s.Status()
		img, ok := s.Frames().TakeDue(ev.Due)
		if !ok {
			t.Error("OnFrame without a published picture")
			return
		}
		defer s.Frames().Release(img)
		e := seen{srcW: ev.Width, srcH: ev.Height, statusW: st.Width, statusH: st.Height,
			picW: img.Bounds().Dx(), picH: img.Bounds().Dy()}
		if p, ok := probe[e.picH]; ok {
			e.pixel = img.RGBAAt(p[0], p[1])
		}
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	}})
	// Wait for 640x360 → 320x240 → 640x360.
	switches := func() int {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for i := 1; i < len(events); i++ {
			if events[i].srcW != events[i-1].srcW {
				n++
			}
		}
		return n
	}
	playtest.WaitFor(t, 20*time.Second, "fewer than two resolution changes seen", func() bool { return switches() >= 2 })
	s.Close()

	mu.Lock()
	defer mu.Unlock()
	want := map[int]struct {
		h, picW, picH int
		pixel         color.RGBA
	}{
		640: {360, 320, 180, color.RGBA{255, 0, 0, 255}},
		320: {240, 320, 240, color.RGBA{0, 0, 255, 255}},
	}
	for i, e := range events {
		w, ok := want[e.srcW]
		if !ok || e.srcH != w.h {
			t.Fatalf("event %d: frame %dx%d, want 640x360 or 320x240", i, e.srcW, e.srcH)
		}
		if e.statusW != e.srcW || e.statusH != e.srcH {
			t.Errorf("event %d: status says %dx%d while a %dx%d frame is published", i, e.statusW, e.statusH, e.srcW, e.srcH)
		}
		if e.picW != w.picW || e.picH != w.picH {
			t.Errorf("event %d: %dx%d frame published as a %dx%d picture, want %dx%d", i, e.srcW, e.srcH, e.picW, e.picH, w.picW, w.picH)
		}
		const tol = 40
		if diff(e.pixel.R, w.pixel.R) > tol || diff(e.pixel.G, w.pixel.G) > tol || diff(e.pixel.B, w.pixel.B) > tol {
			t.Errorf("event %d: %dx%d picture shows %v, want about %v (a stale picture?)", i, e.srcW, e.srcH, e.pixel, w.pixel)
		}
	}
}

func diff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}
