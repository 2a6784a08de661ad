// Package review plays back a camera's recordings: the frames of its fMP4
// segment files, found by wall-clock time. It imports no Fyne, so that it
// runs headless; the review view in app/ shows what it decodes.
//
// What is here so far is the exact seek (FrameAt); the Playhead (play,
// speed, step, segment boundaries, growing files) is not built yet.
package review

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/camwall/camwall/decoder"
)

// seekBack is how much earlier a seek tries again when the keyframe found
// is shown after the time asked for (MP4 seeks by decoding time, and a
// B-frame stream shows its keyframe a few frames after it is decoded).
const seekBack = time.Second

// FrameAt decodes, at full resolution, the frame of the recording at path
// that is on screen at offset into it (by its presentation time): the last
// frame whose PTS is at or before offset, or the first frame when offset
// comes before it. It decodes from the keyframe at or before offset.
func FrameAt(path string, offset time.Duration, log *slog.Logger) (*decoder.Picture, error) {
	name := filepath.Base(path)
	target := offset.Microseconds() * 90000 / 1e6
	for back := time.Duration(0); ; back += seekBack {
		pic, first, err := frameAt(path, name, target, (offset-back).Microseconds()*90000/1e6, log)
		if err != nil {
			return nil, fmt.Errorf("frame at %s of %s: %w", offset, name, err)
		}
		// The keyframe found was shown after the target: one further back
		// holds it, unless this seek already started at the beginning.
		if first <= target || offset-back <= 0 {
			return pic, nil
		}
		pic.Free()
	}
}

// frameAt seeks to the keyframe at or before from and decodes up to target;
// it returns the frame shown at target and the first frame's PTS.
func frameAt(path, name string, target, from int64, log *slog.Logger) (*decoder.Picture, int64, error) {
	d := decoder.NewDemuxer()
	defer d.Close()
	if err := d.Open(path, decoder.DemuxOptions{Name: name, Log: log}); err != nil {
		return nil, 0, err
	}
	if err := d.SeekKey(max(from, 0)); err != nil {
		return nil, 0, err
	}
	// Reordered: a recording with B-frames hands its frames out in
	// presentation order, which is the order the target is searched in.
	dec, err := decoder.New(decoder.Config{Codec: d.Codec(), Reordered: true, Log: log})
	if err != nil {
		return nil, 0, err
	}
	defer dec.Close()
	var pic *decoder.Picture
	first := int64(-1)
	past := false
	keep := func(f *decoder.Frame) error {
		if first < 0 {
			first = f.PTS()
		}
		if past || f.PTS() > target && pic != nil {
			past = true
			return nil
		}
		if pic != nil && f.PTS() < pic.PTS() {
			return nil
		}
		p, err := f.Ref()
		if err != nil {
			return err
		}
		pic.Free()
		pic = p
		return nil
	}
	started := false
	for !past {
		p, err := d.Read()
		if errors.Is(err, io.EOF) || err != nil && pic != nil {
			// The end, or a fragment cut short: what came before counts.
			break
		}
		if err != nil {
			return nil, 0, err
		}
		if p.Audio || !started && !p.Key {
			continue
		}
		started = true
		if err := dec.Decode(p.Data, p.PTS, keep); err != nil && !errors.Is(err, decoder.ErrCorrupt) {
			pic.Free()
			return nil, 0, err
		}
	}
	if !past {
		if err := dec.Flush(keep); err != nil {
			pic.Free()
			return nil, 0, err
		}
	}
	if pic == nil {
		return nil, 0, errors.New("no frame decoded")
	}
	return pic, first, nil
}
