// Command barewall is the window benchmark's floor: a bare Fyne program
// that shows the same grid of pictures as camwall's wall, with nothing else.
// Each tile is a canvas.Raster drawn 1:1 (as camwall's pictures are), given
// a new picture FPS times a second from one goroutine, all tiles in one
// fyne.Do, as camwall's painter does; with --labels each tile also has a
// name. What camwall spends per repaint beyond this program's is its own
// scene (BenchmarkWindow, BENCHMARKS.md).
//
// It prints one line per tile, "tile I X Y W H" (pixels in the window, at
// scale 1), once the window is shown, and runs until it is killed.
package main

import (
	"flag"
	"fmt"
	"image"
	"image/color"
	"math"
	"os"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

func main() {
	tiles := flag.Int("tiles", 16, "number of tiles, in the smallest square grid that holds them")
	width := flag.Int("width", 1280, "window width")
	height := flag.Int("height", 720, "window height")
	fps := flag.Float64("fps", 30, "pictures per tile per second")
	labels := flag.Bool("labels", false, "a name on each tile")
	flag.Parse()
	if *tiles < 1 || *fps <= 0 {
		fmt.Fprintln(os.Stderr, "barewall: --tiles and --fps must be positive")
		os.Exit(2)
	}
	cols := int(math.Ceil(math.Sqrt(float64(*tiles))))
	rows := (*tiles + cols - 1) / cols
	tw, th := *width/cols, *height/rows

	a := fyneapp.NewWithID("camwall.barewall")
	w := a.NewWindow("barewall")
	w.SetPadded(false)
	imgs := make([]*image.RGBA, *tiles)
	rasters := make([]*canvas.Raster, *tiles)
	cells := make([]fyne.CanvasObject, *tiles)
	for i := range imgs {
		img := image.NewRGBA(image.Rect(0, 0, tw, th))
		imgs[i] = img
		r := canvas.NewRaster(func(int, int) image.Image { return img })
		r.ScaleMode = canvas.ImageScaleFastest
		rasters[i] = r
		cells[i] = r
		if *labels {
			cells[i] = container.NewStack(r, canvas.NewText(fmt.Sprintf("camera %d", i+1), color.White))
		}
	}
	// Placed by hand: Fyne's grid layouts put padding between the cells.
	for i, c := range cells {
		c.Move(fyne.NewPos(float32((i%cols)*tw), float32((i/cols)*th)))
		c.Resize(fyne.NewSize(float32(tw), float32(th)))
	}
	w.SetContent(container.NewWithoutLayout(cells...))
	w.Resize(fyne.NewSize(float32(*width), float32(*height)))

	go func() {
		time.Sleep(time.Second)
		for i := range *tiles {
			fmt.Printf("tile %d %d %d %d %d\n", i, (i%cols)*tw, (i/cols)*th, tw, th)
		}
		tick := time.NewTicker(time.Duration(float64(time.Second) / *fps))
		defer tick.Stop()
		for n := 0; ; n++ {
			<-tick.C
			// Every pixel changes in every picture, as in testsrc2's noise
			// squares, and is written once, as camwall's scaler writes it.
			for _, img := range imgs {
				paint(img, n)
			}
			fyne.Do(func() {
				for _, r := range rasters {
					r.Refresh()
				}
			})
		}
	}()
	w.ShowAndRun()
}

// paint fills img with picture n: a gradient shifted by n.
func paint(img *image.RGBA, n int) {
	b := img.Bounds()
	for y := range b.Dy() {
		row := img.Pix[y*img.Stride : y*img.Stride+4*b.Dx()]
		v := byte(y + 7*n)
		for x := 0; x < len(row); x += 4 {
			row[x], row[x+1], row[x+2], row[x+3] = v, v^0x55, byte(x)+v, 0xff
			v++
		}
	}
}
