package app

import (
	"image"
	_ "image/jpeg"
	_ "image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/storage"
)

// yardAndGate is a UI with two demo cameras, yard and gate, whose
// recordings go to a temporary folder; it returns the UI, its messages and
// the folder. No session is started.
func yardAndGate(t *testing.T) (*UI, chan string, string) {
	t.Helper()
	srv := playtest.StartDemo(t, 2)
	dir := t.TempDir()
	ui := newUI(t, Options{Config: storage.Config{
		Cameras:   []storage.Camera{{Name: "yard", URL: srv.URL(1)}, {Name: "gate", URL: srv.URL(2)}},
		Recording: storage.RecordSettings{Dir: dir},
	}})
	msgs := make(chan string, 8)
	ui.onNotify = func(m string) { msgs <- m }
	return ui, msgs, dir
}

// messageStarting waits for the status bar message that starts with
// prefix, passing over the others.
func messageStarting(t *testing.T, msgs <-chan string, prefix string) string {
	t.Helper()
	for {
		if msg := waitMessage(t, msgs); strings.HasPrefix(msg, prefix) {
			return msg
		}
	}
}

func TestRecordKeyRecordsTheSelectedCameraUntilPressedAgain(t *testing.T) {
	ui, msgs, dir := yardAndGate(t)
	ui.Window.Resize(fyne.NewSize(640, 360))
	ui.Window.Show()
	startSessions(ui)
	tile := ui.Tiles[0]
	until(t, ui, 20*time.Second, "not live", func() bool { return strings.HasPrefix(tile.State.Text, "live") })

	pressKey(ui.Window.Canvas(), fyne.KeyR)
	if msg := <-msgs; !strings.HasPrefix(msg, "Recording yard into "+dir) {
		t.Fatalf("message %q", msg)
	}
	ui.refresh(time.Now())
	if !ui.Recording(0) || ui.Recording(1) || !tile.Rec.Visible() || tile.Rec.Text != "● REC" {
		t.Fatalf("recording 0=%v 1=%v, indicator %q visible %v", ui.Recording(0), ui.Recording(1), tile.Rec.Text, tile.Rec.Visible())
	}
	time.Sleep(2500 * time.Millisecond)

	pressKey(ui.Window.Canvas(), fyne.KeyR)
	if ui.Recording(0) || tile.Rec.Visible() {
		t.Fatal("second R did not stop the recording")
	}
	select {
	case msg := <-msgs:
		if !strings.HasPrefix(msg, "Recording stopped: 1 file(s) in ") {
			t.Fatalf("message %q", msg)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no message after stopping")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "yard", "yard_*.mp4"))
	if len(files) != 1 {
		t.Fatalf("files %v, want one yard recording", files)
	}
	if fi, err := os.Stat(files[0]); err != nil || fi.Size() < 10_000 {
		t.Fatalf("recording %s: %v (size %d)", files[0], err, fi.Size())
	}
}

func TestRecordAllStartsEveryCameraThenStopsThemAll(t *testing.T) {
	srv := playtest.StartDemo(t, 2)
	ui := newUI(t, Options{Config: storage.Config{
		Cameras:   []storage.Camera{{Name: "a", URL: srv.URL(1)}, {Name: "b", URL: srv.URL(2)}},
		Recording: storage.RecordSettings{Dir: t.TempDir()},
	}})
	msgs := make(chan string, 8)
	ui.onNotify = func(m string) { msgs <- m }
	ui.ToggleRecording(1)
	ui.RecordAll()
	if !ui.Recording(0) || !ui.Recording(1) {
		t.Fatal("record all left a camera idle")
	}
	ui.RecordAll()
	if ui.Recording(0) || ui.Recording(1) {
		t.Fatal("second record all did not stop every camera")
	}
	// Stopping reports once both recordings are closed.
	for {
		select {
		case m := <-msgs:
			if strings.HasPrefix(m, "Recording stopped") {
				return
			}
		case <-time.After(10 * time.Second):
			t.Fatal("no message after stopping")
		}
	}
}

// Editing a camera that is recording must not end its recording: the new
// session records on, into a new file.
func TestEditingARecordingCameraRecordsOn(t *testing.T) {
	ui, msgs, dir := yardAndGate(t)
	startSessions(ui)
	ui.ToggleRecording(0)
	until(t, ui, 20*time.Second, "not recording", func() bool {
		return ui.cameras[0].recorder.session.Status().RecordFile != ""
	})
	first := ui.cameras[0].recorder.session.Status().RecordFile

	edited := ui.cfg
	edited.Cameras = append([]storage.Camera(nil), ui.cfg.Cameras...)
	edited.Cameras[0].Transport = "tcp"
	ui.replace(edited)
	// The test driver runs fyne.Do on the calling goroutine: wait for the
	// replacement's before reading what it set.
	ui.replacing.Wait()
	if !ui.Recording(0) {
		t.Fatal("the edited camera did not record on")
	}
	until(t, ui, 10*time.Second, "the edited camera does not record on in a new file", func() bool {
		r := ui.cameras[0].recorder
		return r != nil && r.session.Status().RecordFile != "" && r.session.Status().RecordFile != first
	})
	if ui.Recording(1) {
		t.Error("the camera that was not edited started recording")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "yard", "yard_*.mp4"))
	if len(files) != 2 {
		t.Errorf("files %v, want the one before the edit and the one after", files)
	}
	ui.stopRecording(ui.cameras)
	messageStarting(t, msgs, "Recording stopped")
}

// A camera allows few sessions: a recording substream camera's snapshot
// comes from its recording's main-stream session, which decodes only for
// it, instead of from a session of its own.
func TestSnapshotOfARecordingSubstreamCameraSharesTheRecordingSession(t *testing.T) {
	srv := playtest.StartDemo(t, 2)
	ui := newUI(t, Options{Config: storage.Config{
		Cameras:   []storage.Camera{{Name: "hall", URL: srv.URL(1), Substream: srv.URL(2)}},
		Recording: storage.RecordSettings{Dir: t.TempDir()},
		Snapshots: storage.SnapshotSettings{Dir: t.TempDir()},
	}})
	msgs := make(chan string, 8)
	ui.onNotify = func(m string) { msgs <- m }
	if err := ui.snaps.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ui.snaps.Close)
	startSessions(ui)
	ui.ToggleRecording(0)
	waitMessage(t, msgs) // "Recording hall into …"
	rec := ui.cameras[0].recorder.session
	until(t, ui, 20*time.Second, "not recording", func() bool { return rec.Status().RecordFile != "" })
	conns := srv.Conns() // the substream's and the recording's

	ui.Snapshot(0)
	msg := waitMessage(t, msgs)
	path, ok := strings.CutPrefix(msg, "Snapshot saved: ")
	if !ok {
		t.Fatalf("message %q", msg)
	}
	if got := srv.Conns(); got != conns {
		t.Errorf("the snapshot opened %d more connection(s) to the camera", got-conns)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.DecodeConfig(f)
	if err != nil || img.Width != 640 || img.Height != 360 {
		t.Errorf("snapshot %s: %dx%d, %v; want the camera's full 640x360", path, img.Width, img.Height, err)
	}
	ui.stopRecording(ui.cameras)
	messageStarting(t, msgs, "Recording stopped")
}

func TestRecordingPrunesTheFoldersOfCamerasNoLongerConfigured(t *testing.T) {
	now := time.Now()
	old := now.Add(-60 * 24 * time.Hour).UTC()
	// A file as camwall names it, started and last written at old.
	write := func(t *testing.T, dir, camera string, at time.Time) string {
		t.Helper()
		name := storage.SanitizeName(camera)
		p := filepath.Join(dir, name, name+"_"+storage.Timestamp(at)+".mp4")
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, at, at); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name     string
		settings storage.RecordSettings
		pruned   bool
	}{
		{"setting off, nothing", storage.RecordSettings{MaxAge: "30d"}, false},
		{"without a limit, nothing", storage.RecordSettings{PruneUnconfigured: true}, false},
		{"a removed camera's old files are deleted", storage.RecordSettings{MaxAge: "30d", PruneUnconfigured: true}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			tc.settings.Dir = dir
			removed := write(t, dir, "old gate", old)
			configured := write(t, dir, "yard", old)
			foreign := filepath.Join(dir, "holiday.mp4")
			if err := os.WriteFile(foreign, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			u := &UI{cfg: storage.Config{Cameras: []storage.Camera{{Name: "yard"}}, Recording: tc.settings}}
			plan, err := u.cfg.Recording.Resolved()
			if err != nil {
				t.Fatal(err)
			}
			done := u.pruneUnconfigured(plan, now)
			if (done != nil) != tc.pruned {
				t.Fatalf("started %v, want %v", done != nil, tc.pruned)
			}
			if done != nil {
				<-done
				// Once a minute at most: a second start soon after prunes nothing.
				again := write(t, dir, "another", old)
				if u.pruneUnconfigured(plan, now.Add(59*time.Second)) != nil {
					t.Error("pruned again within a minute")
				}
				if _, err := os.Stat(again); err != nil {
					t.Error(err)
				}
				if d := u.pruneUnconfigured(plan, now.Add(time.Minute)); d == nil {
					t.Error("not pruned a minute later")
				} else {
					<-d
				}
			}
			if _, err := os.Stat(removed); (err == nil) == tc.pruned {
				t.Errorf("removed camera's file: stat %v, want deleted %v", err, tc.pruned)
			}
			if _, err := os.Stat(filepath.Dir(removed)); (err == nil) == tc.pruned {
				t.Errorf("removed camera's folder: stat %v, want deleted %v", err, tc.pruned)
			}
			for _, p := range []string{configured, foreign} {
				if _, err := os.Stat(p); err != nil {
					t.Errorf("%s: %v", p, err)
				}
			}
		})
	}
}
