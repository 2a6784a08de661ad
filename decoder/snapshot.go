package decoder

import (
	"errors"
	"fmt"
	"image"
	"runtime"

	"github.com/asticode/go-astiav"
)

// Picture is a decoded frame kept at the source's full resolution, for
// snapshots. It holds a reference to FFmpeg's pixel buffers, not a copy: taking
// or replacing one costs a few reference counts, which is cheap enough to do on
// the decode goroutine for every frame. Converting it into an image is the
// expensive part, and is left to whoever wants the picture, on their own
// goroutine.
//
// Holding a Picture keeps one buffer of the decoder's pool alive (about 3 MB
// at 1080p): the decoder allocates another one for its next frame, and the
// buffer goes back to the pool when the Picture is freed. The pixels never
// change while it is held: FFmpeg only writes into buffers nobody references.
//
// A Picture is not safe for concurrent use; Clone gives another goroutine its
// own. It must not be used after Free, except for Free itself.
type Picture struct {
	f       *astiav.Frame
	cleanup runtime.Cleanup
}

// Ref returns a new Picture referencing f's pixels. It stays valid after the
// decode callback has returned and after the decoder is closed. (Frames are
// in main memory: a frame decoded on the GPU was copied out of it before fn
// saw it, so a Picture never pins a surface of the GPU's small fixed pool.)
func (f *Frame) Ref() (*Picture, error) {
	p := newPicture(astiav.AllocFrame())
	if p == nil {
		return nil, errors.New("reference frame: out of memory")
	}
	if err := p.f.Ref(f.f); err != nil {
		p.Free()
		return nil, fmt.Errorf("reference frame: %w", err)
	}
	return p, nil
}

func newPicture(f *astiav.Frame) *Picture {
	if f == nil {
		return nil
	}
	p := &Picture{f: f}
	// A Picture dropped without Free would pin megabytes of C memory for the
	// life of the process; the collector frees it instead.
	p.cleanup = runtime.AddCleanup(p, func(f *astiav.Frame) { f.Free() }, f)
	return p
}

// Set makes p reference f's pixels instead of what it held, allocating
// nothing: keeping the newest frame costs no allocation per frame. On error p
// holds nothing.
func (p *Picture) Set(f *Frame) error {
	p.f.Unref()
	if err := p.f.Ref(f.f); err != nil {
		return fmt.Errorf("reference frame: %w", err)
	}
	return nil
}

// Clone returns another reference to the same pixels, owned by the caller.
func (p *Picture) Clone() (*Picture, error) {
	c := newPicture(p.f.Clone())
	if c == nil {
		return nil, errors.New("clone picture: out of memory")
	}
	return c, nil
}

// Width in pixels, the source's.
func (p *Picture) Width() int { return p.f.Width() }

// Height in pixels, the source's.
func (p *Picture) Height() int { return p.f.Height() }

// PTS is the presentation timestamp the frame was decoded with.
func (p *Picture) PTS() int64 { return p.f.Pts() }

// RGBA converts the picture into a new packed RGBA image at full resolution.
// It creates its own swscale context, so any goroutine may call it while the
// session's Scaler goes on scaling tiles; it allocates the full-size image,
// which is why it does not belong on a decode goroutine.
func (p *Picture) RGBA() (*image.RGBA, error) {
	// Same size in and out, so the filter only chooses how chroma is
	// upsampled: bicubic with full chroma interpolation and accurate rounding
	// is visibly crisper on coloured edges than the tiles' bilinear, and a
	// snapshot is made once, not 30 times a second.
	flags := astiav.NewSoftwareScaleContextFlags(astiav.SoftwareScaleContextFlagBicubic,
		astiav.SoftwareScaleContextFlagFullChrHInt, astiav.SoftwareScaleContextFlagAccurateRnd)
	var img *image.RGBA
	err := p.convert("RGBA", astiav.PixelFormatRgba, flags, func(dst *astiav.Frame, w, h int) error {
		img = image.NewRGBA(image.Rect(0, 0, w, h))
		_, err := dst.ImageCopyToBuffer(img.Pix, 1)
		return err
	})
	if err != nil {
		return nil, err
	}
	return img, nil
}

