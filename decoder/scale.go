package decoder

import (
	"fmt"
	"image"

	"github.com/asticode/go-astiav"
)

// Fit returns the largest size with the source's aspect ratio that fits in
// the box: the picture a tile letterboxes.
func Fit(srcW, srcH, boxW, boxH int) (w, h int) {
	if srcW <= 0 || srcH <= 0 || boxW <= 0 || boxH <= 0 {
		return 0, 0
	}
	// Compare srcW/srcH with boxW/boxH without floating point.
	if srcW*boxH > boxW*srcH {
		w, h = boxW, boxW*srcH/srcW
	} else {
		w, h = boxH*srcW/srcH, boxH
	}
	return max(w, 1), max(h, 1)
}

// TileSize is the picture size Scale is asked for when a frame must fit in
// a box: Fit, rounded down to even dimensions. swscale's SIMD paths want
// them: an odd width forces full-chroma interpolation and its C fallback,
// three times slower at a 16-tile wall's size (BenchmarkScale).
func TileSize(srcW, srcH, boxW, boxH int) (w, h int) {
	w, h = Fit(srcW, srcH, boxW, boxH)
	if w == 0 || h == 0 {
		return 0, 0
	}
	return max(w&^1, 2), max(h&^1, 2)
}

// Scaler converts frames into RGBA images of any size with swscale, in two
// steps: the frame is scaled in YUV 4:2:0 to the destination's size, then
// converted to RGBA at that size. Both steps take swscale's SIMD code, while
// scaling straight into RGBA goes through its C output path (measured with
// BenchmarkScale: 1280×720 to 274×154 in 0.2 ms instead of 1.3 ms). The
// scaling filter is fast bilinear: two taps, as a GPU samples a texture
// (ffplay's SDL scaling does the same), which is what makes the first step
// cheap at a wall's downscaling factors.
//
// It keeps its swscale contexts between calls and rebuilds them only when
// the source or destination size or format changes (a camera switching
// resolution, a tile being resized). Not safe for concurrent use.
type Scaler struct {
	resize  *astiav.SoftwareScaleContext // nil when the frame is already at the destination size
	convert *astiav.SoftwareScaleContext
	mid     *astiav.Frame // the resized YUV picture
	dst     *astiav.Frame
	key     scaleKey
}

type scaleKey struct {
	srcW, srcH int
	srcFmt     astiav.PixelFormat
	dstW, dstH int
}

// NewScaler returns a Scaler with no context yet.
func NewScaler() *Scaler { return &Scaler{} }

// Scale converts src into dst, at dst's size. dst must be a packed RGBA
// image (Stride == 4×width), which is also what Fyne uploads without a copy.
func (s *Scaler) Scale(src *Frame, dst *image.RGBA) error {
	w, h := dst.Rect.Dx(), dst.Rect.Dy()
	if w <= 0 || h <= 0 || dst.Stride != 4*w || len(dst.Pix) < 4*w*h {
		return fmt.Errorf("scale: destination must be a packed RGBA image, got %v stride %d", dst.Rect, dst.Stride)
	}
	key := scaleKey{src.Width(), src.Height(), src.f.PixelFormat(), w, h}
	if s.convert == nil || key != s.key {
		if err := s.rebuild(key); err != nil {
			return err
		}
	}
	in := src.f
	if s.resize != nil {
		if err := s.resize.ScaleFrame(src.f, s.mid); err != nil {
			return fmt.Errorf("scale %dx%d to %dx%d: %w", key.srcW, key.srcH, w, h, err)
		}
		in = s.mid
	}
	if err := s.convert.ScaleFrame(in, s.dst); err != nil {
		return fmt.Errorf("convert %dx%d to RGBA: %w", w, h, err)
	}
	// One copy from swscale's (aligned) planes into the Go image; with align
	// 1 the rows are packed exactly as image.RGBA lays them out.
	if _, err := s.dst.ImageCopyToBuffer(dst.Pix[:4*w*h], 1); err != nil {
		return fmt.Errorf("scale: copy out: %w", err)
	}
	return nil
}

// midFormat is the YUV format the picture is resized in: the frame's own
// when it is 4:2:0 (full-range JPEG YUV stays full range), else 4:2:0.
func midFormat(src astiav.PixelFormat) astiav.PixelFormat {
	if src == astiav.PixelFormatYuvj420P {
		return src
	}
	return astiav.PixelFormatYuv420P
}

func (s *Scaler) rebuild(k scaleKey) error {
	s.Close()
	flags := astiav.NewSoftwareScaleContextFlags(astiav.SoftwareScaleContextFlagFastBilinear)
	convFrom := k.srcFmt
	if k.srcW != k.dstW || k.srcH != k.dstH {
		mf := midFormat(k.srcFmt)
		resize, err := astiav.CreateSoftwareScaleContext(k.srcW, k.srcH, k.srcFmt, k.dstW, k.dstH, mf, flags)
		if err != nil {
			return fmt.Errorf("scale %dx%d %s to %dx%d: %w", k.srcW, k.srcH, k.srcFmt, k.dstW, k.dstH, err)
		}
		s.resize = resize
		if s.mid, err = allocFrame(k.dstW, k.dstH, mf); err != nil {
			s.Close()
			return err
		}
		convFrom = mf
	}
	convert, err := astiav.CreateSoftwareScaleContext(k.dstW, k.dstH, convFrom, k.dstW, k.dstH, astiav.PixelFormatRgba, flags)
	if err != nil {
		s.Close()
		return fmt.Errorf("convert %dx%d %s to RGBA: %w", k.dstW, k.dstH, convFrom, err)
	}
	s.convert = convert
	if s.dst, err = allocFrame(k.dstW, k.dstH, astiav.PixelFormatRgba); err != nil {
		s.Close()
		return err
	}
	s.key = k
	return nil
}

// allocFrame allocates a frame with its buffers.
func allocFrame(w, h int, pf astiav.PixelFormat) (*astiav.Frame, error) {
	f := astiav.AllocFrame()
	if f == nil {
		return nil, fmt.Errorf("scale: allocate %dx%d frame: out of memory", w, h)
	}
	f.SetWidth(w)
	f.SetHeight(h)
	f.SetPixelFormat(pf)
	if err := f.AllocBuffer(0); err != nil {
		f.Free()
		return nil, fmt.Errorf("scale: allocate %dx%d %s frame: %w", w, h, pf, err)
	}
	return f, nil
}

// Close frees the swscale contexts. The Scaler may be used again afterwards.
func (s *Scaler) Close() {
	for _, c := range []**astiav.SoftwareScaleContext{&s.resize, &s.convert} {
		if *c != nil {
			(*c).Free()
			*c = nil
		}
	}
	for _, f := range []**astiav.Frame{&s.mid, &s.dst} {
		if *f != nil {
			(*f).Free()
			*f = nil
		}
	}
}
