package decoder

import (
	"errors"
	"fmt"
)

// GOP keeps copies of the access units given to a decoder since the last
// keyframe, so that a frame decoded without the deblocking filter can be
// decoded again at full quality (Redecode): a snapshot is always what the
// camera encoded, whatever the tile it was taken from saves on decoding.
//
// Its memory is bounded (maxGOPBytes, maxGOPUnits): a longer group of
// pictures is not kept, and Replay says so.
type GOP struct {
	units []gopUnit
	bytes int
	// started is set once a keyframe began the units; over once they
	// outgrew the bounds, until the next keyframe.
	started, over bool
}

type gopUnit struct {
	data []byte
	pts  int64
}

const (
	// maxGOPBytes and maxGOPUnits bound a GOP's copies: a 4 Mbit/s camera
	// with a keyframe every 4 s fits in 2 MiB.
	maxGOPBytes = 16 << 20
	maxGOPUnits = 600
)

// Replay is what a GOP held when a frame was decoded: the units from its
// keyframe to that frame. It is immutable and safe to hand to another
// goroutine.
type Replay struct {
	units []gopUnit
}

// Add copies an access unit given to the decoder. A keyframe starts a new
// group; the old one stays valid for the Replays that hold it.
func (g *GOP) Add(au []byte, pts int64, key bool) {
	if key {
		// A new slice: Replays share the old one's elements.
		*g = GOP{started: true}
	}
	if !g.started || g.over {
		return
	}
	if g.bytes+len(au) > maxGOPBytes || len(g.units) == maxGOPUnits {
		g.units, g.bytes, g.over = nil, 0, true
		return
	}
	g.units = append(g.units, gopUnit{data: append([]byte(nil), au...), pts: pts})
	g.bytes += len(au)
}

// Overflowed reports whether the group since the last keyframe outgrew the
// bounds.
func (g *GOP) Overflowed() bool { return g.over }

// Reset forgets the units: the stream is no longer decoded from them.
func (g *GOP) Reset() { *g = GOP{} }

// Replay returns the units so far, and false when they cannot give a frame
// at full quality: no keyframe yet, or too many to keep.
func (g *GOP) Replay() (Replay, bool) {
	if !g.started || g.over || len(g.units) == 0 {
		return Replay{}, false
	}
	// Capped: a later Add appends past the end, never over what r holds.
	return Replay{units: g.units[:len(g.units):len(g.units)]}, true
}

// errNotInReplay is returned by Redecode when no frame with the PTS asked
// for came out of the replayed units.
var errNotInReplay = errors.New("the frame is not among the replayed units")

// Redecode decodes r with a new software decoder opened with cfg (its
// hardware and keyframes-only settings are ignored) and returns, at full
// quality, the frame whose PTS is pts.
func Redecode(cfg Config, r Replay, pts int64) (*Picture, error) {
	cfg.HWAccel, cfg.SimulateHW, cfg.KeyframesOnly = "", nil, false
	d, err := New(cfg)
	if err != nil {
		return nil, fmt.Errorf("decode again at full quality: %w", err)
	}
	defer d.Close()
	var pic *Picture
	keep := func(f *Frame) error {
		if pic == nil && f.PTS() == pts {
			pic, err = f.Ref()
			return err
		}
		return nil
	}
	for _, u := range r.units {
		// Concealed damage in a unit is no reason to refuse the frame: the
		// tile showed it decoded the same way.
		if err := d.Decode(u.data, u.pts, keep); err != nil && !errors.Is(err, ErrCorrupt) {
			return nil, fmt.Errorf("decode again at full quality: %w", err)
		}
		if pic != nil {
			return pic, nil
		}
	}
	if err := d.Flush(keep); err != nil {
		return nil, fmt.Errorf("decode again at full quality: %w", err)
	}
	if pic == nil {
		return nil, fmt.Errorf("decode again at full quality: %w", errNotInReplay)
	}
	return pic, nil
}
