// Command camwall is a desktop multi-camera viewer.
//
//	camwall [--config FILE] [rtsp://camera ...]   the wall (the demo when nothing is configured)
//	camwall probe URL [--seconds N] [--transport auto|tcp|udp] [--timeout D]
//	camwall record (--camera NAME | --url URL) [--duration 10m] [--segment 5m] [--out DIR] [--config FILE]
//	camwall gopro discover [--add] [--config FILE]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	fyneapp "fyne.io/fyne/v2/app"

	"github.com/camwall/camwall/app"
	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/player/gopro"
	"github.com/camwall/camwall/player/redact"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source/rtsp"
	"github.com/camwall/camwall/storage"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "probe" {
		os.Exit(probe(os.Args[2:]))
	}
	if len(os.Args) > 1 && os.Args[1] == "snapshot" {
		os.Exit(snapshotCmd(os.Args[2:]))
	}
	if len(os.Args) > 1 && os.Args[1] == "record" {
		os.Exit(recordCmd(os.Args[2:]))
	}
	if len(os.Args) > 1 && os.Args[1] == "gopro" {
		os.Exit(goproCmd(os.Args[2:]))
	}
	configPath := flag.String("config", "", "configuration file (default: the user's config folder, camwall/config.yaml)")
	capture := flag.String("capture", "", "debug: save window screenshots (Canvas().Capture()) into this folder, then quit")
	captureCount := flag.Int("capture-count", 2, "debug: number of screenshots for --capture")
	captureDelay := flag.Duration("capture-delay", 3*time.Second, "debug: wait before the first screenshot")
	statsEvery := flag.Duration("log-stats", 0, "log every tile's state and painted frame rate at this interval (e.g. 10s; 0: off)")
	flag.Usage = func() {
		fmt.Fprint(flag.CommandLine.Output(), "usage: camwall [flags] [rtsp://camera ...]\n       camwall probe URL [--seconds N] [--transport auto|tcp|udp] [--timeout D]\n\n"+
			"With no camera configured or given, camwall plays its built-in demo cameras.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if err := run(*configPath, flag.Args(), *statsEvery, app.CaptureConfig{
		Dir: *capture, Count: *captureCount, Delay: *captureDelay, Interval: time.Second, Quit: true,
	}); err != nil {
		fmt.Fprintln(os.Stderr, "camwall:", err)
		os.Exit(1)
	}
}

func run(configPath string, urls []string, statsEvery time.Duration, capture app.CaptureConfig) error {
	opts := app.Options{StatsEvery: statsEvery}
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
	fmt.Printf("probing %s\n", redact.URL(url))
	st, err := player.Probe(ctx, player.Config{Name: "probe", URL: url, Transport: rtsp.Transport(*transport)},
		time.Duration(*seconds)*time.Second, time.Second, func(st player.Status) { fmt.Println(probeLine(st)) })
	if err != nil {
		fmt.Fprintln(os.Stderr, "camwall probe:", err)
		return 1
	}
	fmt.Println(probeLine(st))
	fmt.Printf("ok: %s %dx%d live for %ds\n", st.Codec, st.Width, st.Height, *seconds)
	return 0
}

