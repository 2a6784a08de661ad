package app

import (
	"bytes"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/storage"
)

// settingsUI is a wall of cfg whose configuration file holds cfg; it
// returns the UI and the file's path.
func settingsUI(t *testing.T, cfg storage.Config) (*UI, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := storage.SaveConfig(path, &cfg); err != nil {
		t.Fatal(err)
	}
	ui := newUI(t, Options{Config: cfg, ConfigPath: path})
	t.Cleanup(func() {
		// A Snapshotter the dialog started, and the one it retired.
		ui.snaps.Close()
		ui.replacing.Wait()
	})
	ui.Window.Show()
	return ui, path
}

func readFile(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestSettingsDialogShowsTheCurrentValues(t *testing.T) {
	// Built in code, not loaded: the dialog shows what the wall runs on,
	// layouts included, whatever storage accepts of them yet.
	cfg := storage.Config{
		Grid:      storage.Grid{Rows: 1, Columns: 3},
		Cameras:   cameras(3, deadURL),
		Snapshots: storage.SnapshotSettings{Dir: "/srv/pictures", Pattern: "{camera}_{timestamp}.png", Format: "png", Quality: 70},
		Recording: storage.RecordSettings{Dir: "~/footage", Segment: "10m", MaxAge: "30d", MaxSize: "20GB"},
		Kiosk:     true,
		Metrics:   "127.0.0.1:9464",
		Layouts:   []storage.Layout{{Name: "doors", Preset: "2x2"}, {Name: "yard", Preset: "1"}},
		Tour:      storage.Tour{Every: "30s", Layouts: []string{"yard"}},
	}
	ui := newUI(t, Options{Config: cfg})
	ui.SetKiosk(false) // kiosk mode refuses the dialog; the setting still shows
	f := ui.SettingsDialog()
	t.Cleanup(f.close)
	tests := []struct {
		field     string
		got, want any
	}{
		{"snapshot folder", f.SnapshotDir.Text, "/srv/pictures"},
		{"snapshot file name", f.SnapshotPattern.Text, "{camera}_{timestamp}.png"},
		{"snapshot format", f.SnapshotFormat.Selected, "png"},
		{"JPEG quality", f.SnapshotQuality.Text, "70"},
		{"JPEG quality is off for PNG", f.SnapshotQuality.Disabled(), true},
		{"recording folder", f.RecordDir.Text, "~/footage"},
		{"segment", f.Segment.Text, "10m"},
		{"max age", f.MaxAge.Text, "30d"},
		{"max size", f.MaxSize.Text, "20GB"},
		{"grid rows", f.Rows.Text, "1"},
		{"grid columns", f.Columns.Text, "3"},
		{"kiosk", f.Kiosk.Checked, true},
		{"tour every", f.TourEvery.Text, "30s"},
		{"tour layouts offered", strings.Join(f.TourLayouts.Options, ","), "doors,yard"},
		{"tour layouts checked", strings.Join(f.TourLayouts.Selected, ","), "yard"},
		{"metrics", f.Metrics.Text, "127.0.0.1:9464"},
		{"no problem shown", f.Problems.Visible(), false},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: shows %v, want %v", tc.field, tc.got, tc.want)
		}
	}
}

func TestSettingsDialogShowsDefaultsAsPlaceholders(t *testing.T) {
	ui := newUI(t, Options{Config: storage.Config{Cameras: cameras(1, deadURL)}})
	f := ui.SettingsDialog()
	t.Cleanup(f.close)
	if f.SnapshotFormat.Selected != "jpeg" || f.SnapshotQuality.Text != "" || f.SnapshotQuality.PlaceHolder != "90" {
		t.Errorf("format %q, quality %q (placeholder %q); want jpeg and an empty quality saying 90",
			f.SnapshotFormat.Selected, f.SnapshotQuality.Text, f.SnapshotQuality.PlaceHolder)
	}
	if f.Rows.Text != "" || f.Columns.Text != "" || f.TourEvery.Text != "" || f.Metrics.Text != "" {
		t.Errorf("an automatic grid, no tour, no metrics show %q %q %q %q", f.Rows.Text, f.Columns.Text, f.TourEvery.Text, f.Metrics.Text)
	}
}

