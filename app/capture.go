package app

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"log/slog"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"

	"github.com/camwall/camwall/storage"
)

// CaptureConfig makes the window save screenshots of itself: a debugging and
// testing aid (the real-window test uses it) behind the --capture flag.
type CaptureConfig struct {
	Dir      string        // where capture-1.png … capture-N.png go
	Delay    time.Duration // before the first capture
	Interval time.Duration // between captures
	Count    int
	// Quit the app after the last capture.
	Quit bool
}

// StartCapture schedules the captures. Errors are logged; the app keeps
// running.
func (u *UI) StartCapture(c CaptureConfig) {
	go func() {
		time.Sleep(c.Delay)
		for i := 1; i <= c.Count; i++ {
			if i > 1 {
				time.Sleep(c.Interval)
			}
			path := filepath.Join(c.Dir, fmt.Sprintf("capture-%d.png", i))
			done := make(chan struct{})
			fyne.Do(func() {
				defer close(done)
				img := u.Window.Canvas().Capture()
				if blank(img) {
					// Seen with Mesa's software GL under Xvfb: glReadPixels on
					// the front buffer returns zeros. Say so instead of saving
					// an empty picture that looks like a rendering bug.
					slog.Warn("window capture came back empty (GL front-buffer read unsupported here); use an X screenshot instead", "path", path)
				}
				if err := writePNG(path, img); err != nil {
					slog.Error("capture", "path", path, "err", err)
					return
				}
				slog.Info("captured window", "path", path)
			})
			<-done
		}
		if c.Quit {
			fyne.Do(u.App.Quit)
		}
	}()
}

// writePNG writes through a temporary file so that a reader polling for the
// file never sees half of it. Captures are 0600 less the umask, as they have
// always been.
func writePNG(path string, img image.Image) error {
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	_, err := storage.WriteFileAtomic(path, buf.Bytes(), storage.AtomicWrite{Perm: 0o600, DirPerm: 0o755})
	return err
}

// blank reports whether every pixel of img is fully transparent.
func blank(img image.Image) bool {
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			if _, _, _, a := img.At(x, y).RGBA(); a != 0 {
				return false
			}
		}
	}
	return true
}
