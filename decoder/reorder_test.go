package decoder

import (
	"errors"
	"io"
	"testing"
)

// A stream with B-frames comes out of the demuxer in decoding order with
// its own decoding times, and out of a Reordered decoder in presentation
// order. (FFmpeg's H.264 decoder also reorders under the low-delay flag when
// the SPS says how many frames are reordered, as x264's does; the flag is
// off for reordered streams so that one that does not say is shown right
// too.)
func TestReorderedDecoderShowsBFramesInPresentationOrder(t *testing.T) {
	clip := makeClip(t, "bframes.ts", "-c:v", "libx264", "-preset", "ultrafast", "-bf", "2", "-g", "30", "-pix_fmt", "yuv420p")
	tests := []struct {
		name      string
		reordered bool
		wantOrder bool // frames out in presentation order
	}{
		{"reordered: presentation order", true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dm := openDemuxer(t, "file://"+clip, DemuxOptions{})
			dec, err := New(Config{Codec: H264, Reordered: tc.reordered})
			if err != nil {
				t.Fatal(err)
			}
			defer dec.Close()
			var out []int64
			packets, reorderedPackets := 0, 0
			lastDTS := int64(-1 << 62)
			for {
				p, err := dm.Read()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					t.Fatal(err)
				}
				packets++
				if p.DTS <= lastDTS {
					t.Fatalf("packet %d: DTS %d after %d", packets, p.DTS, lastDTS)
				}
				lastDTS = p.DTS
				if p.PTS != p.DTS {
					reorderedPackets++
				}
				if err := dec.Decode(p.Data, p.PTS, func(f *Frame) error { out = append(out, f.PTS()); return nil }); err != nil && !errors.Is(err, ErrCorrupt) {
					t.Fatal(err)
				}
			}
			if reorderedPackets == 0 {
				t.Fatalf("none of %d packets has PTS ≠ DTS: the clip has no B-frames", packets)
			}
			inOrder := true
			for i := 1; i < len(out); i++ {
				if out[i] <= out[i-1] {
					inOrder = false
				}
			}
			if inOrder != tc.wantOrder || len(out) < 10 {
				t.Errorf("%d frames, in presentation order: %v; want %v (PTS %v)", len(out), inOrder, tc.wantOrder, out)
			}
		})
	}
}
