package app

import (
	"image/jpeg"
	"os"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/storage"
)

// snapshotUI is a UI with a live demo camera (and any extra cameras) whose
// snapshots go to a temporary folder; it returns the UI and its messages.
func snapshotUI(t *testing.T, extra ...storage.Camera) (*UI, <-chan string, string) {
	t.Helper()
	srv := playtest.StartDemo(t, 1)
	dir := t.TempDir()
	cams := append([]storage.Camera{{Name: "porch/../../x", URL: srv.URL(1)}}, extra...)
	ui := newUI(t, Options{Config: storage.Config{Cameras: cams, Snapshots: storage.SnapshotSettings{Dir: dir}}})
	msgs := make(chan string, 4)
	ui.onNotify = func(m string) { msgs <- m }
	if err := ui.snaps.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ui.snaps.Close)
	// A small window: the tile is far smaller than the 640x360 source.
	ui.Window.Resize(fyne.NewSize(320, 240))
	ui.Window.Show()
	startSessions(ui)
	until(t, ui, 20*time.Second, "demo camera not live", func() bool {
		return strings.HasPrefix(ui.Tiles[0].State.Text, "live")
	})
	return ui, msgs, dir
}

func waitMessage(t *testing.T, msgs <-chan string) string {
	t.Helper()
	select {
	case m := <-msgs:
		return m
	case <-time.After(snapshotTimeout + 5*time.Second):
		t.Fatal("no status message")
		return ""
	}
}

func TestSnapshotKeySavesTheFullResolutionFrameInsideTheFolder(t *testing.T) {
	ui, msgs, dir := snapshotUI(t)
	pressKey(ui.Window.Canvas(), fyne.KeyS)
	msg := waitMessage(t, msgs)
	path, ok := strings.CutPrefix(msg, "Snapshot saved: ")
	if !ok {
		t.Fatalf("message %q", msg)
	}
	if !strings.HasPrefix(path, dir+string(os.PathSeparator)) {
		t.Errorf("snapshot %s is outside the folder %s", path, dir)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := jpeg.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 640 || b.Dy() != 360 {
		t.Errorf("snapshot is %dx%d, want the source's 640x360, not the tile", b.Dx(), b.Dy())
	}
}

func TestSnapshotButtonOnTheTile(t *testing.T) {
	ui, msgs, _ := snapshotUI(t)
	test.Tap(ui.Tiles[0].SnapshotButton)
	if msg := waitMessage(t, msgs); !strings.HasPrefix(msg, "Snapshot saved: ") {
		t.Fatalf("message %q", msg)
	}
}

func TestSnapshotAllNamesTheCamerasThatFailed(t *testing.T) {
	ui, msgs, dir := snapshotUI(t, storage.Camera{Name: "broken", URL: "ftp://127.0.0.1/x"})
	ui.SnapshotAll()
	msg := waitMessage(t, msgs)
	if !strings.HasPrefix(msg, "1 of 2 snapshots saved; not saved: broken: ") {
		t.Fatalf("message %q", msg)
	}
	entries, err := os.ReadDir(dir)
	if err != nil || len(entries) != 1 {
		t.Fatalf("folder holds %v (%v), want one camera folder", entries, err)
	}
}