// snapshotCmd is `camwall snapshot`, for scripts and cron: one
// full-resolution frame of each camera, written as the wall's snapshot button
// writes it, one path printed per line; exit 1 names each camera that failed.
func snapshotCmd(args []string) int {
	const usage = "usage: camwall snapshot [--camera NAME ... | --all | --url URL ...] [--out DIR] [--timeout 10s] [--config FILE]"
	fl := flag.NewFlagSet("snapshot", flag.ContinueOnError)
	var names, urls stringList
	fl.Var(&names, "camera", "a configured camera, by `NAME` (repeat for several)")
	all := fl.Bool("all", false, "every configured camera")
	fl.Var(&urls, "url", "a camera that is not in the configuration, by `URL` (repeat for several)")
	out := fl.String("out", "", "folder to write to (default: snapshots.dir of the configuration, else Pictures/camwall)")
	timeout := fl.Duration("timeout", 10*time.Second, "give up on a camera that has shown no picture after this long")
	configPath := fl.String("config", "", "configuration file (default: the user's config folder, camwall/config.yaml)")
	fl.Usage = func() { fmt.Fprintln(fl.Output(), usage); fl.PrintDefaults() }
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 || (*all && len(names) > 0) || (!*all && len(names) == 0 && len(urls) == 0) {
		fl.Usage()
		return 2
	}
	path, cfg, err := loadConfig(*configPath)
	if err != nil {
		fmt.Fprintln(os.Stderr, "camwall snapshot:", err)
		return 1
	}
	// The cameras, in the order given; a camera whose URL cannot be resolved
	// (a password variable not set) fails alone.
	type camera struct {
		cfg player.Config
		err error
	}
	var cams []camera
	named := func(n string) func(storage.Camera) bool { // as names are unique: ignoring case
		return func(c storage.Camera) bool { return strings.EqualFold(strings.TrimSpace(n), strings.TrimSpace(c.Name)) }
	}
	for _, n := range names {
		if !slices.ContainsFunc(cfg.Cameras, named(n)) {
			fmt.Fprintf(os.Stderr, "camwall snapshot: no camera named %q in %s\n", n, path)
			return 2
		}
	}
	for _, c := range cfg.Cameras {
		if *all || slices.ContainsFunc(names, func(n string) bool { return named(n)(c) }) {
			u, err := c.ResolvedURL()
			cams = append(cams, camera{player.Config{Name: c.Name, URL: u, Transport: rtsp.Transport(c.Transport), Fingerprint: c.Fingerprint}, err})
		}
	}
	if *all && len(cams) == 0 {
		fmt.Fprintf(os.Stderr, "camwall snapshot: no camera configured in %s\n", path)
		return 1
	}
	for _, raw := range urls {
		// Named by host and path: never by the user, password or query.
		name := raw
		if u, err := url.Parse(raw); err == nil && u.Host != "" {
			name = u.Host + u.Path
		}
		cams = append(cams, camera{cfg: player.Config{Name: name, URL: raw}})
	}

	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	settings := cfg.Snapshots
	if *out != "" {
		// Relative to where the command runs, as a user typing it means.
		if settings.Dir, err = filepath.Abs(*out); err != nil {
			fmt.Fprintln(os.Stderr, "camwall snapshot:", err)
			return 1
		}
	}
	snaps := &storage.Snapshotter{Settings: settings}
	if err := snaps.Start(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "camwall snapshot:", err)
		return 1
	}
	results := make([]error, len(cams))
	paths := make([]string, len(cams))
	var wg sync.WaitGroup
	for i, c := range cams {
		wg.Go(func() {
			if results[i] = c.err; c.err != nil {
				return
			}
			cctx, cancel := context.WithTimeout(ctx, *timeout)
			defer cancel()
			pic, at, err := player.Capture(cctx, c.cfg)
			if results[i] = err; err != nil {
				return
			}
			done := make(chan struct{})
			err = snaps.Submit(storage.Request{Camera: c.cfg.Name, Time: at, Source: pic, Done: func(r storage.Result) {
				paths[i], results[i] = r.Path, r.Err
				close(done)
			}})
			if err != nil {
				results[i] = err
				return
			}
			<-done
		})
	}
	wg.Wait()
	snaps.Close()
	failed := 0
	for i, err := range results {
		var serr *storage.SnapshotError
		switch {
		case errors.As(err, &serr):
			fmt.Fprintln(os.Stderr, "camwall snapshot:", err)
		case err != nil:
			fmt.Fprintf(os.Stderr, "camwall snapshot: camera %q: %v\n", cams[i].cfg.Name, err)
		default:
			fmt.Println(paths[i])
			continue
		}
		failed++
	}
	if failed > 0 {
		fmt.Fprintf(os.Stderr, "camwall snapshot: %d of %d cameras failed\n", failed, len(cams))
		return 1
	}
	return 0
}

// stringList is a flag that may be repeated.
type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ", ") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

func probeLine(st player.Status) string {
	latency := "n/a"
	if st.Latency > 0 {
		latency = fmt.Sprintf("%dms", st.Latency.Milliseconds())
	}
	return fmt.Sprintf("%-12s codec=%s size=%dx%d rx=%.1ffps decoded=%.1ffps bitrate=%.2fMb/s dropped=%d latency=%s",
		st.State, st.Codec, st.Width, st.Height, st.ReceivedFPS, st.DecodedFPS, st.Bitrate/1e6, st.Dropped, latency)
}

