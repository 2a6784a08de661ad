package decoder

import (
	"fmt"
	"image"
	"testing"

	"github.com/asticode/go-astiav"
)

// testFrame is a w×h YUV 4:2:0 frame with a gradient in it, as a decoder
// would hand it over.
func testFrame(tb testing.TB, w, h int) *Frame {
	tb.Helper()
	f := astiav.AllocFrame()
	tb.Cleanup(f.Free)
	f.SetWidth(w)
	f.SetHeight(h)
	f.SetPixelFormat(astiav.PixelFormatYuv420P)
	if err := f.AllocBuffer(0); err != nil {
		tb.Fatal(err)
	}
	b, err := f.Data().Bytes(1)
	if err != nil {
		tb.Fatal(err)
	}
	for i := range b {
		b[i] = byte(i * 7)
	}
	if err := f.Data().SetBytes(b, 1); err != nil {
		tb.Fatal(err)
	}
	return &Frame{f: f}
}

// BenchmarkScale is the cost of one tile picture: a camera's frame scaled to
// the tile's pixel size as RGBA, for the sizes a wall asks for (odd widths
// included: a tile's width is whatever the window gives it).
func BenchmarkScale(b *testing.B) {
	cases := []struct{ srcW, srcH, dstW, dstH int }{
		{1280, 720, 320, 180},
		{1280, 720, 275, 155},
		{1280, 720, 1137, 640},
		{1280, 720, 1136, 640},
		{1280, 720, 274, 154},
		{1280, 720, 1280, 720},
		{640, 360, 320, 180},
		{640, 360, 155, 87},
	}
	for _, c := range cases {
		b.Run(fmt.Sprintf("%dx%d-to-%dx%d", c.srcW, c.srcH, c.dstW, c.dstH), func(b *testing.B) {
			src := testFrame(b, c.srcW, c.srcH)
			s := NewScaler()
			defer s.Close()
			dst := image.NewRGBA(image.Rect(0, 0, c.dstW, c.dstH))
			for b.Loop() {
				if err := s.Scale(src, dst); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
