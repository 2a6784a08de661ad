package app

import (
	"fmt"
	"log/slog"
	"time"

	"fyne.io/fyne/v2"

	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/storage"
)

// Recording is a stream copy of what the camera sends (no decode, no
// re-encode) into fragmented MP4 segments: see player.RecordOptions. A camera
// with a substream is recorded from its main stream, through a session of
// its own, so that the file has the camera's full quality whatever the tile
// plays.

// Recording reports whether camera i is being recorded.
func (u *UI) Recording(i int) bool {
	return i >= 0 && i < len(u.cameras) && u.cameras[i].recorder != nil
}

// ToggleRecording starts or stops recording camera i.
func (u *UI) ToggleRecording(i int) {
	if i < 0 || i >= len(u.cameras) {
		return
	}
	if u.cameras[i].recorder != nil {
		u.stopRecording([]*camera{u.cameras[i]})
		return
	}
	u.startRecording([]*camera{u.cameras[i]})
}

// RecordAll starts recording every camera that is not recording yet, or,
// when all are, stops them all.
func (u *UI) RecordAll() {
	var idle []*camera
	for _, c := range u.cameras {
		if c.recorder == nil {
			idle = append(idle, c)
		}
	}
	if len(idle) == 0 {
		u.stopRecording(u.cameras)
		return
	}
	u.startRecording(idle)
}

func (u *UI) startRecording(cams []*camera) {
	plan, err := u.cfg.Recording.Resolved()
	if err != nil {
		u.notify("Recording not started: " + err.Error())
		return
	}
	u.pruneUnconfigured(plan, time.Now())
	var failed []string
	for _, c := range cams {
		if err := c.startRecording(plan); err != nil {
			slog.Warn("recording not started", "camera", c.cfg.Name, "err", err)
			failed = append(failed, fmt.Sprintf("%s: %v", c.cfg.Name, err))
		}
	}
	switch {
	case len(failed) > 0:
		u.notify(fmt.Sprintf("Recording not started for %s", joinMax(failed, 3)))
	case len(cams) == 1:
		u.notify(fmt.Sprintf("Recording %s into %s", cams[0].cfg.Name, plan.Dir))
	default:
		u.notify(fmt.Sprintf("Recording %d cameras into %s", len(cams), plan.Dir))
	}
	u.refresh(time.Now())
}

// pruneUnconfiguredGap is the shortest time between two prunings of the
// folders of cameras that are no longer configured.
const pruneUnconfiguredGap = time.Minute

// pruneUnconfigured applies the plan's retention to the folders of the
// recording folder that belong to no configured camera (renamed or removed
// ones), when the plan asks for it (prune_unconfigured), off the UI
// goroutine and at most once a pruneUnconfiguredGap; what it deletes is
// logged. Each recorder prunes its own camera's folder (player). It returns
// a channel closed once done, nil when it started nothing.
func (u *UI) pruneUnconfigured(plan storage.RecordPlan, now time.Time) <-chan struct{} {
	if !plan.PruneUnconfigured || plan.Retention == (storage.Retention{}) {
		return nil
	}
	if !u.unconfiguredPruned.IsZero() && now.Sub(u.unconfiguredPruned) < pruneUnconfiguredGap {
		return nil
	}
	u.unconfiguredPruned = now
	names := make([]string, len(u.cfg.Cameras))
	for i, c := range u.cfg.Cameras {
		names[i] = c.Name
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		deleted, err := storage.PruneUnconfigured(plan.Dir, names, plan.Retention, time.Now())
		for _, p := range deleted {
			slog.Info("retention deleted a recording of a camera no longer configured", "path", p)
		}
		if err != nil {
			slog.Warn("retention of cameras no longer configured", "dir", plan.Dir, "err", err)
		}
	}()
	return done
}

// stopRecording stops the cameras' recordings off the UI goroutine (each
// waits for its last fragment to be written) and reports the files.
func (u *UI) stopRecording(cams []*camera) {
	var recs []*recorder
	for _, c := range cams {
		if r := c.stopRecording(); r != nil {
			recs = append(recs, r)
		}
	}
	if len(recs) == 0 {
		return
	}
	u.refresh(time.Now())
	go func() {
		var files []string
		for _, r := range recs {
			files = append(files, r.finish()...)
		}
		msg := "Recording stopped: no file was written"
		if len(files) > 0 {
			msg = fmt.Sprintf("Recording stopped: %d file(s) in %s", len(files), commonDir(files))
		}
		fyne.Do(func() { u.notify(msg) })
	}()
}

// recorder is a camera's running recording.
type recorder struct {
	session *player.Session
	// own is set when the session was opened just for recording (the main
	// stream of a camera whose tile plays its substream).
	own bool
}

func (r *recorder) finish() []string {
	files := r.session.StopRecording()
	if r.own {
		r.session.Close()
	}
	return files
}

func (c *camera) startRecording(plan storage.RecordPlan) error {
	if c.err != nil {
		return c.err
	}
	opts := player.RecordOptions{Dir: plan.Dir, Segment: plan.Segment, Retention: plan.Retention, GroupReadable: plan.GroupReadable}
	// The grid's session when it plays the main stream; a substream
	// camera's focused main session is not used, since unfocusing ends it.
	if c.cfg.Substream == "" {
		if err := c.grid.StartRecording(opts); err != nil {
			return err
		}
		c.recorder = &recorder{session: c.grid}
		return nil
	}
	cfg, err := c.sessionConfig(false)
	if err != nil {
		return err
	}
	// Nobody watches it: it decodes only for the snapshots it serves.
	cfg.DecodeOnDemand = true
	s := player.New(cfg)
	if err := s.StartRecording(opts); err != nil {
		s.Close()
		return err
	}
	s.Start()
	c.recorder = &recorder{session: s, own: true}
	return nil
}

// stopRecording detaches the running recording, if any; the caller
// finishes it off the UI goroutine.
func (c *camera) stopRecording() *recorder {
	r := c.recorder
	c.recorder = nil
	return r
}
