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

// Scaler converts frames into RGBA images of any size with swscale. It keeps
// its swscale context between calls and rebuilds it only when the source or
// destination size or format changes (a camera switching resolution, a tile
// being resized). Not safe for concurrent use.
type Scaler struct {
	sws *astiav.SoftwareScaleContext
	dst *astiav.Frame
	key scaleKey
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
	if s.sws == nil || key != s.key {
		if err := s.rebuild(key); err != nil {
			return err
		}
	}
	if err := s.sws.ScaleFrame(src.f, s.dst); err != nil {
		return fmt.Errorf("scale %dx%d to %dx%d: %w", key.srcW, key.srcH, w, h, err)
	}
	// One copy from swscale's (aligned) planes into the Go image; with align
	// 1 the rows are packed exactly as image.RGBA lays them out.
	if _, err := s.dst.ImageCopyToBuffer(dst.Pix[:4*w*h], 1); err != nil {
		return fmt.Errorf("scale: copy out: %w", err)
	}
	return nil
}

func (s *Scaler) rebuild(k scaleKey) error {
	s.Close()
	// Bilinear: the best quality per CPU cycle for the mostly-downscaling a
	// wall of tiles does; bicubic costs more and is not visibly better at
	// tile sizes.
	sws, err := astiav.CreateSoftwareScaleContext(k.srcW, k.srcH, k.srcFmt, k.dstW, k.dstH, astiav.PixelFormatRgba,
		astiav.NewSoftwareScaleContextFlags(astiav.SoftwareScaleContextFlagBilinear))
	if err != nil {
		return fmt.Errorf("scale %dx%d %s to %dx%d: %w", k.srcW, k.srcH, k.srcFmt, k.dstW, k.dstH, err)
	}
	dst := astiav.AllocFrame()
	dst.SetWidth(k.dstW)
	dst.SetHeight(k.dstH)
	dst.SetPixelFormat(astiav.PixelFormatRgba)
	if err := dst.AllocBuffer(0); err != nil {
		dst.Free()
		sws.Free()
		return fmt.Errorf("scale: allocate %dx%d frame: %w", k.dstW, k.dstH, err)
	}
	s.sws, s.dst, s.key = sws, dst, k
	return nil
}

// Close frees the swscale context. The Scaler may be used again afterwards.
func (s *Scaler) Close() {
	if s.sws != nil {
		s.sws.Free()
		s.sws = nil
	}
	if s.dst != nil {
		s.dst.Free()
		s.dst = nil
	}
}
