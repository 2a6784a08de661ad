package decoder

import (
	"fmt"

	"github.com/asticode/go-astiav"
)

// SeekKey moves a file's reading to the keyframe at or before pts (90 kHz,
// Packet.PTS's clock): the review of recordings decodes from there up to
// the exact frame asked for. MP4 indexes samples by decoding time, so with
// B-frames the keyframe found may be shown a few frames after pts; the
// caller that needs the frame at pts seeks earlier again when the first
// frame decoded comes after it.
func (d *Demuxer) SeekKey(pts int64) error {
	if !d.opened || d.fc == nil {
		return fmt.Errorf("seek %s: demuxer not open", d.name)
	}
	defer onThread(d.log)()
	ts := astiav.RescaleQ(pts-d.clock.offset, pts90k, d.tb)
	if err := d.fc.SeekFrame(d.index, ts, astiav.NewSeekFlags(astiav.SeekFlagBackward)); err != nil {
		return d.failure("seek", err)
	}
	d.bsfPending = false
	return nil
}