// YCbCr converts the picture into a new full-range (JFIF) 4:2:0 YCbCr image at
// full resolution, the form JPEG stores: encoding it skips a colour
// conversion and keeps the decoded chroma as it is. Like RGBA it uses its own
// swscale context and allocates the image.
func (p *Picture) YCbCr() (*image.YCbCr, error) {
	flags := astiav.NewSoftwareScaleContextFlags(astiav.SoftwareScaleContextFlagBilinear)
	var img *image.YCbCr
	err := p.convert("YCbCr", astiav.PixelFormatYuvj420P, flags, func(dst *astiav.Frame, w, h int) error {
		// With align 1 the planes come out packed one after the other, Y
		// then Cb then Cr, with chroma planes of ceil(w/2)×ceil(h/2) as
		// image.YCbCr lays them out.
		cw, ch := (w+1)/2, (h+1)/2
		buf := make([]byte, w*h+2*cw*ch)
		if _, err := dst.ImageCopyToBuffer(buf, 1); err != nil {
			return err
		}
		y, c := w*h, cw*ch
		img = &image.YCbCr{
			Y: buf[:y:y], Cb: buf[y : y+c : y+c], Cr: buf[y+c:],
			YStride: w, CStride: cw, SubsampleRatio: image.YCbCrSubsampleRatio420,
			Rect: image.Rect(0, 0, w, h),
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return img, nil
}

// convert scales the picture at its own size into pixel format pf with a
// swscale context of its own, and hands the result to copyOut.
func (p *Picture) convert(name string, pf astiav.PixelFormat, flags astiav.SoftwareScaleContextFlags,
	copyOut func(dst *astiav.Frame, w, h int) error) error {
	if p.f == nil {
		return errors.New("convert picture: it was freed")
	}
	w, h, src := p.f.Width(), p.f.Height(), p.f.PixelFormat()
	if w <= 0 || h <= 0 {
		return errors.New("convert picture: it holds no frame")
	}
	sws, err := astiav.CreateSoftwareScaleContext(w, h, src, w, h, pf, flags)
	if err != nil {
		return fmt.Errorf("convert %dx%d %s picture to %s: %w", w, h, src, name, err)
	}
	defer sws.Free()
	dst := astiav.AllocFrame()
	if dst == nil {
		return errors.New("convert picture: out of memory")
	}
	defer dst.Free()
	dst.SetWidth(w)
	dst.SetHeight(h)
	dst.SetPixelFormat(pf)
	if pf == astiav.PixelFormatYuvj420P {
		dst.SetColorRange(astiav.ColorRangeJpeg)
	}
	if err := dst.AllocBuffer(0); err != nil {
		return fmt.Errorf("convert picture: allocate %dx%d frame: %w", w, h, err)
	}
	if err := sws.ScaleFrame(p.f, dst); err != nil {
		return fmt.Errorf("convert %dx%d %s picture to %s: %w", w, h, src, name, err)
	}
	if err := copyOut(dst, w, h); err != nil {
		return fmt.Errorf("convert picture: copy out: %w", err)
	}
	return nil
}

// Image is YCbCr as an image.Image: with Free it makes a Picture a
// storage.Source, which a snapshot worker converts, encodes and frees. (For
// PNG the worker asks for RGBA instead.)
func (p *Picture) Image() (image.Image, error) {
	img, err := p.YCbCr()
	if err != nil {
		return nil, err
	}
	return img, nil
}

// Free releases the picture's reference. It may be called more than once, and
// on a nil Picture.
func (p *Picture) Free() {
	if p == nil || p.f == nil {
		return
	}
	p.cleanup.Stop()
	p.f.Free()
	p.f = nil
}

// Frame is a view of the picture as a Frame, for a Scaler: the review of
// recordings keeps decoded pictures and scales the one it shows. It is
// valid while p is held and not freed.
func (p *Picture) Frame() *Frame { return &Frame{f: p.f, full: true} }