// recordCmd records one camera by stream copy until --duration has passed or
// SIGINT/SIGTERM arrives, then finishes the last file and prints the paths of
// the files written, one a line.
func recordCmd(args []string) int {
	const usage = "usage: camwall record (--camera NAME | --url URL) [--duration 10m] [--segment 5m] [--out DIR] [--config FILE]"
	fl := flag.NewFlagSet("record", flag.ContinueOnError)
	name := fl.String("camera", "", "a configured camera, by `NAME`")
	raw := fl.String("url", "", "a camera that is not in the configuration, by `URL`")
	duration := fl.Duration("duration", 0, "stop after this long (default: until interrupted)")
	segment := fl.Duration("segment", 0, "start a new file after this long (default: recording.segment of the configuration, else 5m)")
	out := fl.String("out", "", "folder to write to (default: recording.dir of the configuration, else Videos/camwall)")
	configPath := fl.String("config", "", "configuration file (default: the user's config folder, camwall/config.yaml)")
	fl.Usage = func() { fmt.Fprintln(fl.Output(), usage); fl.PrintDefaults() }
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 || (*name == "") == (*raw == "") {
		fl.Usage()
		return 2
	}
	fail := func(err error) int { fmt.Fprintln(os.Stderr, "camwall record:", err); return 1 }
	path, cfg, err := loadConfig(*configPath)
	if err != nil {
		return fail(err)
	}
	var cam player.Config
	if *raw != "" {
		// Named by host and path: never by the user, password or query.
		cam = player.Config{Name: *raw, URL: *raw}
		if u, err := url.Parse(*raw); err == nil && u.Host != "" {
			cam.Name = u.Host + u.Path
		}
	} else {
		i := slices.IndexFunc(cfg.Cameras, func(c storage.Camera) bool {
			return strings.EqualFold(strings.TrimSpace(*name), strings.TrimSpace(c.Name))
		})
		if i < 0 {
			fmt.Fprintf(os.Stderr, "camwall record: no camera named %q in %s\n", *name, path)
			return 2
		}
		c := cfg.Cameras[i]
		u, err := c.ResolvedURL()
		if err != nil {
			return fail(err)
		}
		cam = player.Config{Name: c.Name, URL: u, Transport: rtsp.Transport(c.Transport), Fingerprint: c.Fingerprint}
	}
	plan, err := cfg.Recording.Resolved()
	if err == nil && *out != "" {
		plan.Dir, err = filepath.Abs(*out) // relative to where the command runs
	}
	if err != nil {
		return fail(err)
	}
	if *segment > 0 {
		plan.Segment = *segment
	}

	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}
	s := player.New(cam)
	s.Start()
	defer s.Close()
	// Paths are printed as files are closed, so that a script sees each
	// finished file at once.
	if err := s.StartRecording(player.RecordOptions{Dir: plan.Dir, Segment: plan.Segment, Retention: plan.Retention,
		OnFile: func(p string) { fmt.Println(p) }}); err != nil {
		return fail(err)
	}
	<-ctx.Done()
	st := s.Status()
	if files := s.StopRecording(); len(files) == 0 {
		reason := st.RecordError
		if reason == "" {
			reason = st.Reason
		}
		if reason == "" {
			reason = "no keyframe received"
		}
		return fail(fmt.Errorf("nothing recorded from %s: %s", s.URL(), reason))
	}
	return 0
}

// goproCmd is `camwall gopro discover`: it looks for GoPros on USB (only
// there, only when asked) and prints each as a camera entry; --add saves the
// new ones into the configuration.
func goproCmd(args []string) int {
	const usage = "usage: camwall gopro discover [--add] [--config FILE]"
	fl := flag.NewFlagSet("gopro", flag.ContinueOnError)
	add := fl.Bool("add", false, "add the GoPros found to the configuration")
	configPath := fl.String("config", "", "configuration file (default: the user's config folder, camwall/config.yaml)")
	fl.Usage = func() { fmt.Fprintln(fl.Output(), usage); fl.PrintDefaults() }
	if len(args) == 0 || args[0] != "discover" {
		fl.Usage()
		return 2
	}
	if err := fl.Parse(args[1:]); err != nil {
		return 2
	}
	if fl.NArg() > 0 {
		fl.Usage()
		return 2
	}
	fail := func(err error) int { fmt.Fprintln(os.Stderr, "camwall gopro:", err); return 1 }
	found, err := gopro.Discoverer{}.Discover(context.Background())
	if err != nil {
		return fail(err)
	}
	if len(found) == 0 {
		fmt.Fprintln(os.Stderr, "camwall gopro: no GoPro found on USB. Connect it with a USB-C data cable and switch it on;"+
			" over Wi-Fi, add gopro://10.5.5.9 (HERO9 and later) or gopro://10.5.5.9?mode=legacy (HERO4 to HERO7) instead")
		return 1
	}
	path, cfg, err := loadConfig(*configPath)
	if err != nil {
		return fail(err)
	}
	added := 0
	for _, f := range found {
		urls := make([]string, 0, len(cfg.Cameras))
		for _, c := range cfg.Cameras {
			urls = append(urls, c.URL)
		}
		u := f.URL(gopro.FreeUDPPort(urls))
		state := gopro.StatusText(f.Status)
		switch {
		case gopro.Configured(urls, f.Address):
			fmt.Printf("%s\t%s\t%s, already configured\n", f.Name(), f.Address, state)
		case *add:
			cfg.Cameras = append(cfg.Cameras, storage.Camera{Name: cfg.UniqueName(f.Name(), -1), URL: u})
			added++
			fmt.Printf("%s\t%s\t%s, added\n", f.Name(), u, state)
		default:
			fmt.Printf("%s\t%s\t%s\n", f.Name(), u, state)
		}
	}
	if added > 0 {
		if err := storage.SaveConfig(path, cfg); err != nil {
			return fail(err)
		}
		fmt.Println("saved", path)
	}
	return 0
}
