package app

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/camwall/camwall/app/metrics/metricstest"
	"github.com/camwall/camwall/app/systemd/systemdtest"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/storage"
)

// A wall watched from elsewhere: /metrics names every camera and follows
// it going down, and /healthz turns 503 while the UI goroutine does not
// refresh. Under the test driver the test is the UI goroutine (until calls
// refresh, as a tick does), so the UI "hangs" while the test stops calling
// it.
func TestMetricsAndHealthWatchTheWallFromElsewhere(t *testing.T) {
	srv := playtest.StartServer(t, &rtspserver.Server{})
	for _, path := range []string{"porch", "yard"} {
		if err := srv.Loop(path, playtest.DemoClip(t)); err != nil {
			t.Fatal(err)
		}
	}
	ui := newUI(t, Options{Metrics: "127.0.0.1:0", Config: storage.Config{Cameras: []storage.Camera{
		{Name: "porch", URL: srv.URL("porch")}, {Name: "yard", URL: srv.URL("yard")},
	}}})
	ui.Window.Resize(fyne.NewSize(640, 360))
	ui.Window.Show()
	startSessions(ui)
	ui.startObservers()
	t.Cleanup(ui.stopObservers)
	addr := ui.MetricsAddr()
	if addr == "" {
		t.Fatal("no metrics server")
	}
	health := func() (int, string) { return metricstest.Get(t, addr, "/healthz") }

	var m metricstest.Families
	until(t, ui, 20*time.Second, "the cameras never showed live and painted in /metrics", func() bool {
		ui.Window.Canvas().Capture() // the test driver paints here
		m = metricstest.Scrape(t, addr)
		for _, cam := range []string{"porch", "yard"} {
			up, _ := m.Value("camwall_camera_up", "camera", cam)
			painted, _ := m.Value("camwall_camera_painted_frames_total", "camera", cam)
			decoded, _ := m.Value("camwall_camera_decoded_frames_total", "camera", cam)
			if up != 1 || painted == 0 || decoded == 0 {
				return false
			}
		}
		return true
	})
	if _, body := metricstest.Get(t, addr, "/metrics"); strings.Contains(body, "rtsp://") {
		t.Error("/metrics shows a camera URL")
	}
	if code, body := health(); code != http.StatusOK || body != "ok\n" {
		t.Errorf("/healthz of a refreshing wall = %d %q, want 200 ok", code, body)
	}

	// The UI hangs: nothing refreshes.
	playtest.WaitFor(t, 20*time.Second, "/healthz stayed 200 while the UI did not refresh", func() bool {
		code, _ := health()
		return code == http.StatusServiceUnavailable
	})
	if _, body := health(); !strings.Contains(body, "hangs") || strings.Count(body, "\n") != 1 {
		t.Errorf("/healthz of a hung UI says %q, want one line saying it hangs", body)
	}
	until(t, ui, 20*time.Second, "/healthz not 200 again once the UI refreshed", func() bool {
		code, _ := health()
		return code == http.StatusOK
	})

	// A camera goes down; the other plays on.
	srv.Unpublish("yard")
	until(t, ui, 20*time.Second, "camwall_camera_up did not follow the camera going down", func() bool {
		m = metricstest.Scrape(t, addr)
		yard, _ := m.Value("camwall_camera_up", "camera", "yard")
		reconnecting, _ := m.Value("camwall_camera_state", "camera", "yard", "state", "reconnecting")
		porch, _ := m.Value("camwall_camera_up", "camera", "porch")
		return yard == 0 && reconnecting == 1 && porch == 1
	})
}

// Under systemd the wall says it is up at its first refresh, feeds the
// watchdog from its refreshes at half the watchdog's timeout, and says when
// it stops.
func TestSystemdHearsTheWallIsUpAliveAndStopping(t *testing.T) {
	received := systemdtest.NotifySocket(t)
	t.Setenv("WATCHDOG_USEC", "2000000")
	t.Setenv("WATCHDOG_PID", "")
	ui := newUI(t, Options{Config: storage.Config{Cameras: cameras(1, deadURL)}})
	ui.startObservers()
	if got := received(); len(got) != 0 {
		t.Errorf("told systemd %q before the window refreshed", got)
	}
	start := time.Now()
	steps := []struct {
		name  string
		after time.Duration
		want  []string
	}{
		{"the first refresh: up, and alive", 0, []string{"READY=1", "WATCHDOG=1"}},
		{"a refresh within half the timeout says nothing", 500 * time.Millisecond, []string{"READY=1", "WATCHDOG=1"}},
		{"a refresh half the timeout later feeds the watchdog", time.Second, []string{"READY=1", "WATCHDOG=1", "WATCHDOG=1"}},
	}
	for _, s := range steps {
		ui.refresh(start.Add(s.after))
		if got := received(); !slices.Equal(got, s.want) {
			t.Errorf("%s: systemd heard %q, want %q", s.name, got, s.want)
		}
	}
	ui.stopObservers()
	if got := received(); len(got) == 0 || got[len(got)-1] != "STOPPING=1" {
		t.Errorf("after stopping, systemd heard %q, want STOPPING=1 last", got)
	}
}
