package player

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/source/rtsp"
	"github.com/camwall/camwall/storage"
)

// skipWithGPU skips a case about a missing GPU on a machine that has one of
// kinds.
func skipWithGPU(t *testing.T, kinds ...string) {
	t.Helper()
	for _, k := range kinds {
		switch k {
		case "vaapi":
			if nodes, _ := filepath.Glob("/dev/dri/renderD*"); len(nodes) > 0 {
				t.Skip("this machine has a VAAPI render node")
			}
		case "cuda":
			for _, dir := range []string{"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/lib/aarch64-linux-gnu"} {
				if _, err := os.Stat(filepath.Join(dir, "libcuda.so.1")); err == nil {
					t.Skip("this machine has the NVIDIA driver")
				}
			}
		}
	}
}

// waitPictures waits until s has published n more pictures than it had.
func waitPictures(t *testing.T, s *Session, n uint64, what string) {
	t.Helper()
	from := s.Frames().Published()
	playtest.WaitFor(t, 20*time.Second, what, func() bool { return s.Frames().Published() >= from+n })
}

func TestHardwareAskedForWhereThereIsNonePlaysInSoftwareAndSaysWhy(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	tests := []struct {
		hwaccel string
		lacks   []string
		says    []string
	}{
		{"auto", []string{"vaapi", "cuda"}, []string{"no VAAPI device: /dev/dri/renderD128 missing", "no CUDA driver: libcuda.so.1 not found"}},
		{"vaapi", []string{"vaapi"}, []string{"no VAAPI device: /dev/dri/renderD128 missing"}},
		{"cuda", []string{"cuda"}, []string{"no CUDA driver: libcuda.so.1 not found"}},
	}
	for _, tt := range tests {
		t.Run(tt.hwaccel, func(t *testing.T) {
			skipWithGPU(t, tt.lacks...)
			s := play(t, Config{Name: tt.hwaccel, URL: srv.URL(1), Transport: rtsp.TransportTCP, HWAccel: tt.hwaccel})
			waitPictures(t, s, 30, "no pictures in software")
			st := s.Status()
			if st.State != StateLive || st.Hardware != "" || !strings.HasPrefix(st.Decoder, "h264 (software): ") {
				t.Fatalf("status %s, decoder %q (hardware %q), want live in software", describe(st), st.Decoder, st.Hardware)
			}
			for _, why := range tt.says {
				if !strings.Contains(st.Decoder, why) {
					t.Errorf("decoder %q does not say %q", st.Decoder, why)
				}
			}
		})
	}
}

// The GPU is simulated (decoder.SimulatedHW): the decoder believes it
// decodes on VAAPI, fails as a GPU does mid-stream, and from there takes
// the path of a real failure.
func TestHardwareFailingMidStreamSwitchesToSoftwareAndTheStreamPlaysOn(t *testing.T) {
	srv := playtest.StartDemo(t, 1)
	var out playtest.Buffer
	s := New(Config{Name: "gpu", URL: srv.URL(1), Transport: rtsp.TransportTCP, HWAccel: "vaapi", Logger: out.Logger()})
	s.simulateHW = &decoder.SimulatedHW{Kind: "vaapi", FailAfter: 45}
	s.SetTileSize(320, 240)
	s.Start()
	t.Cleanup(s.Close)

	const switched = "h264 (software): VAAPI failed mid-stream: simulated hardware failure (test)"
	playtest.WaitFor(t, 20*time.Second, "no switch to software", func() bool { return s.Status().Decoder == switched })
	st := s.Status()
	if st.Hardware != "" || st.State != StateLive {
		t.Errorf("after the switch: %s, hardware %q", describe(st), st.Hardware)
	}
	// Within one keyframe interval (30 frames) and without a reconnection.
	waitPictures(t, s, 60, "pictures stopped after the switch to software")
	if st := s.Status(); st.Reconnects != 0 || st.State != StateLive || st.Decoder != switched {
		t.Errorf("after playing on: %s, %d reconnections, decoder %q", describe(st), st.Reconnects, st.Decoder)
	}
	log := out.String()
	for _, line := range []string{`msg=decoder camera=gpu decoder="h264 (VAAPI)"`, `msg="hardware decoding ended, decoding in software" camera=gpu reason="VAAPI failed mid-stream`} {
		if !strings.Contains(log, line) {
			t.Errorf("the log does not say %s:\n%s", line, log)
		}
	}
}

func TestEachSessionChoosesItsOwnDecoder(t *testing.T) {
	skipWithGPU(t, "vaapi")
	srv := playtest.StartDemo(t, 3)
	onGPU := New(Config{Name: "simulated gpu", URL: srv.URL(1), Transport: rtsp.TransportTCP, HWAccel: "vaapi",
		Logger: playtest.Logger(t, 0)})
	onGPU.simulateHW = &decoder.SimulatedHW{Kind: "vaapi", FailAfter: 1 << 30}
	onGPU.SetTileSize(320, 240)
	onGPU.Start()
	t.Cleanup(onGPU.Close)
	sessions := []struct {
		s    *Session
		want string
		hw   string
	}{
		{onGPU, "h264 (VAAPI)", "VAAPI"},
		{play(t, Config{Name: "no device", URL: srv.URL(2), Transport: rtsp.TransportTCP, HWAccel: "vaapi"}),
			"h264 (software): no VAAPI device: /dev/dri/renderD128 missing", ""},
		{play(t, Config{Name: "software", URL: srv.URL(3), Transport: rtsp.TransportTCP}), "h264 (software)", ""},
	}
	for _, c := range sessions {
		waitPictures(t, c.s, 30, c.s.Name()+": no pictures")
	}
	for _, c := range sessions {
		if st := c.s.Status(); st.State != StateLive || st.Decoder != c.want || st.Hardware != c.hw {
			t.Errorf("%s: %s, decoder %q (hardware %q), want %q (%q)", c.s.Name(), describe(st), st.Decoder, st.Hardware, c.want, c.hw)
		}
	}
}

func TestConfigurationAndDecoderKnowTheSameHWAccelModes(t *testing.T) {
	if !slices.Equal(storage.HWAccelModes, decoder.HWAccelModes) {
		t.Errorf("storage %v, decoder %v", storage.HWAccelModes, decoder.HWAccelModes)
	}
}

func TestCameraHWAccelComesFromTheCommandLineTheCameraOrTheDefault(t *testing.T) {
	tests := []struct {
		name                  string
		force, camera, global string
		want                  string
	}{
		{"nothing said is software", "", "", "", ""},
		{"the configuration's default", "", "", "auto", "auto"},
		{"the camera's own over the default", "", "off", "auto", "off"},
		{"the command line over both", "vaapi", "off", "auto", "vaapi"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := CameraConfig(storage.Camera{Name: "a", URL: "rtsp://127.0.0.1/a", HWAccel: tt.camera}, false)
			if err != nil {
				t.Fatal(err)
			}
			cfg.DefaultHWAccel(tt.force, tt.global)
			if cfg.HWAccel != tt.want {
				t.Errorf("hwaccel %q, want %q", cfg.HWAccel, tt.want)
			}
		})
	}
}
