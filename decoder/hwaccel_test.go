package decoder

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/camwall/camwall/assets"
)

// hasVAAPINode and hasCUDADriver tell a machine with a GPU, on which the
// cases about a missing one cannot run.
func hasVAAPINode() bool {
	nodes, _ := filepath.Glob("/dev/dri/renderD*")
	return len(nodes) > 0
}

func hasCUDADriver() bool {
	for _, dir := range []string{"/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/lib/aarch64-linux-gnu"} {
		if _, err := os.Stat(filepath.Join(dir, "libcuda.so.1")); err == nil {
			return true
		}
	}
	return false
}

func TestHardwareAskedForWhereThereIsNoneDecodesInSoftwareAndSaysWhy(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the reasons worded here are Linux's")
	}
	const (
		noVAAPI = "no VAAPI device: /dev/dri/renderD128 missing"
		noCUDA  = "no CUDA driver: libcuda.so.1 not found"
	)
	tests := []struct {
		name, hwaccel string
		needs         []string // what the machine must lack
		reasons       []string // in Backend.Reason
	}{
		{"auto tries VAAPI then CUDA", "auto", []string{"vaapi", "cuda"}, []string{noVAAPI, noCUDA}},
		{"vaapi without a render node", "vaapi", []string{"vaapi"}, []string{noVAAPI}},
		{"cuda without the NVIDIA driver", "cuda", []string{"cuda"}, []string{noCUDA}},
		{"d3d11va is Windows only", "d3d11va", nil, []string{"D3D11VA is not available on linux"}},
		{"videotoolbox is macOS only", "videotoolbox", nil, []string{"VideoToolbox is not available on linux"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, need := range tt.needs {
				if need == "vaapi" && hasVAAPINode() || need == "cuda" && hasCUDADriver() {
					t.Skipf("this machine has %s", need)
				}
			}
			frames, b := decodeClipWith(t, Config{Codec: H264, HWAccel: tt.hwaccel})
			if frames != assets.DemoClip.Frames {
				t.Errorf("decoded %d frames, want %d", frames, assets.DemoClip.Frames)
			}
			if b.Hardware != "" || b.Decoder != "h264" {
				t.Errorf("backend %+v, want the h264 software decoder", b)
			}
			for _, r := range tt.reasons {
				if !strings.Contains(b.Reason, r) {
					t.Errorf("reason %q does not say %q", b.Reason, r)
				}
			}
			t.Logf("%s", b)
			if want := "h264 (software): "; !strings.HasPrefix(b.String(), want) {
				t.Errorf("backend reads %q, want it to start with %q", b.String(), want)
			}
		})
	}
}

func TestSoftwareAskedForGivesNoReason(t *testing.T) {
	for _, mode := range []string{"", "off"} {
		_, b := decodeClipWith(t, Config{Codec: H264, HWAccel: mode})
		if b != (Backend{Decoder: "h264"}) || b.String() != "h264 (software)" {
			t.Errorf("hwaccel %q: backend %+v (%q), want plain software", mode, b, b)
		}
	}
}

func TestUnknownHWAccelIsRefused(t *testing.T) {
	_, err := New(Config{Codec: H264, HWAccel: "opencl"})
	if err == nil || !strings.Contains(err.Error(), "hwaccel must be one of auto, off, vaapi, cuda, d3d11va, videotoolbox") {
		t.Fatalf("err = %v", err)
	}
}

func TestBackendReadsAsAPersonNeedsIt(t *testing.T) {
	tests := []struct {
		b    Backend
		want string
	}{
		{Backend{Decoder: "h264", Hardware: "vaapi"}, "h264 (VAAPI)"},
		{Backend{Decoder: "hevc", Hardware: "cuda"}, "hevc (NVDEC)"},
		{Backend{Decoder: "h264"}, "h264 (software)"},
		{Backend{Decoder: "h264", Reason: "no VAAPI device: /dev/dri/renderD128 missing"}, "h264 (software): no VAAPI device: /dev/dri/renderD128 missing"},
	}
	for _, tt := range tests {
		if got := tt.b.String(); got != tt.want {
			t.Errorf("%+v reads %q, want %q", tt.b, got, tt.want)
		}
	}
}

// The GPU is simulated (SimulatedHW): what runs is the switch a real
// failure mid-stream takes, from the failure on.
func TestHardwareFailingMidStreamReopensInSoftwareFromTheNextKeyframe(t *testing.T) {
	aus, err := assets.DemoAccessUnits()
	if err != nil {
		t.Fatal(err)
	}
	const failAfter = 40 // in the second keyframe interval: keyframes are every 30th
	d, err := New(Config{Codec: H264, SimulateHW: &SimulatedHW{Kind: "vaapi", FailAfter: failAfter}})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if got := d.Backend().String(); got != "h264 (VAAPI)" {
		t.Fatalf("backend before the failure: %q", got)
	}
	frames, switches, skipped := 0, 0, 0
	waitKey := false
	var buf []byte
	for i, au := range aus {
		key := i%30 == 0
		if waitKey && !key {
			skipped++
			continue
		}
		waitKey = false
		buf = AnnexB(au, buf)
		err := d.Decode(buf, int64(i), func(*Frame) error { frames++; return nil })
		var fb *FallbackError
		switch {
		case errors.As(err, &fb):
			switches++
			if !fb.Restarted || !errors.Is(err, ErrSoftwareFallback) {
				t.Errorf("access unit %d: fallback %+v, want a restart", i, fb)
			}
			waitKey = true
		case err != nil:
			t.Fatalf("access unit %d: %v", i, err)
		}
	}
	if switches != 1 {
		t.Fatalf("%d switches to software, want 1", switches)
	}
	want := "h264 (software): VAAPI failed mid-stream: simulated hardware failure (test)"
	if got := d.Backend().String(); got != want {
		t.Errorf("backend after the failure: %q, want %q", got, want)
	}
	// Frames 0..39 on "hardware", 40 lost with the failure, 41..59 skipped,
	// then every frame from the keyframe at 60 in software.
	if wantSkipped := 60 - failAfter - 1; skipped != wantSkipped {
		t.Errorf("skipped %d access units waiting for a keyframe, want %d", skipped, wantSkipped)
	}
	if want := failAfter + len(aus) - 60; frames != want {
		t.Errorf("decoded %d frames, want %d", frames, want)
	}
}

// decodeClipWith decodes the demo clip with cfg and returns the frames it
// gave and its backend at the end.
func decodeClipWith(t *testing.T, cfg Config) (int, Backend) {
	t.Helper()
	aus, err := assets.DemoAccessUnits()
	if err != nil {
		t.Fatal(err)
	}
	d, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	n := 0
	var buf []byte
	for i, au := range aus {
		buf = AnnexB(au, buf)
		if err := d.Decode(buf, int64(i), func(*Frame) error { n++; return nil }); err != nil {
			t.Fatalf("access unit %d: %v", i, err)
		}
	}
	if err := d.Flush(func(*Frame) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n, d.Backend()
}
