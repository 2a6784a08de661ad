package app

import (
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestWritePNGWritesACompletePictureAndNothingElse(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "captures")
	path := filepath.Join(dir, "capture-1.png")
	img := image.NewNRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 2, color.NRGBA{R: 200, A: 255})
	if err := writePNG(path, img); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if got.Bounds() != img.Bounds() || got.At(1, 2) != img.At(1, 2) {
		t.Errorf("%s holds another picture", path)
	}
	fi, err := f.Stat()
	if err != nil {
		t.Fatal(err)
	}
	// No usual umask takes bits from the owner's.
	if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", fi.Mode().Perm())
	}
	if entries, err := os.ReadDir(dir); err != nil || len(entries) != 1 {
		t.Errorf("the folder holds %v (%v), want the capture only", entries, err)
	}
}
