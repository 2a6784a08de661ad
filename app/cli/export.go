package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/camwall/camwall/storage"
)

const exportUsage = "export --camera NAME --from TIME --to TIME --out FILE.mp4 [--dir DIR] [--config FILE]"

// exportCmd is `camwall export`: one MP4 of a camera's recordings between
// two times, by stream copy (storage.Export).
func exportCmd(args []string) int {
	fl := flagSet("export", exportUsage)
	name := fl.String("camera", "", "the camera, by `NAME` (a configured camera, or the folder name its recordings are in)")
	fromFlag := fl.String("from", "", "the clip's start: RFC 3339 (2026-12-06T14:05:00+01:00) or a time of day today (14:05 or 14:05:00)")
	toFlag := fl.String("to", "", "the clip's end, written as --from")
	out := fl.String("out", "", "the MP4 `FILE` to write (never replaced)")
	dirFlag := fl.String("dir", "", "the recordings folder (default: the configuration's recording dir)")
	configPath := configFlag(fl)
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() > 0 || *name == "" || *fromFlag == "" || *toFlag == "" || *out == "" {
		fl.Usage()
		return 2
	}
	now := time.Now()
	from, err := parseClipTime(*fromFlag, now)
	if err != nil {
		return usageError("export", fmt.Errorf("--from: %w", err))
	}
	to, err := parseClipTime(*toFlag, now)
	if err != nil {
		return usageError("export", fmt.Errorf("--to: %w", err))
	}
	if !from.Before(to) {
		return usageError("export", errors.New("--from must be before --to"))
	}
	if from.After(now) {
		return usageError("export", fmt.Errorf("--from %s is in the future", from.Format(time.DateTime)))
	}
	if !strings.EqualFold(filepath.Ext(*out), ".mp4") {
		return usageError("export", errors.New("--out must be an .mp4 file"))
	}
	fail := func(err error) int { fmt.Fprintln(os.Stderr, "camwall export:", err); return 1 }
	_, cfg, err := LoadConfig(*configPath)
	if err != nil {
		return fail(err)
	}
	if *dirFlag != "" {
		if cfg.Recording.Dir, err = outDir(*dirFlag); err != nil {
			return fail(err)
		}
	}
	plan, err := cfg.Recording.Resolved()
	if err != nil {
		return fail(err)
	}
	camera := *name
	if i := slices.IndexFunc(cfg.Cameras, named(*name)); i >= 0 {
		camera = cfg.Cameras[i].Name
	} else if fi, err := os.Stat(filepath.Join(plan.Dir, storage.SanitizeName(camera))); err != nil || !fi.IsDir() {
		return fail(fmt.Errorf("no camera named %q is configured, and %s has no recordings folder for it", *name, plan.Dir))
	}

	ctx, stop := start(slog.LevelWarn)
	defer stop()
	last := time.Time{}
	res, err := storage.Export(ctx, storage.ExportConfig{Dir: plan.Dir, Camera: camera, From: from, To: to, Out: *out,
		Progress: func(done, total time.Duration) {
			// A line a second for long clips; short ones finish first.
			if time.Since(last) >= time.Second && total > 0 {
				last = time.Now()
				fmt.Fprintf(os.Stderr, "camwall export: %3.0f %%\n", 100*done.Seconds()/total.Seconds())
			}
		}})
	for _, s := range res.Skipped {
		fmt.Fprintln(os.Stderr, "camwall export: skipped", s)
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return fail(errors.New("interrupted: nothing written"))
		}
		return fail(err)
	}
	streams := "video"
	if res.Audio {
		streams = "video and audio"
	}
	fmt.Println(res.Path)
	fmt.Printf("%s of %s, %s to %s, from %d recording(s)\n", res.Length.Round(10*time.Millisecond), streams,
		res.Start.Local().Format("2006-01-02 15:04:05.000"), res.End.Local().Format("15:04:05.000"), res.Files)
	for _, g := range res.Gaps {
		fmt.Printf("gap: nothing recorded %s to %s (left out)\n", g.From.Local().Format("15:04:05"), g.To.Local().Format("15:04:05"))
	}
	if res.Cut != "" {
		fmt.Fprintln(os.Stderr, "camwall export: the clip ends early:", res.Cut)
	}
	return 0
}

// parseClipTime reads RFC 3339, or a local time of day (15:04 or
// 15:04:05) meaning that time today.
func parseClipTime(s string, now time.Time) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"15:04:05", "15:04"} {
		if t, err := time.ParseInLocation(layout, s, now.Location()); err == nil {
			y, m, d := now.Date()
			return time.Date(y, m, d, t.Hour(), t.Minute(), t.Second(), 0, now.Location()), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is neither RFC 3339 (2026-12-06T14:05:00+01:00) nor a time of day (14:05, 14:05:00)", s)
}
