package storage

import (
	"strings"
	"testing"
)

func TestValidateRejectsCamerasThatShareAFolder(t *testing.T) {
	long := strings.Repeat("x", maxNameBytes)
	tests := []struct {
		name  string
		names []string
		want  string // a fragment of the error; "" when valid
	}{
		{"a slash and an underscore", []string{"Gate/1", "Gate_1"},
			`camera "Gate_1": camera #1 "Gate/1" would share its folder of recordings and snapshots, "Gate_1"`},
		{"the same folder name in another case", []string{"Gate/1", "gate_1"}, `camera #1 "Gate/1" would share`},
		{"names alike past the 80 bytes a folder name keeps", []string{long + " north", long + " south"}, `would share its folder`},
		{"a name with nothing usable and a camera called camera", []string{"camera", "..."}, `camera "...": camera #1 "camera" would share`},
		{"names that stay apart", []string{"Gate/1", "Gate/2", "Gate 1"}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &Config{}
			for _, n := range tc.names {
				c.Cameras = append(c.Cameras, Camera{Name: n, URL: "rtsp://h/"})
			}
			err := c.Validate()
			if tc.want == "" {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Validate = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestParseConfigPutsASharedFolderOnTheSecondCamerasLine(t *testing.T) {
	_, err := ParseConfig("config.yaml", []byte(doc(
		"cameras:",
		"  - {name: Gate/1, url: 'rtsp://h/1'}",
		"  - name: Gate_1",
		"    url: rtsp://h/2",
	)))
	if err == nil || !strings.HasPrefix(err.Error(), `config.yaml:3: camera "Gate_1": camera #1 "Gate/1" would share`) {
		t.Fatalf("err = %v, want it on line 3, naming both cameras", err)
	}
}

func TestUniqueNameAvoidsSharedFolders(t *testing.T) {
	long := strings.Repeat("y", maxNameBytes+10)
	c := &Config{Cameras: []Camera{{Name: "Gate/1"}, {Name: "gate_1 (2)"}, {Name: long}, {Name: "door"}}}
	tests := []struct {
		desc, name string
		index      int
		want       string
	}{
		{"a name whose folder is taken gets a number", "Gate_1", -1, "Gate_1 (3)"},
		{"a camera's own folder is not taken from itself", "Gate|1", 0, "Gate|1"},
		{"a long name is shortened so that the number stays in its folder", long + "z", -1, long[:maxNameBytes-5] + " (2)"},
		{"a free name is kept", "Gate 1", -1, "Gate 1"},
	}
	for _, tc := range tests {
		t.Run(tc.desc, func(t *testing.T) {
			got := c.UniqueName(tc.name, tc.index)
			if got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			// The name it gives passes Validate in that camera's place.
			cams := append([]Camera(nil), c.Cameras...)
			if tc.index >= 0 {
				cams[tc.index].Name = got
			} else {
				cams = append(cams, Camera{Name: got})
			}
			for i := range cams {
				cams[i].URL = "rtsp://h/"
			}
			if err := (&Config{Cameras: cams}).Validate(); err != nil {
				t.Errorf("the name it gave is refused: %v", err)
			}
		})
	}
}
