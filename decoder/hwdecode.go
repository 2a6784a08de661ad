package decoder

import (
	"errors"
	"fmt"
)

// hwFrame makes d.out the frame just received as a picture in main memory:
// copied out of GPU memory when it is a GPU surface. A frame FFmpeg decoded
// in software (after get_format chose software) is handed out as it is.
func (d *Decoder) hwFrame() error {
	h := d.hw
	if sim := h.sim; sim != nil {
		if d.backend.Hardware == "" {
			return nil
		}
		if h.frames >= sim.FailAfter {
			return &hwError{errSimulatedFailure}
		}
		h.frames++
		return nil
	}
	if d.frame.PixelFormat() != h.format {
		return nil
	}
	f, err := h.download(d.frame)
	if err != nil {
		return &hwError{fmt.Errorf("copy the picture out of GPU memory: %w", err)}
	}
	d.out.f = f
	return nil
}

// afterHardware turns what one Decode on hardware ended with into what the
// caller sees: a failure of the hardware reopens the decoder in software, and
// FFmpeg's own switch to software is reported once.
func (d *Decoder) afterHardware(err error) error {
	if d.backend.Hardware == "" {
		return err // in software already
	}
	if d.hwFailed(err) {
		return d.fallBack(err)
	}
	if d.hw.refused {
		d.backend.Hardware, d.backend.Reason = "", d.hw.why
		return &FallbackError{Backend: d.backend, Err: err}
	}
	return err
}

// hwFailed says whether err, from a Decode on hardware, is the hardware
// failing. Corrupt data and pictures too large are the stream's and stay
// what they are; any other error FFmpeg returns is taken for the GPU's, since
// the same decoder in software would have concealed it and gone on.
func (d *Decoder) hwFailed(err error) bool {
	if err == nil || d.fnFailed {
		return false
	}
	if he := (*hwError)(nil); errors.As(err, &he) {
		return true
	}
	return !errors.Is(err, ErrCorrupt) && !errors.Is(err, ErrTooLarge)
}

// fallBack reopens the decoder in software after the hardware failed with
// cause. The frames FFmpeg held are lost; the caller goes on from the next
// keyframe.
func (d *Decoder) fallBack(cause error) error {
	name := hwName(d.backend.Hardware)
	d.closeContext()
	d.hw.free()
	d.hw = nil
	if err := d.openContext(nil); err != nil {
		return fmt.Errorf("reopen the decoder in software after %s failed (%v): %w", name, cause, err)
	}
	d.backend.Hardware = ""
	d.backend.Reason = fmt.Sprintf("%s failed mid-stream: %v", name, cause)
	return &FallbackError{Backend: d.backend, Restarted: true}
}
