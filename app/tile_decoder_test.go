package app

import (
	"strings"
	"testing"

	"github.com/camwall/camwall/player"
)

func TestStatisticsSayWhatDecodesAndHow(t *testing.T) {
	tests := []struct {
		name string
		st   player.Status
		want string
	}{
		{"software", player.Status{DecodedFPS: 30, Decoder: "h264 (software)"}, "dec 30.0 (sw)"},
		{"software although hardware was asked for", player.Status{DecodedFPS: 30, Decoder: "h264 (software): no VAAPI device: /dev/dri/renderD128 missing"}, "dec 30.0 (sw)"},
		{"on the GPU", player.Status{DecodedFPS: 25, Decoder: "hevc (NVDEC)", Hardware: "NVDEC"}, "dec 25.0 (NVDEC)"},
		{"without deblocking for a small tile", player.Status{DecodedFPS: 30, Decoder: "h264 (software)", LightDecode: true}, "dec 30.0 (sw, light)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := statsLines(tt.st, 0, "")[0]; !strings.Contains(got, tt.want) {
				t.Errorf("first line %q, want %q in it", got, tt.want)
			}
		})
	}
}
