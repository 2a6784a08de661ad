package app

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/storage"
)

// What the wall recorded, its export dialog cuts into a clip: set to the
// last recording, with progress and the result shown.
func TestExportDialogCutsAClipOfWhatTheWallRecorded(t *testing.T) {
	playtest.NeedFFprobe(t)
	srv := playtest.StartDemo(t, 1)
	dir := t.TempDir()
	ui := newUI(t, Options{Config: storage.Config{Cameras: []storage.Camera{{Name: "gate", URL: srv.URL(1)}},
		Recording: storage.RecordSettings{Dir: dir}}})
	msgs := make(chan string, 8)
	ui.onNotify = func(m string) { msgs <- m }
	ui.Window.Show()
	startSessions(ui)
	until(t, ui, 20*time.Second, "never live", func() bool { return ui.Tiles[0].Picture() != nil })
	ui.ToggleRecording(0)
	until(t, ui, 20*time.Second, "never recording", func() bool { return ui.cameras[0].grid.Status().RecordFile != "" })
	time.Sleep(4 * time.Second)
	ui.ToggleRecording(0)
	messageStarting(t, msgs, "Recording stopped: 1 file(s)")

	ui.ExportClipDialog(0)
	d := ui.Export()
	waitClosed(t, d.Listed(), "the dialog never read the recordings")
	if !strings.HasPrefix(d.Recorded.Text, "Recorded: 1 files") {
		t.Fatalf("dialog says %q", d.Recorded.Text)
	}
	recs, _, err := storage.Recordings(dir, "gate")
	if err != nil || len(recs) != 1 {
		t.Fatalf("recordings %v %v", recs, err)
	}
	d.From.SetText(recs[0].Start.Add(time.Second).Local().Format(clipLayout))
	d.To.SetText(recs[0].Start.Add(3 * time.Second).Local().Format(clipLayout))
	out := filepath.Join(t.TempDir(), "gate.mp4")
	d.Out.SetText(out)
	test.Tap(d.ExportButton)
	waitClosed(t, d.Done(), "the export never finished")
	if !strings.HasPrefix(d.Result.Text, "✓ "+out) || d.Progress.Value != 1 {
		t.Fatalf("result %q, progress %.2f", d.Result.Text, d.Progress.Value)
	}
	b, err := exec.Command("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", out).CombinedOutput()
	if err != nil {
		t.Fatalf("ffprobe: %v %s", err, b)
	}
	// Times to the second: the span is 2 s ± 1 s of rounding, plus up to a GOP.
	if s := strings.TrimSpace(string(b)); s < "1" || s > "4.2" {
		t.Errorf("clip lasts %s s", s)
	}
	// Exporting again to the same file is refused in the dialog.
	test.Tap(d.ExportButton)
	waitClosed(t, d.Done(), "the second export never finished")
	if !strings.Contains(d.Result.Text, "does not replace a file") {
		t.Errorf("second export: %q", d.Result.Text)
	}
	pressKey(ui.Window.Canvas(), fyne.KeyEscape)
	if d.shown {
		t.Error("Escape left the export dialog open")
	}
}

// Escape closes the camera dialog, as it does every dialog of the wall.
func TestEscapeClosesTheCameraDialog(t *testing.T) {
	ui := newUI(t, Options{Demo: cameras(1, deadURL)})
	ui.Window.Show()
	ui.AddCameraDialog()
	if ui.Form() == nil {
		t.Fatal("no camera dialog")
	}
	pressKey(ui.Window.Canvas(), fyne.KeyEscape)
	if ui.Form() != nil {
		t.Error("Escape left the camera dialog open")
	}
}
