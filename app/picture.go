package app

import (
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player"
)

// picture is a tile's video. It is a canvas.Raster rather than a
// canvas.Image because a raster's generator runs inside Fyne's painter, when
// the texture is uploaded for the frame being drawn: counting there counts
// pictures that reached the window, not pictures handed to the widget (the
// two differ as soon as the UI thread cannot keep up).
//
// Every method runs on the UI goroutine, the generator included.
type picture struct {
	Raster *canvas.Raster

	img  *image.RGBA       // the newest picture given to the painter
	from *player.FrameSlot // where img came from, to give it back
	seq  uint64            // bumped by every swap

	paintedSeq uint64 // seq of the last picture the painter uploaded
	painted    int    // pictures painted since the last call to takePainted
}

func newPicture() *picture {
	p := &picture{}
	p.Raster = canvas.NewRaster(p.generate)
	// The session scales every picture to the raster's pixel size, so the
	// texture is drawn 1:1 and nearest-neighbour sampling is exact and
	// cheapest.
	p.Raster.ScaleMode = canvas.ImageScaleFastest
	p.Raster.Hide()
	return p
}

// generate is the raster's generator: Fyne calls it while painting, each
// time the texture must be made again (after swap's Refresh, or when a
// texture the cache dropped is needed again).
func (p *picture) generate(w, h int) image.Image {
	if p.img == nil {
		return image.NewRGBA(image.Rect(0, 0, 1, 1))
	}
	if p.seq != p.paintedSeq {
		p.paintedSeq = p.seq
		p.painted++
	}
	return p.img
}

// swap makes img the picture to paint and gives the previous one back to
// its slot. Fyne copies a picture into its texture while painting, so the
// previous buffer is free once the raster no longer refers to it, painted or
// not. It reports whether img's size differs from the previous picture's,
// which moves the letterbox.
func (p *picture) swap(from *player.FrameSlot, img *image.RGBA) (resized bool) {
	old, oldSlot := p.img, p.from
	resized = old == nil || old.Rect.Size() != img.Rect.Size()
	p.img, p.from = img, from
	p.seq++
	if resized {
		p.Raster.Show()
	}
	p.Raster.Refresh()
	if oldSlot != nil {
		oldSlot.Release(old)
	}
	return resized
}

// takePainted returns the pictures painted since the last call.
func (p *picture) takePainted() int {
	n := p.painted
	p.painted = 0
	return n
}

// image is the picture on screen, nil before the first.
func (p *picture) image() *image.RGBA { return p.img }

// place letterboxes the raster in a tile of the given size: the picture
// keeps its own aspect ratio (the session scaled it to fit the tile already;
// a picture of a previous tile size is fitted again by the GPU until the
// session catches up).
func (p *picture) place(tile fyne.Size, scale float32) {
	if p.img == nil {
		return
	}
	b := p.img.Rect.Size()
	w, h := decoder.Fit(b.X, b.Y, int(tile.Width*scale), int(tile.Height*scale))
	size := fyne.NewSize(float32(w)/scale, float32(h)/scale)
	p.Raster.Resize(size)
	p.Raster.Move(fyne.NewPos((tile.Width-size.Width)/2, (tile.Height-size.Height)/2))
}
