// Package decoder wraps go-astiav (FFmpeg) for camwall: it turns access units
// into frames, and scales frames into RGBA images of the size a tile needs.
// Nothing here knows about the network or the UI.
package decoder

import (
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"strings"

	"github.com/asticode/go-astiav"
)

// ErrCorrupt is returned (wrapped) when FFmpeg rejects an access unit as
// invalid data, or reports errors in it that it concealed (a damaged slice
// is patched from its neighbours; the frame is still handed to fn). The
// decoder stays usable: the caller counts it and goes on.
var ErrCorrupt = errors.New("corrupt access unit")

// ErrTooLarge is returned (wrapped) when the stream's pictures have more
// pixels than Config.MaxPixels. It is not corrupt data: the decoder would
// allocate what a hostile or misconfigured camera asks for, so it refuses,
// and the caller ends the stream.
var ErrTooLarge = errors.New("picture larger than camwall decodes")

// DefaultMaxPixels is the largest picture a decoder decodes unless told
// otherwise: 8192×4320, 35.4 million pixels, which covers 8K UHD
// (7680×4320) and 8192×4096 panoramic cameras. A larger header (a hostile
// SPS or JPEG asks for up to 65535×65535) would otherwise make FFmpeg
// allocate gigabytes per frame.
const DefaultMaxPixels = 8192 * 4320

// Config sets up a Decoder.
type Config struct {
	Codec Codec
	// Threads is the number of slice threads. 0 or 1 decode on the calling
	// goroutine only. Frame threading is never used: it adds one frame of
	// delay per thread, and latency matters more than throughput here.
	Threads int
	// KeyframesOnly decodes keyframes and discards every other frame
	// (FFmpeg's skip_frame=nokey): the picture of a stream nobody sees,
	// kept fresh to within one keyframe interval for a fraction of the CPU.
	KeyframesOnly bool
	// Reordered is for a stream with B-frames, whose frames are decoded in
	// another order than they are shown: the decoder then hands them out
	// in presentation order, one reordering delay late. Without it every
	// frame comes out as soon as it is decoded (FFmpeg's low-delay flag),
	// which is right only for a stream without reordering.
	Reordered bool
	// MaxPixels caps a picture's width × height (FFmpeg's max_pixels):
	// a stream with larger pictures fails with ErrTooLarge. 0 means
	// DefaultMaxPixels.
	MaxPixels int64
	// Log is the camera's logger, which FFmpeg's messages about this
	// decoder go to; nil means slog.Default().
	Log *slog.Logger
	// HWAccel chooses hardware decoding (HWAccelModes): "" or "off" decode
	// in software; "auto" tries what the platform has (VAAPI then CUDA on
	// Linux, D3D11VA on Windows, VideoToolbox on macOS); a kind tries that
	// one. Whatever cannot decode on the GPU decodes in software, and
	// Backend says why. Frames decoded on the GPU are copied into main
	// memory, so that Frame and everything taking one work as in software.
	HWAccel string
	// SimulateHW is for tests only (see SimulatedHW); it replaces HWAccel.
	SimulateHW *SimulatedHW
}

// inputPadding is FFmpeg's AV_INPUT_BUFFER_PADDING_SIZE.
const inputPadding = 64

// zeroPadding is appended to every packet, without allocating it each time.
var zeroPadding [inputPadding]byte

// Decoder decodes one video stream. It is not safe for concurrent use: each
// camera session owns one and calls it from its own goroutine.
type Decoder struct {
	padded []byte // reused: the access unit plus zeroed padding
	codec  Codec
	cfg    Config
	avc    *astiav.Codec
	cc     *astiav.CodecContext
	pkt    *astiav.Packet
	frame  *astiav.Frame
	out    Frame
	errs   errorTracker
	log    *logOwner
	logKey string
	max    int64
	// hw is the decoder's hardware while it was opened with one; nil in
	// software. backend says what decodes now.
	hw      *hwState
	backend Backend
	// fnFailed is set when the error of the last Decode is fn's, which is
	// the caller's and never a failure of the hardware.
	fnFailed bool
	// deblock is the loop filter's setting (deblock.go).
	deblock deblockState
}

