package decoder

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"sync"
	"testing"

	"github.com/camwall/camwall/assets"
)

func TestPictureKeepsItsPixelsAfterLaterFramesAndTheDecoderAreGone(t *testing.T) {
	clip := assets.DemoClip
	var kept *Picture
	var want *image.RGBA
	i := 0
	decodeClip(t, func(f *Frame) error {
		i++
		if i != 10 {
			return nil
		}
		var err error
		if kept, err = f.Ref(); err != nil {
			return err
		}
		want, err = kept.RGBA()
		return err
	})
	// decodeClip has decoded 110 more frames and closed the decoder: the
	// buffers the picture references must not have been reused.
	defer kept.Free()
	got, err := kept.RGBA()
	if err != nil {
		t.Fatal(err)
	}
	if got.Bounds() != image.Rect(0, 0, clip.Width, clip.Height) || kept.Width() != clip.Width || kept.Height() != clip.Height {
		t.Fatalf("picture is %v (%dx%d), want the source's %dx%d", got.Bounds(), kept.Width(), kept.Height(), clip.Width, clip.Height)
	}
	if !bytes.Equal(got.Pix, want.Pix) {
		t.Error("the picture's pixels changed after later frames were decoded")
	}
	if kept.PTS() != 9 {
		t.Errorf("PTS = %d, want 9 (the tenth access unit)", kept.PTS())
	}
	checkRegion(t, got, clip.Red, clip.Width, color.RGBA{255, 0, 0, 255})
	checkRegion(t, got, clip.Green, clip.Width, color.RGBA{0, 255, 0, 255})
}

func TestPictureSetFollowsTheNewestFrameWithoutAllocating(t *testing.T) {
	var kept *Picture
	var allocs float64
	n := decodeClip(t, func(f *Frame) error {
		if kept == nil {
			var err error
			kept, err = f.Ref()
			return err
		}
		if f.PTS() == 50 {
			allocs = testing.AllocsPerRun(20, func() {
				if err := kept.Set(f); err != nil {
					t.Error(err)
				}
			})
		}
		return kept.Set(f)
	})
	defer kept.Free()
	if allocs != 0 {
		t.Errorf("Set allocates %.1f times per frame, want 0", allocs)
	}
	if kept.PTS() != int64(n-1) {
		t.Errorf("kept PTS %d, want the last frame's %d", kept.PTS(), n-1)
	}
}

func TestPictureClonesConvertOnOtherGoroutinesWhileDecodingGoesOn(t *testing.T) {
	clip := assets.DemoClip
	var kept *Picture
	var wg sync.WaitGroup
	errs := make(chan error, clip.Frames)
	decodeClip(t, func(f *Frame) error {
		var err error
		if kept == nil {
			kept, err = f.Ref()
		} else {
			err = kept.Set(f)
		}
		if err != nil || f.PTS()%10 != 0 {
			return err
		}
		// What a snapshot does: a reference for another goroutine, which
		// converts it while this one decodes the next frames.
		c, err := kept.Clone()
		if err != nil {
			return err
		}
		wg.Go(func() {
			defer c.Free()
			img, err := c.RGBA()
			if err == nil && img.Bounds().Dx() != clip.Width {
				t.Errorf("converted to %v", img.Bounds())
			}
			errs <- err
		})
		return nil
	})
	kept.Free()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}

