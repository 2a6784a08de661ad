package player

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/playtest"
	"github.com/camwall/camwall/player/rtspserver"
	"github.com/camwall/camwall/player/source/rtsp"
)

// fullDecodeLumas decodes aus with the deblocking filter and returns each
// frame's luma plane.
func fullDecodeLumas(t *testing.T, aus [][][]byte) [][]byte {
	t.Helper()
	d, err := decoder.New(decoder.Config{Codec: decoder.H264})
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var lumas [][]byte
	for i, au := range aus {
		err := d.Decode(decoder.AnnexB(au, nil), int64(i), func(f *decoder.Frame) error {
			p, err := f.Ref()
			if err != nil {
				return err
			}
			defer p.Free()
			img, err := p.YCbCr()
			if err != nil {
				return err
			}
			lumas = append(lumas, bytes.Clone(img.Y))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return lumas
}

func TestASmallTileSkipsDeblockingAndSnapshotsStayAtFullQuality(t *testing.T) {
	aus := playtest.NoisyClip(t)
	full := fullDecodeLumas(t, aus)
	srv := playtest.StartServer(t, &rtspserver.Server{})
	if err := srv.Loop("cam", rtspserver.Clip{AccessUnits: aus, FPS: 30}); err != nil {
		t.Fatal(err)
	}
	s := play(t, Config{Name: "noisy", URL: srv.URL("cam"), Transport: rtsp.TransportTCP})

	tests := []struct {
		name      string
		tileW     int
		tileH     int
		wantLight bool
	}{
		{"a tile at half the source's size skips it", 320, 180, true},
		{"a tile larger than half restores it (focus)", 640, 360, false},
		{"a quarter-size tile skips it again", 160, 90, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s.SetTileSize(tc.tileW, tc.tileH)
			playtest.WaitFor(t, 20*time.Second, "the decoder did not follow the tile's size", func() bool {
				st := s.Status()
				return st.State == StateLive && st.LightDecode == tc.wantLight
			})
			// Snapshots at moments spread over a GOP: each is a frame of
			// the full decode, bit for bit, never one without the filter.
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			for i := range 8 {
				pic, _, err := s.Snapshot(ctx)
				if err != nil {
					t.Fatal(err)
				}
				img, err := pic.YCbCr()
				pic.Free()
				if err != nil {
					t.Fatal(err)
				}
				found := false
				for _, y := range full {
					if bytes.Equal(y, img.Y) {
						found = true
						break
					}
				}
				if !found {
					t.Fatalf("snapshot %d is not a frame of the full decode", i)
				}
				time.Sleep(110 * time.Millisecond)
			}
		})
	}
}
