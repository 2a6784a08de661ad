package app

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/redact/redacttest"
	"github.com/camwall/camwall/storage"
)

// Every URL shape, configured on the wall against a closed loopback port:
// the tile (name, state and reason), the camera dialog's Test connection and
// Save answers, and the status bar's message for a snapshot of a camera the
// configuration refuses hold no secret.
func TestWallShowsNoSecretOfAnyURLShape(t *testing.T) {
	closed := playtest.FreeTCPAddr(t)
	for _, sh := range redacttest.Shapes {
		t.Run(sh.Name, func(t *testing.T) {
			cam := storage.Camera{Name: "cam", URL: sh.At(closed)}
			ui := newUI(t, Options{ConfigPath: filepath.Join(t.TempDir(), "config.yaml"), Config: storage.Config{Cameras: []storage.Camera{cam}}})
			msgs := make(chan string, 4)
			ui.onNotify = func(m string) { msgs <- m }
			ui.Window.Show()
			startSessions(ui)
			tile := ui.Tiles[0]
			until(t, ui, 10*time.Second, "the tile never showed the camera down", func() bool {
				return tile.State.Text == "error" || tile.State.Text == "reconnecting"
			})
			shown := map[string]string{"tile name": tile.Name.Text, "tile state": tile.State.Text, "tile reason": tile.Reason.Text}

			ui.openForm(0, cam)
			f := ui.Form()
			test.Tap(f.TestButton)
			if sh.Invalid {
				// Refused at once, by the configuration's rules.
				if !strings.HasPrefix(f.Result.Text, "✗") {
					t.Errorf("Test connection of a URL the configuration refuses said %q", f.Result.Text)
				}
			} else {
				select {
				case <-f.Tested():
				case <-time.After(testTimeout + 5*time.Second):
					t.Fatal("Test connection never finished")
				}
			}
			shown["Test connection"] = f.Result.Text
			if sh.Invalid {
				test.Tap(f.SaveButton)
				if ui.Form() != f || !strings.HasPrefix(f.Result.Text, "Not saved") {
					t.Errorf("a URL the configuration refuses was saved: %q", f.Result.Text)
				}
				shown["Save"] = f.Result.Text
				// A camera the configuration refuses fails its snapshot at once.
				ui.SnapshotAll()
				shown["status bar"] = waitMessage(t, msgs)
			}
			f.close()
			for what, text := range shown {
				if leaked := sh.Leaked(text); leaked != nil {
					t.Errorf("the %s shows %q: %q", what, leaked, text)
				}
			}
		})
	}
}