// New opens a decoder for cfg.Codec.
func New(cfg Config) (*Decoder, error) {
	initLogging()
	if err := CheckHWAccel(cfg.HWAccel); err != nil {
		return nil, fmt.Errorf("open %s decoder: %w", cfg.Codec, err)
	}
	id, ok := cfg.Codec.astiavID()
	if !ok {
		return nil, fmt.Errorf("open decoder: unsupported codec %s", cfg.Codec)
	}
	codec := astiav.FindDecoder(id)
	if codec == nil {
		return nil, fmt.Errorf("open decoder: FFmpeg has no %s decoder", cfg.Codec)
	}
	if cfg.MaxPixels <= 0 {
		cfg.MaxPixels = DefaultMaxPixels
	}
	d := &Decoder{codec: cfg.Codec, cfg: cfg, avc: codec, max: cfg.MaxPixels}
	d.log = &logOwner{log: cfg.Log, errs: &d.errs}
	d.backend = Backend{Decoder: codec.Name()}
	var kinds []string
	switch cfg.HWAccel {
	case HWAccelAuto:
		kinds = autoKinds()
	case "", HWAccelOff:
	default:
		kinds = []string{cfg.HWAccel}
	}
	if sim := cfg.SimulateHW; sim != nil {
		kinds = nil
		hw := &hwState{kind: sim.Kind, format: astiav.PixelFormatNone, sim: sim}
		if err := d.openContext(hw); err != nil {
			return nil, err
		}
		d.hw, d.backend.Hardware = hw, sim.Kind
	}
	var why []string
	for _, kind := range kinds {
		hw, reason := hardware(kind, codec, cfg.Codec)
		if hw == nil {
			why = append(why, reason)
			continue
		}
		if err := d.openContext(hw); err != nil {
			why = append(why, fmt.Sprintf("the %s decoder did not open: %v", hwName(kind), err))
			continue
		}
		d.hw, d.backend.Hardware = hw, kind
		break
	}
	if d.cc == nil {
		if err := d.openContext(nil); err != nil {
			return nil, err
		}
		if len(kinds) > 0 && len(why) == 0 {
			why = append(why, "no hardware decoder on "+runtime.GOOS)
		}
		d.backend.Reason = strings.Join(why, "; ")
	}
	d.pkt, d.frame = astiav.AllocPacket(), astiav.AllocFrame()
	d.out.f = d.frame
	return d, nil
}

// openContext opens the codec context, on hardware hw when not nil.
func (d *Decoder) openContext(hw *hwState) error {
	cfg := d.cfg
	cc := astiav.AllocCodecContext(d.avc)
	if cc == nil {
		return fmt.Errorf("open %s decoder: allocating codec context failed", cfg.Codec)
	}
	if !cfg.Reordered {
		// Output each frame as soon as it is complete; no reordering delay.
		cc.SetFlags(cc.Flags().Add(astiav.CodecContextFlagLowDelay))
	}
	threads := max(cfg.Threads, 1)
	cc.SetThreadCount(threads)
	cc.SetThreadType(astiav.ThreadTypeSlice)
	opts := astiav.NewDictionary()
	defer opts.Free()
	set := [][2]string{{"max_pixels", strconv.FormatInt(cfg.MaxPixels, 10)}}
	if cfg.KeyframesOnly {
		set = append(set, [2]string{"skip_frame", "nokey"})
	}
	for _, kv := range set {
		if err := opts.Set(kv[0], kv[1], 0); err != nil {
			cc.Free()
			return fmt.Errorf("open %s decoder: %s: %w", cfg.Codec, kv[0], err)
		}
	}
	d.cc = cc
	if hw != nil && hw.device != nil {
		cc.SetHardwareDeviceContext(hw.device)
		cc.SetPixelFormatCallback(d.getFormat(hw))
	}
	// Before Open, which may already complain about the stream's header.
	d.logKey = own(cc, d.log)
	if err := cc.Open(d.avc, opts); err != nil {
		d.closeContext()
		return fmt.Errorf("open %s decoder: %w", cfg.Codec, err)
	}
	// A context reopened in software (after the GPU failed) skips the
	// filter as the old one was asked to.
	return d.applyDeblock()
}

// closeContext frees the codec context.
func (d *Decoder) closeContext() {
	if d.cc == nil {
		return
	}
	// go-astiav keeps the callback in a map until it is removed.
	d.cc.SetPixelFormatCallback(nil)
	d.cc.Free()
	d.cc = nil
	d.deblock.applied = false
	disown(d.logKey, d.log)
}

// Backend says what decodes the stream now, and why software when hardware
// was asked for.
func (d *Decoder) Backend() Backend { return d.backend }

// Codec is the codec this decoder was opened for.
func (d *Decoder) Codec() Codec { return d.codec }

// Decode sends one access unit (Annex-B for H.264/H.265, a JPEG for MJPEG)
// and calls fn for every frame that becomes ready. The Frame passed to fn is
// valid only during the call.
//
// While the GPU decodes, a failure of the hardware does not end the
// stream: the decoder reopens itself in software and returns a restarted
// FallbackError, after which the caller feeds it from the next keyframe.
func (d *Decoder) Decode(au []byte, pts int64, fn func(*Frame) error) error {
	err := d.decode(au, pts, fn)
	if d.hw == nil {
		return err
	}
	return d.afterHardware(err)
}

