package app

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"fyne.io/fyne/v2"

	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/storage"
)

// snapshotTimeout bounds the wait for a frame: a live camera answers at
// once, a camera behind a substream needs a connection to its main stream.
const snapshotTimeout = 10 * time.Second

// Snapshot saves tile i's newest frame at the source's full resolution.
// Nothing here runs on the UI goroutine except the notification.
func (u *UI) Snapshot(i int) {
	if i < 0 || i >= len(u.cameras) {
		return
	}
	u.snapshotCameras([]*camera{u.cameras[i]})
}

// SnapshotAll saves every camera's newest frame.
func (u *UI) SnapshotAll() { u.snapshotCameras(u.cameras) }

func (u *UI) snapshotCameras(cams []*camera) {
	if len(cams) == 0 {
		return
	}
	var (
		mu     sync.Mutex
		saved  []string
		failed []string
		left   = len(cams)
	)
	// finish records one outcome; the last one reports them all together.
	finish := func(name, path string, err error) {
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			slog.Warn("snapshot failed", "camera", name, "err", err)
			failed = append(failed, fmt.Sprintf("%s: %v", name, err))
		} else {
			saved = append(saved, path)
		}
		if left--; left == 0 {
			msg := snapshotMessage(len(cams), saved, failed)
			fyne.Do(func() { u.notify(msg) })
		}
	}
	for _, cam := range cams {
		name := cam.cfg.Name
		if cam.err != nil {
			finish(name, "", cam.err)
			continue
		}
		source, snaps := u.snapshotSource(cam), u.snaps // the Settings dialog may replace u.snaps meanwhile
		go func() {
			ctx, cancel := context.WithTimeout(context.Background(), snapshotTimeout)
			defer cancel()
			pic, at, err := source(ctx)
			if err != nil {
				finish(name, "", err)
				return
			}
			err = snaps.Submit(storage.Request{Camera: name, Time: at, Source: pic,
				Done: func(r storage.Result) { finish(name, r.Path, r.Err) }})
			if err != nil {
				finish(name, "", err)
			}
		}()
	}
}

// snapshotSource picks where a camera's full-resolution frame comes from:
// the session on screen, unless the grid plays a substream, in which case
// the main stream (already open when the tile is focused, else opened once
// for the snapshot). Called on the UI goroutine; the returned function runs
// on another.
func (u *UI) snapshotSource(cam *camera) func(context.Context) (*decoder.Picture, time.Time, error) {
	if s := cam.fullResolution(); s != nil {
		return s.Snapshot
	}
	cfg, err := cam.sessionConfig(false)
	return func(ctx context.Context) (*decoder.Picture, time.Time, error) {
		if err != nil {
			return nil, time.Time{}, err
		}
		return player.Capture(ctx, cfg)
	}
}

func snapshotMessage(total int, saved, failed []string) string {
	switch {
	case len(failed) == 0 && total == 1:
		return "Snapshot saved: " + saved[0]
	case len(failed) == 0:
		return fmt.Sprintf("%d snapshots saved in %s", total, commonDir(saved))
	case total == 1:
		return "Snapshot not saved: " + failed[0]
	default:
		return fmt.Sprintf("%d of %d snapshots saved; not saved: %s", len(saved), total, joinMax(failed, 3))
	}
}
