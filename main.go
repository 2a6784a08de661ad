// Command camwall is a desktop multi-camera viewer.
//
//	camwall [--config FILE] [rtsp://camera ...]   the wall (the demo when nothing is configured)
//	camwall probe URL [--seconds N] [--transport auto|tcp|udp] [--timeout D]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/camwall/camwall/app"
	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/player/demo"
	"github.com/camwall/camwall/storage"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "probe" {
		os.Exit(probe(os.Args[2:]))
	}
	configPath := flag.String("config", "", "configuration file (default: the user's config folder, camwall/config.yaml)")
	capture := flag.String("capture", "", "debug: save window screenshots (Canvas().Capture()) into this folder, then quit")
	captureCount := flag.Int("capture-count", 2, "debug: number of screenshots for --capture")
	captureDelay := flag.Duration("capture-delay", 3*time.Second, "debug: wait before the first screenshot")
	flag.Usage = func() {
		fmt.Fprint(flag.CommandLine.Output(), "usage: camwall [flags] [rtsp://camera ...]\n       camwall probe URL [--seconds N] [--transport auto|tcp|udp] [--timeout D]\n\n"+
			"With no camera configured or given, camwall plays its built-in demo cameras.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if err := run(*configPath, flag.Args(), app.CaptureConfig{
		Dir: *capture, Count: *captureCount, Delay: *captureDelay, Interval: time.Second, Quit: true,
	}); err != nil {
		fmt.Fprintln(os.Stderr, "camwall:", err)
		os.Exit(1)
	}
}

func run(configPath string, urls []string, capture app.CaptureConfig) error {
	opts := app.Options{}
	if len(urls) > 0 {
		// Cameras from the command line are shown, not saved.
		for i, u := range urls {
			opts.Config.Cameras = append(opts.Config.Cameras, storage.Camera{Name: fmt.Sprintf("camera %d", i+1), URL: u})
		}
	} else {
		path, cfg, err := loadConfig(configPath)
		if err != nil {
			return err
		}
		opts.Config, opts.ConfigPath = *cfg, path
	}
	if len(opts.Config.Cameras) == 0 {
		// The embedded default: live video on first start, nothing to set up.
		srv := &demo.Server{Streams: 4}
		if err := srv.Start(); err != nil {
			return err
		}
		defer srv.Close()
		for i := 1; i <= srv.Streams; i++ {
			opts.Demo = append(opts.Demo, storage.Camera{Name: fmt.Sprintf("Demo %d", i), URL: srv.URL(i)})
		}
		slog.Info("no cameras configured: playing the demo", "rtsp", srv.Address(), "config", opts.ConfigPath)
	}

	ui := app.New(fyneapp.NewWithID("io.camwall.camwall"), opts)
	ui.Start()
	if capture.Dir != "" {
		ui.StartCapture(capture)
	}
	ui.Window.ShowAndRun()
	ui.Close()
	return nil
}

// loadConfig reads the configuration; a missing file is an empty one, which
// the UI creates when the first camera is added.
func loadConfig(path string) (string, *storage.Config, error) {
	if path == "" {
		p, err := storage.DefaultConfigPath()
		if err != nil {
			return "", nil, err
		}
		path = p
	}
	cfg, err := storage.LoadConfig(path)
	if errors.Is(err, fs.ErrNotExist) {
		return path, &storage.Config{}, nil
	}
	return path, cfg, err
}

// probe is the CLI twin of the camera dialog's "Test connection".
func probe(args []string) int {
	fl := flag.NewFlagSet("probe", flag.ContinueOnError)
	seconds := fl.Int("seconds", 5, "exit 0 after this many seconds of live video")
	transport := fl.String("transport", "auto", "auto, tcp or udp")
	timeout := fl.Duration("timeout", 15*time.Second, "give up when there is no video after this long")
	fl.Usage = func() {
		fmt.Fprintln(fl.Output(), "usage: camwall probe URL [--seconds N] [--transport auto|tcp|udp] [--timeout D]")
		fl.PrintDefaults()
	}
	// Accept the URL before or after the flags.
	var url string
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		url, args = args[0], args[1:]
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if url == "" && fl.NArg() == 1 {
		url = fl.Arg(0)
	}
	if url == "" || fl.NArg() > 1 || (*transport != "auto" && *transport != "tcp" && *transport != "udp") {
		fl.Usage()
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, *timeout+time.Duration(*seconds)*time.Second)
	defer cancel()
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	fmt.Printf("probing %s\n", player.Redact(url))
	st, err := player.Probe(ctx, player.Config{Name: "probe", URL: url, Transport: player.Transport(*transport)},
		time.Duration(*seconds)*time.Second, time.Second, func(st player.Status) { fmt.Println(probeLine(st)) })
	if err != nil {
		fmt.Fprintln(os.Stderr, "camwall probe:", err)
		return 1
	}
	fmt.Println(probeLine(st))
	fmt.Printf("ok: %s %dx%d live for %ds\n", st.Codec, st.Width, st.Height, *seconds)
	return 0
}

func probeLine(st player.Status) string {
	latency := "n/a"
	if st.Latency > 0 {
		latency = fmt.Sprintf("%dms", st.Latency.Milliseconds())
	}
	return fmt.Sprintf("%-12s codec=%s size=%dx%d rx=%.1ffps decoded=%.1ffps bitrate=%.2fMb/s dropped=%d latency=%s",
		st.State, st.Codec, st.Width, st.Height, st.ReceivedFPS, st.DecodedFPS, st.Bitrate/1e6, st.Dropped, latency)
}