func (d *Decoder) decode(au []byte, pts int64, fn func(*Frame) error) error {
	d.fnFailed = false
	if len(au) == 0 {
		return nil
	}
	// FFmpeg's parsers read up to AV_INPUT_BUFFER_PADDING_SIZE bytes past
	// the end of a packet, which must be zero; FromData allocates exactly
	// what it is given, so hand it the padding and shrink the size after.
	d.padded = append(append(d.padded[:0], au...), zeroPadding[:]...)
	if err := d.pkt.FromData(d.padded); err != nil {
		return fmt.Errorf("decode %s: %w", d.codec, err)
	}
	d.pkt.SetSize(len(au))
	d.pkt.SetPts(pts)
	d.deblock.sent(pts)
	// What FFmpeg logs on this thread meanwhile (without a context of this
	// decoder's, as swscale does when fn scales) is this camera's.
	defer onThread(d.log)()
	d.errs.take() // forget anything logged outside Decode
	err := d.cc.SendPacket(d.pkt)
	d.pkt.Unref()
	if err != nil {
		if large := d.tooLarge(); large != nil {
			return large
		}
		if errors.Is(err, astiav.ErrInvaliddata) {
			return fmt.Errorf("decode %s: %w: %w", d.codec, ErrCorrupt, err)
		}
		return fmt.Errorf("decode %s: %w", d.codec, err)
	}
	if err := d.drain(fn); err != nil {
		return err
	}
	if large := d.tooLarge(); large != nil {
		return large
	}
	if msg := d.errs.hardware(); msg != "" && d.hw != nil && d.backend.Hardware != "" {
		d.errs.take()
		return &hwError{fmt.Errorf("decode %s: %s", d.codec, msg)}
	}
	if n, first, _ := d.errs.take(); n > 0 {
		return fmt.Errorf("decode %s: %w: FFmpeg concealed %d error(s), the first: %s", d.codec, ErrCorrupt, n, first)
	}
	return nil
}

// tooLarge is the ErrTooLarge for a picture FFmpeg refused for its size
// since the last take, or nil.
func (d *Decoder) tooLarge() error {
	d.errs.mu.Lock()
	msg := d.errs.tooLarge
	d.errs.mu.Unlock()
	if msg == "" {
		return nil
	}
	d.errs.take()
	e := &TooLargeError{Max: d.max}
	if _, err := fmt.Sscanf(msg, "Picture size %dx%d", &e.Width, &e.Height); err != nil {
		e.Width, e.Height = 0, 0
	}
	return fmt.Errorf("decode %s: %w", d.codec, e)
}

// TooLargeError is the ErrTooLarge of one stream, in words for the tile.
type TooLargeError struct {
	Width, Height int // 0 when FFmpeg did not say
	Max           int64
}

func (e *TooLargeError) Error() string {
	size := ""
	if e.Width > 0 {
		size = fmt.Sprintf(" (%dx%d)", e.Width, e.Height)
	}
	return fmt.Sprintf("the camera's picture%s is larger than the %.1f million pixels camwall decodes", size, float64(e.Max)/1e6)
}

func (e *TooLargeError) Is(target error) bool { return target == ErrTooLarge }

// Flush signals the end of the stream and hands out the frames FFmpeg still
// holds. The decoder cannot be used afterwards.
func (d *Decoder) Flush(fn func(*Frame) error) error {
	if err := d.cc.SendPacket(nil); err != nil && !errors.Is(err, astiav.ErrEof) {
		return fmt.Errorf("flush %s: %w", d.codec, err)
	}
	return d.drain(fn)
}

func (d *Decoder) drain(fn func(*Frame) error) error {
	for {
		err := d.cc.ReceiveFrame(d.frame)
		if errors.Is(err, astiav.ErrEagain) || errors.Is(err, astiav.ErrEof) {
			return nil
		}
		if err != nil {
			if errors.Is(err, astiav.ErrInvaliddata) {
				return fmt.Errorf("decode %s: %w: %w", d.codec, ErrCorrupt, err)
			}
			return fmt.Errorf("decode %s: %w", d.codec, err)
		}
		d.out.f = d.frame
		d.out.full = d.deblock.out(d.frame.Pts(), d.out.Key())
		if d.hw != nil {
			if err := d.hwFrame(); err != nil {
				d.frame.Unref()
				return err
			}
		}
		ferr := fn(&d.out)
		d.frame.Unref()
		if ferr != nil {
			d.fnFailed = true
			return ferr
		}
	}
}

// Close frees the decoder.
func (d *Decoder) Close() {
	d.frame.Free()
	d.pkt.Free()
	d.closeContext()
	if d.hw != nil {
		d.hw.free()
	}
	releaseFreed()
}

// Frame is a decoded picture at the source's resolution.
type Frame struct {
	f *astiav.Frame
	// full is set when the frame is decoded with the deblocking filter, from
	// references that were too (deblock.go).
	full bool
}

// Width in pixels.
func (f *Frame) Width() int { return f.f.Width() }

// Height in pixels.
func (f *Frame) Height() int { return f.f.Height() }

// PTS is the presentation timestamp passed with the access unit.
func (f *Frame) PTS() int64 { return f.f.Pts() }

// FullQuality reports whether the frame is decoded as the stream was
// encoded: false for one decoded without the deblocking filter, or from a
// reference that was (SetSkipDeblock), until the next keyframe.
func (f *Frame) FullQuality() bool { return f.full }

// Key reports whether the frame is a keyframe.
func (f *Frame) Key() bool { return f.f.Flags().Has(astiav.FrameFlagKey) }
