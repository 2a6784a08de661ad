package decoder

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/camwall/camwall/player/playtest"
)

// noisyClip is playtest.NoisyClip in Annex B.
func noisyClip(t *testing.T) [][]byte {
	t.Helper()
	var out [][]byte
	for _, au := range playtest.NoisyClip(t) {
		out = append(out, AnnexB(au, nil))
	}
	return out
}

// lumaOf decodes nothing: it copies a frame's luma plane.
func lumaOf(t *testing.T, f *Frame) []byte {
	t.Helper()
	p, err := f.Ref()
	if err != nil {
		t.Fatal(err)
	}
	defer p.Free()
	return lumaOfPicture(t, p)
}

func lumaOfPicture(t *testing.T, p *Picture) []byte {
	t.Helper()
	img, err := p.YCbCr()
	if err != nil {
		t.Fatal(err)
	}
	return bytes.Clone(img.Y)
}

// decodeNoting decodes aus, calling before(i) ahead of unit i, and returns each
// frame's luma and quality by PTS (the unit's index).
func decodeNoting(t *testing.T, d *Decoder, aus [][]byte, before func(i int)) (luma map[int64][]byte, full map[int64]bool) {
	t.Helper()
	luma, full = map[int64][]byte{}, map[int64]bool{}
	keep := func(f *Frame) error {
		luma[f.PTS()], full[f.PTS()] = lumaOf(t, f), f.FullQuality()
		return nil
	}
	for i, au := range aus {
		before(i)
		if err := d.Decode(au, int64(i), keep); err != nil {
			t.Fatalf("unit %d: %v", i, err)
		}
	}
	if err := d.Flush(keep); err != nil {
		t.Fatal(err)
	}
	return luma, full
}

func TestSkippingTheDeblockingFilterLastsUntilTheNextKeyframeDecodedWithIt(t *testing.T) {
	aus := noisyClip(t)
	ref, err := New(Config{Codec: H264})
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	want, _ := decodeNoting(t, ref, aus, func(int) {})

	d, err := New(Config{Codec: H264})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var gop GOP
	replays := map[int64]Replay{}
	const skipFrom, skipTo = 5, 20 // keyframes at 0 and 30
	got, full := decodeNoting(t, d, aus, func(i int) {
		skip := i >= skipFrom && i < skipTo
		if err := d.SetSkipDeblock(skip); err != nil {
			t.Fatal(err)
		}
		if wantOpt := map[bool]int64{true: 48, false: 0}[skip]; d.skipLoopFilter() != wantOpt { // AVDISCARD_ALL, _DEFAULT
			t.Fatalf("unit %d: skip_loop_filter = %d, want %d", i, d.skipLoopFilter(), wantOpt)
		}
		gop.Add(aus[i], int64(i), i%30 == 0)
		if r, ok := gop.Replay(); ok {
			replays[int64(i)] = r
		}
	})
	differ := 0
	for pts := int64(0); pts < int64(len(aus)); pts++ {
		degraded := pts >= skipFrom && pts < 30
		if full[pts] == degraded {
			t.Errorf("frame %d: full quality %v, want %v", pts, full[pts], !degraded)
		}
		same := bytes.Equal(got[pts], want[pts])
		if !degraded && !same {
			t.Errorf("frame %d: said to be of full quality, differs from a full decode", pts)
		}
		if !same {
			differ++
		}
	}
	if differ == 0 {
		t.Fatal("skipping the filter changed no frame: the option did not reach the decoder")
	}
	t.Logf("%d of %d frames differ from a full decode", differ, len(aus))

	for _, pts := range []int64{skipFrom, 12, 29} {
		t.Run(fmt.Sprintf("frame %d decoded again is the full decode", pts), func(t *testing.T) {
			pic, err := Redecode(Config{Codec: H264}, replays[pts], pts)
			if err != nil {
				t.Fatal(err)
			}
			defer pic.Free()
			if pic.PTS() != pts || !bytes.Equal(lumaOfPicture(t, pic), want[pts]) {
				t.Errorf("frame %d (PTS %d) differs from the full decode", pts, pic.PTS())
			}
		})
	}
}

func TestDeblockingIsOnlySkippedWhereItHasAnEffect(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want bool
	}{
		{"H.264 in software", Config{Codec: H264}, true},
		{"H.265 in software", Config{Codec: H265}, true},
		{"MJPEG has no such filter", Config{Codec: MJPEG}, false},
		{"a GPU ignores the option", Config{Codec: H264, SimulateHW: &SimulatedHW{Kind: HWAccelVAAPI}}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := New(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if err := d.SetSkipDeblock(true); err != nil {
				t.Fatal(err)
			}
			if d.SkipsDeblock() != tc.want {
				t.Errorf("skips deblocking %v, want %v", d.SkipsDeblock(), tc.want)
			}
		})
	}
}

func TestCodecContextPointerIsTheContextFFmpegLogsAbout(t *testing.T) {
	d, err := New(Config{Codec: H264})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if got, want := fmt.Sprintf("%p", codecContextPointer(d.cc)), classKey(d.cc.Class()); got != want {
		t.Fatalf("pointer %s, FFmpeg's context is at %s: go-astiav's CodecContext changed its layout", got, want)
	}
}

func TestGOPKeepsWhatAKeyframeBeganWithinItsBounds(t *testing.T) {
	unit := make([]byte, 1000)
	tests := []struct {
		name   string
		add    func(g *GOP)
		wantOK bool
		want   int
	}{
		{"nothing before the first keyframe", func(g *GOP) { g.Add(unit, 0, false) }, false, 0},
		{"from a keyframe on", func(g *GOP) {
			g.Add(unit, 0, false)
			g.Add(unit, 1, true)
			g.Add(unit, 2, false)
		}, true, 2},
		{"a keyframe starts over", func(g *GOP) {
			for i := range 5 {
				g.Add(unit, int64(i), i == 0 || i == 3)
			}
		}, true, 2},
		{"a group longer than the bound is not kept", func(g *GOP) {
			for i := range maxGOPUnits + 1 {
				g.Add(unit, int64(i), i == 0)
			}
		}, false, 0},
		{"a group larger than the bound is not kept", func(g *GOP) {
			g.Add(make([]byte, maxGOPBytes/2+1), 0, true)
			g.Add(make([]byte, maxGOPBytes/2+1), 1, false)
		}, false, 0},
		{"the next keyframe after an overflow keeps again", func(g *GOP) {
			for i := range maxGOPUnits + 2 {
				g.Add(unit, int64(i), i == 0 || i == maxGOPUnits+1)
			}
		}, true, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var g GOP
			tc.add(&g)
			r, ok := g.Replay()
			if ok != tc.wantOK || len(r.units) != tc.want {
				t.Errorf("replay of %d units (ok %v), want %d (ok %v)", len(r.units), ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestAReplayIsNotChangedByWhatTheGOPKeepsLater(t *testing.T) {
	var g GOP
	g.Add([]byte{1}, 0, true)
	g.Add([]byte{2}, 1, false)
	r, _ := g.Replay()
	g.Add([]byte{3}, 2, false)
	g.Add([]byte{4}, 3, true)
	g.Add([]byte{5}, 4, false)
	if len(r.units) != 2 || r.units[0].data[0] != 1 || r.units[1].data[0] != 2 {
		t.Errorf("replay holds %v, want the units 1 and 2", r.units)
	}
}