// TestPictureConvertsEverySizeAndRange decodes MJPEG (full-range 4:2:0 or
// 4:2:2, any size) and H.264 (limited range) pictures and checks both
// conversions' colours, odd sizes included, where chroma planes are rounded
// up.
func TestPictureConvertsEverySizeAndRange(t *testing.T) {
	for _, size := range []image.Point{{320, 240}, {321, 241}} {
		t.Run(fmt.Sprintf("MJPEG %dx%d", size.X, size.Y), func(t *testing.T) {
			src := image.NewRGBA(image.Rectangle{Max: size})
			draw.Draw(src, src.Bounds(), &image.Uniform{color.RGBA{0, 0, 255, 255}}, image.Point{}, draw.Src)
			draw.Draw(src, image.Rect(0, 0, size.X/2, size.Y), &image.Uniform{color.RGBA{255, 0, 0, 255}}, image.Point{}, draw.Src)
			var buf bytes.Buffer
			if err := jpeg.Encode(&buf, src, &jpeg.Options{Quality: 90}); err != nil {
				t.Fatal(err)
			}
			d, err := New(Config{Codec: MJPEG})
			if err != nil {
				t.Fatal(err)
			}
			var p *Picture
			err = d.Decode(buf.Bytes(), 0, func(f *Frame) error {
				var err error
				p, err = f.Ref()
				return err
			})
			d.Close()
			if err != nil {
				t.Fatal(err)
			}
			defer p.Free()
			checkConversions(t, p, src.Bounds(), map[image.Point]color.RGBA{
				{size.X / 4, size.Y / 2}:     {255, 0, 0, 255},
				{3 * size.X / 4, size.Y / 2}: {0, 0, 255, 255},
				{size.X - 1, size.Y - 1}:     {0, 0, 255, 255},
			})
		})
	}
	t.Run("H.264 limited range", func(t *testing.T) {
		clip := assets.DemoClip
		var p *Picture
		decodeClip(t, func(f *Frame) error {
			if p != nil {
				return nil
			}
			var err error
			p, err = f.Ref()
			return err
		})
		defer p.Free()
		centre := func(r [4]int) image.Point { return image.Pt((r[0]+r[2])/2, (r[1]+r[3])/2) }
		checkConversions(t, p, image.Rect(0, 0, clip.Width, clip.Height), map[image.Point]color.RGBA{
			centre(clip.Red):   {255, 0, 0, 255},
			centre(clip.Green): {0, 255, 0, 255},
		})
	})
}

// checkConversions checks RGBA and YCbCr of p: their size, and colours at
// some points.
func checkConversions(t *testing.T, p *Picture, bounds image.Rectangle, want map[image.Point]color.RGBA) {
	t.Helper()
	rgba, err := p.RGBA()
	if err != nil {
		t.Fatal(err)
	}
	ycc, err := p.YCbCr()
	if err != nil {
		t.Fatal(err)
	}
	if rgba.Bounds() != bounds || ycc.Bounds() != bounds {
		t.Fatalf("RGBA %v, YCbCr %v, want %v", rgba.Bounds(), ycc.Bounds(), bounds)
	}
	img, err := p.Image()
	if err != nil || img.Bounds() != bounds {
		t.Fatalf("Image: %v %v", img.Bounds(), err)
	}
	for pt, c := range want {
		checkPixel(t, rgba, pt.X, pt.Y, c)
		// Go's YCbCr is JFIF full range. A limited-range picture left as it
		// is would read washed out, red as (238, 14, 14): hence the tighter
		// tolerance.
		ya := ycc.YCbCrAt(pt.X, pt.Y)
		r, g, b := color.YCbCrToRGB(ya.Y, ya.Cb, ya.Cr)
		const tol = 8
		if diff(r, c.R) > tol || diff(g, c.G) > tol || diff(b, c.B) > tol {
			t.Errorf("YCbCr at %v is %v, RGB (%d, %d, %d), want about %v", pt, ya, r, g, b, c)
		}
	}
}

func TestPictureFreeIsSafeTwiceAndOnNil(t *testing.T) {
	var p *Picture
	decodeClip(t, func(f *Frame) error {
		if p == nil {
			var err error
			p, err = f.Ref()
			return err
		}
		return nil
	})
	p.Free()
	p.Free()
	(*Picture)(nil).Free()
	if _, err := p.RGBA(); err == nil {
		t.Error("RGBA of a freed picture gave no error")
	}
}

// BenchmarkPictureSet is what keeping the newest frame costs the decode
// goroutine per frame.
func BenchmarkPictureSet(b *testing.B) {
	aus, err := assets.DemoAccessUnits()
	if err != nil {
		b.Fatal(err)
	}
	d, err := New(Config{Codec: H264})
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	err = d.Decode(AnnexB(aus[0], nil), 0, func(f *Frame) error {
		p, err := f.Ref()
		if err != nil {
			return err
		}
		defer p.Free()
		b.ReportAllocs()
		for b.Loop() {
			if err := p.Set(f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