func TestSettingsRefusesAnInvalidValueAndWritesNothing(t *testing.T) {
	tests := []struct {
		name    string
		fill    func(f *SettingsForm)
		problem string
		tab     string // shown after Save
	}{
		{"JPEG quality 0", func(f *SettingsForm) { f.SnapshotQuality.SetText("0") },
			"snapshots: quality must be from 1 to 100, not 0", "Snapshots"},
		{"JPEG quality 500", func(f *SettingsForm) { f.SnapshotQuality.SetText("500") },
			"snapshots: quality must be from 1 to 100, not 500", "Snapshots"},
		{"JPEG quality that is no number", func(f *SettingsForm) { f.SnapshotQuality.SetText("best") },
			`snapshots: quality must be a whole number, not "best"`, "Snapshots"},
		{"a relative snapshot folder", func(f *SettingsForm) { f.SnapshotDir.SetText("pictures") },
			"snapshots: dir must be an absolute folder", "Snapshots"},
		{"a segment of 1s", func(f *SettingsForm) { f.Segment.SetText("1s") },
			"recording: segment must be a duration from 10s to 24h0m0s such as 5m", "Recording"},
		{"a max size that is no size", func(f *SettingsForm) { f.MaxSize.SetText("lots") },
			"recording: max_size must be a size such as 500MB or 20GB", "Recording"},
		{"rows without columns", func(f *SettingsForm) { f.Rows.SetText("2") },
			"grid: columns is 0 but rows is 2", "Wall"},
		{"a grid too small for the cameras", func(f *SettingsForm) { f.Rows.SetText("1"); f.Columns.SetText("1") },
			"grid: rows × columns (1×1 = 1) must be at least the number of cameras (2)", "Wall"},
		{"two problems at once", func(f *SettingsForm) { f.SnapshotQuality.SetText("500"); f.Segment.SetText("1s") },
			"not 500\nrecording: segment must be", "Snapshots"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ui, path := settingsUI(t, storage.Config{Cameras: cameras(2, deadURL)})
			before := readFile(t, path)
			cfg := ui.cfg
			f := ui.SettingsDialog()
			f.Tabs.SelectIndex(1) // wherever the user was
			tc.fill(f)
			test.Tap(f.SaveButton)
			if !f.Problems.Visible() || !strings.Contains(f.Problems.Text, tc.problem) {
				t.Errorf("problems shown (visible %v):\n%s\nwant one containing %q", f.Problems.Visible(), f.Problems.Text, tc.problem)
			}
			if ui.settings != f {
				t.Error("the dialog closed on a refused save")
			}
			if tab := f.Tabs.Selected().Text; tab != tc.tab {
				t.Errorf("the %s tab is shown, want %s, where the first problem is", tab, tc.tab)
			}
			if after := readFile(t, path); !bytes.Equal(after, before) {
				t.Errorf("the configuration file changed:\n%s", after)
			}
			if ui.cfg.Snapshots != cfg.Snapshots || ui.cfg.Recording != cfg.Recording || ui.cfg.Grid != cfg.Grid {
				t.Errorf("the wall took the refused settings: %+v", ui.cfg)
			}
		})
	}
}

