package decoder

// #cgo pkg-config: libavcodec libavutil
// #include <libavcodec/avcodec.h>
// #include <libavutil/opt.h>
//
// static int camwall_set_skip_loop_filter(void *avctx, int skip) {
// 	return av_opt_set_int(avctx, "skip_loop_filter", skip ? AVDISCARD_ALL : AVDISCARD_DEFAULT, 0);
// }
//
// static int64_t camwall_skip_loop_filter(void *avctx) {
// 	int64_t v = -1;
// 	if (av_opt_get_int(avctx, "skip_loop_filter", 0, &v) < 0) return -1;
// 	return v;
// }
import "C"

import (
	"fmt"
	"slices"
	"unsafe"

	"github.com/asticode/go-astiav"
)

// Skipping the deblocking filter (FFmpeg's skip_loop_filter=all) takes about
// a fifth off H.264 decoding, and a picture scaled down to half its size or
// less looks the same with or without it: the filter smooths the edges of
// 4×4 and 8×8 blocks, which the scaler averages away. Skipped frames are
// still references for the ones after them, so the difference lasts until
// the next keyframe decoded with the filter: a Frame says whether it is of
// full quality, and a snapshot of one that is not is decoded again (Redecode).

// skipMemory is how many of the last packets sent while the filter was
// skipped are remembered: more than any decoder's reordering delay, so every
// frame that comes out is known to be decoded with the filter or without.
const skipMemory = 32

// deblockState is a decoder's loop-filter setting and what it implies for
// the frames that come out.
type deblockState struct {
	skip bool // asked for (SetSkipDeblock)
	// applied is set while the open codec context skips the filter: only a
	// software H.264 or H.265 decoder does (a GPU ignores the option).
	applied bool
	// skippedPTS are the PTS of the last packets sent while applied.
	skippedPTS []int64
	// degraded is set from the first frame decoded without the filter until
	// a keyframe decoded with it: the frames between reference one that was
	// not filtered.
	degraded bool
}

// SetSkipDeblock skips the deblocking filter (true) or restores it (false)
// from the next access unit on. It is for pictures that are shown at half
// the source's size or less; it does nothing for a codec without such a
// filter or on a GPU.
func (d *Decoder) SetSkipDeblock(skip bool) error {
	if skip == d.deblock.skip {
		return nil
	}
	d.deblock.skip = skip
	return d.applyDeblock()
}

// SkipsDeblock reports whether the decoder skips the deblocking filter now.
func (d *Decoder) SkipsDeblock() bool { return d.deblock.applied }

// applyDeblock sets the open codec context as deblock.skip asks, where it
// has an effect.
func (d *Decoder) applyDeblock() error {
	skip := d.deblock.skip && d.hw == nil && (d.codec == H264 || d.codec == H265)
	if skip == d.deblock.applied {
		return nil
	}
	flag := C.int(0)
	if skip {
		flag = 1
	}
	if ret := C.camwall_set_skip_loop_filter(codecContextPointer(d.cc), flag); ret < 0 {
		return fmt.Errorf("set skip_loop_filter on the %s decoder: %w", d.codec, astiav.ErrUnknown)
	}
	d.deblock.applied = skip
	return nil
}

// sent notes a packet with pts given to the decoder.
func (s *deblockState) sent(pts int64) {
	if !s.applied {
		return
	}
	if len(s.skippedPTS) == skipMemory {
		s.skippedPTS = append(s.skippedPTS[:0], s.skippedPTS[1:]...)
	}
	s.skippedPTS = append(s.skippedPTS, pts)
}

// out says whether a frame coming out, with pts and keyframe or not, is of
// full quality: decoded with the filter, from references that were too.
func (s *deblockState) out(pts int64, key bool) bool {
	switch {
	case slices.Contains(s.skippedPTS, pts):
		s.degraded = true
	case key:
		s.degraded = false
	}
	return !s.degraded
}

// codecContextPointer is cc's AVCodecContext. go-astiav (v0.42.0) has no
// setter for skip_loop_filter and does not export the pointer; its
// CodecContext holds it as its only field. TestCodecContextPointer checks
// it against the address FFmpeg's own log names the context by.
func codecContextPointer(cc *astiav.CodecContext) unsafe.Pointer {
	return *(*unsafe.Pointer)(unsafe.Pointer(cc))
}

// skipLoopFilter reads the option back from the open codec context, for
// tests: FFmpeg's AVDISCARD value, or -1.
func (d *Decoder) skipLoopFilter() int64 {
	return int64(C.camwall_skip_loop_filter(codecContextPointer(d.cc)))
}
