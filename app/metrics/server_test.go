package metrics

import (
	"bytes"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/camwall/camwall/app/metrics/metricstest"
	"github.com/camwall/camwall/player"
)

// wall is a Source whose snapshot the test sets, as the UI publishes its own.
type wall struct{ w atomic.Pointer[Wall] }

func (w *wall) Snapshot() Wall { return *w.w.Load() }

func (w *wall) set(v Wall) { w.w.Store(&v) }

// serve starts a server for src on a free loopback port, closed at the end
// of the test.
func serve(t *testing.T, src Source, log *slog.Logger) *Server {
	t.Helper()
	s := &Server{Listen: "127.0.0.1:0", Source: src, Logger: log}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func get(t *testing.T, s *Server, path string) (int, string) {
	t.Helper()
	return metricstest.Get(t, s.Addr(), path)
}

func scrape(t *testing.T, s *Server) metricstest.Families {
	t.Helper()
	return metricstest.Scrape(t, s.Addr())
}

func TestMetricsShowEveryCameraByItsName(t *testing.T) {
	now := time.Now()
	src := &wall{}
	src.set(Wall{LastPaint: now, Cameras: []Camera{
		{Name: "front door", State: player.StateLive, Received: 300, Decoded: 299, Painted: 250, Dropped: 3, Corrupt: 1,
			Bitrate: 2e6, Latency: 150 * time.Millisecond, LastPaint: now, Reconnects: 2, Recording: true, RecordBytes: 123456, Hardware: "VAAPI"},
		{Name: "garage", State: player.StateReconnecting, Reconnects: 7},
	}})
	s := serve(t, src, nil)
	families := scrape(t, s)

	tests := []struct {
		name   string
		metric string
		labels []string
		want   float64
	}{
		{"a live camera is up", "camwall_camera_up", []string{"camera", "front door"}, 1},
		{"a reconnecting camera is down", "camwall_camera_up", []string{"camera", "garage"}, 0},
		{"the state a camera is in is 1", "camwall_camera_state", []string{"camera", "garage", "state", "reconnecting"}, 1},
		{"a state a camera is not in is 0", "camwall_camera_state", []string{"camera", "garage", "state", "live"}, 0},
		{"received frames", "camwall_camera_received_frames_total", []string{"camera", "front door"}, 300},
		{"decoded frames", "camwall_camera_decoded_frames_total", []string{"camera", "front door"}, 299},
		{"painted frames", "camwall_camera_painted_frames_total", []string{"camera", "front door"}, 250},
		{"dropped access units", "camwall_camera_dropped_access_units_total", []string{"camera", "front door"}, 3},
		{"corrupt access units", "camwall_camera_corrupt_access_units_total", []string{"camera", "front door"}, 1},
		{"bitrate in bits per second", "camwall_camera_bitrate_bits_per_second", []string{"camera", "front door"}, 2e6},
		{"latency in seconds", "camwall_camera_latency_seconds", []string{"camera", "front door"}, 0.15},
		{"reconnects", "camwall_camera_reconnects_total", []string{"camera", "garage"}, 7},
		{"recording", "camwall_camera_recording", []string{"camera", "front door"}, 1},
		{"not recording", "camwall_camera_recording", []string{"camera", "garage"}, 0},
		{"recorded bytes", "camwall_camera_recorded_bytes_total", []string{"camera", "front door"}, 123456},
		{"a camera decoded on the GPU names it", "camwall_camera_decoder", []string{"camera", "front door", "decoder", "VAAPI"}, 1},
		{"a camera decoded in software says so", "camwall_camera_decoder", []string{"camera", "garage", "decoder", "software"}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := families.Value(tc.metric, tc.labels...)
			if !ok || got != tc.want {
				t.Errorf("%s%q = %v (present %v), want %v", tc.metric, tc.labels, got, ok, tc.want)
			}
		})
	}

	t.Run("one state series per state", func(t *testing.T) {
		n, live := 0, 0.0
		for _, m := range families["camwall_camera_state"].GetMetric() {
			if m.GetLabel()[0].GetValue() == "front door" {
				n++
				live += m.GetGauge().GetValue()
			}
		}
		if n != int(player.StateClosed)+1 || live != 1 {
			t.Errorf("%d state series adding up to %v, want %d adding up to 1", n, live, player.StateClosed+1)
		}
	})
	t.Run("ages are measured at the scrape", func(t *testing.T) {
		for _, name := range []string{"camwall_ui_last_paint_seconds", "camwall_camera_last_paint_seconds"} {
			age, ok := families.Value(name)
			if !ok || age < 0 || age > time.Since(now).Seconds() {
				t.Errorf("%s = %v (present %v), want between 0 and the time since the snapshot", name, age, ok)
			}
		}
	})
	t.Run("what is unknown is absent, not zero", func(t *testing.T) {
		for _, name := range []string{"camwall_camera_latency_seconds", "camwall_camera_last_paint_seconds"} {
			if v, ok := families.Value(name, "camera", "garage"); ok {
				t.Errorf("%s for a camera without it = %v, want no series", name, v)
			}
		}
	})
	t.Run("the Go runtime and the process are described", func(t *testing.T) {
		want := []string{"go_goroutines"}
		if runtime.GOOS == "linux" {
			want = append(want, "process_resident_memory_bytes")
		}
		for _, name := range want {
			if families[name] == nil {
				t.Errorf("no %s", name)
			}
		}
	})
}

