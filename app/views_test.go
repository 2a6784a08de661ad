package app

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/storage"
)

// spanning is a 2×2 layout of three cameras: the first spans the left
// column, the other two sit on the right.
var spanning = storage.Layout{Name: "door big", Rows: 2, Columns: 2, Tiles: []storage.LayoutTile{
	{Camera: "cam 1", Row: 0, Col: 0, Rows: 2},
	{Camera: "cam 2", Row: 0, Col: 1},
	{Camera: "cam 3", Row: 1, Col: 1},
}}

// only4 shows the fourth camera alone.
var only4 = storage.Layout{Name: "yard", Rows: 1, Columns: 1, Tiles: []storage.LayoutTile{{Camera: "cam 4", Row: 0, Col: 0}}}

func TestLayoutPlacesEachTileOnItsCells(t *testing.T) {
	ui := newUI(t, Options{Config: storage.Config{Cameras: cameras(4, deadURL), Layouts: []storage.Layout{spanning, only4}}})
	ui.Window.Resize(fyne.NewSize(802, 602))
	ui.Window.Show()
	grid := ui.Grid.Size()
	cw, ch := (grid.Width-2)/2, (grid.Height-2)/2
	tests := []struct {
		tile      int
		pos       fyne.Position
		size      fyne.Size
		visible   bool
		behaviour string
	}{
		{0, fyne.NewPos(0, 0), fyne.NewSize(cw, 2*ch+2), true, "a tile spanning two rows is as tall as both and the gap"},
		{1, fyne.NewPos(cw+2, 0), fyne.NewSize(cw, ch), true, "a tile in the top right cell"},
		{2, fyne.NewPos(cw+2, ch+2), fyne.NewSize(cw, ch), true, "a tile in the bottom right cell"},
		{3, fyne.Position{}, fyne.Size{}, false, "a camera the layout does not place is hidden"},
	}
	for _, tc := range tests {
		t.Run(tc.behaviour, func(t *testing.T) {
			tile := ui.Tiles[tc.tile]
			if tile.Visible() != tc.visible {
				t.Fatalf("visible = %v, want %v", tile.Visible(), tc.visible)
			}
			if tc.visible && (tile.Position() != tc.pos || tile.Size() != tc.size) {
				t.Errorf("at %v size %v, want %v size %v", tile.Position(), tile.Size(), tc.pos, tc.size)
			}
		})
	}
}

func TestPresetOnePlusFivePutsItsFirstCameraBig(t *testing.T) {
	cams := cameras(6, deadURL)
	names := []string{"cam 6", "cam 1", "cam 2", "cam 3", "cam 4", "cam 5"}
	ui := newUI(t, Options{Config: storage.Config{Cameras: cams, Layouts: []storage.Layout{{Name: "1+5", Preset: "1+5", Cameras: names}}}})
	ui.Window.Resize(fyne.NewSize(902, 602))
	ui.Window.Show()
	grid := ui.Grid.Size()
	cw, ch := (grid.Width-4)/3, (grid.Height-4)/3
	big := ui.Tiles[5]
	if big.Position() != fyne.NewPos(0, 0) || big.Size() != fyne.NewSize(2*cw+2, 2*ch+2) {
		t.Errorf("the first camera of 1+5 is at %v size %v, want the top-left 2×2 cells", big.Position(), big.Size())
	}
	// The five small cells, in reading order: right column, then bottom row.
	want := []fyne.Position{{X: 2 * (cw + 2), Y: 0}, {X: 2 * (cw + 2), Y: ch + 2}, {X: 0, Y: 2 * (ch + 2)}, {X: cw + 2, Y: 2 * (ch + 2)}, {X: 2 * (cw + 2), Y: 2 * (ch + 2)}}
	for i, pos := range want {
		if tile := ui.Tiles[i]; tile.Position() != pos || tile.Size() != fyne.NewSize(cw, ch) {
			t.Errorf("%s at %v size %v, want %v size %v", tile.Name.Text, tile.Position(), tile.Size(), pos, fyne.NewSize(cw, ch))
		}
	}
}

func TestNumberKeysSwitchViewsAndTheSelectionFollows(t *testing.T) {
	ui := newUI(t, Options{Config: storage.Config{Cameras: cameras(4, deadURL), Layouts: []storage.Layout{spanning, only4}}})
	ui.Window.Resize(fyne.NewSize(800, 600))
	ui.Window.Show()
	c := ui.Window.Canvas()
	steps := []struct {
		key      fyne.KeyName
		view     int
		shown    []int
		selected int
	}{
		{"2", 1, []int{3}, 3},
		{"9", 1, []int{3}, 3}, // no ninth view: nothing changes
		{"1", 0, []int{0, 1, 2}, 0},
	}
	for _, s := range steps {
		pressKey(c, s.key)
		if ui.View() != s.view {
			t.Fatalf("after %s: view %d, want %d", s.key, ui.View(), s.view)
		}
		for i, tile := range ui.Tiles {
			want := false
			for _, j := range s.shown {
				want = want || i == j
			}
			if tile.Visible() != want {
				t.Errorf("after %s: tile %d visible = %v, want %v", s.key, i, tile.Visible(), want)
			}
		}
		if ui.Selected() != s.selected {
			t.Errorf("after %s: selected %d, want %d", s.key, ui.Selected(), s.selected)
		}
	}
	items := ui.Window.MainMenu().Items
	menu := items[len(items)-1]
	if len(menu.Items) != 2 || !strings.HasPrefix(menu.Items[0].Label, "door big (1)") {
		t.Errorf("Layouts menu %v, want the two layouts with their keys", menu.Items)
	}
}

