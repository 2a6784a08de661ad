package main

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/camwall/camwall/player/playtest"
)

// The real binary, in a real X window: the demo must show moving video in
// every tile. Screenshots come from the X server itself (Debian's ffmpeg,
// x11grab), independent of Fyne.
func TestRealWindowShowsMovingVideo(t *testing.T) {
	// A configuration file that does not exist: the demo, whatever the
	// user running the tests has configured.
	w := startWall(t, "--config", filepath.Join(t.TempDir(), "none.yaml"), "--log-stats", "1s")
	w.showsMovingVideo(t, "CAMWALL_SCREENSHOT")
	w.paintsEveryTile(t, 4)
}

// Kiosk mode: the window covers the whole X screen with the wall, the
// pictures reaching its top edge (no menu or toolbar above them).
func TestKioskCoversTheScreenWithVideoToItsTopEdge(t *testing.T) {
	w := startWall(t, "--kiosk", "--config", filepath.Join(t.TempDir(), "none.yaml"))
	var shot *image.RGBA
	deadline := time.Now().Add(20 * time.Second)
	for {
		shot = w.shot(t, "kiosk.png")
		if allTilesShowVideo(shot, shot.Bounds()) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 20 s the screen (%v) is not covered by the 4 tiles' video (see %s)", shot.Bounds(), filepath.Join(w.dir, "kiosk.png"))
		}
		time.Sleep(500 * time.Millisecond)
	}
	// The top row of pixels: the tiles' name bars darken the video there,
	// but its colours show through; a menu or toolbar is one flat grey.
	coloured := 0
	for x := 0; x < shot.Bounds().Dx(); x++ {
		c := shot.RGBAAt(x, 1)
		if max(c.R, c.G, c.B)-min(c.R, c.G, c.B) > 40 {
			coloured++
		}
	}
	if coloured < shot.Bounds().Dx()/3 {
		t.Errorf("only %d of %d pixels of the screen's top row show video", coloured, shot.Bounds().Dx())
	}
}

// wall is the real binary running under the test's X display.
type wall struct {
	proc   *playtest.Process
	logs   *playtest.Buffer // its standard output and error
	ffmpeg string
	dir    string
}

// startWall runs camwall with args; it is killed when the test ends if it
// is still running, and its output shown if the test failed.
func startWall(t *testing.T, args ...string) *wall {
	t.Helper()
	if os.Getenv("DISPLAY") == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("DISPLAY is not set: run the tests under xvfb-run (make test does)")
		}
		t.Skip("no X display; make test runs this under Xvfb")
	}
	ffmpeg, err := exec.LookPath("ffmpeg")
	if err != nil {
		t.Fatal("Debian's ffmpeg (with x11grab) is needed for screenshots: ", err)
	}
	w := &wall{ffmpeg: ffmpeg, dir: t.TempDir()}
	w.proc = playtest.Start(t, exec.Command(camwallBinary(t), args...))
	w.logs = w.proc.Output
	return w
}

// shot takes a screenshot of the whole X screen.
func (w *wall) shot(t *testing.T, name string) *image.RGBA {
	t.Helper()
	path := filepath.Join(w.dir, name)
	out, err := exec.Command(w.ffmpeg, "-hide_banner", "-loglevel", "error", "-y",
		"-f", "x11grab", "-i", os.Getenv("DISPLAY"), "-frames:v", "1", path).CombinedOutput()
	if err != nil {
		t.Fatalf("x11grab: %v: %s", err, out)
	}
	return readPNG(t, path)
}

// showsMovingVideo checks that the window (top-left of the screen,
// 1280x720, 2x2 tiles) shows video in every tile and that it moves; keepEnv
// names the variable that, when set, is where the last screenshot is kept to
// look at.
func (w *wall) showsMovingVideo(t *testing.T, keepEnv string) {
	t.Helper()
	w.showsMovingVideoIn(t, image.Rect(0, 0, 1280, 720), keepEnv)
}

// showsMovingVideoIn is showsMovingVideo for a window (2x2 tiles) at
// window on the screen.
func (w *wall) showsMovingVideoIn(t *testing.T, window image.Rectangle, keepEnv string) {
	t.Helper()
	var first *image.RGBA
	deadline := time.Now().Add(20 * time.Second)
	for {
		first = w.shot(t, "first.png")
		if allTilesShowVideo(first, window) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 20 s the tiles are still blank (see %s)", filepath.Join(w.dir, "first.png"))
		}
		time.Sleep(500 * time.Millisecond)
	}
	// Every tile must move: a later screenshot differs from the first in
	// each quadrant. Looked at once a second, for up to 10 s, so that a
	// loaded machine (make test runs every package at once) that delays a
	// stream for a moment does not fail it.
	var second *image.RGBA
	moved := make([]bool, 4)
	var changed []float64
	for try := 1; ; try++ {
		time.Sleep(time.Second)
		second = w.shot(t, "second.png")
		changed = changed[:0]
		all := true
		for i, r := range quadrants(window) {
			c := changedFraction(first, second, r)
			changed = append(changed, c)
			moved[i] = moved[i] || c >= 0.01
			all = all && moved[i]
		}
		if all || try == 10 {
			break
		}
	}
	for i := range moved {
		if !moved[i] {
			t.Errorf("tile %d: %.2f%% of pixels changed in 10 s, want moving video", i+1, 100*changed[i])
		}
	}
	if !allTilesShowVideo(second, window) {
		t.Error("tiles went blank")
	}
	if keep := os.Getenv(keepEnv); keep != "" {
		if err := os.WriteFile(keep, mustRead(t, filepath.Join(w.dir, "second.png")), 0o644); err != nil {
			t.Error(err)
		}
	}
}

