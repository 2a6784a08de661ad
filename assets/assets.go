// Package assets holds what camwall embeds in its binary: the application
// icon and the demo clip that the default configuration plays, so that a new
// user sees live video before configuring anything.
package assets

import (
	_ "embed"
	"errors"

	"github.com/camwall/camwall/decoder/annexb"
)

// Icon is the application icon (256×256 PNG).
//
//go:embed icon.png
var Icon []byte

// DemoH264 is the demo clip as an H.264 Annex-B elementary stream, made by
// scripts/make-demo-clip.sh. See DemoClip for its properties.
//
//go:embed demo.h264
var DemoH264 []byte

// DemoClip describes the embedded clip. Tests rely on these facts; change them
// only together with scripts/make-demo-clip.sh.
var DemoClip = struct {
	Width, Height int
	FPS           int
	Frames        int
	// Red and Green are the solid squares drawn over the whole clip, as
	// [x0, y0, x1, y1) in source pixels.
	Red, Green [4]int
}{
	Width: 640, Height: 360, FPS: 30, Frames: 120,
	Red:   [4]int{16, 16, 80, 80},
	Green: [4]int{560, 280, 624, 344},
}

const naluAUD = 9 // H.264 access unit delimiter

// DemoAccessUnits splits the demo clip into access units, in decoding order.
func DemoAccessUnits() ([][][]byte, error) {
	return AccessUnits(DemoH264)
}

// AccessUnits splits an H.264 Annex-B stream that has an access unit
// delimiter before every frame (x264's aud=1) into access units, each a list
// of NAL units without start codes; the delimiters are dropped.
func AccessUnits(annexB []byte) ([][][]byte, error) {
	nalus := annexb.Split(annexB)
	if len(nalus) == 0 {
		return nil, errors.New("H.264 clip: no NAL units")
	}
	var aus [][][]byte
	var cur [][]byte
	for _, n := range nalus {
		if n[0]&0x1f == naluAUD {
			if len(cur) > 0 {
				aus = append(aus, cur)
			}
			cur = nil
			continue
		}
		cur = append(cur, n)
	}
	if len(cur) > 0 {
		aus = append(aus, cur)
	}
	return aus, nil
}