func TestSettingsSaveWritesTheFileAndTheWallUsesIt(t *testing.T) {
	footage := t.TempDir()
	tests := []struct {
		name string
		fill func(f *SettingsForm)
		// check looks at the file read back and at the wall.
		check func(t *testing.T, saved *storage.Config, ui *UI)
	}{
		{"a fixed grid lays the wall out", func(f *SettingsForm) { f.Rows.SetText("1"); f.Columns.SetText("3") },
			func(t *testing.T, saved *storage.Config, ui *UI) {
				if saved.Grid != (storage.Grid{Rows: 1, Columns: 3}) {
					t.Errorf("file grid %+v", saved.Grid)
				}
				if r, c := ui.layout.Dims(); r != 1 || c != 3 {
					t.Errorf("wall is %dx%d, want 1x3", r, c)
				}
			}},
		{"recording settings are the next recording's", func(f *SettingsForm) {
			f.RecordDir.SetText(footage)
			f.Segment.SetText("30s")
			f.MaxAge.SetText("7d")
			f.MaxSize.SetText("5GB")
		}, func(t *testing.T, saved *storage.Config, ui *UI) {
			want := storage.RecordSettings{Dir: footage, Segment: "30s", MaxAge: "7d", MaxSize: "5GB"}
			if saved.Recording != want || ui.cfg.Recording != want {
				t.Errorf("file %+v, wall %+v, want %+v", saved.Recording, ui.cfg.Recording, want)
			}
			plan, err := ui.cfg.Recording.Resolved()
			if err != nil || plan.Dir != footage || plan.Segment != 30*time.Second {
				t.Errorf("the next recording goes to %s in %v segments (%v)", plan.Dir, plan.Segment, err)
			}
		}},
		{"a JPEG quality is the snapshots'", func(f *SettingsForm) { f.SnapshotQuality.SetText("75") },
			func(t *testing.T, saved *storage.Config, ui *UI) {
				if saved.Snapshots.Quality != 75 || ui.snaps.Settings.Quality != 75 {
					t.Errorf("file quality %d, snapshots' %d", saved.Snapshots.Quality, ui.snaps.Settings.Quality)
				}
				if saved.Snapshots.Format != "" {
					t.Errorf("the format left out is written as %q", saved.Snapshots.Format)
				}
			}},
		{"an unchanged dialog keeps the file's defaults out", func(*SettingsForm) {},
			func(t *testing.T, saved *storage.Config, ui *UI) {
				if saved.Snapshots != (storage.SnapshotSettings{}) || saved.Recording != (storage.RecordSettings{}) || saved.Grid != (storage.Grid{}) {
					t.Errorf("defaults were written out: %+v %+v %+v", saved.Snapshots, saved.Recording, saved.Grid)
				}
			}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ui, path := settingsUI(t, storage.Config{Cameras: cameras(3, deadURL)})
			f := ui.SettingsDialog()
			tc.fill(f)
			test.Tap(f.SaveButton)
			if ui.settings != nil {
				t.Fatalf("the dialog stayed open: %q", f.Problems.Text)
			}
			saved, err := storage.LoadConfig(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(saved.Cameras) != 3 || len(ui.Tiles) != 3 {
				t.Errorf("cameras: %d in the file, %d tiles; want the 3 untouched", len(saved.Cameras), len(ui.Tiles))
			}
			tc.check(t, saved, ui)
		})
	}
}

func TestSettingsCancelDiscardsTheChanges(t *testing.T) {
	ui, path := settingsUI(t, storage.Config{Cameras: cameras(1, deadURL)})
	before := readFile(t, path)
	f := ui.SettingsDialog()
	f.SnapshotQuality.SetText("50")
	f.Rows.SetText("1")
	f.Columns.SetText("1")
	test.Tap(f.CancelButton)
	if after := readFile(t, path); !bytes.Equal(after, before) {
		t.Errorf("Cancel wrote the file:\n%s", after)
	}
	if ui.cfg.Snapshots.Quality != 0 || ui.cfg.Grid != (storage.Grid{}) {
		t.Errorf("the wall took cancelled settings: %+v", ui.cfg)
	}
	if again := ui.SettingsDialog(); again == f || again.SnapshotQuality.Text != "" {
		t.Errorf("reopened, the dialog shows quality %q (same dialog: %v)", again.SnapshotQuality.Text, again == f)
	}
}

