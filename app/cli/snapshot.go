package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/storage"
)

const snapshotUsage = "snapshot [--camera NAME ... | --all | --url URL ...] [--out DIR] [--timeout 10s] [--hwaccel MODE] [--config FILE]"

// snapshotCmd is `camwall snapshot`, for scripts and cron: one
// full-resolution frame of each camera, written as the wall's snapshot button
// writes it, one path printed per line; exit 1 names each camera that failed.
func snapshotCmd(args []string) int {
	fl := flagSet("snapshot", snapshotUsage)
	var names, urls stringList
	fl.Var(&names, "camera", "a configured camera, by `NAME` (repeat for several)")
	all := fl.Bool("all", false, "every configured camera")
	fl.Var(&urls, "url", "a camera that is not in the configuration, by `URL` (repeat for several)")
	out := fl.String("out", "", "folder to write to (default: snapshots.dir of the configuration, else Pictures/camwall)")
	timeout := fl.Duration("timeout", 10*time.Second, "give up on a camera that has shown no picture after this long")
	hwaccel := hwaccelFlag(fl)
	configPath := configFlag(fl)
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 || (*all && len(names) > 0) || (!*all && len(names) == 0 && len(urls) == 0) {
		fl.Usage()
		return 2
	}
	if err := errors.Join(checkURLs(urls, ""), checkDuration("timeout", *timeout, time.Second, 24*time.Hour, ""), checkHWAccel(*hwaccel)); err != nil {
		return usageError("snapshot", err)
	}
	path, cfg, err := LoadConfig(*configPath)
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
	for _, n := range names {
		if !slices.ContainsFunc(cfg.Cameras, named(n)) {
			fmt.Fprintf(os.Stderr, "camwall snapshot: no camera named %q in %s\n", n, path)
			return 2
		}
	}
	for _, c := range cfg.Cameras {
		if *all || slices.ContainsFunc(names, func(n string) bool { return named(n)(c) }) {
			sc, err := player.CameraConfig(c, false)
			cams = append(cams, camera{sc, err})
		}
	}
	if *all && len(cams) == 0 {
		fmt.Fprintf(os.Stderr, "camwall snapshot: no camera configured in %s\n", path)
		return 1
	}
	for _, raw := range urls {
		cams = append(cams, camera{cfg: urlConfig(raw, "")})
	}
	if err := checkCameraCount(len(cams)); err != nil {
		return usageError("snapshot", err)
	}
	for i := range cams {
		cams[i].cfg.DefaultHWAccel(*hwaccel, cfg.HWAccel)
	}

	ctx, stop := start(slog.LevelError)
	defer stop()
	settings := cfg.Snapshots
	if *out != "" {
		// Relative to where the command runs, as a user typing it means.
		if settings.Dir, err = outDir(*out); err != nil {
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
