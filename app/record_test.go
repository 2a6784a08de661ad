package app

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/storage"
)

func TestRecordKeyRecordsTheSelectedCameraUntilPressedAgain(t *testing.T) {
	srv := playtest.StartDemo(t, 2)
	dir := t.TempDir()
	ui := newUI(t, Options{Config: storage.Config{
		Cameras:   []storage.Camera{{Name: "yard", URL: srv.URL(1)}, {Name: "gate", URL: srv.URL(2)}},
		Recording: storage.RecordSettings{Dir: dir},
	}})
	msgs := make(chan string, 8)
	ui.onNotify = func(m string) { msgs <- m }
	ui.Window.Resize(fyne.NewSize(640, 360))
	ui.Window.Show()
	startSessions(ui)
	tile := ui.Tiles[0]
	until(t, ui, 3*time.Second, "not live", func() bool { return strings.HasPrefix(tile.State.Text, "live") })

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
