package main

import (
	"fmt"
	"image"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
)

// A camera whose frames arrive in pairs, as from a relay or over Wi-Fi, has
// every frame on the screen: the window shows pictures on their timestamps'
// clock, so the second of a pair is not painted over the first. The screen
// is sampled by x11grab at three times the camera's rate over the tile's
// picture, and the distinct pictures counted against the frames the camera
// sent meanwhile (the capture's own sample count gives the time, not a
// clock of the test). The camera sends 10 frames a second, in pairs 100 ms
// apart, so that a loaded machine keeps up as well as an idle one: a painter
// that lets the second of each pair replace the first shows half of them.
func TestWindowShowsEveryFrameOfABurstyCamera(t *testing.T) {
	srv := playtest.StartServer(t, &rtspserver.Server{})
	clip := playtest.DemoClip(t)
	clip.FPS, clip.Pairs = 10, true
	if err := srv.Loop("pairs", clip); err != nil {
		t.Fatal(err)
	}
	w := startWall(t, "--config", t.TempDir()+"/none.yaml", "--log-stats", "1s", srv.URL("pairs"))
	w.paintsEveryTile(t, 1)
	r := w.tilePicture(t, 1)
	const rate, seconds = 30, 6
	out, err := exec.Command(w.ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin",
		"-f", "x11grab", "-draw_mouse", "0", "-framerate", strconv.Itoa(rate), "-video_size", fmt.Sprintf("%dx%d", r.Dx(), r.Dy()),
		"-i", fmt.Sprintf("%s+%d,%d", screenName(), r.Min.X, r.Min.Y), "-t", strconv.Itoa(seconds), "-f", "framemd5", "-").Output()
	if err != nil {
		t.Fatalf("x11grab: %v", err)
	}
	changes, samples, prev := 0, 0, ""
	for _, line := range strings.Split(string(out), "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		samples++
		hash := line[strings.LastIndexByte(line, ',')+1:]
		if prev != "" && hash != prev {
			changes++
		}
		prev = hash
	}
	sent := float64(samples) / rate * float64(clip.FPS)
	t.Logf("%d distinct pictures on the screen in %d samples, while the camera sent %.0f frames", changes, samples, sent)
	if float64(changes) < 0.9*sent {
		t.Errorf("the screen showed %d of the %.0f frames the camera sent (want at least 90 %%)", changes, sent)
	}
}

// tilePicture is where tile i's picture is on the screen, from the
// wall's --log-stats lines.
func (w *wall) tilePicture(t *testing.T, i int) image.Rectangle {
	t.Helper()
	var r image.Rectangle
	for _, m := range tileLine.FindAllStringSubmatch(w.logs.String(), -1) {
		if n, _ := strconv.Atoi(m[1]); n == i {
			x, _ := strconv.Atoi(m[3])
			y, _ := strconv.Atoi(m[4])
			pw, _ := strconv.Atoi(m[5])
			ph, _ := strconv.Atoi(m[6])
			r = image.Rect(x, y, x+pw, y+ph)
		}
	}
	if r.Empty() {
		t.Fatalf("no --log-stats line places tile %d", i)
	}
	return r
}
