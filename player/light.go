package player

import (
	"github.com/camwall/camwall/decoder"
	"github.com/camwall/camwall/player/source"
)

// lightDecode skips the deblocking filter while the tile shows the camera
// at half its size or less in each dimension (a 720p camera in a 16-tile
// wall, a 1080p one in a 4-tile wall): about a fifth less CPU for H.264, and
// a picture the scaler makes indistinguishable from a full decode
// (BENCHMARKS.md). A tile that grows past half (focus, a larger window)
// restores the filter at once.
//
// Snapshots stay at full quality: skipping begins at a keyframe, the units
// since it are kept (decoder.GOP), and a snapshot of a frame decoded without
// the filter is decoded again from them with it.
//
// It lives on the decode goroutine.
type lightDecode struct {
	// want is set while the newest picture was shown at half the source's
	// size or less.
	want bool
	// degraded is set while the newest frame is not of full quality.
	degraded bool
	// tooLong is set once a GOP outgrew what is kept for snapshots: the
	// camera's keyframes are too far apart, and it is decoded in full for
	// the rest of the attempt.
	tooLong bool
	gop     decoder.GOP
}

// before prepares dec for au: it starts skipping only at a keyframe (so
// that every frame decoded without the filter can be decoded again from
// the GOP), stops at once, and keeps the units a snapshot may need. A
// session decoding keyframes only (hidden) always decodes in full.
func (l *lightDecode) before(dec *decoder.Decoder, au source.Unit, keyOnly bool) error {
	want := l.want && !keyOnly && !l.tooLong
	if au.Key || !want {
		if err := dec.SetSkipDeblock(want); err != nil {
			return err
		}
	}
	if dec.SkipsDeblock() || l.degraded {
		l.gop.Add(au.Data, au.PTS, au.Key)
		if l.gop.Overflowed() && !l.tooLong {
			l.tooLong = true
			return dec.SetSkipDeblock(false)
		}
	} else {
		l.gop.Reset()
	}
	return nil
}

// frame notes f, shown in a pw×ph picture (0×0 without a tile), and
// returns how a snapshot of it gets full quality: nil when it has it.
func (l *lightDecode) frame(f *decoder.Frame, pw, ph int, cfg decoder.Config) *fullQuality {
	l.want = pw > 0 && ph > 0 && 2*pw <= f.Width() && 2*ph <= f.Height()
	l.degraded = !f.FullQuality()
	if !l.degraded {
		return nil
	}
	q := &fullQuality{cfg: cfg, pts: f.PTS()}
	q.replay, q.ok = l.gop.Replay()
	return q
}

// reset forgets the GOP: a new decoder starts from nothing.
func (l *lightDecode) reset() { *l = lightDecode{want: l.want} }

// fullQuality is how a frame decoded without the deblocking filter is
// decoded again for a snapshot: from replay with cfg, the frame with pts;
// ok is false when the units were too many to keep, and a snapshot waits
// for the next frame of full quality instead.
type fullQuality struct {
	cfg    decoder.Config
	replay decoder.Replay
	pts    int64
	ok     bool
}