func TestARemovedCameraLeavesTheMetrics(t *testing.T) {
	src := &wall{}
	src.set(Wall{LastPaint: time.Now(), Cameras: []Camera{{Name: "a", State: player.StateLive}, {Name: "b", State: player.StateLive}}})
	s := serve(t, src, nil)
	if _, ok := scrape(t, s).Value("camwall_camera_up", "camera", "b"); !ok {
		t.Fatal("camera b has no series while on the wall")
	}
	src.set(Wall{LastPaint: time.Now(), Cameras: []Camera{{Name: "a", State: player.StateLive}}})
	families := scrape(t, s)
	if families.Labelled("camera", "b") {
		t.Error("the removed camera still has series")
	}
	if _, ok := families.Value("camwall_camera_up", "camera", "a"); !ok {
		t.Error("camera a lost its series")
	}
}

func TestHealthzSaysWhetherTheWindowStillRefreshes(t *testing.T) {
	tests := []struct {
		name      string
		lastPaint time.Time
		code      int
		body      string
	}{
		{"refreshed just now is ok", time.Now(), http.StatusOK, "ok\n"},
		{"never refreshed is not ready", time.Time{}, http.StatusServiceUnavailable, "the window has not refreshed yet\n"},
		{"not refreshed for a minute hangs", time.Now().Add(-time.Minute), http.StatusServiceUnavailable, "its UI thread hangs\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			src := &wall{}
			src.set(Wall{LastPaint: tc.lastPaint})
			s := serve(t, src, nil)
			code, body := get(t, s, "/healthz")
			if code != tc.code || !strings.HasSuffix(body, tc.body) || strings.Count(body, "\n") != 1 {
				t.Errorf("/healthz = %d %q, want %d and one line ending %q", code, body, tc.code, tc.body)
			}
		})
	}
}

func TestListeningBeyondThisMachineIsWarnedAbout(t *testing.T) {
	tests := []struct {
		addr     string
		loopback bool
	}{
		{"127.0.0.1:9464", true},
		{"[::1]:9464", true},
		{"0.0.0.0:9464", false},
		{"[::]:9464", false},
		{"192.168.1.20:9464", false},
	}
	for _, tc := range tests {
		t.Run(tc.addr, func(t *testing.T) {
			a, err := net.ResolveTCPAddr("tcp", tc.addr)
			if err != nil {
				t.Fatal(err)
			}
			if got := loopback(a); got != tc.loopback {
				t.Errorf("loopback(%s) = %v, want %v", tc.addr, got, tc.loopback)
			}
		})
	}
	t.Run("a loopback server warns of nothing", func(t *testing.T) {
		var out bytes.Buffer
		serve(t, &wall{}, slog.New(slog.NewTextHandler(&out, nil)))
		if strings.Contains(out.String(), "level=WARN") {
			t.Errorf("warned: %s", out.String())
		}
	})
}

func TestStartSaysWhichAddressItCouldNotServeOn(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	s := &Server{Listen: busy.Addr().String(), Source: &wall{}}
	err = s.Start()
	if err == nil {
		s.Close()
		t.Fatal("started on an address in use")
	}
	if want := "serve metrics on " + busy.Addr().String() + ": "; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %q, want it to start with %q", err, want)
	}
}

func TestCloseEndsTheServer(t *testing.T) {
	src := &wall{}
	src.set(Wall{})
	s := &Server{Listen: "127.0.0.1:0", Source: src}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	addr := s.Addr()
	s.Close()
	if err := s.Wait(); err != nil {
		t.Errorf("Wait after Close = %v, want nil", err)
	}
	if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
		resp.Body.Close()
		t.Error("still answering after Close")
	}
}
