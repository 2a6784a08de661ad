package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/camwall/camwall/player"
)

const recordUsage = "record (--camera NAME | --url URL) [--duration 10m] [--segment 5m] [--out DIR] [--hwaccel MODE] [--config FILE]"

// maxDuration is the longest --duration: a year, far beyond any use, and
// far from overflowing with footageGrace added.
const maxDuration = 365 * 24 * time.Hour

// nonEmpty is the list of s, empty when s is.
func nonEmpty(s string) []string {
	if s == "" {
		return nil
	}
	return []string{s}
}

// footageGrace is how much longer than --duration the command waits for
// its footage: time to connect and reach a keyframe, and to ride out a
// reconnection, before it stops with what it has.
const footageGrace = 30 * time.Second

// recordCmd records one camera by stream copy until --duration has passed or
// SIGINT/SIGTERM arrives, then finishes the last file and prints the paths of
// the files written, one a line.
func recordCmd(args []string) int {
	fl := flagSet("record", recordUsage)
	name := fl.String("camera", "", "a configured camera, by `NAME`")
	raw := fl.String("url", "", "a camera that is not in the configuration, by `URL`")
	duration := fl.Duration("duration", 0, "stop after this much footage, counted from the first keyframe written (default: until interrupted)")
	segment := fl.Duration("segment", 0, "start a new file after this long (default: recording.segment of the configuration, else 5m)")
	out := fl.String("out", "", "folder to write to (default: recording.dir of the configuration, else Videos/camwall)")
	hwaccel := hwaccelFlag(fl)
	configPath := configFlag(fl)
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 || (*name == "") == (*raw == "") {
		fl.Usage()
		return 2
	}
	if err := errors.Join(checkURLs(nonEmpty(*raw), ""), checkDuration("duration", *duration, time.Second, maxDuration, "until interrupted"), checkHWAccel(*hwaccel)); err != nil {
		return usageError("record", err)
	}
	fail := func(err error) int { fmt.Fprintln(os.Stderr, "camwall record:", err); return 1 }
	path, cfg, err := LoadConfig(*configPath)
	if err != nil {
		return fail(err)
	}
	var cam player.Config
	if *raw != "" {
		cam = urlConfig(*raw, "")
	} else {
		i := slices.IndexFunc(cfg.Cameras, named(*name))
		if i < 0 {
			fmt.Fprintf(os.Stderr, "camwall record: no camera named %q in %s\n", *name, path)
			return 2
		}
		if cam, err = player.CameraConfig(cfg.Cameras[i], false); err != nil {
			return fail(err)
		}
	}
	cam.DefaultHWAccel(*hwaccel, cfg.HWAccel)
	if *segment != 0 {
		// Held to the configuration's rule (10s to 24h), not taken as given.
		cfg.Recording.Segment = segment.String()
	}
	if *out != "" {
		// Held to recording.dir's rules, relative to where the command runs.
		if cfg.Recording.Dir, err = outDir(*out); err != nil {
			return fail(err)
		}
	}
	plan, err := cfg.Recording.Resolved()
	if err != nil {
		return fail(err)
	}

	ctx, stop := start(slog.LevelWarn)
	defer stop()
	s := player.New(cam)
	s.Start()
	defer s.Close()
	// Paths are printed as files are closed, so that a script sees each
	// finished file at once.
	if err := s.StartRecording(player.RecordOptions{Dir: plan.Dir, Segment: plan.Segment, Retention: plan.Retention, GroupReadable: plan.GroupReadable,
		Footage: *duration, OnFile: func(p string) { fmt.Println(p) }}); err != nil {
		return fail(err)
	}
	if *duration > 0 {
		// The footage is what the user asked for, as with ffmpeg -t; the
		// clock bounds a camera that never sends or goes away for good.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration+footageGrace)
		defer cancel()
	}
	select {
	case <-ctx.Done():
	case <-s.RecordingEnded():
	}
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