func TestSettingsOpenFromTheMenuAndCtrlComma(t *testing.T) {
	tests := []struct {
		name string
		open func(ui *UI)
	}{
		{"the camwall menu", func(ui *UI) {
			menu := ui.Window.MainMenu().Items[0]
			i := slices.IndexFunc(menu.Items, func(it *fyne.MenuItem) bool { return strings.HasPrefix(it.Label, "Settings…") })
			if menu.Label != "camwall" || i < 0 {
				t.Fatalf("menu %q has no Settings… item", menu.Label)
			}
			menu.Items[i].Action()
		}},
		{"Ctrl+,", func(ui *UI) {
			ui.Window.Canvas().(fyne.Shortcutable).TypedShortcut(
				&desktop.CustomShortcut{KeyName: fyne.KeyComma, Modifier: fyne.KeyModifierShortcutDefault})
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ui, _ := settingsUI(t, storage.Config{Cameras: cameras(1, deadURL)})
			tc.open(ui)
			if ui.settings == nil {
				t.Fatal("no Settings dialog open")
			}
			ui.settings.close()
		})
	}
}

// TestSettingsSnapshotsGoWhereTheDialogSays takes a snapshot of a live
// camera after the dialog changed the folder and the format.
func TestSettingsSnapshotsGoWhereTheDialogSays(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	ui, path := settingsUI(t, storage.Config{Cameras: []storage.Camera{{Name: "porch", URL: srv.URL(1)}},
		Snapshots: storage.SnapshotSettings{Dir: t.TempDir()}})
	msgs := make(chan string, 4)
	ui.onNotify = func(m string) { msgs <- m }
	if err := ui.snaps.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	startSessions(ui)
	until(t, ui, 20*time.Second, "demo camera not live", func() bool {
		return strings.HasPrefix(ui.Tiles[0].State.Text, "live")
	})
	dir := t.TempDir()
	f := ui.SettingsDialog()
	f.SnapshotDir.SetText(dir)
	f.SnapshotFormat.SetSelected("png")
	if !f.SnapshotQuality.Disabled() {
		t.Error("JPEG quality stays editable for PNG")
	}
	test.Tap(f.SaveButton)
	if ui.settings != nil {
		t.Fatalf("the dialog stayed open: %q", f.Problems.Text)
	}
	if saved, err := storage.LoadConfig(path); err != nil || saved.Snapshots.Dir != dir || saved.Snapshots.Format != "png" {
		t.Fatalf("file holds %+v (%v)", saved, err)
	}
	ui.SnapshotAll()
	msg := waitMessage(t, msgs)
	shot, ok := strings.CutPrefix(msg, "Snapshot saved: ")
	if !ok || !strings.HasPrefix(shot, dir+string(os.PathSeparator)) || filepath.Ext(shot) != ".png" {
		t.Fatalf("message %q, want a PNG in %s", msg, dir)
	}
	file, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	if _, err := png.Decode(file); err != nil {
		t.Errorf("the snapshot is no PNG: %v", err)
	}
}

// TestSettingsScreenshot keeps the dialog as Fyne's test driver draws it,
// with a problem shown, at CAMWALL_SCREENSHOT_SETTINGS=path, to look at.
func TestSettingsScreenshot(t *testing.T) {
	keep := os.Getenv("CAMWALL_SCREENSHOT_SETTINGS")
	if keep == "" {
		t.Skip("CAMWALL_SCREENSHOT_SETTINGS is not set")
	}
	ui := newUI(t, Options{Config: storage.Config{Cameras: cameras(4, deadURL),
		Layouts: []storage.Layout{{Name: "doors"}, {Name: "yard"}}, Tour: storage.Tour{Layouts: []string{"yard"}}}})
	f := ui.SettingsDialog()
	tab := map[string]int{"snapshots": 0, "recording": 1, "wall": 2}[os.Getenv("CAMWALL_SCREENSHOT_TAB")]
	f.Tabs.SelectIndex(tab)
	f.SnapshotQuality.SetText("500")
	test.Tap(f.SaveButton)
	var b bytes.Buffer
	if err := png.Encode(&b, ui.Window.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keep, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}
