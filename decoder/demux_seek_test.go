package decoder_test

import (
	"testing"

	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/playtest"
)

// A seek in an MP4 with B-frames lands on a keyframe at or before the time
// asked for (by its decoding time), within one GOP of it.
func TestSeekKeyLandsOnTheKeyframeBeforeTheTime(t *testing.T) {
	path := playtest.FFmpegFile(t, "bframes.mp4", "-f", "lavfi", "-i", "testsrc2=s=320x240:r=15:d=6",
		"-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "15", "-pix_fmt", "yuv420p")
	const hz, gop = 90000, 90000 // 15 frames at 15 fps
	for _, at := range []int64{0, 2 * hz, 3*hz + hz/2, 5 * hz} {
		d := decoder.NewDemuxer()
		if err := d.Open(path, decoder.DemuxOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := d.SeekKey(at); err != nil {
			d.Close()
			t.Fatalf("seek to %d: %v", at, err)
		}
		p, err := d.Read()
		d.Close()
		if err != nil {
			t.Fatalf("read after seek to %d: %v", at, err)
		}
		if !p.Key || p.DTS > at || p.DTS <= at-gop-hz/15 {
			t.Errorf("seek to %d: first packet key=%v PTS %d DTS %d, want a keyframe decoded at or before it, within a GOP", at, p.Key, p.PTS, p.DTS)
		}
	}
}