func TestArrowsMoveBetweenSpanningTiles(t *testing.T) {
	ui := newUI(t, Options{Config: storage.Config{Cameras: cameras(4, deadURL), Layouts: []storage.Layout{spanning}}})
	tests := []struct {
		from int
		key  fyne.KeyName
		to   int
	}{
		{0, fyne.KeyRight, 1},
		{1, fyne.KeyDown, 2},
		{2, fyne.KeyUp, 1},
		{2, fyne.KeyLeft, 1}, // reading order: the big tile's row comes first
		{1, fyne.KeyLeft, 0},
		{0, fyne.KeyDown, -1}, // the big tile already reaches the bottom
		{2, fyne.KeyRight, -1},
	}
	for _, tc := range tests {
		if got := ui.neighbour(tc.from, tc.key); got != tc.to {
			t.Errorf("from tile %d, %s goes to %d, want %d", tc.from, tc.key, got, tc.to)
		}
	}
}

func TestPlainGridPagesWhenTheConfiguredGridIsTooSmall(t *testing.T) {
	ui := newUI(t, Options{Config: storage.Config{Grid: storage.Grid{Rows: 2, Columns: 2}, Cameras: cameras(6, deadURL)}})
	if n := len(ui.views()); n != 2 {
		t.Fatalf("%d views, want 2 pages", n)
	}
	pressKey(ui.Window.Canvas(), "2")
	for i, tile := range ui.Tiles {
		if want := i >= 4; tile.Visible() != want {
			t.Errorf("page 2: tile %d visible = %v, want %v", i, tile.Visible(), want)
		}
	}
}

func TestDroppedCameraKeepsItsPlaceWithItsLastPictureAndSinceWhen(t *testing.T) {
	srv := playtest.StartServer(t, &rtspserver.Server{})
	for _, path := range []string{"front", "back"} {
		if err := srv.Loop(path, playtest.DemoClip(t)); err != nil {
			t.Fatal(err)
		}
	}
	ui := newUI(t, Options{Config: storage.Config{Cameras: []storage.Camera{
		{Name: "front", URL: srv.URL("front")}, {Name: "back", URL: srv.URL("back")},
	}}})
	ui.Window.Resize(fyne.NewSize(800, 300))
	ui.Window.Show()
	startSessions(ui)
	until(t, ui, 20*time.Second, "cameras not live", func() bool {
		return ui.Tiles[0].Picture() != nil && ui.Tiles[1].Picture() != nil &&
			ui.Tiles[0].status().State == player.StateLive
	})
	before := [2]fyne.Position{ui.Tiles[0].Position(), ui.Tiles[1].Position()}
	srv.Unpublish("front")
	front := ui.Tiles[0]
	until(t, ui, 20*time.Second, "the camera's drop is not shown", func() bool {
		return front.status().State != player.StateLive && front.Offline.Visible()
	})
	if got := [2]fyne.Position{ui.Tiles[0].Position(), ui.Tiles[1].Position()}; got != before {
		t.Errorf("tiles moved from %v to %v when a camera dropped", before, got)
	}
	if front.Picture() == nil || !front.dim.Visible() {
		t.Error("the dropped camera's last picture is not kept, dimmed")
	}
	if !strings.HasPrefix(front.Offline.Text, "offline since ") {
		t.Errorf("offline line %q", front.Offline.Text)
	}
	if ui.Tiles[1].Offline.Visible() {
		t.Error("the camera still live says it is offline")
	}
}

func TestOfflineLineSaysSinceWhenAndHowLong(t *testing.T) {
	now := time.Date(2026, 12, 2, 14, 5, 30, 0, time.Local)
	tests := []struct {
		behaviour string
		since     time.Time
		want      string
	}{
		{"seconds ago", now.Add(-40 * time.Second), "offline since 14:04 (40 s)"},
		{"minutes ago", now.Add(-3*time.Minute - 10*time.Second), "offline since 14:02 (3 min)"},
		{"hours ago", now.Add(-2*time.Hour - 5*time.Minute), "offline since 12:00 (2 h 5 min)"},
		{"another day gives the date", now.Add(-50 * time.Hour), "offline since 30 Nov 12:05 (2 d)"},
	}
	for _, tc := range tests {
		t.Run(tc.behaviour, func(t *testing.T) {
			if got := offlineLine(tc.since, now); got != tc.want {
				t.Errorf("offlineLine = %q, want %q", got, tc.want)
			}
		})
	}
}
