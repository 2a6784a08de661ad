package app

import (
	"fmt"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/camwall/camwall/player"
	"github.com/camwall/camwall/player/demo"
)

func sessions(n int, url func(i int) string) []*player.Session {
	out := make([]*player.Session, n)
	for i := range out {
		out[i] = player.New(player.Config{Name: fmt.Sprintf("cam %d", i+1), URL: url(i + 1)})
	}
	return out
}

func TestGridShowsOneTilePerCamera(t *testing.T) {
	tests := []struct {
		name    string
		cameras int
		columns int
	}{
		{"one camera fills the window", 1, 1},
		{"two cameras in a 2x2 grid", 2, 2},
		{"four cameras in a 2x2 grid", 4, 2},
		{"five cameras in a 3x3 grid", 5, 3},
		{"nine cameras in a 3x3 grid", 9, 3},
		{"sixteen cameras in a 4x4 grid", 16, 4},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := test.NewTempApp(t)
			ss := sessions(tc.cameras, func(i int) string { return fmt.Sprintf("rtsp://127.0.0.1:1/cam%d", i) })
			ui := New(a, ss)
			if len(ui.Tiles) != tc.cameras || len(ui.Grid.Objects) != tc.cameras {
				t.Fatalf("tiles = %d, grid objects = %d, want %d", len(ui.Tiles), len(ui.Grid.Objects), tc.cameras)
			}
			for i, tile := range ui.Tiles {
				if want := fmt.Sprintf("cam %d", i+1); tile.Name.Text != want {
					t.Errorf("tile %d is named %q, want %q", i, tile.Name.Text, want)
				}
			}
			if got := GridColumns(tc.cameras); got != tc.columns {
				t.Errorf("columns = %d, want %d", got, tc.columns)
			}
		})
	}
}

func TestTileShowsLiveVideoAndItsState(t *testing.T) {
	srv := &demo.Server{Streams: 1}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	a := test.NewTempApp(t)
	s := player.New(player.Config{Name: "front door", URL: srv.URL(1)})
	ui := New(a, []*player.Session{s})
	ui.Window.Resize(fyne.NewSize(640, 400))
	ui.Window.Show()
	s.Start()
	defer s.Close()

	// The test driver runs fyne.Do callbacks on the calling goroutine, so
	// the test plays the UI ticker itself (the real-window test covers the
	// ticker).
	tile := ui.Tiles[0]
	deadline := time.Now().Add(3 * time.Second)
	for {
		ui.refresh(time.Now())
		shown := tile.Image.Image != nil
		state := tile.State.Text
		if shown && state == "live · 640x360 H.264" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 3 s: picture shown = %v, state = %q", shown, state)
		}
		time.Sleep(20 * time.Millisecond)
	}
	b := tile.Image.Image.Bounds()
	w, h := b.Dx(), b.Dy()
	// The picture is scaled by the session to the tile's pixel size (the
	// test canvas has scale 1), letterboxed to 16:9.
	if w != 640 || h != 360 {
		t.Errorf("picture is %dx%d, want 640x360 for a 640x400 tile", w, h)
	}
}

func TestTileExplainsADeadCamera(t *testing.T) {
	a := test.NewTempApp(t)
	s := player.New(player.Config{Name: "bad", URL: "ftp://127.0.0.1/x"})
	ui := New(a, []*player.Session{s})
	s.Start()
	defer s.Close()
	tile := ui.Tiles[0]
	deadline := time.Now().Add(2 * time.Second)
	for {
		ui.refresh(time.Now())
		state, reason, visible := tile.State.Text, tile.Reason.Text, tile.Reason.Visible()
		if state == "error" {
			if !visible || reason != `unsupported URL scheme "ftp" (want rtsp:// or rtsps://)` {
				t.Fatalf("reason %q (visible %v)", reason, visible)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("state %q, want error", state)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestUITickerStopsOnClose(t *testing.T) {
	a := test.NewTempApp(t)
	ui := New(a, sessions(1, func(int) string { return "rtsp://127.0.0.1:1/x" }))
	ui.Start()
	done := make(chan struct{})
	go func() { ui.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Second):
		t.Fatal("Close did not return")
	}
}
