package storage

import (
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func TestHWAccelIsReadGloballyAndPerCamera(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want Config // besides threeCamerasList, whose cameras' hwaccel is in cams
		cams []string
	}{
		{"nothing said is software", threeCameras(), Config{}, nil},
		{"a global default", threeCameras("hwaccel: auto"), Config{HWAccel: "auto"}, nil},
		{"every mode globally", threeCameras("hwaccel: videotoolbox"), Config{HWAccel: "videotoolbox"}, nil},
		{"a camera overriding the default", doc(
			"hwaccel: vaapi",
			"cameras:",
			"  - {name: a, url: 'rtsp://a/', hwaccel: 'off'}",
			"  - {name: b, url: 'rtsp://b/', hwaccel: cuda}",
			"  - {name: Garage, url: 'rtsp://c/'}",
		), Config{HWAccel: "vaapi"}, []string{"off", "cuda", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseConfig("config.yaml", []byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			want := tt.want
			want.Cameras = append([]Camera(nil), threeCamerasList...)
			for i, hw := range tt.cams {
				want.Cameras[i].HWAccel = hw
			}
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("got  %+v\nwant %+v", *got, want)
			}
		})
	}
}

func TestHWAccelOutsideItsValuesIsRefused(t *testing.T) {
	const modes = "auto, off, vaapi, cuda, d3d11va or videotoolbox"
	tests := []struct {
		name string
		in   string
		line int
		want string
	}{
		{"an unknown global value", threeCameras("hwaccel: nvdec"), 5, `hwaccel must be ` + modes + `, not "nvdec"`},
		{"a global value in capitals", threeCameras("hwaccel: VAAPI"), 5, `hwaccel must be ` + modes + `, not "VAAPI"`},
		{"a global list", threeCameras("hwaccel: [vaapi, cuda]"), 5, `hwaccel must be one of ` + modes + `, not a list`},
		{"true is not a mode", threeCameras("hwaccel: true"), 5, `hwaccel must be ` + modes + `, not "true"`},
		{"an unknown camera value", doc("cameras:", "  - name: x", "    url: rtsp://h/", "    hwaccel: gpu"), 4, `camera "x": hwaccel must be ` + modes + `, not "gpu"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig("config.yaml", []byte(tt.in))
			if err == nil {
				t.Fatal("no error")
			}
			checkErr(t, err)
			if want := "config.yaml:" + strconv.Itoa(tt.line) + ": "; !strings.HasPrefix(err.Error(), want) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want line %d and %q", err, tt.line, tt.want)
			}
		})
	}
}

func TestHWAccelSurvivesSaveAndLoad(t *testing.T) {
	c := &Config{HWAccel: "auto", Cameras: []Camera{{Name: "a", URL: "rtsp://a/", HWAccel: "off"}, {Name: "b", URL: "rtsp://b/"}}}
	path := filepath.Join(t.TempDir(), "config.yaml")
	if err := SaveConfig(path, c); err != nil {
		t.Fatal(err)
	}
	got, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if !sameConfig(got, c) {
		t.Errorf("got %+v, want %+v", got, c)
	}
	if other := (&Config{HWAccel: "vaapi", Cameras: c.Cameras}); sameConfig(other, c) {
		t.Error("configurations differing in hwaccel compare the same")
	}
}

func TestExampleConfigHWAccelIsValidUncommented(t *testing.T) {
	in := strings.Replace(ExampleConfig, "# hwaccel: auto\n", "hwaccel: auto\n", 1)
	in = strings.Replace(in, "    # hwaccel: off #", "    hwaccel: off #", 1)
	c, err := ParseConfig("example.yaml", []byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if c.HWAccel != "auto" || c.Cameras[0].HWAccel != "off" {
		t.Errorf("uncommented: global %q, first camera %q", c.HWAccel, c.Cameras[0].HWAccel)
	}
}
