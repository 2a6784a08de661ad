// Command camwall is a desktop multi-camera viewer.
//
//	camwall [--config FILE] [--kiosk] [--hwaccel MODE] [rtsp://camera ...]   the wall (the demo when nothing is configured)
//	camwall probe URL [--seconds N] [--transport auto|tcp|udp] [--hwaccel MODE] [--timeout D]
//	camwall snapshot [--camera NAME ... | --all | --url URL ...] [--out DIR] [--timeout 10s] [--hwaccel MODE] [--config FILE]
//	camwall record (--camera NAME | --url URL) [--duration 10m] [--segment 5m] [--out DIR] [--hwaccel MODE] [--config FILE]
//	camwall export --camera NAME --from TIME --to TIME --out FILE.mp4 [--dir DIR] [--config FILE]
//	camwall discover [--timeout 3s] [--to HOST[:PORT] ...] [--no-multicast] [--add --user USER --password-env VAR] [--config FILE]
//	camwall gopro discover [--add] [--config FILE]
//
// The sub-commands live in app/cli, whose table gives the lines above and
// `camwall --help`; TestHeaderCommentListsEverySubCommand holds this comment
// to the table.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"runtime"
	"syscall"
	"time"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/camwall/camwall/app"
	"github.com/camwall/camwall/app/cli"
	// Before Fyne reads the locale as it initializes, this makes a C.UTF-8
	// locale read as English: otherwise every run, headless sub-commands
	// included, starts with "Fyne error: Error parsing user locale C".
	_ "github.com/camwall/camwall/app/locale"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/storage"
)

func main() {
	if len(os.Args) > 1 {
		if code, ok := cli.Run(os.Args[1], os.Args[2:]); ok {
			os.Exit(code)
		}
	}
	configPath := flag.String("config", "", "configuration file (default: the user's config folder, camwall/config.yaml)")
	capture := flag.String("capture", "", "debug: save window screenshots (Canvas().Capture()) into this folder, then quit")
	captureCount := flag.Int("capture-count", 2, "debug: number of screenshots for --capture")
	captureDelay := flag.Duration("capture-delay", 3*time.Second, "debug: wait before the first screenshot")
	kiosk := flag.Bool("kiosk", false, "kiosk mode: full screen, the wall alone (also kiosk: true in the configuration); Ctrl+Alt+K leaves it")
	statsEvery := flag.Duration("log-stats", 0, "log every tile's state and painted frame rate at this interval (e.g. 10s; 0: off)")
	hwaccel := flag.String("hwaccel", "", "decode every camera with auto, off, vaapi, cuda, d3d11va or videotoolbox (default: the configuration's hwaccel, per camera, else off)")
	metrics := flag.String("metrics", "", "serve /metrics and /healthz on this address, e.g. 127.0.0.1:9464 (default: the configuration's metrics, else none)")
	flag.Usage = usage
	flag.Parse()
	if err := storage.CheckHWAccel(*hwaccel); err != nil {
		fmt.Fprintln(os.Stderr, "camwall: --"+err.Error())
		os.Exit(2)
	}
	if err := run(*configPath, flag.Args(), app.Options{StatsEvery: *statsEvery, Kiosk: *kiosk, Metrics: *metrics, HWAccel: *hwaccel}, app.CaptureConfig{
		Dir: *capture, Count: *captureCount, Delay: *captureDelay, Interval: time.Second, Quit: true,
	}); err != nil {
		fmt.Fprintln(os.Stderr, "camwall:", err)
		os.Exit(1)
	}
}

// usage is `camwall --help`: the wall's command line and every sub-command's,
// then the wall's flags.
func usage() {
	w := flag.CommandLine.Output()
	fmt.Fprintln(w, "usage: camwall [flags] [rtsp://camera ...]")
	for _, c := range cli.Commands() {
		fmt.Fprintln(w, "       camwall "+c.Usage)
	}
	fmt.Fprint(w, "\nWith no camera configured or given, camwall plays its built-in demo cameras.\n\n"+
		"Sub-commands (camwall COMMAND --help explains each one's flags):\n")
	for _, c := range cli.Commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.Name, c.Summary)
	}
	fmt.Fprint(w, "\nFlags of the wall:\n")
	flag.PrintDefaults()
}

// run plays the wall; opts carries the flags, and run adds the cameras.
func run(configPath string, urls []string, opts app.Options, capture app.CaptureConfig) error {
	if len(urls) > 0 {
		// Cameras from the command line are shown, not saved.
		for i, u := range urls {
			opts.Config.Cameras = append(opts.Config.Cameras, storage.Camera{Name: fmt.Sprintf("camera %d", i+1), URL: u})
		}
		// Held to the configuration's rules, the number of cameras included.
		if err := opts.Config.Validate(); err != nil {
			return fmt.Errorf("cameras on the command line: %w", err)
		}
	} else {
		path, cfg, err := cli.LoadConfig(configPath)
		if err != nil {
			return err
		}
		opts.Config, opts.ConfigPath = *cfg, path
	}
	if opts.Metrics == "" { // --metrics wins over the configuration
		opts.Metrics = opts.Config.Metrics
	}
	if len(opts.Config.Cameras) == 0 {
		// The embedded default: live video on first start, nothing to set up.
		srv := &rtspserver.Demo{Streams: 4}
		if err := srv.Start(); err != nil {
			return err
		}
		defer srv.Close()
		for i := 1; i <= srv.Streams; i++ {
			opts.Demo = append(opts.Demo, storage.Camera{Name: fmt.Sprintf("Demo %d", i), URL: srv.URL(i)})
		}
		slog.Info("no cameras configured: playing the demo", "rtsp", srv.Address(), "config", opts.ConfigPath)
	}

	raiseGOMAXPROCS()
	ui := app.New(fyneapp.NewWithID("io.camwall.camwall"), opts)
	ui.Start()
	// SIGINT and SIGTERM close the window as the user would, so that every
	// session ends properly: recordings finish their file, GoPros are told
	// to stop streaming.
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sig)
	go func() {
		if _, ok := <-sig; ok {
			ui.Quit()
		}
	}()
	if capture.Dir != "" {
		ui.StartCapture(capture)
	}
	ui.Window.ShowAndRun()
	ui.Close()
	return nil
}

// raiseGOMAXPROCS gives the wall more Go processors than CPUs, unless the
// user set GOMAXPROCS. Every decoder and the window's thread spend most of
// their time in C (FFmpeg, OpenGL), and each return to Go needs a free
// processor: with one per CPU, the window's thread queues behind dozens of
// decoders after every GL call (seen with gdb: parked in exitsyscall), and
// a 64-camera wall painted 1.5 pictures a second per tile instead of 4
// (BenchmarkWindow). With spare processors the kernel, which knows that the
// decoders run at a lower priority, decides who runs.
func raiseGOMAXPROCS() {
	const wallProcs = 32
	if os.Getenv("GOMAXPROCS") == "" && runtime.GOMAXPROCS(0) < wallProcs {
		runtime.GOMAXPROCS(wallProcs)
	}
}
