// Command camwall is a desktop multi-camera viewer.
//
//	camwall                      play the built-in demo cameras
//	camwall URL [URL ...]        play these cameras (rtsp:// or rtsps://)
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"time"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/camwall/camwall/app"
	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/player/demo"
)

func main() {
	capture := flag.String("capture", "", "debug: save window screenshots into this folder, then quit")
	captureCount := flag.Int("capture-count", 2, "debug: number of screenshots for --capture")
	captureDelay := flag.Duration("capture-delay", 3*time.Second, "debug: wait before the first screenshot")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: camwall [flags] [rtsp://camera ...]\n\nWith no camera, camwall plays its built-in demo cameras.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()

	if err := run(flag.Args(), app.CaptureConfig{
		Dir: *capture, Count: *captureCount, Delay: *captureDelay, Interval: time.Second, Quit: true,
	}); err != nil {
		fmt.Fprintln(os.Stderr, "camwall:", err)
		os.Exit(1)
	}
}

func run(urls []string, capture app.CaptureConfig) error {
	var cams []player.Config
	for i, u := range urls {
		cams = append(cams, player.Config{Name: fmt.Sprintf("camera %d", i+1), URL: u})
	}
	if len(cams) == 0 {
		// The embedded default: live video on first start, nothing to set up.
		srv := &demo.Server{Streams: 4}
		if err := srv.Start(); err != nil {
			return err
		}
		defer srv.Close()
		for i := 1; i <= srv.Streams; i++ {
			cams = append(cams, player.Config{Name: fmt.Sprintf("Demo %d", i), URL: srv.URL(i)})
		}
		slog.Info("no cameras given: playing the demo", "rtsp", srv.Address())
	}

	sessions := make([]*player.Session, len(cams))
	for i, c := range cams {
		sessions[i] = player.New(c)
	}
	a := fyneapp.NewWithID("io.camwall.camwall")
	ui := app.New(a, sessions)
	for _, s := range sessions {
		s.Start()
	}
	ui.Start()
	if capture.Dir != "" {
		ui.StartCapture(capture)
	}
	ui.Window.ShowAndRun()
	ui.Close()
	for _, s := range sessions {
		s.Close()
	}
	return nil
}
