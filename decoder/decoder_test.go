package decoder

import (
	"errors"
	"image"
	"image/color"
	"testing"

	"github.com/camwall/camwall/assets"
)

// decodeClip feeds the whole demo clip through a decoder and calls fn for each
// decoded frame.
func decodeClip(t *testing.T, fn func(*Frame) error) int {
	t.Helper()
	aus, err := assets.DemoAccessUnits()
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(Config{Codec: H264})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	n := 0
	count := func(f *Frame) error { n++; return fn(f) }
	var buf []byte
	for i, au := range aus {
		buf = AnnexB(au, buf)
		if err := d.Decode(buf, int64(i), count); err != nil {
			t.Fatalf("access unit %d: %v", i, err)
		}
	}
	if err := d.Flush(count); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestDecodeDemoClipGivesEveryFrameAtSourceSize(t *testing.T) {
	clip := assets.DemoClip
	keys := 0
	n := decodeClip(t, func(f *Frame) error {
		if f.Width() != clip.Width || f.Height() != clip.Height {
			t.Fatalf("frame %dx%d, want %dx%d", f.Width(), f.Height(), clip.Width, clip.Height)
		}
		if f.Key() {
			keys++
		}
		return nil
	})
	if n != clip.Frames {
		t.Errorf("decoded %d frames, want %d", n, clip.Frames)
	}
	if want := clip.Frames / clip.FPS; keys != want {
		t.Errorf("keyframes = %d, want %d", keys, want)
	}
}

func TestDecodeLowDelayOutputsEachFrameAsItsAccessUnitArrives(t *testing.T) {
	aus, err := assets.DemoAccessUnits()
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(Config{Codec: H264})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	for i, au := range aus[:10] {
		got := 0
		if err := d.Decode(AnnexB(au, nil), int64(i), func(f *Frame) error {
			if f.PTS() != int64(i) {
				t.Errorf("access unit %d gave the frame with pts %d", i, f.PTS())
			}
			got++
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if got != 1 {
			t.Fatalf("access unit %d gave %d frames at once, want 1 (no decoder delay)", i, got)
		}
	}
}

func TestScaleKeepsTheClipColoursAtTheRequestedSize(t *testing.T) {
	clip := assets.DemoClip
	tests := []struct {
		name string
		w, h int
	}{
		{"source size", clip.Width, clip.Height},
		{"half size tile", clip.Width / 2, clip.Height / 2},
		{"odd size tile", 333, 187},
		{"upscaled", 1280, 720},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := NewScaler()
			defer s.Close()
			var last *image.RGBA
			decodeClip(t, func(f *Frame) error {
				img := image.NewRGBA(image.Rect(0, 0, tc.w, tc.h))
				if err := s.Scale(f, img); err != nil {
					return err
				}
				last = img
				return nil
			})
			if last.Bounds().Dx() != tc.w || last.Bounds().Dy() != tc.h {
				t.Fatalf("scaled to %v, want %dx%d", last.Bounds(), tc.w, tc.h)
			}
			checkRegion(t, last, clip.Red, clip.Width, color.RGBA{255, 0, 0, 255})
			checkRegion(t, last, clip.Green, clip.Width, color.RGBA{0, 255, 0, 255})
		})
	}
}

// checkRegion looks at the centre of a square given in source coordinates.
func checkRegion(t *testing.T, img *image.RGBA, r [4]int, srcW int, want color.RGBA) {
	t.Helper()
	k := float64(img.Bounds().Dx()) / float64(srcW)
	x := int(float64(r[0]+r[2]) / 2 * k)
	y := int(float64(r[1]+r[3]) / 2 * k)
	got := img.RGBAAt(x, y)
	const tol = 24 // YUV 4:2:0 round trip
	if diff(got.R, want.R) > tol || diff(got.G, want.G) > tol || diff(got.B, want.B) > tol || got.A != 255 {
		t.Errorf("pixel (%d,%d) = %v, want about %v", x, y, got, want)
	}
}

func diff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}

func TestScaleRejectsImagesFyneWouldHaveToConvert(t *testing.T) {
	s := NewScaler()
	defer s.Close()
	sub := image.NewRGBA(image.Rect(0, 0, 64, 64)).SubImage(image.Rect(0, 0, 32, 32)).(*image.RGBA)
	var err error
	decodeClip(t, func(f *Frame) error {
		if err == nil {
			err = s.Scale(f, sub)
		}
		return nil
	})
	if err == nil {
		t.Fatal("a sub-image with a wider stride was accepted")
	}
}

func TestDecodeGarbageIsReportedNotFatal(t *testing.T) {
	d, err := New(Config{Codec: H264})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	garbage := []byte{0, 0, 0, 1, 0x65, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02}
	frames := 0
	err = d.Decode(garbage, 0, func(*Frame) error { frames++; return nil })
	if err != nil && !errors.Is(err, ErrCorrupt) {
		t.Fatalf("err = %v, want nil or ErrCorrupt", err)
	}
	if frames != 0 {
		t.Fatalf("garbage produced %d frames", frames)
	}
	// The decoder recovers at the next keyframe.
	aus, _ := assets.DemoAccessUnits()
	if err := d.Decode(AnnexB(aus[0], nil), 1, func(*Frame) error { frames++; return nil }); err != nil {
		t.Fatal(err)
	}
	if frames != 1 {
		t.Fatalf("no frame from the keyframe after garbage")
	}
}

func TestNewRejectsUnknownCodec(t *testing.T) {
	if _, err := New(Config{Codec: CodecUnknown}); err == nil {
		t.Fatal("want an error for an unknown codec")
	}
}

func TestFit(t *testing.T) {
	tests := []struct {
		name                   string
		srcW, srcH, boxW, boxH int
		wantW, wantH           int
	}{
		{"same aspect", 1920, 1080, 640, 360, 640, 360},
		{"wide box letterboxes left and right", 1920, 1080, 800, 360, 640, 360},
		{"tall box letterboxes top and bottom", 1920, 1080, 640, 600, 640, 360},
		{"4:3 source in 16:9 box", 640, 480, 640, 360, 480, 360},
		{"never zero", 1920, 1080, 1, 1, 1, 1},
		{"empty box", 1920, 1080, 0, 100, 0, 0},
		{"unknown source", 0, 0, 100, 100, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, h := Fit(tc.srcW, tc.srcH, tc.boxW, tc.boxH)
			if w != tc.wantW || h != tc.wantH {
				t.Errorf("Fit = %dx%d, want %dx%d", w, h, tc.wantW, tc.wantH)
			}
		})
	}
}
