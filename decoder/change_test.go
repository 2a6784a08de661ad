package decoder

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math/rand"
	"testing"

	"github.com/camwall/camwall/assets"
	"github.com/camwall/camwall/player/playtest"
)

func TestDecodeFollowsAResolutionChangeMidStream(t *testing.T) {
	demo, err := assets.DemoAccessUnits()
	if err != nil {
		t.Fatal(err)
	}
	small := playtest.SmallClip(t)
	type part struct {
		aus  [][][]byte
		w, h int
	}
	// One decoder for the whole stream, as a camera session has: the demo
	// clip, then the small one with its own SPS/PPS, then the demo clip again.
	parts := []part{{demo[:45], 640, 360}, {small, 320, 240}, {demo[:45], 640, 360}}
	d, err := New(Config{Codec: H264})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	s := NewScaler()
	defer s.Close()
	pts := int64(0)
	for pi, p := range parts {
		for i, au := range p.aus {
			got := 0
			err := d.Decode(AnnexB(au, nil), pts, func(f *Frame) error {
				got++
				if f.Width() != p.w || f.Height() != p.h {
					t.Fatalf("part %d access unit %d: frame %dx%d, want %dx%d", pi, i, f.Width(), f.Height(), p.w, p.h)
				}
				if i == 0 && !f.Key() {
					t.Errorf("part %d: the first frame at the new size is not the keyframe that brought it", pi)
				}
				// The scaler must follow the source size with no stale context.
				w, h := Fit(f.Width(), f.Height(), 320, 240)
				img := image.NewRGBA(image.Rect(0, 0, w, h))
				return s.Scale(f, img)
			})
			if err != nil {
				t.Fatalf("part %d access unit %d: %v", pi, i, err)
			}
			if got != 1 {
				t.Fatalf("part %d access unit %d gave %d frames, want 1", pi, i, got)
			}
			pts++
		}
	}
}

func TestDecodeReportsConcealedDamageAsCorruptAndGoesOn(t *testing.T) {
	aus, err := assets.DemoAccessUnits()
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(Config{Codec: H264})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	r := rand.New(rand.NewSource(1)) // fixed: the same damage every run
	corrupt, frames := 0, 0
	for i, au := range aus {
		data := AnnexB(au, nil)
		damaged := i%7 == 3 // never a keyframe: those are every 30th
		if damaged {
			for j := len(data) / 3; j < len(data); j++ {
				data[j] = byte(r.Intn(256))
			}
		}
		err := d.Decode(data, int64(i), func(*Frame) error { frames++; return nil })
		switch {
		case errors.Is(err, ErrCorrupt):
			if !damaged {
				t.Errorf("access unit %d is intact but reported corrupt: %v", i, err)
			}
			corrupt++
		case err != nil:
			t.Fatalf("access unit %d: %v", i, err)
		}
	}
	if corrupt == 0 {
		t.Error("no damaged access unit was reported as corrupt")
	}
	// Concealment still gives a picture for every access unit: the tile
	// stays live through damage.
	if frames != len(aus) {
		t.Errorf("decoded %d frames from %d access units", frames, len(aus))
	}
	t.Logf("%d of %d damaged access units reported corrupt", corrupt, (len(aus)+3)/7)
}

func TestDecodeMJPEGFrameIsAKeyframeWithItsColours(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 320, 240))
	draw.Draw(src, src.Bounds(), &image.Uniform{color.RGBA{0, 0, 255, 255}}, image.Point{}, draw.Src)
	red := image.Rect(0, 0, 160, 240)
	draw.Draw(src, red, &image.Uniform{color.RGBA{255, 0, 0, 255}}, image.Point{}, draw.Src)
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	d, err := New(Config{Codec: MJPEG})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	s := NewScaler()
	defer s.Close()
	for i := range 3 {
		got := 0
		err := d.Decode(buf.Bytes(), int64(i), func(f *Frame) error {
			got++
			if f.Width() != 320 || f.Height() != 240 || !f.Key() {
				t.Errorf("frame %dx%d key=%v, want a 320x240 keyframe", f.Width(), f.Height(), f.Key())
			}
			img := image.NewRGBA(image.Rect(0, 0, 160, 120))
			if err := s.Scale(f, img); err != nil {
				return err
			}
			checkPixel(t, img, 40, 60, color.RGBA{255, 0, 0, 255})
			checkPixel(t, img, 120, 60, color.RGBA{0, 0, 255, 255})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if got != 1 {
			t.Fatalf("JPEG %d gave %d frames, want 1", i, got)
		}
	}
}

func checkPixel(t *testing.T, img *image.RGBA, x, y int, want color.RGBA) {
	t.Helper()
	got := img.RGBAAt(x, y)
	const tol = 24
	if diff(got.R, want.R) > tol || diff(got.G, want.G) > tol || diff(got.B, want.B) > tol || got.A != 255 {
		t.Errorf("pixel (%d,%d) = %v, want about %v", x, y, got, want)
	}
}
