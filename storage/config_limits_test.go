package storage

import (
	"fmt"
	"strings"
	"testing"
)

// manyCameras is a configuration of n valid cameras.
func manyCameras(n int) *Config {
	c := &Config{}
	for i := range n {
		c.Cameras = append(c.Cameras, Camera{Name: fmt.Sprintf("cam %d", i+1), URL: fmt.Sprintf("rtsp://10.0.0.1/%d", i+1)})
	}
	return c
}

func TestAWallHasAtMost64Cameras(t *testing.T) {
	if err := manyCameras(MaxCameras).Validate(); err != nil {
		t.Errorf("%d cameras: %v", MaxCameras, err)
	}
	err := manyCameras(MaxCameras + 1).Validate()
	if want := `65 cameras: a wall shows at most 64 (an 8×8 grid); camera "cam 65" and the cameras after it are too many`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("65 cameras: %v, want %q", err, want)
	}
}

func TestAConfigurationFileWithTooManyCamerasPointsAtTheFirstOneOver(t *testing.T) {
	var b strings.Builder
	b.WriteString("cameras:\n")
	for i := range MaxCameras + 2 {
		fmt.Fprintf(&b, "  - name: cam %d\n    url: rtsp://10.0.0.1/%d\n", i+1, i+1)
	}
	_, err := ParseConfig("config.yaml", []byte(b.String()))
	// Camera 65 starts on line 1 + 64×2 + 1.
	if want := "config.yaml:130: 66 cameras: a wall shows at most 64"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("ParseConfig = %v, want an error starting %q", err, want)
	}
}