// tileLine is one tile's line of --log-stats.
var tileLine = regexp.MustCompile(`INFO tile tile=(\d+) .*painted_fps=([0-9.]+) .* x=(\d+) y=(\d+) w=(\d+) h=(\d+)`)

// paintsEveryTile checks, with --log-stats on, that each of n tiles reports
// painted pictures, and that the screen, sampled by x11grab where tile 1's
// picture is, changes: the painted counter and the screen agree that
// pictures arrive. The floor is one picture a second, far below the 30 the
// demo sends, so that a slow machine does not fail it.
func (w *wall) paintsEveryTile(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var painted map[int]float64
	var r image.Rectangle
	for {
		painted = map[int]float64{}
		for _, m := range tileLine.FindAllStringSubmatch(w.logs.String(), -1) {
			i, _ := strconv.Atoi(m[1])
			painted[i], _ = strconv.ParseFloat(m[2], 64)
			if i == 1 {
				x, _ := strconv.Atoi(m[3])
				y, _ := strconv.Atoi(m[4])
				pw, _ := strconv.Atoi(m[5])
				ph, _ := strconv.Atoi(m[6])
				r = image.Rect(x, y, x+pw, y+ph)
			}
		}
		ok := !r.Empty()
		for i := 1; i <= n; i++ {
			ok = ok && painted[i] > 0
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 20 s the painted counters are %v (tile 1's picture at %v)", painted, r)
		}
		time.Sleep(500 * time.Millisecond)
	}
	const seconds = 3
	out, err := exec.Command(w.ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin",
		"-f", "x11grab", "-draw_mouse", "0", "-framerate", "30", "-video_size", fmt.Sprintf("%dx%d", r.Dx(), r.Dy()),
		"-i", fmt.Sprintf("%s+%d,%d", screenName(), r.Min.X, r.Min.Y), "-t", strconv.Itoa(seconds), "-f", "framemd5", "-").Output()
	if err != nil {
		t.Fatalf("x11grab: %v", err)
	}
	changes, prev := 0, ""
	for _, line := range strings.Split(string(out), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		hash := line[strings.LastIndexByte(line, ',')+1:]
		if prev != "" && hash != prev {
			changes++
		}
		prev = hash
	}
	if changes < seconds {
		t.Errorf("tile 1's picture changed %d times on the screen in %d s (painted counters %v)", changes, seconds, painted)
	}
}

// screenName is the X screen for x11grab: DISPLAY with its screen number.
func screenName() string {
	d := os.Getenv("DISPLAY")
	if !strings.Contains(d, ".") {
		d += ".0"
	}
	return d
}

// runCamwall runs the binary to its end and returns what it printed and its
// exit code.
func runCamwall(t *testing.T, bin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runCamwallIn(t, nil, bin, args...)
}

// runCamwallIn is runCamwall in the environment env (nil: this process's).
func runCamwallIn(t *testing.T, env []string, bin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), code
}

// camwallBinary returns the binary to test: CAMWALL_BIN (make test builds it
// first) or a fresh build.
func camwallBinary(t *testing.T) string {
	t.Helper()
	if b := os.Getenv("CAMWALL_BIN"); b != "" {
		return b
	}
	bin := filepath.Join(t.TempDir(), "camwall")
	out, err := exec.Command("go", "build", "-tags", "migrated_fynedo", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func readPNG(t *testing.T, path string) *image.RGBA {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(mustRead(t, path)))
	if err != nil {
		t.Fatal(err)
	}
	rgba := image.NewRGBA(img.Bounds())
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			rgba.Set(x, y, img.At(x, y))
		}
	}
	return rgba
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func quadrants(r image.Rectangle) []image.Rectangle {
	w, h := r.Dx()/2, r.Dy()/2
	return []image.Rectangle{
		image.Rect(r.Min.X, r.Min.Y, r.Min.X+w, r.Min.Y+h),
		image.Rect(r.Min.X+w, r.Min.Y, r.Max.X, r.Min.Y+h),
		image.Rect(r.Min.X, r.Min.Y+h, r.Min.X+w, r.Max.Y),
		image.Rect(r.Min.X+w, r.Min.Y+h, r.Max.X, r.Max.Y),
	}
}

// allTilesShowVideo: most of every tile is strongly coloured (the demo's
// colour bars), which neither an empty tile nor a text overlay is.
func allTilesShowVideo(img *image.RGBA, window image.Rectangle) bool {
	if !window.In(img.Bounds()) {
		return false
	}
	for _, r := range quadrants(window) {
		coloured, total := 0, 0
		for y := r.Min.Y; y < r.Max.Y; y += 4 {
			for x := r.Min.X; x < r.Max.X; x += 4 {
				c := img.RGBAAt(x, y)
				hi := max(c.R, c.G, c.B)
				lo := min(c.R, c.G, c.B)
				if hi-lo > 100 {
					coloured++
				}
				total++
			}
		}
		if coloured < total/3 {
			return false
		}
	}
	return true
}

func changedFraction(a, b *image.RGBA, r image.Rectangle) float64 {
	changed, total := 0, 0
	for y := r.Min.Y; y < r.Max.Y; y += 2 {
		for x := r.Min.X; x < r.Max.X; x += 2 {
			ca, cb := a.RGBAAt(x, y), b.RGBAAt(x, y)
			if absDiff(ca.R, cb.R)+absDiff(ca.G, cb.G)+absDiff(ca.B, cb.B) > 60 {
				changed++
			}
			total++
		}
	}
	return float64(changed) / float64(total)
}

func absDiff(a, b uint8) int {
	if a > b {
		return int(a - b)
	}
	return int(b - a)
}
